/**
 * Every write to the store goes through here, each in one transaction: the vCard, its list fields
 * and its pending mark (the offline queue) together, so a crash never leaves one without the other.
 * Large writes are batched (IndexedDB in Chromium takes ~5–10k rows/s).
 */
import { deriveListFields, type ListFields } from '../../../shared/book/derive';
import { EMPTY_PEOPLE_STATE, type LabelAccess, type StoredLabel } from '../../../shared/groups/labels';
import type { BookGroupSetting, GroupChange } from '../../../shared/groups/types';
import { withLocalLines } from '../../../shared/sync/conflicts';
import { parseVCard, serializeVCard, type VCard } from '../../../shared/vcard';
import { CardinalDB, LOCAL_BOOK_ID, type BookRow, type CardRow, type ContactRow, type PendingMark } from './schema';

export const BATCH_SIZE = 2000;

/** A card's next revision: every local write moves it on (see CardRow.revision). */
export function nextRevision(card: Pick<CardRow, 'revision'> | undefined): number {
  return (card?.revision ?? 0) + 1;
}
/** Rows in the list head: more than any window shows at once. */
const HEAD_ROWS = 200;

export interface StoredContact {
  row: ContactRow;
  card: CardRow;
}

/**
 * The list snapshot: every row's list fields in list order, stored as one value, so the next start
 * reads one record instead of 50,000. It is trusted only if no write happened after it: every write
 * transaction bumps `generation`, and the snapshot records the generation it reflects.
 */
interface ListSnapshot {
  generation: number;
  rows: string;
}

export class ContactRepo {
  /** Writes committed so far (mirrors meta 'generation'); see ListSnapshot. */
  generation = 0;

  constructor(readonly db: CardinalDB) {}

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
    return JSON.parse(value.rows) as ContactRow[];
  }

  /**
   * The first screenfuls of the last snapshot and the total count, if still exact: enough to paint
   * the list at once while the whole snapshot loads.
   */
  async listHead(): Promise<{ rows: ContactRow[]; total: number } | null> {
    const [gen, head] = await Promise.all([this.db.meta.get('generation'), this.db.meta.get('list-head')]);
    const value = head?.value as (ListSnapshot & { total: number }) | undefined;
    if (value === undefined || value.generation !== ((gen?.value as number | undefined) ?? 0)) return null;
    return { rows: JSON.parse(value.rows) as ContactRow[], total: value.total };
  }

  /** Save the list as it is now (called when idle after changes). */
  async saveListSnapshot(rows: readonly ContactRow[]): Promise<void> {
    const generation = this.generation;
    await this.db.transaction('rw', this.db.meta, async () => {
      await this.db.meta.put({ key: 'list', value: { generation, rows: JSON.stringify(rows) } satisfies ListSnapshot });
      await this.db.meta.put({ key: 'list-head', value: { generation, total: rows.length, rows: JSON.stringify(rows.slice(0, HEAD_ROWS)) } });
    });
  }

  static async open(name?: string): Promise<ContactRepo> {
    const db = new CardinalDB(name);
    await db.open();
    const repo = new ContactRepo(db);
    await repo.ensureLocalBook();
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

  /** The same from a card already serialised and derived (the import worker did that work). */
  static rowsFrom(id: string, bookId: string, vcard: string, fields: ListFields, previous?: StoredContact): StoredContact {
    const synced = bookId !== LOCAL_BOOK_ID;
    const pending: PendingMark = !synced ? '' : previous === undefined || previous.row.pending === 'created' ? 'created' : 'updated';
    const prev = previous?.card;
    // An edit keeps what the sync still needs: an open conflict (the server's side of it), the
    // mark of a create already sent, and the server's own representation (GData: the entry its
    // next PUT patches). A refusal is cleared: the edit may have fixed it. The revision moves on,
    // so an upload under way can tell that the row is no longer what it sent.
    const conflict = prev?.conflicts === undefined ? {} : { conflicts: withLocalLines(prev.conflicts, vcard), remote: prev.remote };
    return {
      row: {
        id,
        bookId,
        ...fields,
        favorite: previous?.row.favorite ?? 0,
        pending,
        flag: prev?.conflicts === undefined ? '' : 'conflict',
        updatedAt: Date.now(),
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
      },
    };
  }

  /** The user settled a conflict with this card: it is uploaded on the next sync. */
  resolveConflict(id: string, card: VCard): Promise<StoredContact> {
    return this.rewrite(id, card, true);
  }

  async create(bookId: string, card: VCard): Promise<StoredContact> {
    const stored = ContactRepo.rows(crypto.randomUUID(), bookId, card);
    await this.putAll([stored]);
    return stored;
  }

  /** Save an edited card over an existing contact (its list fields follow). */
  update(id: string, card: VCard): Promise<StoredContact> {
    return this.rewrite(id, card, false);
  }

  private async rewrite(id: string, card: VCard, settlesConflict: boolean): Promise<StoredContact> {
    return this.db.transaction('rw', this.db.contacts, this.db.cards, this.db.meta, async () => {
      await this.bump();
      const row = await this.db.contacts.get(id);
      const old = await this.db.cards.get(id);
      if (row === undefined || old === undefined) throw new Error(`contact ${id} is gone`);
      const { conflicts: _c, remote: _r, ...settled } = old;
      const stored = ContactRepo.rows(id, row.bookId, card, { row, card: settlesConflict ? settled : old });
      await this.db.contacts.put(stored.row);
      await this.db.cards.put(stored.card);
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
   * Returns what was there, so the caller can offer undo.
   */
  async remove(ids: readonly string[]): Promise<StoredContact[]> {
    return this.db.transaction('rw', this.db.contacts, this.db.cards, this.db.meta, async () => {
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
    return this.db.transaction('rw', this.db.contacts, this.db.cards, this.db.meta, async () => {
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
      return back;
    });
  }

  /** Write many contacts, in batches of one transaction each. */
  async putAll(items: readonly StoredContact[], onProgress?: (done: number) => void): Promise<void> {
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      const batch = items.slice(i, i + BATCH_SIZE);
      await this.db.transaction('rw', this.db.contacts, this.db.cards, this.db.meta, async () => {
        await this.bump();
        await this.db.contacts.bulkPut(batch.map((s) => s.row));
        await this.db.cards.bulkPut(batch.map((s) => s.card));
      });
      onProgress?.(Math.min(items.length, i + BATCH_SIZE));
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
    return this.db.transaction('rw', this.db.contacts, this.db.cards, this.db.meta, async () => {
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

  /** Contacts with a given UID in a book (import de-duplication). */
  byUid(bookId: string, uid: string): Promise<ContactRow[]> {
    return this.db.contacts.where('uid').equals(uid).filter((r) => r.bookId === bookId).toArray();
  }

  async cardsOf(ids: readonly string[]): Promise<VCard[]> {
    const cards = await this.db.cards.bulkGet([...ids]);
    return cards.filter((c): c is CardRow => c !== undefined).map((c) => parseVCard(c.vcard));
  }
}
