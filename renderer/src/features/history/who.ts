/** Who made a change or a deletion, and in which book, in the user's words. */
import type { AccountInfo } from '../../../../shared/sync/types';
import type { BookRow, TrashRow } from '../../db/schema';
import { LOCAL_BOOK_ID } from '../../db/schema';
import type { Translate } from '../../i18n';
import { accountHost } from '../accounts/AccountPanel';

export function bookName(t: Translate, books: readonly BookRow[], bookId: string): string {
  if (bookId === LOCAL_BOOK_ID) return t('books.local');
  return books.find((b) => b.id === bookId)?.name || t('history.server');
}

/** The account whose server holds a book: "user · host", or the host alone. */
export function serverName(t: Translate, accounts: readonly AccountInfo[], bookId: string): string {
  const account = accounts.find((a) => a.books.some((b) => b.id === bookId));
  if (account === undefined) return t('history.server');
  return account.user === '' ? accountHost(account) : `${account.user} · ${accountHost(account)}`;
}

/** A moment in the UI's language and the OS's region (Solar Hijri in Persian). */
export function moment(locale: string, at: number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
}

/**
 * The trash's order: the latest deletion first; contacts deleted at one time (a sync's, a
 * selection's) by name in the UI language, so their order never changes between two looks.
 */
export function trashOrder(rows: readonly TrashRow[], locale: string): TrashRow[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return [...rows].sort((a, b) => b.deletedAt - a.deletedAt || collator.compare(a.row.displayName, b.row.displayName) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
