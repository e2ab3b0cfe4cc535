/**
 * What the user can do, each one: write to the store (one transaction), then update the in-memory
 * list, then the UI. The list changes only after the write has committed.
 */
import { applyEdit, newCard, parseVCard, toContact, type Contact } from '../../shared/vcard';
import { LOCAL_BOOK_ID } from './db/schema';
import type { Services } from './services';
import { favoriteTargets, isFavorite } from './store/links';
import { useUi, type ListFilter } from './store/ui';
import type { Translate } from './i18n';

/** After a change to a synced book, tell the main process; it syncs once the edits pause. */
export function syncSoon(bookIds: readonly string[]): void {
  for (const b of new Set(bookIds)) if (b !== LOCAL_BOOK_ID) void window.cardinal.localChanged(b).catch(() => {});
}

/** The book a new contact goes to: the book in view, else the one the settings name, else this computer's. */
export function targetBook(filter: ListFilter, defaultBook: string | null, known: ReadonlySet<string>): string {
  if (filter.kind === 'book') return filter.id;
  if (filter.kind === 'group') return filter.bookId;
  return defaultBook !== null && known.has(defaultBook) ? defaultBook : LOCAL_BOOK_ID;
}

export async function createContact(s: Services, after: Contact, bookId: string): Promise<string> {
  const book = await s.repo.db.books.get(bookId);
  // Every new card carries a UID (servers refuse a card without one); the editor's form has none.
  const card = newCard(`urn:uuid:${crypto.randomUUID()}`, book?.version ?? '4.0');
  const before = toContact(card);
  const edited = applyEdit(card, before, { ...after, uid: before.uid });
  const stored = await s.repo.create(bookId, edited);
  s.index.upsert([stored.row]);
  useUi.getState().select([stored.row.id]);
  syncSoon([bookId]);
  return stored.row.id;
}

/** The contact being saved is no longer there (deleted in another window, or by a sync). */
export class ContactGone extends Error {
  override name = 'ContactGone';
  constructor() {
    super('This contact was deleted meanwhile.');
  }
}

/** Save an edit as a patch of the stored card: properties the UI does not show stay untouched. */
export async function saveContact(s: Services, id: string, before: Contact, after: Contact): Promise<void> {
  const current = await s.repo.getCard(id);
  if (current === undefined) throw new ContactGone();
  const edited = applyEdit(parseVCard(current.vcard), before, after);
  const stored = await s.repo.update(id, edited);
  s.index.upsert([stored.row]);
  useUi.getState().setMode('view');
  syncSoon([stored.row.bookId]);
}

export async function deleteContacts(s: Services, ids: readonly string[]): Promise<void> {
  const names = ids.map((id) => s.index.get(id)?.displayName ?? '');
  syncSoon(ids.map((id) => s.index.get(id)?.bookId ?? LOCAL_BOOK_ID));
  const removed = await s.repo.remove(ids);
  s.index.remove(ids);
  // Rows of a synced book stay, hidden, as deletions waiting for the server.
  const waiting = removed.filter((r) => r.row.bookId !== LOCAL_BOOK_ID && r.row.pending !== 'created');
  if (waiting.length > 0) s.index.upsert(waiting.map((r) => ({ ...r.row, pending: 'deleted' as const })));
  const ui = useUi.getState();
  ui.select([]);
  const message = (tr: Translate) => (ids.length === 1 ? tr('toast.deletedOne', { name: names[0] || tr('list.noName') }) : tr('toast.deleted', { count: ids.length }));
  // The keyboard stays in the list (the deleted row's button, if it had focus, is gone).
  if (document.activeElement === document.body) document.getElementById('contact-list')?.focus();
  ui.showToast(message, async () => {
    const back = await s.repo.restore(removed);
    s.index.upsert(back.map((r) => r.row));
    syncSoon(back.map((r) => r.row.bookId));
    useUi.getState().select(removed.map((r) => r.row.id));
  });
}

/** Star or unstar a contact; a linked contact is one person: every card of it (store/links.ts `isFavorite`). */
export async function toggleFavorite(s: Services, id: string): Promise<void> {
  const row = s.index.get(id);
  if (row === undefined) return;
  const get = (x: string) => s.index.get(x);
  const targets = favoriteTargets([id], s.links.linkOf);
  const rows = await s.repo.setFavorites(targets, !isFavorite(id, s.links.linkOf, get));
  s.index.upsert(rows);
}
