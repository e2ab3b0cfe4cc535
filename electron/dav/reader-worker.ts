/**
 * The answer reader's worker thread (`reader-pool.ts` starts it): decodes an answer's bytes,
 * transferred to it, and reads what the sync takes from them, off the main thread. Bundled on its
 * own as `dav-reader.cjs` beside the main bundle (`scripts/build.mjs`).
 *
 * A long result (10,000 cards, 9 MB of strings) comes back in parts of `PART` items, each sent when
 * the main thread asks for the next: a message's structured clone is read on the main thread in
 * one go, and Node reads every message already queued on a port in one go too, so parts sent all
 * at once would stall it as long as the whole.
 */
import { parentPort } from 'node:worker_threads';
import { decodeAnswer, LONG_LIST, runJob, toWire, type JobKind } from './reader-jobs';

export interface JobMessage {
  id: number;
  kind: JobKind;
  bytes: ArrayBuffer;
  url: string;
  args: never;
}

/** Items per part of a long result (about 230 KB of vCards at Radicale's sizes). */
const PART = 250;

/** Results whose long list is still being handed back, by job. */
const held = new Map<number, { value: Record<string, unknown>; list: unknown[]; at: number }>();

function sendPart(id: number): void {
  const h = held.get(id)!;
  const part = h.list.slice(h.at, h.at + PART);
  h.at += PART;
  if (h.at < h.list.length) parentPort!.postMessage({ id, part });
  else {
    held.delete(id);
    parentPort!.postMessage({ id, ok: true, value: h.value, part });
  }
}

parentPort?.on('message', (m: JobMessage | { id: number; next: true }) => {
  if ('next' in m) {
    if (held.has(m.id)) sendPart(m.id);
    return;
  }
  try {
    const value = runJob(m.kind, decodeAnswer(new Uint8Array(m.bytes)), m.url, m.args) as unknown as Record<string, unknown>;
    const key = LONG_LIST[m.kind];
    const list = value[key] as unknown[];
    if (list.length <= PART) {
      parentPort!.postMessage({ id: m.id, ok: true, value });
      return;
    }
    held.set(m.id, { value: { ...value, [key]: [] }, list, at: 0 });
    sendPart(m.id);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, ok: false, error: toWire(e) });
  }
});

// Loaded: the pool sends answers from now on.
parentPort?.postMessage({ ready: true });
