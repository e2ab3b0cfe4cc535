/**
 * A Google book's labels in the renderer's store: one meta record per book (`labels:<bookId>`:
 * the labels, the people joined to cards, the labels sync's state), with the favourites read from
 * the rows. The labels sync in main reads and writes it through the store requests; its write
 * goes through `applyLabelSync` in one transaction with the rows, so what the user did meanwhile
 * (a label renamed, a favourite ticked) stays.
 */
import { applyLabelSync, EMPTY_PEOPLE_STATE, type LabelAccess, type LabelCardRef, type LabelsApplied, type LabelSnapshot, type LabelSyncWrite, type PeopleSyncState, type PersonLink, type StoredLabel } from '../../../shared/groups/labels';
import type { ContactIndex } from '../store/contact-index';
import type { ContactRepo } from './repo';
import { ROWS_WRITTEN_KEY, rowsWrittenToken, type ContactRow, type EtagRow } from './schema';

export interface LabelRecord {
  state: PeopleSyncState;
  labels: StoredLabel[];
  people: PersonLink[];
  /** Whether the People API took the last sign-in (absent before the first labels sync). */
  access?: LabelAccess;
}

export const labelKey = (bookId: string): string => `labels:${bookId}`;
export const EMPTY_LABELS: LabelRecord = { state: EMPTY_PEOPLE_STATE, labels: [], people: [] };

export async function readLabelRecord(repo: ContactRepo, bookId: string): Promise<LabelRecord> {
  return ((await repo.db.meta.get(labelKey(bookId)))?.value as LabelRecord | undefined) ?? EMPTY_LABELS;
}

export function labelStoreHandlers(repo: ContactRepo, index: ContactIndex, onLabels: (bookId: string, labels: readonly StoredLabel[], access: LabelAccess | undefined) => void) {
  const db = repo.db;
  const writtenCount = async (): Promise<string> => rowsWrittenToken((await db.meta.get(ROWS_WRITTEN_KEY))?.value);
  const person = (r: ContactRow): boolean => r.pending !== 'deleted' && r.groupCard !== 'apple' && r.groupCard !== 'vcard4';
  const rowsOf = async (bookId: string): Promise<ContactRow[]> => (await db.contacts.where('bookId').equals(bookId).toArray()).filter(person);
  const snapshotOf = (rec: LabelRecord, rows: readonly ContactRow[]): LabelSnapshot => ({ state: rec.state, labels: rec.labels, favourites: rows.filter((r) => r.favorite === 1).map((r) => r.id), people: rec.people });
  // The hrefs from the small etags rows (one range read), not the cards with their vCards (10,000
  // gets of the whole card on every sync with nothing to do); a card not on the server yet has
  // none, and no href.
  const refsOf = (rows: readonly ContactRow[], etags: readonly EtagRow[]): LabelCardRef[] => {
    const hrefs = new Map(etags.map((e) => [e.id, e.href]));
    return rows.map((r) => ({ id: r.id, href: hrefs.get(r.id) ?? '', uid: r.uid }));
  };
  return {
    labelsRead: async (bookId: string): Promise<LabelSnapshot> => snapshotOf(await readLabelRecord(repo, bookId), await rowsOf(bookId)),
    labelCards: async (bookId: string): Promise<LabelCardRef[]> => {
      const [rows, etags] = await Promise.all([rowsOf(bookId), db.etags.where('bookId').equals(bookId).toArray()]);
      return refsOf(rows, etags);
    },
    labelsReadWithCards: async (bookId: string, known?: string): Promise<{ written: string; snapshot: LabelSnapshot; cards: LabelCardRef[] } | { written: string; unchanged: true }> => {
      // The book's rows read once for both (the favourites and the cards to join people to); not
      // at all when no row or labels record was written since the sync's last read (its count).
      return db.transaction('r', db.meta, db.contacts, db.etags, async () => {
        const written = await writtenCount();
        if (known !== undefined && known !== '' && known === written) return { written, unchanged: true as const };
        const [rec, rows, etags] = await Promise.all([readLabelRecord(repo, bookId), rowsOf(bookId), db.etags.where('bookId').equals(bookId).toArray()]);
        return { written, snapshot: snapshotOf(rec, rows), cards: refsOf(rows, etags) };
      });
    },
    labelVcards: async (bookId: string, ids: readonly string[]): Promise<[string, string][]> => {
      const cards = await db.cards.bulkGet([...ids]);
      return cards.flatMap((c) => (c !== undefined && c.bookId === bookId ? [[c.id, c.vcard] as [string, string]] : []));
    },
    labelsApply: async (bookId: string, write: LabelSyncWrite, known?: string): Promise<LabelsApplied> => {
      const { labels, changed, access, written, followed } = await db.transaction('rw', db.contacts, db.meta, async () => {
        const before = await writtenCount();
        const rec = await readLabelRecord(repo, bookId);
        // Only a row the write stars or unstars can change: those rows, not the whole book.
        const named = [...new Set([...write.favourites.add, ...write.favourites.remove])];
        const rows = named.length === 0 ? [] : (await db.contacts.bulkGet(named)).filter((r): r is ContactRow => r !== undefined && r.bookId === bookId && person(r));
        const starredBefore = new Set(rows.filter((r) => r.favorite === 1).map((r) => r.id));
        const next = applyLabelSync(rec.labels, starredBefore, write);
        const people = new Map(rec.people.map((p) => [p.resourceName, p]));
        for (const p of write.people.put) people.set(p.resourceName, p);
        for (const r of write.people.remove) people.delete(r);
        const access = write.access ?? rec.access;
        const state = write.state ?? rec.state;
        // A labels sync with nothing to do leaves the record as it was: not written again (with
        // every person of the book in it).
        const same = write.people.put.length === 0 && write.people.remove.length === 0 && access === rec.access && JSON.stringify(state) === JSON.stringify(rec.state) && JSON.stringify(next.labels) === JSON.stringify(rec.labels);
        if (!same) await db.meta.put({ key: labelKey(bookId), value: { state, labels: next.labels, people: [...people.values()], ...(access === undefined ? {} : { access }) } satisfies LabelRecord });
        // Google's "starred" is Cardinal's favourites.
        const changed = rows.filter((r) => (r.favorite === 1) !== next.favourites.has(r.id)).map((r) => ({ ...r, favorite: next.favourites.has(r.id) ? (1 as const) : (0 as const) }));
        if (changed.length > 0) {
          await db.contacts.bulkPut(changed);
          await repo.bumpInTransaction();
        }
        return { labels: next.labels, changed, access, written: await writtenCount(), followed: known !== undefined && known !== '' && known === before };
      });
      if (changed.length > 0) index.upsert(changed);
      onLabels(bookId, labels, access);
      return { written, followed, starred: changed.filter((r) => r.favorite === 1).map((r) => r.id), unstarred: changed.filter((r) => r.favorite !== 1).map((r) => r.id) };
    },
  };
}
