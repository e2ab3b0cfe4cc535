/**
 * How requests for an account are made: its password or its Google tokens (refreshed, and saved
 * sealed after each refresh), the client for its kind of server, and the Google OAuth client and
 * endpoints every Google request and sign-in uses.
 */
import { CardinalError } from '../../shared/errors';
import type { AccountInfo } from '../../shared/sync/types';
import { GoogleAuth, TokenSource, type GoogleTokens } from '../auth/google';
import { googleClientFromEnv, googleEndpoints, type GoogleClientConfig, type GoogleEndpoints } from '../auth/google-config';
import { CardDavClient } from '../dav/client';
import { DavHttp, type Auth, type DiscoveryOrigins } from '../dav/http';
import { GDataClient } from '../gdata/client';
import { PeopleClient } from '../people/client';
import type { AccountStore } from './accounts';
import { GOOGLE, STANDARD, type ServerProfile } from './profiles';

export interface ConnectionOptions {
  /** fetch for every request (tests count or break requests). */
  fetch?: typeof fetch;
  /** Google's endpoints and OAuth client (default: the `CARDINAL_GOOGLE_*` environment, then the
   * client the user saved). */
  google?: { endpoints?: GoogleEndpoints; client?: GoogleClientConfig | null };
}

/** The origins an account works with: its books' and the server address it was found at. */
export function accountOrigins(account: AccountInfo): string[] {
  const urls = [...account.books.map((b) => b.url), account.serverUrl].filter((u) => /^https?:\/\//i.test(u));
  return [...new Set(urls.map((u) => new URL(u).origin))];
}

/** Bearer authentication from a token source: a refresh and one more try after a 401. */
export function bearer(source: TokenSource): Auth {
  return { kind: 'bearer', token: () => source.accessToken(), refresh: () => source.forceRefresh() };
}

export class Connections {
  constructor(
    private readonly accounts: AccountStore,
    private readonly opts: ConnectionOptions,
  ) {}

  endpoints(): GoogleEndpoints {
    return this.opts.google?.endpoints ?? googleEndpoints();
  }

  /** The OAuth client: the environment's (or the one tests give), else the one the user saved. */
  async googleClient(): Promise<GoogleClientConfig | null> {
    const fromEnv = this.opts.google?.client !== undefined ? this.opts.google.client : googleClientFromEnv();
    if (fromEnv !== null) return fromEnv;
    const saved = await this.accounts.googleClient();
    return saved !== null && saved.clientId !== '' ? { ...saved, source: 'settings' } : null;
  }

  async googleAuth(): Promise<GoogleAuth> {
    const c = await this.googleClient();
    if (c === null) throw new CardinalError('not-configured', 'No Google OAuth client is set up. Enter your own client ID, or start Cardinal with CARDINAL_GOOGLE_CLIENT_ID.');
    return new GoogleAuth(this.endpoints(), c, this.opts.fetch);
  }

  /** How requests for this account authenticate: its password, or its Google tokens (saved sealed when refreshed). */
  async accountAuth(account: AccountInfo): Promise<Auth> {
    const secret = await this.accounts.password(account.id);
    if (account.kind === 'carddav') return { kind: 'basic', user: account.user, password: secret };
    return bearer(new TokenSource(await this.googleAuth(), JSON.parse(secret) as GoogleTokens, (t) => this.accounts.setSecret(account.id, JSON.stringify(t))));
  }

  /**
   * A CardDAV client with a password, before there is an account (discovery): on the origin the
   * user typed, and on the other origins the user let discovery move to (`discovery`).
   */
  basicClient(account: { user: string; allowInsecure: boolean }, password: string, origin: string, discovery: DiscoveryOrigins): CardDavClient {
    return new CardDavClient(
      new DavHttp({ auth: { kind: 'basic', user: account.user, password }, allowInsecure: account.allowInsecure, origins: [origin], discovery, fetch: this.opts.fetch }),
    );
  }

  /** A CardDAV client on Google tokens, before there is an account (sign-in): Google's CardDAV origin only. */
  bearerClient(source: TokenSource): CardDavClient {
    return new CardDavClient(new DavHttp({ auth: bearer(source), origins: [this.endpoints().carddav], fetch: this.opts.fetch }));
  }

  /** How this account's requests are made, and how its server departs from the RFCs. */
  async cardDav(account: AccountInfo): Promise<{ client: CardDavClient; profile: ServerProfile }> {
    const client = new CardDavClient(new DavHttp({ auth: await this.accountAuth(account), allowInsecure: account.allowInsecure, origins: accountOrigins(account), fetch: this.opts.fetch }));
    return { client, profile: account.kind === 'carddav' ? STANDARD : GOOGLE };
  }

  /** Google's People API for a Google account's labels (its own origin only). */
  async people(account: AccountInfo): Promise<PeopleClient> {
    const base = this.endpoints().people;
    return new PeopleClient(new DavHttp({ auth: await this.accountAuth(account), origins: [new URL(base).origin], fetch: this.opts.fetch }), { base });
  }

  /** The Domain Shared Contacts feed of a Workspace domain (its answers may be large: 10 MB). */
  sharedContacts(domain: string, auth: Auth): GDataClient {
    const http = new DavHttp({ auth, origins: [this.endpoints().sharedContacts], fetch: this.opts.fetch, maxResponseBytes: 10 * 1024 * 1024 + 65_536 });
    return new GDataClient(http, this.endpoints().sharedContacts, domain);
  }
}
