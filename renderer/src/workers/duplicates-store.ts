/**
 * The duplicates worker's front: contacts named by the page with a stamp only (the page's mark
 * of the row object it holds, new after every change) are resolved here, off the UI thread. The
 * keys made for a stamp are kept for the worker's life; a contact without kept keys for its
 * stamp (or kept for another region) has its keys read from the store (the page's IndexedDB,
 * read by the worker itself), so neither 30 MB of vCards nor 50,000 keys cross the window's
 * thread. Since schema 8 the keys are a table of their own (in pages, db/keys-pages.ts), kept
 * true for the cards by the page's store: the first run of a session reads that table (the pages
 * of the contacts by id, or every page when most of it is wanted), and reads and parses only the
 * cards without current keys there; the keys made for them are stored after the answer, so no
 * card is parsed for its keys twice. Then `serveDuplicatesRequest` does the finding.
 */
import { currentStoredKeys, keysAreCurrent, storedKeys, type DuplicateKeys, type StoredKeys } from '../../../shared/duplicates/keys';
import { readRequest, type ContactSource, type DuplicatesRequest, type DuplicatesResponse } from '../../../shared/duplicates/protocol';
import { serveDuplicatesRequest } from '../../../shared/duplicates/serve';
import type { StoredCard } from './stored-cards';

/** The stored cards of these contacts, in order (undefined for one that is gone); a bare string is a card without stored keys. */
export type ReadStoredCards = (store: string, ids: readonly string[]) => Promise<readonly (StoredCard | string | undefined)[]>;

/**
 * Keys for many stored contacts at once, made elsewhere (the worker's helpers, in parallel):
 * in order, null for a card that is gone or cannot be read, with the print of the text they were
 * made from (to store them). `onDone` hears how many are done.
 */
export type MakeStoredKeys = (store: string, region: string, ids: readonly string[], onDone: (done: number) => void) => Promise<readonly (StoredKeys | null)[]>;

/** Every stored card, in any order (stored-cards.ts `scanStoredCards`): used when most of the store is to be read. */
export type ScanStoredCards = (store: string, each: (id: string, card: StoredCard) => void) => Promise<void>;

/**
 * The keys table (stored-cards.ts `readStoredKeys`, `scanStoredKeys`): rows as stored, unchecked,
 * each of its card's current text (the page's store keeps them so), or none.
 */
export interface StoredKeysTable {
  read(store: string, ids: readonly string[]): Promise<readonly unknown[]>;
  scan(store: string, each: (id: string, row: unknown) => void): Promise<void>;
}

/** The keys of a keys row, if it is one and they are of these rules and region. */
function keysOfRow(row: unknown, region: string): DuplicateKeys | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const { of, keys } = row as { of?: unknown; keys?: unknown };
  if (typeof of !== 'string' || typeof keys !== 'object' || keys === null) return undefined;
  return keysAreCurrent(keys as DuplicateKeys, region) ? (keys as DuplicateKeys) : undefined;
}

/** From this many cards (or keys rows) to read, the whole table is scanned instead of reading them by id. */
export const SCAN_FROM = 4000;

/** Keys made here, to be stored beside their cards (stored-cards.ts `saveStoredKeys`). */
export type SaveStoredKeys = (store: string, made: readonly { id: string; keys: StoredKeys }[]) => Promise<void>;

/** From this many cards without stored keys, the helpers make them (below, they cost more than they save). */
export const HELPERS_FROM = 4000;

/** Keys that are no keys: `serve` names such a contact unreadable. */
const NONE: DuplicateKeys = { version: -1, region: '', displayName: '', name: [], emails: [], phones: [], birthday: '' };

const READ_BATCH = 2000;

export class DuplicatesStoreFront {
  private readonly kept = new Map<string, { stamp: number; keys: DuplicateKeys }>();

  constructor(
    private readonly read: ReadStoredCards,
    private readonly makeKeys?: MakeStoredKeys,
    private readonly saveKeys?: SaveStoredKeys,
    private readonly scan?: ScanStoredCards,
    private readonly keysTable?: StoredKeysTable,
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
    /** Keys made in this request from cards read here, and the cards' texts (to store them). */
    const texts = new Map<string, string>();
    const toSave: { id: string; keys: StoredKeys }[] = [];
    try {
      const all = request.type === 'find' ? [request.contacts] : [request.existing, request.incoming];
      const total = all.reduce((n, list) => n + list.length, 0);
      const resolved = await this.resolve(all, request.region, request.store, stamps, texts, toSave, (done) => post({ type: 'progress', requestId: id, done, total, step: 'reading' }));
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
        const text = texts.get(m.id);
        if (text !== undefined) toSave.push({ id: m.id, keys: storedKeys(text, m.keys) });
      }
      post({ ...answer, madeKeys: [] });
    } catch (e) {
      post({ type: 'failed', requestId: id, message: e instanceof Error ? e.message : String(e) });
      return;
    }
    // After the answer: the keys made are stored beside their cards, for the next session.
    if (toSave.length > 0 && request.store !== undefined && this.saveKeys !== undefined) {
      try {
        await this.saveKeys(request.store, toSave);
      } catch {
        // Not stored: made again next time. The answer stands.
      }
    }
  }

  /** Stamped sources as kept keys, as the keys stored with their cards, or as their cards read from the store. */
  private async resolve(lists: readonly (readonly ContactSource[])[], region: string, store: string | undefined, stamps: Map<string, number>, texts: Map<string, string>, toSave: { id: string; keys: StoredKeys }[], onRead: (done: number) => void): Promise<ContactSource[][]> {
    const out = lists.map((list) => [...list]);
    let toRead: { list: number; at: number; source: ContactSource }[] = [];
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
    if (this.keysTable !== undefined && toRead.length > 0) {
      // The keys table first: only the contacts without current keys there have their cards read.
      const keyed = new Map<string, DuplicateKeys>();
      const keep = (id: string, row: unknown) => {
        const keys = keysOfRow(row, region);
        if (keys !== undefined) keyed.set(id, keys);
      };
      if (toRead.length >= SCAN_FROM) {
        const wanted = new Set(toRead.map((b) => b.source.id));
        onRead(0);
        await this.keysTable.scan(store!, (id, row) => {
          if (wanted.has(id)) keep(id, row);
        });
      } else {
        for (let i = 0; i < toRead.length; i += READ_BATCH) {
          const ids = toRead.slice(i, i + READ_BATCH).map((b) => b.source.id);
          const rows = await this.keysTable.read(store!, ids);
          ids.forEach((id, j) => keep(id, rows[j]));
        }
      }
      const rest: typeof toRead = [];
      for (const b of toRead) {
        const keys = keyed.get(b.source.id);
        if (keys === undefined) {
          rest.push(b);
          continue;
        }
        out[b.list]![b.at] = { id: b.source.id, bookId: b.source.bookId, keys };
        this.kept.set(b.source.id, { stamp: b.source.stamp!, keys });
      }
      toRead = rest;
    }
    const unkeyed: { list: number; at: number; source: ContactSource; vcard: string }[] = [];
    const take = (b: (typeof toRead)[number], read: StoredCard | string | undefined) => {
      const { id, bookId } = b.source;
      // A card gone from the store: no vCard and no keys, so serve() names it unreadable.
      if (read === undefined) out[b.list]![b.at] = { id, bookId, keys: NONE };
      else {
        const card = typeof read === 'string' ? { vcard: read } : read;
        const keys = currentStoredKeys(card.keys, card.vcard, region);
        if (keys !== undefined) {
          out[b.list]![b.at] = { id, bookId, keys };
          this.kept.set(id, { stamp: b.source.stamp!, keys });
        } else unkeyed.push({ ...b, vcard: card.vcard });
      }
    };
    if (this.scan !== undefined && toRead.length >= SCAN_FROM) {
      const wanted = new Map<string, (typeof toRead)[number][]>();
      for (const b of toRead) wanted.set(b.source.id, [...(wanted.get(b.source.id) ?? []), b]);
      let done = 0;
      onRead(0);
      await this.scan(store!, (id, card) => {
        const found = wanted.get(id);
        if (found === undefined) return;
        wanted.delete(id);
        for (const b of found) take(b, card);
        if (++done % READ_BATCH === 0) onRead(done);
      });
      for (const rest of wanted.values()) for (const b of rest) take(b, undefined);
    } else {
      for (let i = 0; i < toRead.length; i += READ_BATCH) {
        onRead(i);
        const batch = toRead.slice(i, i + READ_BATCH);
        const cards = await this.read(store!, batch.map((b) => b.source.id));
        batch.forEach((b, j) => take(b, cards[j]));
      }
    }
    if (this.makeKeys !== undefined && unkeyed.length >= HELPERS_FROM) {
      const keys = await this.makeKeys(store!, region, unkeyed.map((b) => b.source.id), onRead);
      unkeyed.forEach((b, j) => {
        const k = keys[j] ?? null;
        out[b.list]![b.at] = { id: b.source.id, bookId: b.source.bookId, keys: k?.keys ?? NONE };
        if (k === null) return;
        this.kept.set(b.source.id, { stamp: b.source.stamp!, keys: k.keys });
        toSave.push({ id: b.source.id, keys: k });
      });
      return out;
    }
    for (const b of unkeyed) {
      texts.set(b.source.id, b.vcard);
      out[b.list]![b.at] = { id: b.source.id, bookId: b.source.bookId, vcard: b.vcard };
    }
    return out;
  }
}
