/**
 * Requests the main process makes of the renderer's store, over whichever transport connects
 * them. Each request has an id; the answer comes back as a Reply envelope; a request nobody
 * answers in time fails with `unavailable` instead of hanging the sync that asked.
 */
import { z } from 'zod';
import { CardinalError, isErrorCode, type Reply } from '../../shared/errors';
import type { StoreRequestName, StoreRequests } from '../../shared/ipc/contract';

export interface StorePort {
  request<K extends StoreRequestName>(name: K, ...args: StoreRequests[K]['args']): Promise<StoreRequests[K]['result']>;
}

export interface StoreRequestMessage {
  readonly id: number;
  readonly name: StoreRequestName;
  readonly args: readonly unknown[];
}

const replySchema = z.object({
  id: z.number().int(),
  reply: z.union([
    // `value` is absent for requests that return nothing (JSON drops undefined).
    z.object({ ok: z.literal(true), value: z.unknown().optional() }),
    z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
  ]),
});

export class PendingStoreRequests implements StorePort {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly send: (message: StoreRequestMessage) => void,
    private readonly timeoutMs = 30_000,
  ) {}

  async request<K extends StoreRequestName>(name: K, ...args: StoreRequests[K]['args']): Promise<StoreRequests[K]['result']> {
    const id = this.nextId++;
    const reply = await new Promise<Reply<unknown>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'unavailable', message: `the window did not answer ${name}` } });
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      this.send({ id, name, args });
    });
    if (!reply.ok) throw new CardinalError(reply.error.code, reply.error.message);
    return reply.value as StoreRequests[K]['result'];
  }

  /** Feed an answer from the renderer; anything malformed or unknown is dropped. */
  receive(message: unknown): void {
    const parsed = replySchema.safeParse(message);
    if (!parsed.success) return;
    const entry = this.pending.get(parsed.data.id);
    if (entry === undefined) return;
    this.pending.delete(parsed.data.id);
    clearTimeout(entry.timer);
    const r = parsed.data.reply;
    entry.resolve(r.ok ? { ok: true, value: r.value } : { ok: false, error: { code: isErrorCode(r.error.code) ? r.error.code : 'internal', message: r.error.message } });
  }

  /** The id the next request will have (requests before it were sent to the windows open now). */
  get nextRequestId(): number {
    return this.nextId;
  }

  /** Fail everything in flight (the window closed or reloaded). */
  closeAll(): void {
    this.failBefore(Number.POSITIVE_INFINITY);
  }

  /**
   * Fail the requests in flight with an id below `id`: those no window open now has received (a
   * page reloaded: the new one connected before the old one's connection closed, and what was sent
   * to the old one would otherwise wait out the timeout, the sync that asked with it).
   */
  failBefore(id: number): void {
    for (const [pendingId, entry] of this.pending) {
      if (pendingId >= id) continue;
      clearTimeout(entry.timer);
      entry.resolve({ ok: false, error: { code: 'unavailable', message: 'the window went away' } });
      this.pending.delete(pendingId);
    }
  }
}
