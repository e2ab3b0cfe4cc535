/**
 * The duplicates worker's front: contacts named by the page with a stamp only (the page's mark
 * of the row object it holds, new after every change) are resolved here, off the UI thread. The
 * keys made for a stamp are kept for the worker's life; a contact without kept keys for its
 * stamp (or kept for another region) has its card read from the store (the page's IndexedDB,
 * read by the worker itself), so neither 30 MB of vCards nor 50,000 keys cross the window's
 * thread. Then `serveDuplicatesRequest` does the finding; the keys it made are kept, not sent back.
 */
import { keysAreCurrent, type DuplicateKeys } from '../../../shared/duplicates/keys';
import { readRequest, type ContactSource, type DuplicatesRequest, type DuplicatesResponse } from '../../../shared/duplicates/protocol';
import { serveDuplicatesRequest } from '../../../shared/duplicates/serve';

/** The stored vCards of these contacts, in order (undefined for one that is gone). */
export type ReadStoredCards = (store: string, ids: readonly string[]) => Promise<readonly (string | undefined)[]>;

/**
 * Keys for many stored contacts at once, made elsewhere (the worker's helpers, in parallel):
 * in order, null for a card that is gone or cannot be read. `onDone` hears how many are done.
 */
export type MakeStoredKeys = (store: string, region: string, ids: readonly string[], onDone: (done: number) => void) => Promise<readonly (DuplicateKeys | null)[]>;

/** Below this many cards to read, the worker makes the keys itself (helpers cost more than they save). */
export const HELPERS_FROM = 4000;

/** Keys that are no keys: `serve` names such a contact unreadable. */
const NONE: DuplicateKeys = { version: -1, region: '', displayName: '', name: [], emails: [], phones: [], birthday: '' };

const READ_BATCH = 2000;

export class DuplicatesStoreFront {
  private readonly kept = new Map<string, { stamp: number; keys: DuplicateKeys }>();

  constructor(
    private readonly read: ReadStoredCards,
    private readonly makeKeys?: MakeStoredKeys,
  ) {}

  /** How many contacts have keys kept (for tests). */
  get keptCount(): number {
    return this.kept.size;
  }

  async serve(data: unknown, post: (r: DuplicatesResponse) => void): Promise<void> {
    const requestId = typeof data === 'object' && data !== null && 'requestId' in data && typeof data.requestId === 'number' ? data.requestId : null;
    let request: DuplicatesRequest;
    try {
      request = readRequest(data, true);
    } catch (e) {
      post({ type: 'failed', requestId, message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const id = request.requestId;
    const stamps = new Map<string, number>();
    try {
      const all = request.type === 'find' ? [request.contacts] : [request.existing, request.incoming];
      const total = all.reduce((n, list) => n + list.length, 0);
      const resolved = await this.resolve(all, request.region, request.store, stamps, (done) => post({ type: 'progress', requestId: id, done, total, step: 'reading' }));
      const ready: DuplicatesRequest = request.type === 'find' ? { ...request, contacts: resolved[0]! } : { ...request, existing: resolved[0]!, incoming: resolved[1]! };
      post({ type: 'progress', requestId: id, done: 0, total, step: 'keys' });
      const answer = serveDuplicatesRequest(ready, (done, of) => post({ type: 'progress', requestId: id, done, total: of, step: 'keys' }));
      if (answer.type === 'failed' || answer.type === 'progress') {
        post(answer);
        return;
      }
      for (const m of answer.madeKeys) {
        const stamp = stamps.get(m.id);
        if (stamp !== undefined) this.kept.set(m.id, { stamp, keys: m.keys });
      }
      post({ ...answer, madeKeys: [] });
    } catch (e) {
      post({ type: 'failed', requestId: id, message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Stamped sources as kept keys, or as their cards read from the store. */
  private async resolve(lists: readonly (readonly ContactSource[])[], region: string, store: string | undefined, stamps: Map<string, number>, onRead: (done: number) => void): Promise<ContactSource[][]> {
    const out = lists.map((list) => [...list]);
    const toRead: { list: number; at: number; source: ContactSource }[] = [];
    out.forEach((list, l) =>
      list.forEach((s, at) => {
        if (s.stamp === undefined || s.vcard !== undefined || s.keys !== undefined) return;
        stamps.set(s.id, s.stamp);
        const kept = this.kept.get(s.id);
        if (kept !== undefined && kept.stamp === s.stamp && keysAreCurrent(kept.keys, region)) list[at] = { id: s.id, bookId: s.bookId, keys: kept.keys };
        else toRead.push({ list: l, at, source: s });
      }),
    );
    if (toRead.length > 0 && store === undefined) throw new TypeError('contacts named by a stamp need the store to read them from');
    if (this.makeKeys !== undefined && toRead.length >= HELPERS_FROM) {
      const keys = await this.makeKeys(store!, region, toRead.map((b) => b.source.id), onRead);
      toRead.forEach((b, j) => {
        const k = keys[j] ?? null;
        out[b.list]![b.at] = { id: b.source.id, bookId: b.source.bookId, keys: k ?? NONE };
        if (k !== null) this.kept.set(b.source.id, { stamp: b.source.stamp!, keys: k });
      });
      return out;
    }
    for (let i = 0; i < toRead.length; i += READ_BATCH) {
      onRead(i);
      const batch = toRead.slice(i, i + READ_BATCH);
      const texts = await this.read(store!, batch.map((b) => b.source.id));
      batch.forEach((b, j) => {
        const vcard = texts[j];
        // A card gone from the store: no vCard and no keys, so serve() names it unreadable.
        out[b.list]![b.at] = vcard === undefined ? { id: b.source.id, bookId: b.source.bookId, keys: NONE } : { id: b.source.id, bookId: b.source.bookId, vcard };
      });
    }
    return out;
  }
}
