/**
 * Signing in with Google in the system browser (RFC 8252: a loopback redirect), for a Google
 * Contacts account (CardDAV) or a Workspace domain's shared contacts (GData), new or again; and the
 * OAuth client those sign-ins use. One sign-in waits for the browser at a time.
 */
import { CardinalError } from '../../shared/errors';
import type { AccountInfo, GoogleSetup } from '../../shared/sync/types';
import { TokenSource, type GoogleAuth, type SignInResult } from '../auth/google';
import { GOOGLE_SCOPES } from '../auth/google-config';
import type { Platform } from '../platform/platform';
import type { AccountStore } from './accounts';
import { bookIdFor, type AccountHooks, type AccountsService } from './accounts-service';
import { bearer, type Connections } from './connections';
import { toUserError } from './failures';
import { googleBooks } from './google-books';

export interface GoogleSignInOptions {
  readonly platform: Platform;
  readonly accounts: AccountStore;
  readonly service: AccountsService;
  readonly connections: Connections;
  readonly hooks: AccountHooks;
  /** How long the browser may take. */
  readonly timeoutMs?: number;
}

export class GoogleSignIn {
  /** The sign-in waiting for the browser, if any. */
  private waiting: { cancel: () => void } | null = null;

  constructor(private readonly opts: GoogleSignInOptions) {}

  async setup(): Promise<GoogleSetup> {
    const c = await this.opts.connections.googleClient();
    return { configured: c !== null, source: c?.source ?? null, clientId: c?.clientId ?? '' };
  }

  /** The user's own OAuth client (used when the environment names none). */
  async setClient(clientId: string, clientSecret: string): Promise<GoogleSetup> {
    await this.opts.accounts.setGoogleClient(clientId.trim(), clientSecret.trim());
    return this.setup();
  }

  /** The dialog's Cancel: stop waiting for the browser. */
  cancel(): void {
    this.waiting?.cancel();
  }

  /**
   * A new account (its address book found from the well-known URL), or, given an account, the same
   * account again (new tokens, everything local kept). Resolves once the browser came back to the
   * loopback listener and the books are known.
   */
  async signIn(accountId: string | null): Promise<AccountInfo> {
    const { connections, accounts, hooks } = this.opts;
    accounts.assertCanKeepSecrets(); // before the browser, not after it
    const auth = await connections.googleAuth();
    const existing = accountId === null ? undefined : this.opts.service.find(accountId);
    // Google Contacts: CardDAV for the cards, and the People API (`contacts`) for the labels,
    // which Google's CardDAV does not carry; without the latter, labels stay on this computer.
    const result = existing?.kind === 'gdata' ? await this.browserSignIn(auth, GOOGLE_SCOPES.sharedContacts, existing.user) : await this.browserSignIn(auth, GOOGLE_SCOPES.carddav, existing?.user, [GOOGLE_SCOPES.contacts]);
    const tokens = result.tokens;
    if (existing !== undefined) {
      if (existing.user.toLowerCase() !== result.email.toLowerCase()) {
        await auth.revoke(tokens).catch(() => {});
        throw new CardinalError('invalid-argument', `You signed in as ${result.email}, but this account is ${existing.user}. Sign in again with ${existing.user}.`);
      }
      await accounts.setSecret(existing.id, JSON.stringify(tokens));
      hooks.resetBackoff(existing.id);
      hooks.syncNow(existing.id);
      return existing;
    }
    const twin = accounts.list().find((a) => a.kind === 'google' && a.user.toLowerCase() === result.email.toLowerCase());
    if (twin !== undefined) {
      await accounts.setSecret(twin.id, JSON.stringify(tokens));
      hooks.resetBackoff(twin.id); // a new grant: earlier failures no longer count
      hooks.syncNow(twin.id);
      return twin;
    }
    let current = tokens;
    const source = new TokenSource(auth, tokens, async (t) => {
      current = t;
    });
    const books = await googleBooks(connections.bearerClient(source), connections.endpoints().carddav).catch((e: unknown) => Promise.reject(toUserError(e)));
    const id = globalThis.crypto.randomUUID();
    const info: AccountInfo = {
      id,
      kind: 'google',
      serverUrl: connections.endpoints().carddav,
      user: result.email,
      allowInsecure: false,
      intervalMinutes: this.opts.service.intervalMinutes,
      books: books.map((b) => ({ id: bookIdFor(id, b.url), url: b.url, name: result.email })),
      available: books,
      discoveredAt: Date.now(),
    };
    return this.opts.service.register(info, JSON.stringify(current));
  }

  /**
   * Add a Workspace domain's shared contacts: a Google sign-in asking for the shared-contacts scope
   * (an existing Google account is offered, and keeps what it granted: incremental consent), then a
   * first look at the directory, so a user who is not an administrator hears it now, not later.
   */
  async addSharedContacts(domain: string): Promise<AccountInfo> {
    const { connections, accounts, hooks } = this.opts;
    accounts.assertCanKeepSecrets();
    const name = domain.trim().toLowerCase();
    const auth = await connections.googleAuth();
    const hint = accounts.list().find((a) => a.kind === 'google' && a.user.endsWith(`@${name}`))?.user;
    const result = await this.browserSignIn(auth, GOOGLE_SCOPES.sharedContacts, hint);
    let current = result.tokens;
    const source = new TokenSource(auth, current, async (t) => {
      current = t;
    });
    const client = connections.sharedContacts(name, bearer(source));
    try {
      await client.page(client.firstPage(null).replace(/max-results=\d+/, 'max-results=1'));
    } catch (e) {
      await auth.revoke(current).catch(() => {});
      throw toUserError(e);
    }
    const twin = accounts.list().find((a) => a.kind === 'gdata' && a.domain === name && a.user.toLowerCase() === result.email.toLowerCase());
    if (twin !== undefined) {
      await accounts.setSecret(twin.id, JSON.stringify(current));
      hooks.resetBackoff(twin.id); // a new grant: earlier failures no longer count
      hooks.syncNow(twin.id);
      return twin;
    }
    const id = globalThis.crypto.randomUUID();
    const info: AccountInfo = {
      id,
      kind: 'gdata',
      domain: name,
      serverUrl: connections.endpoints().sharedContacts,
      user: result.email,
      allowInsecure: false,
      intervalMinutes: this.opts.service.intervalMinutes,
      books: [{ id: bookIdFor(id, client.feedUrl), url: client.feedUrl, name }],
      available: [{ url: client.feedUrl, name }],
    };
    return this.opts.service.register(info, JSON.stringify(current));
  }

  /** One sign-in in the system browser (a newer one replaces one still waiting), errors worded. */
  private async browserSignIn(auth: GoogleAuth, scope: string, loginHint: string | undefined, optionalScopes: readonly string[] = []): Promise<SignInResult> {
    this.waiting?.cancel();
    let mine: { cancel: () => void } | null = null;
    try {
      return await auth.signIn({
        scopes: [scope],
        optionalScopes,
        ...(loginHint !== undefined ? { loginHint } : {}),
        timeoutMs: this.opts.timeoutMs,
        open: (url) => this.opts.platform.openExternal(url),
        onCancel: (cancel) => (this.waiting = mine = { cancel }),
      });
    } catch (e) {
      throw toUserError(e);
    } finally {
      // Only our own: a newer sign-in that replaced this one keeps its Cancel.
      if (this.waiting === mine) this.waiting = null;
    }
  }
}
