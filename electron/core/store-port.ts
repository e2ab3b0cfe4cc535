/**
 * Requests the main process makes of the renderer's store, over whichever transport connects
 * them. Each request has an id; the answer comes back as a Reply envelope; a request nobody
 * answers in time fails with `unavailable` instead of hanging the sync that asked. One that no
 * page can answer any more (sent while no page was there, or only to pages gone since: a reload,
 * a crash) fails at once with `WindowGone`, and `answering` says when a page is there again, so the
 * sync that asked can run again then instead of waiting out the timeout.
 */
import { z } from 'zod';
import { CardinalError, isErrorCode, type Reply } from '../../shared/errors';
import type { StoreRequestName, StoreRequests } from '../../shared/ipc/contract';

export interface StorePort {
  request<K extends StoreRequestName>(name: K, ...args: StoreRequests[K]['args']): Promise<StoreRequests[K]['result']>;
  /**
   * Resolves true once a page that answers store requests is there (at once if one is now), false
   * if none comes within `timeoutMs`. Absent: the store is always there (tests' own stores).
   */
  answering?(timeoutMs: number): Promise<boolean>;
}

/**
 * A store request that no page will answer: it was sent while no page was there to take it, or
 * only to pages that went away since (the window reloaded or crashed). Nothing is known of whether
 * the gone page applied it (as after a crash); a sync that gets it may run again once a page answers.
 */
export class WindowGone extends CardinalError {
  override name = 'WindowGone';
  constructor() {
    super('unavailable', 'the window went away');
  }
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

/** What a request is resolved with when no page will answer it (thrown as WindowGone). */
const GONE: Reply<unknown> = { ok: false, error: { code: 'unavailable', message: 'the window went away' } };

export class PendingStoreRequests implements StorePort {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  /** Whether a page that answers is there now (the transport says so: `setAnswering`). */
  private up: boolean;
  private readonly waiters = new Set<() => void>();

  /**
   * `send` returns false when no page took the message (none is there): the request fails at
   * once. `answering`: whether a page is there to begin with.
   */
  constructor(
    private readonly send: (message: StoreRequestMessage) => boolean | void,
    private readonly timeoutMs = 30_000,
    answering = true,
  ) {
    this.up = answering;
  }

  async request<K extends StoreRequestName>(name: K, ...args: StoreRequests[K]['args']): Promise<StoreRequests[K]['result']> {
    const id = this.nextId++;
    const reply = await new Promise<Reply<unknown>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'unavailable', message: `the window did not answer ${name}` } });
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      if (this.send({ id, name, args }) === false) this.fail(id);
    });
    if (reply === GONE) throw new WindowGone();
    if (!reply.ok) throw new CardinalError(reply.error.code, reply.error.message);
    return reply.value as StoreRequests[K]['result'];
  }

  /** The transport's word: a page that answers is there now (true), or none is (false). */
  setAnswering(up: boolean): void {
    this.up = up;
    if (!up) return;
    for (const wake of [...this.waiters]) wake();
  }

  answering(timeoutMs: number): Promise<boolean> {
    if (this.up) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  private fail(id: number): void {
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    entry.resolve(GONE);
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

  /** Fail everything in flight (the window closed or crashed); no page answers until one says so. */
  closeAll(): void {
    this.setAnswering(false);
    this.failBefore(Number.POSITIVE_INFINITY);
  }

  /**
   * Fail the requests in flight with an id below `id`: those no window open now has received (a
   * page reloaded: the new one connected before the old one's connection closed, and what was sent
   * to the old one would otherwise wait out the timeout, the sync that asked with it).
   */
  failBefore(id: number): void {
    for (const pendingId of [...this.pending.keys()]) if (pendingId < id) this.fail(pendingId);
  }
}
