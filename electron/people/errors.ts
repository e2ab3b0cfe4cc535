/**
 * The People API's refusals as errors that say what happened. Google answers with a google.rpc
 * Status body (`{error: {code, status, message, details: [{reason}]}}`); the HTTP status alone
 * does not tell an expired sync token from a bad request, nor a missing scope from a disabled API.
 */
import { CardinalError } from '../../shared/errors';
import { DavError, ServiceUnavailable } from '../dav/errors';
import { errorBodySchema } from './types';

/** A sync token Google no longer takes (7 days after its full listing): list everything again. */
export class ExpiredSyncToken extends Error {
  override name = 'ExpiredSyncToken';
}

/**
 * The account cannot use the People API as it is: the sign-in lacks the contacts scope (sign in
 * again), or the OAuth client's project has the API off. Labels wait; CardDAV goes on.
 */
export class PeopleRefused extends CardinalError {
  constructor(
    readonly refusal: 'scope-missing' | 'api-disabled',
    message: string,
  ) {
    super('forbidden', message);
    this.name = 'PeopleRefused';
  }
}

/** Google's status and reasons from an error body, if it is one. */
export function googleStatus(e: DavError): { status: string; message: string; reasons: string[] } {
  try {
    const body = errorBodySchema.parse(JSON.parse(e.detail));
    return {
      status: body.error.status ?? '',
      message: body.error.message ?? '',
      reasons: (body.error.details ?? []).map((d) => d.reason ?? '').filter((r) => r !== ''),
    };
  } catch {
    return { status: '', message: e.detail.slice(0, 200), reasons: [] };
  }
}

/** A failed call's error, worded; `withToken` when the request carried a sync token. */
export function peopleError(e: unknown, withToken = false): unknown {
  if (!(e instanceof DavError) || e.status === 0) return e;
  const g = googleStatus(e);
  if (withToken && (g.reasons.includes('EXPIRED_SYNC_TOKEN') || e.status === 410 || (e.status === 400 && /sync token/i.test(g.message)))) {
    return new ExpiredSyncToken(`Google no longer takes this sync token (${e.status})`);
  }
  if (e.status === 403) {
    if (g.reasons.includes('ACCESS_TOKEN_SCOPE_INSUFFICIENT') || /insufficient authentication scopes/i.test(g.message)) {
      return new PeopleRefused('scope-missing', 'This Google sign-in does not allow Cardinal to read labels. Sign in again and allow access to your contacts.');
    }
    if (g.reasons.includes('SERVICE_DISABLED') || g.reasons.includes('accessNotConfigured') || /has not been used in project|is disabled/i.test(g.message)) {
      return new PeopleRefused('api-disabled', 'The People API is not enabled for this OAuth client’s project in the Google Cloud console, so labels cannot sync.');
    }
    if (g.reasons.includes('RATE_LIMIT_EXCEEDED') || g.status === 'RESOURCE_EXHAUSTED') {
      return new ServiceUnavailable(`Google’s quota for this client is used up for now (${e.status})`, e.status, e.url, null);
    }
  }
  return e;
}
