/**
 * Every write to the store goes through here, each in one transaction: the vCard, its list fields
 * and its pending mark (the offline queue) together, so a crash never leaves one without the other.
 * Large writes are batched (IndexedDB in Chromium takes ~5–10k rows/s; `IMPORT_BATCH`).
 */
import { deriveListFields, type ListFields } from '../../../shared/book/derive';
import { EMPTY_PEOPLE_STATE, type LabelAccess, type StoredLabel } from '../../../shared/groups/labels';
import type { BookGroupSetting, GroupChange } from '../../../shared/groups/types';
import { cardPrint, type StoredKeys } from '../../../shared/duplicates/keys';
import { withLocalLines } from '../../../shared/sync/conflicts';
import { parseVCard, serializeVCard, type VCard } from '../../../shared/vcard';
import Dexie from 'dexie';
import { dropStaged, STAGED_KEY } from './staged';
import { appendRun, forget, importedVersionId, importedVersionOf, recordVersions, runsFromRows, sameContent, stamp, trashRows, wholeRun, withText, type VersionInput } from './history';
import { CardinalDB, LOCAL_BOOK_ID, type BookRow, type CardRow, type ContactRow, type PendingMark, type RunEntry, type RunRow, type TrashRow, type VersionRow, type VersionSource } from './schema';

/**
 * Contacts a transaction of an import takes (`putAll`, and each import worker's batch:
 * import-write.ts): larger transactions cost less per row in Chromium (each commit is a write to
 * disk), and every batch rewrites the import's run row with all its entries so far; 25,000
 * contacts are about 30 MB. (10,000 before: the write at 0.72–0.80× of the raw write, 0.91× with
 * 25,000 in the same session; README, Import.)
 */
export const IMPORT_BATCH = 25_000;

/** A card's next revision: every local write moves it on (see CardRow.revision). */
export function nextRevision(card: Pick<CardRow, 'revision'> | undefined): number {
  return (card?.revision ?? 0) + 1;
}
/**
 * Entries of a run an undo takes per transaction (`undoRun`): each batch rewrites the keys pages
 * its trashed cards were on (all 256 of them, for a few thousand cards) and the run's row, so
 * batches of 500 made an undo of 50,000 rewrite the keys table 100 times.
 */
export const UNDO_BATCH = 5_000;
/** Versions recorded since a run read at once (by their `at` index) to tell which of its contacts changed since. */
const VERSIONS_READ_AT_ONCE = 20_000;

/** Rows in the list head: more than any window shows at once. */
const HEAD_ROWS = 200;

export interface StoredContact {
  row: ContactRow;
  card: CardRow;
}

/** How a batch of writes is kept in history: the versions' source, and the import run it makes. */
export interface WriteRecord {
  source: VersionSource;
  /** `id`: the run to join (an import whose new contacts the worker wrote under that id). */
  run?: { kind: 'import'; name?: string; id?: string };
  /** The first this many items are new contacts (ids never stored: an import's new cards), not looked up before writing. */
  fresh?: number;
}

/** What a restore from the trash or an undo of a run did, for the list and the message. */
export interface RestoreResult {
  /** Rows back in the list (or changed). */
  changed: ContactRow[];
  /** Rows that left the list (an undone create went to the trash). */
  removed: string[];
  /** Rows of synced books kept hidden as deletions waiting for their server. */
  hidden: ContactRow[];
  /** Contacts whose book is gone, restored to the default book. */
  moved: string[];
}

/** Rows a deletion keeps, hidden, until the server agrees (what the list keeps of them). */
export function hiddenRows(removed: readonly StoredContact[]): ContactRow[] {
  return removed.filter((r) => r.row.bookId !== LOCAL_BOOK_ID && r.row.pending !== 'created').map((r) => ({ ...r.row, pending: 'deleted' as const }));
}

/**
 * The list snapshot: every row's list fields in list order, so the next start reads a few records
 * instead of 50,000. It is trusted only if no write happened after it: every write transaction
 * bumps `generation`, and the snapshot records the generation it reflects. Stored in pages of
 * `SNAPSHOT_PAGE` rows (`list` says how many, `list:0`, `list:1`… hold them, each the rows' JSON):
 * one JSON text of 50,000 rows was a string of 54 million characters, two bytes each (a
 * single non-Latin-1 name makes the whole text so), 104 MB on the window's heap, and its copy for
 * IndexedDB as large beside it, right after a sync's last batch. A snapshot written before
 * the pages (`rows` in `list` itself) is still read.
 */
interface ListSnapshot {
  generation: number;
  /** The rows' JSON (a snapshot written before the pages, and the head). */
  rows?: string;
  /** How many pages hold the rows. */
  pages?: number;
}

/** Rows per page of the list snapshot (about 2.2 million characters of JSON each at the bench's cards, 4 MB on the heap). */
export const SNAPSHOT_PAGE = 2_000;

const pageKey = (i: number) => `list:${i}`;

/** How long a sync's batch holds the list snapshot back, at most, if no batch follows (a run cut short). */
const SNAPSHOT_HOLD_MS = 30_000;

export class ContactRepo {
  /** Writes committed so far (mirrors meta 'generation'); see ListSnapshot. */
  generation = 0;
  private snapshotHeldUntil = 0;

  constructor(readonly db: CardinalDB) {}

  /** The tables a contact write touches: the rows, the generation, and their trash and history (one transaction may nest several writes: a merge). */
  get tables() {
    const db = this.db;
    return [db.contacts, db.cards, db.meta, db.trash, db.versions, db.runs];
  }

  /** Inside a write transaction that includes `meta`: count this write. */
  bumpInTransaction(): Promise<void> {
    return this.bump();
  }

  /** Inside a write transaction: count this write. */
  private async bump(): Promise<void> {
    const current = ((await this.db.meta.get('generation'))?.value as number | undefined) ?? 0;
    await this.db.meta.put({ key: 'generation', value: current + 1 });
    this.generation = current + 1;
  }

  /** The rows of the last snapshot, in its list order, if it is still exact (same generation). */
  async listSnapshot(): Promise<ContactRow[] | null> {
    const [gen, snap] = await Promise.all([this.db.meta.get('generation'), this.db.meta.get('list')]);
    this.generation = (gen?.value as number | undefined) ?? 0;
    const value = snap?.value as ListSnapshot | undefined;
    if (value === undefined || value.generation !== this.generation) return null;
    if (typeof value.rows === 'string') return JSON.parse(value.rows) as ContactRow[];
    if (value.pages === undefined) return null;
    const pages = await this.db.meta.bulkGet(Array.from({ length: value.pages }, (_, i) => pageKey(i)));
    const rows: ContactRow[] = [];
    for (const page of pages) {
      const p = page?.value as ListSnapshot | undefined;
      if (p === undefined || p.generation !== value.generation || typeof p.rows !== 'string') return null;
      for (const r of JSON.parse(p.rows) as ContactRow[]) rows.push(r);
    }
    return rows;
  }

  /**
   * The first screenfuls of the last snapshot and the total count, if still exact: enough to paint
   * the list at once while the whole snapshot loads.
   */
  async listHead(): Promise<{ rows: ContactRow[]; total: number } | null> {
    const [gen, head] = await Promise.all([this.db.meta.get('generation'), this.db.meta.get('list-head')]);
    const value = head?.value as (ListSnapshot & { total: number }) | undefined;
    if (value === undefined || typeof value.rows !== 'string' || value.generation !== ((gen?.value as number | undefined) ?? 0)) return null;
    return { rows: JSON.parse(value.rows) as ContactRow[], total: value.total };
  }

  /**
   * A sync's batch was applied and more are coming (`more`), or it was the last: while a run's
   * batches come, the list snapshot waits (saving every row after each batch made a sync of
   * 10,000 cards write the whole list a dozen times, a long task each).
   */
  holdSnapshot(more: boolean): void {
    this.snapshotHeldUntil = more ? Date.now() + SNAPSHOT_HOLD_MS : 0;
  }

  /** Whether the list snapshot should wait (see holdSnapshot). */
  get snapshotHeld(): boolean {
    return Date.now() < this.snapshotHeldUntil;
  }

  /**
   * Save the list as it is now (called when idle after changes): a page at a time, each page's
   * JSON made just before it is written (only one page's text is held at once), in one
   * transaction; the pages of a longer snapshot before it are taken out.
   */
  async saveListSnapshot(rows: readonly ContactRow[]): Promise<void> {
    const generation = this.generation;
    const pages = Math.ceil(rows.length / SNAPSHOT_PAGE);
    await this.db.transaction('rw', this.db.meta, async () => {
      const before = (await this.db.meta.get('list'))?.value as ListSnapshot | undefined;
      for (let i = 0; i < pages; i++) await this.db.meta.put({ key: pageKey(i), value: { generation, rows: JSON.stringify(rows.slice(i * SNAPSHOT_PAGE, (i + 1) * SNAPSHOT_PAGE)) } satisfies ListSnapshot });
      const stale = Array.from({ length: Math.max(0, (before?.pages ?? 0) - pages) }, (_, k) => pageKey(pages + k));
      if (stale.length > 0) await this.db.meta.bulkDelete(stale);
      await this.db.meta.put({ key: 'list', value: { generation, pages } satisfies ListSnapshot });
      await this.db.meta.put({ key: 'list-head', value: { generation, total: rows.length, rows: JSON.stringify(rows.slice(0, HEAD_ROWS)) } });
    });
  }

  static async open(name?: string): Promise<ContactRepo> {
    const db = new CardinalDB(name);
    await db.open();
    const repo = new ContactRepo(db);
    await repo.ensureLocalBook();
    // An import written ahead while its summary was open, and never committed (the window closed
    // or crashed meanwhile): taken out before anything reads the rows (db/import-write.ts).
    if ((await db.meta.get(STAGED_KEY)) !== undefined) await dropStaged(db);
    return repo;
  }

  private async ensureLocalBook(): Promise<void> {
    if ((await this.db.books.get(LOCAL_BOOK_ID)) !== undefined) return;
    const book: BookRow = { id: LOCAL_BOOK_ID, name: '', kind: 'local', version: '4.0', createdAt: Date.now() };
    await this.db.books.put(book);
  }

  books(): Promise<BookRow[]> {
    return this.db.books.toArray();
  }

  /** Every row's list fields: what the list and search need, without the vCards. */
  allRows(): Promise<ContactRow[]> {
    return this.db.contacts.toArray();
  }

  getCard(id: string): Promise<CardRow | undefined> {
    return this.db.cards.get(id);
  }

  /** Build both rows for a card. A synced book marks it for upload; the local book has no queue. */
  static rows(id: string, bookId: string, card: VCard, previous?: StoredContact): StoredContact {
    return ContactRepo.rowsFrom(id, bookId, serializeVCard(card), deriveListFields(card), previous);
  }

  /**
   * The same from a card already serialised and derived (the import worker did that work, and
   * made its duplicate keys: `keys`, stored with the card).
   */
  static rowsFrom(id: string, bookId: string, vcard: string, fields: ListFields, previous?: StoredContact, keys?: StoredKeys, updatedAt = Date.now()): StoredContact {
    const synced = bookId !== LOCAL_BOOK_ID;
    const pending: PendingMark = !synced ? '' : previous === undefined || previous.row.pending === 'created' ? 'created' : 'updated';
    const prev = previous?.card;
    // An edit keeps what the sync still needs: an open conflict (the server's side of it), the
    // mark of a create already sent, and the server's own representation (GData: the entry its
    // next PUT patches). A refusal is cleared: the edit may have fixed it. The revision moves on,
    // so an upload under way can tell that the row is no longer what it sent.
    const conflict = prev?.conflicts === undefined ? {} : { conflicts: withLocalLines(prev.conflicts, vcard, prev.vcard), remote: prev.remote };
    return {
      row: {
        id,
        bookId,
        ...fields,
        favorite: previous?.row.favorite ?? 0,
        pending,
        flag: prev?.conflicts === undefined ? '' : 'conflict',
        updatedAt,
      },
      card: {
        id,
        bookId,
        vcard,
        base: prev?.base ?? '',
        href: prev?.href ?? '',
        etag: prev?.etag ?? '',
        revision: nextRevision(prev),
        ...conflict,
        ...(prev?.attempted === true ? { attempted: true } : {}),
        ...(prev?.sentRevision !== undefined ? { sentRevision: prev.sentRevision } : {}),
        ...(prev?.sentPrint !== undefined ? { sentPrint: prev.sentPrint } : {}),
        ...(prev?.sentVcard !== undefined ? { sentVcard: prev.sentVcard } : {}),
        ...(prev?.sentEarlier !== undefined ? { sentEarlier: prev.sentEarlier } : {}),
        ...(prev?.source !== undefined ? { source: prev.source } : {}),
        ...(keys !== undefined ? { keys } : {}),
        // The import that made it (schema 9): its first version is read from here until written.
        ...(prev?.imported !== undefined ? { imported: prev.imported } : {}),
      },
    };
  }

  /** The user settled a conflict with this card: it is uploaded on the next sync. */
  resolveConflict(id: string, card: VCard): Promise<StoredContact> {
    return this.rewrite(id, card, 'conflict');
  }

  async create(bookId: string, card: VCard): Promise<StoredContact> {
    const stored = ContactRepo.rows(crypto.randomUUID(), bookId, card);
    await this.putAll([stored], undefined, { source: 'create' });
    return stored;
  }

  /**
   * Save an edited card over an existing contact (its list fields follow). `source` names the
   * change in its history: an edit, a reviewed merge, or the undo of one.
   */
  update(id: string, card: VCard, source: 'edit' | 'merge' | 'undo' = 'edit'): Promise<StoredContact> {
    return this.rewrite(id, card, source);
  }

  private async rewrite(id: string, card: VCard, source: 'conflict' | 'edit' | 'merge' | 'undo'): Promise<StoredContact> {
    const settlesConflict = source === 'conflict';
    return this.db.transaction('rw', this.tables, async () => {
      await this.bump();
      const row = await this.db.contacts.get(id);
      const old = await this.db.cards.get(id);
      if (row === undefined || old === undefined) throw new Error(`contact ${id} is gone`);
      const { conflicts: _c, remote: _r, ...settled } = old;
      const stored = ContactRepo.rows(id, row.bookId, card, { row, card: settlesConflict ? settled : old });
      await this.db.contacts.put(stored.row);
      await this.db.cards.put(stored.card);
      await recordVersions(this.db, [{ contactId: id, bookId: row.bookId, vcard: stored.card.vcard, source, by: 'local', before: old.vcard }]);
      return stored;
    });
  }

  async setFavorite(id: string, favorite: boolean): Promise<ContactRow | undefined> {
    return this.db.transaction('rw', this.db.contacts, this.db.meta, async () => {
      const row = await this.db.contacts.get(id);
      if (row === undefined) return undefined;
      await this.bump();
      const next = { ...row, favorite: favorite ? (1 as const) : (0 as const) };
      await this.db.contacts.put(next);
      return next;
    });
  }

  /** Favourite (or not) many contacts in one transaction; returns the rows changed. */
  async setFavorites(ids: readonly string[], favorite: boolean): Promise<ContactRow[]> {
    return this.db.transaction('rw', this.db.contacts, this.db.meta, async () => {
      await this.bump();
      const value = favorite ? (1 as const) : (0 as const);
      const rows = (await this.db.contacts.bulkGet([...ids])).filter((r): r is ContactRow => r !== undefined && r.favorite !== value).map((r) => ({ ...r, favorite: value }));
      await this.db.contacts.bulkPut(rows);
      return rows;
    });
  }

  /**
   * Delete contacts. Local-book rows go; synced rows stay as `deleted` until the server agrees. A
   * create never sent goes at once, but one already sent (`attempted`: its answer may have been
   * lost, or the upload is under way) stays as a deletion too: the card may be on the server.
   * Returns what was there, so the caller can offer undo. `mergedInto`: they were merged into that
   * contact (their trash rows say so).
   */
  async remove(ids: readonly string[], mergedInto?: TrashRow['mergedInto']): Promise<StoredContact[]> {
    return this.db.transaction('rw', this.tables, async () => {
      await this.bump();
      const rows = await this.db.contacts.bulkGet([...ids]);
      const cards = await this.db.cards.bulkGet([...ids]);
      const removed: StoredContact[] = [];
      rows.forEach((row, i) => {
        const card = cards[i];
        if (row !== undefined && card !== undefined) removed.push({ row, card });
      });
      const goesAtOnce = (s: StoredContact) => s.row.bookId === LOCAL_BOOK_ID || (s.row.pending === 'created' && s.card.attempted !== true);
      const local = removed.filter(goesAtOnce).map((s) => s.row.id);
      const waiting = removed.filter((s) => !goesAtOnce(s));
      await this.db.contacts.bulkDelete(local);
      await this.db.cards.bulkDelete(local);
      await this.db.contacts.bulkPut(waiting.map((s) => ({ ...s.row, pending: 'deleted' as const })));
      await this.db.cards.bulkPut(waiting.map((s) => ({ ...s.card, revision: nextRevision(s.card) })));
      // Into the trash with their last vCard, book and time (the 10-second undo takes them out again).
      await this.db.trash.bulkPut(trashRows(removed, 'local', Date.now(), mergedInto));
      return removed;
    });
  }

  /**
   * Undo of a delete. A row still waiting to be deleted on the server comes back with the user's
   * card and what the sync knows now (an upload under way may have given it its server href
   * meanwhile), at a new revision, so that upload cannot take it for the row it sent. A synced
   * row waiting so comes back as an edit, compared with the server on the next run. A synced
   * row whose deletion already reached the server comes back as a new card to upload again
   * (otherwise the next sync would remove it once more).
   */
  async restore(items: readonly StoredContact[]): Promise<StoredContact[]> {
    // One transaction: nothing the sync writes can fall between the read and the write.
    return this.db.transaction('rw', this.tables, async () => {
      await this.bump();
      const currentCards = await this.db.cards.bulkGet(items.map((i) => i.row.id));
      const currentRows = await this.db.contacts.bulkGet(items.map((i) => i.row.id));
      const back = items.map((item, i): StoredContact => {
        const now = currentCards[i];
        const revision = Math.max(nextRevision(now), nextRevision(item.card));
        const nowRow = currentRows[i];
        // Already back (the server's newer version came back with the deletion refused): as it is.
        if (now !== undefined && nowRow !== undefined && nowRow.pending !== 'deleted') return { row: nowRow, card: now };
        if (now !== undefined) {
          const { href, etag, base, source, attempted, sentRevision, sentPrint, sentVcard, sentEarlier } = now;
          const sent = item.row.pending === 'created' && href !== '';
          // A synced row comes back to be compared with the server on the next run: another
          // client may have changed it while it waited to be deleted (that version came down and
          // passed it by), and it must not stay here older than there.
          const recheck = item.row.pending === '' && href !== '';
          return {
            row: { ...item.row, pending: sent || recheck ? 'updated' : item.row.pending },
            card: { ...item.card, href, etag, base, revision, ...(source !== undefined ? { source } : {}), ...(attempted === true ? { attempted, sentRevision, sentPrint, sentVcard, ...(sentEarlier !== undefined ? { sentEarlier } : {}) } : {}) },
          };
        }
        if (item.row.bookId === LOCAL_BOOK_ID || item.card.href === '') return { row: item.row, card: { ...item.card, revision } };
        // A conflict with the server's version is over: that version was deleted with it.
        const { conflicts: _c, remote: _r, ...card } = item.card;
        return { row: { ...item.row, pending: 'created', updatedAt: Date.now(), flag: item.row.flag === 'conflict' ? '' : item.row.flag }, card: { ...card, href: '', etag: '', base: '', attempted: false, revision } };
      });
      await this.db.contacts.bulkPut(back.map((s) => s.row));
      await this.db.cards.bulkPut(back.map((s) => s.card));
      await this.db.trash.bulkDelete(items.map((i) => i.row.id));
      return back;
    });
  }

  /**
   * Write many contacts, in batches of one transaction each, each with its versions (and, for an
   * import, its run: every contact with the version it had before). Returns the run's id.
   */
  async putAll(items: readonly StoredContact[], onProgress?: (done: number) => void, record: WriteRecord = { source: 'import' }, batchSize = IMPORT_BATCH): Promise<string | undefined> {
    let runId: string | undefined = record.run?.id;
    const imports = record.source === 'import' && record.run !== undefined;
    for (let i = 0; i < items.length; i += batchSize) {
      const batch = items.slice(i, i + batchSize);
      await this.db.transaction('rw', this.tables, async () => {
        await this.bump();
        const fresh = Math.max(0, Math.min(batch.length, (record.fresh ?? 0) - i));
        const old = [...new Array<undefined>(fresh), ...(fresh === batch.length ? [] : await this.db.cards.bulkGet(batch.slice(fresh).map((s) => s.row.id)))];
        // An import's new contact has no version row (schema 9): its card says which import made it.
        if (imports && runId === undefined) runId = crypto.randomUUID();
        const cards = batch.map((s, j) => (imports && old[j] === undefined ? { ...s.card, imported: { run: runId!, at: stamp(), print: cardPrint(s.card.vcard) } } : s.card));
        await this.db.contacts.bulkPut(batch.map((s) => s.row));
        await this.db.cards.bulkPut(cards);
        // Any other new contact's version is its card's text, written once (in the card).
        const inputs = batch.flatMap((s, j): VersionInput[] => (cards[j] !== s.card ? [] : [{ contactId: s.row.id, bookId: s.row.bookId, vcard: s.card.vcard, source: record.source, by: 'local', before: old[j]?.vcard ?? null, ...(old[j] === undefined ? { textInCard: true } : {}) }]));
        const before = await recordVersions(this.db, inputs);
        if (record.run === undefined || batch.length === 0) return;
        const entries = batch.map((s, j): RunEntry => ({ contactId: s.row.id, change: old[j] === undefined ? 'created' : 'updated', before: before.get(s.row.id) ?? null }));
        runId = await appendRun(this.db, { ...(runId !== undefined ? { id: runId } : {}), bookId: batch[0]!.row.bookId, kind: record.run.kind, ...(record.run.name !== undefined ? { name: record.run.name } : {}), entries, close: true });
      });
      onProgress?.(Math.min(items.length, i + batchSize));
    }
    return runId;
  }

  /** The trash, the latest deletion first. */
  trash(): Promise<TrashRow[]> {
    return this.db.trash.orderBy('deletedAt').reverse().toArray();
  }

  /**
   * Bring contacts back from the trash, each into its book as the undo of its deletion would (a
   * synced contact the server already deleted comes back as a new card to upload); a contact whose
   * book is gone goes to `fallbackBook` (or this computer's) as a new contact. Versions: `restore`.
   */
  async restoreFromTrash(ids: readonly string[], fallbackBook: string, source: VersionSource = 'restore'): Promise<RestoreResult> {
    return this.db.transaction('rw', [...this.tables, this.db.books], async () => {
      const items = (await this.db.trash.bulkGet([...ids])).filter((t): t is TrashRow => t !== undefined);
      const books = new Set((await this.db.books.toCollection().primaryKeys()) as string[]);
      const fallback = books.has(fallbackBook) ? fallbackBook : LOCAL_BOOK_ID;
      const back = await this.restore(items.filter((t) => books.has(t.bookId)).map((t) => ({ row: t.row, card: t.card })));
      const elsewhere = items.filter((t) => !books.has(t.bookId));
      const moved = elsewhere.map((t) => {
        const s = ContactRepo.rowsFrom(t.id, fallback, t.card.vcard, deriveListFields(parseVCard(t.card.vcard)));
        return { row: { ...s.row, favorite: t.row.favorite }, card: t.card.imported === undefined ? s.card : { ...s.card, imported: t.card.imported } };
      });
      if (moved.length > 0) {
        await this.bump();
        await this.db.contacts.bulkPut(moved.map((m) => m.row));
        await this.db.cards.bulkPut(moved.map((m) => m.card));
        await this.db.trash.bulkDelete(moved.map((m) => m.row.id));
      }
      const all = [...back, ...moved];
      await recordVersions(this.db, all.map((b) => ({ contactId: b.row.id, bookId: b.row.bookId, vcard: b.card.vcard, source, by: 'local', before: b.card.vcard })));
      return { changed: all.map((b) => b.row), removed: [], hidden: [], moved: moved.map((m) => m.row.id) };
    });
  }

  /** Out of the trash for good (and their history, unless the contact is still here waiting for its server). */
  async deleteForever(ids: readonly string[]): Promise<void> {
    await this.db.transaction('rw', this.db.trash, this.db.versions, this.db.contacts, () => forget(this.db, ids));
  }

  /** Empty the trash, in batches of one transaction each. */
  async emptyTrash(): Promise<number> {
    let count = 0;
    for (;;) {
      const ids = (await this.db.trash.limit(500).primaryKeys()) as string[];
      if (ids.length === 0) return count;
      await this.deleteForever(ids);
      count += ids.length;
    }
  }

  /** A contact's versions, the newest first. */
  async versionsOf(contactId: string): Promise<VersionRow[]> {
    const rows = await this.db.versions
      .where('[contactId+at]')
      .between([contactId, Dexie.minKey], [contactId, Dexie.maxKey])
      .toArray();
    // An import's contact unchanged since (schema 9): its first version is read from its card.
    const imported = await importedVersionOf(this.db, contactId);
    if (imported !== undefined && !rows.some((v) => v.id === imported.id)) rows.unshift(imported);
    return withText(this.db, rows.reverse());
  }

  /** When each contact's oldest kept version was recorded (undefined: none kept), one key read each. */
  async firstVersionAt(contactIds: readonly string[]): Promise<(number | undefined)[]> {
    return this.db.transaction('r', this.db.versions, this.db.cards, this.db.trash, () =>
      Promise.all(
        contactIds.map(
          async (id) =>
            (
              await this.db.versions
                .where('[contactId+at]')
                .between([id, Dexie.minKey], [id, Dexie.maxKey])
                .first()
            )?.at ?? (await importedVersionOf(this.db, id))?.at,
        ),
      ),
    );
  }

  /** A book's runs (sync runs, imports), the newest first. */
  async runsOf(bookId: string): Promise<RunRow[]> {
    const rows = await this.db.runs
      .where('[bookId+at]')
      .between([bookId, Dexie.minKey], [bookId, Dexie.maxKey])
      .toArray();
    // A sync run's parts (its later batches' entries) joined into it.
    return runsFromRows(rows).reverse();
  }

  /**
   * Inside a write transaction: the contact's card becomes `vcard`, as an edit here (pending for
   * a synced book: the sync merges it the normal way). Undefined when the contact is not here.
   */
  private async writeVersion(id: string, vcard: string, source: VersionSource): Promise<StoredContact | undefined> {
    const row = await this.db.contacts.get(id);
    const card = await this.db.cards.get(id);
    if (row === undefined || card === undefined || row.pending === 'deleted') return undefined;
    vcard = withUidOf(card.vcard, vcard);
    if (sameContent(card.vcard, vcard)) return { row, card };
    await this.bump();
    const stored = ContactRepo.rowsFrom(id, row.bookId, vcard, deriveListFields(parseVCard(vcard)), { row, card });
    await this.db.contacts.put(stored.row);
    await this.db.cards.put(stored.card);
    await recordVersions(this.db, [{ contactId: id, bookId: row.bookId, vcard, source, by: 'local', before: card.vcard }]);
    return stored;
  }

  /** "Restore this version": a new edit with that version's card (its UID stays the card's own). */
  async restoreVersion(contactId: string, versionId: string): Promise<StoredContact | undefined> {
    return this.db.transaction('rw', this.tables, async () => {
      const [row] = await withText(this.db, (await this.db.versions.bulkGet([versionId])).filter((v): v is VersionRow => v !== undefined));
      const version = row ?? (versionId === importedVersionId(contactId) ? await importedVersionOf(this.db, contactId) : undefined);
      if (version === undefined || version.contactId !== contactId) throw new Error('That version is no longer kept.');
      return this.writeVersion(contactId, version.vcard, 'restore');
    });
  }

  /**
   * How many contacts a run touched were changed again after it (an edit here or a server's change,
   * a restore, a later deletion): undoing the run puts those back too, over their later changes,
   * and the window asks first. Read by the contacts' versions: any after the run's last batch,
   * and those between its batches that the run did not make (an edit here during the sync).
   * An undo cut short (`undoneTo`) asks only of the entries it has not undone yet.
   *
   * The versions recorded since the run are read by their `at` index at once when there are few
   * of them (an import's undo: a key count and no row read at all), else each contact's by its
   * own range (an old run in a busy book); the trash by its `deletedAt` index, keys only.
   */
  async changedAfterRun(runId: string): Promise<number> {
    const run = await wholeRun(this.db, runId);
    if (run === undefined || run.undoneAt !== undefined) return 0;
    const entries = run.entries.slice(run.undoneTo ?? 0);
    if (entries.length === 0) return 0;
    const own = run.kind === 'sync' ? 'sync' : 'import';
    // The "as it was" a first change records beside its own is no change.
    const later = (v: VersionRow) => v.source !== 'earlier' && (v.at > (run.lastAt ?? Infinity) || v.source !== own);
    const change = new Map(entries.map((e) => [e.contactId, e.change]));
    const changed = new Set<string>();
    const since = this.db.versions.where('at').aboveOrEqual(run.at);
    if ((await since.count()) <= Math.max(VERSIONS_READ_AT_ONCE, entries.length)) {
      await since.each((v) => {
        if (change.has(v.contactId) && later(v)) changed.add(v.contactId);
      });
    } else {
      for (let i = 0; i < entries.length; i += 500) {
        const chunk = entries.slice(i, i + 500);
        const counts = await Promise.all(
          chunk.map((e) =>
            this.db.versions
              .where('[contactId+at]')
              .between([e.contactId, run.at], [e.contactId, Dexie.maxKey])
              .filter(later)
              .count(),
          ),
        );
        chunk.forEach((e, j) => counts[j]! > 0 && changed.add(e.contactId));
      }
    }
    const trashed = (await this.db.trash.where('deletedAt').above(run.at).primaryKeys()) as string[];
    for (const id of trashed) {
      const c = change.get(id);
      if (c !== undefined && c !== 'deleted') changed.add(id);
    }
    return changed.size;
  }

  /**
   * Undo a whole run: every contact it touched back to the version it had before, as edits here
   * (so they sync): its creates to the trash, its deletions back from the trash, its changes to
   * the previous version. In batches of `size` entries (UNDO_BATCH), one transaction each, each read by
   * key in bulk (contacts, trash, versions) and its creates trashed in one `remove`. Resumable:
   * each batch's transaction records on the run how far the undo got (`undoneTo`), the last one
   * `undoneAt`; an undo cut short (a crash, a closed window) leaves the batches done and the run
   * still to undo, and the next Undo goes on from there. `onProgress`: after each batch, how many
   * entries are done of how many, and what the batches committed so far did (for the list, should
   * a later batch fail).
   */
  async undoRun(runId: string, fallbackBook: string, onProgress?: (done: number, total: number, sofar: RestoreResult) => void, size = UNDO_BATCH): Promise<RestoreResult> {
    const run = await wholeRun(this.db, runId);
    const result: RestoreResult = { changed: [], removed: [], hidden: [], moved: [] };
    if (run === undefined || run.undoneAt !== undefined) return result;
    const total = run.entries.length;
    onProgress?.(run.undoneTo ?? 0, total, result);
    for (;;) {
      const did: RestoreResult = { changed: [], removed: [], hidden: [], moved: [] };
      const done = await this.db.transaction('rw', [...this.tables, this.db.books], async () => {
        // Where the undo stands, read in the transaction that goes on from there.
        const head = await this.db.runs.get(runId);
        if (head === undefined || head.undoneAt !== undefined) return total;
        const start = head.undoneTo ?? 0;
        const chunk = run.entries.slice(start, start + size);
        const rows = await this.db.contacts.bulkGet(chunk.map((e) => e.contactId));
        const toTrash: string[] = [];
        const back: RunEntry[] = [];
        const gone: string[] = [];
        chunk.forEach((e, i) => {
          const row = rows[i];
          const here = row !== undefined && row.pending !== 'deleted';
          if (e.change === 'created') {
            if (here) toTrash.push(e.contactId);
            return;
          }
          back.push(e);
          if (!here) gone.push(e.contactId);
        });
        // Those the run changed or deleted and that left since: back from the trash (those still there).
        if (gone.length > 0) {
          const restored = await this.restoreFromTrash(gone, fallbackBook, 'undo');
          did.changed.push(...restored.changed);
          did.moved.push(...restored.moved);
        }
        const befores = back.flatMap((e) => (e.before === null ? [] : [e.before]));
        const versions = new Map((await withText(this.db, (await this.db.versions.bulkGet(befores)).filter((v): v is VersionRow => v !== undefined))).map((v) => [v.id, v]));
        for (const e of back) {
          const version = e.before === null ? undefined : versions.get(e.before);
          const stored = version === undefined ? undefined : await this.writeVersion(e.contactId, version.vcard, 'undo');
          if (stored !== undefined) did.changed.push(stored.row);
        }
        if (toTrash.length > 0) {
          const removed = await this.remove(toTrash);
          did.removed.push(...toTrash);
          did.hidden.push(...hiddenRows(removed));
        }
        const next = start + chunk.length;
        await this.db.runs.update(runId, next >= total ? { undoneAt: Date.now(), undoneTo: total } : { undoneTo: next });
        return next;
      });
      // Committed: what this batch did joins what the undo did.
      for (const k of ['changed', 'removed', 'hidden', 'moved'] as const) (result[k] as unknown[]).push(...did[k]);
      onProgress?.(Math.min(done, total), total, result);
      if (done >= total) return result;
    }
  }

  /** Every book's stored group setting (meta `groups:<bookId>`). */
  async groupSettings(): Promise<Map<string, BookGroupSetting>> {
    const rows = await this.db.meta.where('key').startsWith('groups:').toArray();
    return new Map(rows.map((r) => [r.key.slice('groups:'.length), r.value as BookGroupSetting]));
  }

  /** Every Google book's labels (meta `labels:<bookId>`). */
  async storedLabels(): Promise<Map<string, StoredLabel[]>> {
    const rows = await this.db.meta.where('key').startsWith('labels:').toArray();
    return new Map(rows.map((r) => [r.key.slice('labels:'.length), (r.value as { labels: StoredLabel[] }).labels]));
  }

  /** Every Google book's People API access as its last labels sync found it. */
  async storedLabelAccess(): Promise<Map<string, LabelAccess>> {
    const rows = await this.db.meta.where('key').startsWith('labels:').toArray();
    return new Map(rows.flatMap((r) => {
      const access = (r.value as { access?: LabelAccess }).access;
      return access === undefined ? [] : [[r.key.slice('labels:'.length), access] as const];
    }));
  }

  saveGroupSetting(bookId: string, setting: BookGroupSetting): Promise<unknown> {
    return this.db.meta.put({ key: `groups:${bookId}`, value: setting });
  }

  /**
   * A group action's writes (shared/groups edits), all in one transaction: card patches are edits
   * like the editor's (pending for the sync, three-way merged there), a new group card is a new
   * card, a group card deleted goes as a contact deleted would, and the setting is saved. Contacts
   * are never deleted here. Returns the rows to show and the ids that left the list.
   */
  async applyGroupChanges(bookId: string, changes: readonly GroupChange[]): Promise<{ changed: ContactRow[]; removed: string[] }> {
    return this.db.transaction('rw', this.tables, async () => {
      await this.bump();
      const touched: string[] = [];
      for (const c of changes) {
        if (c.kind === 'update-card') {
          const row = await this.db.contacts.get(c.id);
          const card = await this.db.cards.get(c.id);
          if (row === undefined || card === undefined || row.bookId !== bookId) throw new Error(`contact ${c.id} is gone`);
          const stored = ContactRepo.rows(c.id, bookId, parseVCard(c.vcard), { row, card });
          await this.db.contacts.put(stored.row);
          await this.db.cards.put(stored.card);
          await recordVersions(this.db, [{ contactId: c.id, bookId, vcard: stored.card.vcard, source: 'edit', by: 'local', before: card.vcard }]);
          touched.push(c.id);
        } else if (c.kind === 'create-card') {
          const stored = ContactRepo.rows(crypto.randomUUID(), bookId, parseVCard(c.vcard));
          await this.db.contacts.put(stored.row);
          await this.db.cards.put(stored.card);
          touched.push(stored.row.id);
        } else if (c.kind === 'delete-card') {
          const row = await this.db.contacts.get(c.id);
          if (row === undefined) continue;
          if (row.groupCard === '' || row.groupCard === undefined) throw new Error('A group action never deletes a contact.');
          await this.remove([c.id]);
          touched.push(c.id);
        } else if (c.kind === 'setting') {
          await this.db.meta.put({ key: `groups:${bookId}`, value: c.setting });
        } else if (c.kind === 'label') {
          // A Google label (the labels sync sends it): its record, the rest of the book's as it was.
          const key = `labels:${bookId}`;
          const rec = ((await this.db.meta.get(key))?.value as { labels: StoredLabel[] } | undefined) ?? { state: EMPTY_PEOPLE_STATE, labels: [], people: [] };
          const labels = rec.labels.some((l) => l.id === c.label.id) ? rec.labels.map((l) => (l.id === c.label.id ? c.label : l)) : [...rec.labels, c.label];
          // A label made and deleted here before the server ever had it: gone.
          await this.db.meta.put({ key, value: { ...rec, labels: labels.filter((l) => !(l.deleted && l.remote === null)) } });
        }
      }
      const after = await this.db.contacts.bulkGet(touched);
      const changed: ContactRow[] = [];
      const removed: string[] = [];
      after.forEach((r, i) => (r === undefined ? removed.push(touched[i]!) : changed.push(r)));
      return { changed, removed };
    });
  }

  /** Contacts with a given UID in a book (not indexed since schema 6: the window finds them in its list). */
  byUid(bookId: string, uid: string): Promise<ContactRow[]> {
    return this.db.contacts.where('bookId').equals(bookId).filter((r) => r.uid === uid).toArray();
  }

  async cardsOf(ids: readonly string[]): Promise<VCard[]> {
    const cards = await this.db.cards.bulkGet([...ids]);
    return cards.filter((c): c is CardRow => c !== undefined).map((c) => parseVCard(c.vcard));
  }
}

/**
 * `vcard` with the UID `current` has: a version holds the card's content, not its identity (RFC
 * 6350 §6.7.6). A server that gave the card its own UID (Google, Workspace) had replaced the one
 * an older version holds, and CardDAV servers key cards by UID (`no-uid-conflict`, RFC 6352), so
 * restoring it would be an edit nobody made, or a refused one.
 */
export function withUidOf(current: string, vcard: string): string {
  const uidOf = (c: VCard) => c.properties.find((p) => p.name.toUpperCase() === 'UID');
  const now = uidOf(parseVCard(current));
  const card = parseVCard(vcard);
  const old = uidOf(card);
  if (now === undefined || old === undefined || now.value === old.value) return vcard;
  return serializeVCard({ properties: card.properties.map((p) => (p === old ? { ...p, value: now.value } : p)) });
}
