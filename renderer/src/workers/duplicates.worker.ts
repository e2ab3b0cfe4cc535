/**
 * Finds likely duplicates off the UI thread: a whole book (or several), or an import's cards
 * against the book. The page posts a `DuplicatesRequest` (shared/duplicates/protocol.ts) naming
 * stored contacts by id and stamp; this worker reads their keys (the keys table, schema 8) from the
 * page's IndexedDB itself, and the cards of those without current keys there, keeps the keys for
 * the session and stores those it had to make (`duplicates-store.ts`). Many cards without stored
 * keys (a store from before schema 6, cards a sync or an edit wrote) share the key-making among
 * helpers (`duplicate-keys.worker.ts`, one per core, at most 4). It posts `progress` messages,
 * then one answer; it writes nothing to the store but the keys of unchanged cards, and never
 * merges. The page keeps one worker for the session (`features/duplicates/finder.ts`).
 */
import type { StoredKeys } from '../../../shared/duplicates/keys';
import type { KeysJob, KeysReply } from './duplicate-keys.worker';
import { DuplicatesStoreFront } from './duplicates-store';
import { readStoredCards, readStoredKeys, saveStoredKeys, scanStoredCards, scanStoredKeys } from './stored-cards';

let nextJob = 1;

/** The keys of `ids`, made by helpers in parallel, each a contiguous share; in order. */
async function makeKeys(store: string, region: string, ids: readonly string[], onDone: (done: number) => void): Promise<(StoredKeys | null)[]> {
  const count = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
  const share = Math.ceil(ids.length / count);
  const out: (StoredKeys | null)[] = new Array<StoredKeys | null>(ids.length).fill(null);
  let done = 0;
  const helpers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, (_, h) => {
        const from = h * share;
        const part = ids.slice(from, from + share);
        if (part.length === 0) return Promise.resolve();
        const helper = new Worker(new URL('./duplicate-keys.worker.ts', import.meta.url), { type: 'module' });
        helpers.push(helper);
        const job = nextJob++;
        return new Promise<void>((resolve, reject) => {
          let at = from;
          helper.onmessage = (e: MessageEvent<KeysReply>) => {
            const r = e.data;
            if ('keys' in r) {
              for (const k of r.keys) out[at++] = k;
              done += r.keys.length;
              onDone(done);
            } else if ('end' in r) resolve();
            else reject(new Error(r.failed));
          };
          helper.onerror = (e) => reject(new Error(e.message || 'a duplicates helper failed'));
          helper.postMessage({ job, store, region, ids: part } satisfies KeysJob);
        });
      }),
    );
  } finally {
    for (const w of helpers) w.terminate();
  }
  return out;
}

const front = new DuplicatesStoreFront(readStoredCards, makeKeys, saveStoredKeys, scanStoredCards, { read: readStoredKeys, scan: scanStoredKeys });
// One request at a time, in order (the page sends one at a time; a second waits for the first).
let queue = Promise.resolve();

self.onmessage = (event: MessageEvent<unknown>) => {
  queue = queue.then(() => front.serve(event.data, (r) => self.postMessage(r)));
};
