/**
 * Google's address book: where it is found, and following it when it moves. Google names it by a
 * redirect from its well-known URL, which is asked again every few weeks, never cached for ever.
 */
import type { AccountInfo, ServerBook } from '../../shared/sync/types';
import { SignInRequired } from '../auth/google';
import type { CardDavClient } from '../dav/client';
import { Forbidden, NetworkError, Unauthorized } from '../dav/errors';
import { NS } from '../dav/xml';
import type { StorePort } from '../core/store-port';
import type { AccountStore } from './accounts';

/** The well-known redirect is found again after 14 to 28 days (per account). */
const REDISCOVER_DAYS = 14;

/**
 * Discovery from the well-known URL (its 301 followed); where the principal or home set lookups
 * fail, the redirect target itself is the address book.
 */
export async function googleBooks(client: CardDavClient, wellKnown: string): Promise<ServerBook[]> {
  try {
    const books = await client.discover(wellKnown);
    if (books.length > 0) return books.map((b) => ({ url: b.url, name: b.displayName || 'Google Contacts' }));
  } catch (e) {
    if (e instanceof Unauthorized || e instanceof Forbidden || e instanceof NetworkError || e instanceof SignInRequired) throw e;
  }
  const r = await client.propfind(wellKnown, 0, [[NS.DAV, 'resourcetype']]);
  return [{ url: r.url.endsWith('/') ? r.url : `${r.url}/`, name: 'Google Contacts' }];
}

export interface RediscoverDeps {
  readonly accounts: AccountStore;
  readonly store: StorePort;
  readonly log?: (line: string) => void;
}

/**
 * The well-known URL asked again when this account's weeks are up: when the address book moved,
 * the local copies follow it (hrefs re-based, a full resync by ETag), so nothing is fetched twice
 * and no pending edit is lost. Returns the account as it is now.
 */
export async function rediscover(deps: RediscoverDeps, account: AccountInfo, client: CardDavClient): Promise<AccountInfo> {
  const jitter = Number.parseInt(account.id.replace(/[^0-9a-f]/gi, '').slice(0, 4) || '0', 16) % REDISCOVER_DAYS;
  if (Date.now() - (account.discoveredAt ?? 0) < (REDISCOVER_DAYS + jitter) * 86_400_000) return account;
  const found = await googleBooks(client, account.serverUrl);
  const target = found[0];
  let books = account.books;
  if (target !== undefined && books.length === 1 && books[0]!.url !== target.url) {
    const old = books[0]!;
    deps.log?.(`google: the address book moved to ${new URL(target.url).pathname}`);
    await deps.store.request('rebaseBook', old.id, decodeURIComponent(new URL(old.url).pathname), decodeURIComponent(new URL(target.url).pathname));
    books = [{ ...old, url: target.url }];
  }
  const next: AccountInfo = { ...account, books, available: found.length > 0 ? found : account.available, discoveredAt: Date.now() };
  await deps.accounts.update(next);
  return next;
}
