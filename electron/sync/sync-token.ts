/**
 * What a refused sync-collection means. Servers name an invalid token in several ways (RFC 6578
 * §3.2's DAV:valid-sync-token, Google's undocumented 4xx forms); only those start a full listing.
 * A 5xx is the server's own trouble, except on servers that answer a token they do not know with
 * one (Xandikos: 500): there a second try and a probe from the server's current token tell which.
 */
import type { CardDavClient, SyncChanges } from '../dav/client';
import { DavError, Forbidden, ServerError } from '../dav/errors';
import type { ServerProfile } from './profiles';

/** Every known answer meaning "this sync token is no good": start over with a full listing. */
export function isInvalidToken(e: unknown): boolean {
  if (!(e instanceof DavError)) return false;
  if (e instanceof Forbidden) return e.precondition === 'valid-sync-token';
  // Google has been seen answering 409, 410 and 412 (with DAV:valid-sync-token), and a plain 400.
  if (e.status === 400) return true;
  return [409, 410, 412].includes(e.status) && /valid-sync-token/.test(e.detail);
}

/**
 * The server answered from a point before ours: tokens that count changes (DAViCal's `data:,N`,
 * Google's `…/sync/N`) went backwards, so the server no longer knows our token (its history was
 * reset or restored) and DAViCal answers such a token with a listing that shows no deletions.
 */
export function tokenWentBack(sent: string, got: string | null): boolean {
  if (got === null) return false;
  const a = /^(.*\D)(\d+)$/.exec(sent);
  const b = /^(.*\D)(\d+)$/.exec(got);
  return a !== null && b !== null && a[1] === b[1] && BigInt(b[2]!) < BigInt(a[2]!);
}

/**
 * After a 5xx on a sync-collection from `token`: the answer of a second try, or, where the server
 * may mean an invalid token by it and answers a probe from its current token, 'invalid'. Anything
 * else rethrows the server's error (soft: the run backs off and tries again later).
 */
export async function retryAfterServerError(client: CardDavClient, bookUrl: string, token: string, withData: boolean, profile: ServerProfile, first: unknown): Promise<SyncChanges | 'invalid'> {
  if (!(first instanceof ServerError) || token === '' || !profile.serverErrorMayMeanInvalidToken) throw first;
  try {
    return await client.syncCollection(bookUrl, token, withData);
  } catch (again) {
    if (!(again instanceof ServerError)) throw again;
  }
  // The same answer twice. If the server answers sync-collection from a token of its own, what
  // it cannot read is ours.
  const current = await client.syncToken(bookUrl).catch(() => null);
  if (current === null || current === token) throw first;
  try {
    await client.syncCollection(bookUrl, current);
  } catch {
    throw first;
  }
  return 'invalid';
}
