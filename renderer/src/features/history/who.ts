/** Who made a change or a deletion, and in which book, in the user's words. */
import type { AccountInfo } from '../../../../shared/sync/types';
import type { BookRow } from '../../db/schema';
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
