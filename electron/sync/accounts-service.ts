/**
 * Setting accounts up and taking them down: discovery (each RFC 6764 candidate in turn, on the
 * origin the user typed; a move to another origin waits for the user's word; what was found is held
 * in main under a discovery id, with the password, until the user picks books, closes the dialog,
 * or 15 minutes pass), adding the chosen books, editing an account (dropped books lose their local copies)
 * and removing it (a Google grant is revoked first). The sync loop hears of each change through
 * `AccountHooks`; runs themselves are not started here.
 */
import { CardinalError } from '../../shared/errors';
import type { NewCardDavAccount } from '../../shared/ipc/contract';
import type { AccountChanges, AccountInfo, Discovery, ServerBook } from '../../shared/sync/types';
import type { GoogleTokens } from '../auth/google';
import type { StorePort } from '../core/store-port';
import { discoveryCandidates, type Resolver } from '../dav/discovery';
import { DavError, Forbidden, NetworkError, Unauthorized } from '../dav/errors';
import { OriginChangeNeeded } from '../dav/url-policy';
import type { AccountStore } from './accounts';
import type { Connections } from './connections';
import { hostOf, toUserError } from './failures';

/** A discovery the user walked away from is forgotten after this long (it holds a password). */
const DISCOVERY_KEPT_MS = 15 * 60_000;

/** What a change to the accounts asks of the sync loop. */
export interface AccountHooks {
  /** Sync this account soon: it is new, or has new credentials. */
  syncNow(accountId: string): void;
  /** Its settings or credentials changed: earlier failures and a waiting retry no longer count. */
  resetBackoff(accountId: string): void;
  /** It is being removed: nothing of it runs again, and a run under way stops writing; resolves once that run ended. */
  stop(accountId: string): Promise<void>;
  /** It is gone: forget its last status. */
  forget(accountId: string): void;
}

export interface AccountsServiceOptions {
  readonly accounts: AccountStore;
  readonly connections: Connections;
  readonly store: StorePort;
  readonly hooks: AccountHooks;
  /** Default minutes between automatic syncs for new accounts. */
  readonly intervalMinutes: number;
  /** DNS for RFC 6764 SRV/TXT lookups (tests give their own). */
  readonly resolver?: Resolver;
  readonly log?: (line: string) => void;
}

interface PendingDiscovery {
  readonly input: NewCardDavAccount;
  readonly user: string;
  /** The origin the user typed, and the places to try on it (or elsewhere, with the user's word). */
  readonly origin: string;
  readonly candidates: readonly string[];
  readonly confirmed: Set<string>;
  readonly declined: Set<string>;
  /** The other origin the user is being asked about. */
  asking: string | null;
  /** Where the books were found, once they are. */
  found: { readonly url: string; readonly books: readonly ServerBook[] } | null;
  readonly at: number;
  /** Forgets it (and its password) when its time is up, even if nothing else happens. */
  readonly timer: ReturnType<typeof setTimeout>;
}

/** A book's path, for a name when the server gives none (a malformed escape stays as written). */
function readablePath(url: string): string {
  const path = new URL(url).pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Local book ids for server books: stable per account and URL. */
export function bookIdFor(accountId: string, url: string): string {
  let h = 0;
  for (let i = 0; i < url.length; i++) h = (Math.imul(h, 31) + url.charCodeAt(i)) >>> 0;
  return `${accountId}:${h.toString(36)}`;
}

export class AccountsService {
  private readonly discoveries = new Map<string, PendingDiscovery>();

  constructor(private readonly opts: AccountsServiceOptions) {}

  get intervalMinutes(): number {
    return this.opts.intervalMinutes;
  }

  find(accountId: string): AccountInfo {
    const account = this.opts.accounts.list().find((a) => a.id === accountId);
    if (account === undefined) throw new CardinalError('not-found', 'That account no longer exists.');
    return account;
  }

  /** Find the books: each RFC 6764 candidate in turn, the first that answers wins. */
  async discover(input: NewCardDavAccount): Promise<Discovery> {
    const start = await discoveryCandidates(input.url, this.opts.resolver);
    const user = input.user.trim() !== '' ? input.user.trim() : (start.email ?? '');
    const discoveryId = globalThis.crypto.randomUUID();
    const timer = setTimeout(() => this.forgetDiscovery(discoveryId), DISCOVERY_KEPT_MS);
    timer.unref?.();
    this.discoveries.set(discoveryId, { input, user, origin: start.origin, candidates: start.candidates, confirmed: new Set(), declined: new Set(), asking: null, found: null, at: Date.now(), timer });
    return this.search(discoveryId);
  }

  /** The user's answer about another origin: discovery goes on, there or without it. */
  async continueDiscovery(discoveryId: string, allow: boolean): Promise<Discovery> {
    const d = this.pending(discoveryId);
    if (d.asking === null) throw new CardinalError('invalid-argument', 'This discovery is not waiting for an answer.');
    (allow ? d.confirmed : d.declined).add(d.asking);
    d.asking = null;
    return this.search(discoveryId);
  }

  /** The dialog closed: the discovery and its password go now. */
  forgetDiscovery(discoveryId: string): void {
    const d = this.discoveries.get(discoveryId);
    if (d === undefined) return;
    clearTimeout(d.timer);
    this.discoveries.delete(discoveryId);
  }

  /** A discovery still within its time; an older one is forgotten here too (its timer may not have run). */
  private pending(discoveryId: string): PendingDiscovery {
    const d = this.discoveries.get(discoveryId);
    if (d !== undefined && Date.now() - d.at <= DISCOVERY_KEPT_MS) return d;
    this.forgetDiscovery(discoveryId);
    throw new CardinalError('not-found', 'This sign-in has expired; connect again.');
  }

  /**
   * Each candidate in turn, with the origins the user allowed so far. A step to another origin
   * stops the search and asks the user (RFC 6764 §8); nothing, the password least of all, has gone
   * there. A declined origin is skipped like a candidate that does not answer.
   */
  private async search(discoveryId: string): Promise<Discovery> {
    const d = this.pending(discoveryId);
    const { input, user } = d;
    const client = this.opts.connections.basicClient({ user, allowInsecure: input.allowInsecure }, input.password, d.origin, d);
    let lastError: unknown = null;
    for (const candidate of d.candidates) {
      try {
        const books = await client.discover(candidate);
        if (books.length === 0) continue;
        const found = books.map((b) => ({ url: b.url, name: b.displayName || readablePath(b.url) }));
        d.found = { url: candidate, books: found };
        return { discoveryId, user, books: found };
      } catch (e) {
        if (e instanceof OriginChangeNeeded) {
          d.asking = e.to;
          return { discoveryId, user, books: [], move: { from: e.from, to: e.to } };
        }
        if (e instanceof Unauthorized || e instanceof Forbidden) {
          this.forgetDiscovery(discoveryId);
          throw toUserError(e);
        }
        lastError = e;
      }
    }
    this.forgetDiscovery(discoveryId);
    // Answers that were not a CardDAV server (404s, no books) say so; an unreachable host says why.
    if (lastError !== null && (lastError instanceof NetworkError || !(lastError instanceof DavError) || lastError.status >= 500)) throw toUserError(lastError);
    throw new CardinalError('not-found', 'No address book was found at this address.', { cause: 'no-carddav', host: hostOf(d.candidates[0] ?? input.url) });
  }

  /** The books the user chose from a discovery become a CardDAV account. */
  async add(discoveryId: string, bookUrls: readonly string[]): Promise<AccountInfo> {
    const d = this.pending(discoveryId);
    if (d.found === null) throw new CardinalError('invalid-argument', 'No address books have been found yet.');
    const { url, books } = d.found;
    const chosen = books.filter((b) => bookUrls.includes(b.url));
    if (chosen.length === 0) throw new CardinalError('invalid-argument', 'Choose at least one address book to sync.');
    const id = globalThis.crypto.randomUUID();
    const account = await this.register(
      {
        id,
        kind: 'carddav',
        serverUrl: url,
        user: d.user,
        allowInsecure: d.input.allowInsecure,
        intervalMinutes: this.opts.intervalMinutes,
        books: chosen.map((b) => ({ id: bookIdFor(id, b.url), url: b.url, name: b.name })),
        available: books,
      },
      d.input.password,
    );
    this.forgetDiscovery(discoveryId);
    return account;
  }

  /** A new account of any kind: saved with its secret sealed, its books made here, then a first sync. */
  async register(info: AccountInfo, secret: string): Promise<AccountInfo> {
    await this.opts.accounts.add(info, secret);
    for (const b of info.books) await this.opts.store.request('ensureBook', b.id, b.name);
    this.opts.hooks.syncNow(info.id);
    return info;
  }

  async update(accountId: string, changes: AccountChanges): Promise<AccountInfo> {
    const account = this.find(accountId);
    // Google and Workspace accounts sign in through Google: their secret is tokens, never a password.
    if (account.kind !== 'carddav' && (changes.user !== undefined || changes.password !== undefined || changes.allowInsecure === true)) {
      throw new CardinalError('invalid-argument', 'A Google account signs in through Google; sign in again instead.');
    }
    let books = account.books;
    if (changes.bookUrls !== undefined) {
      const urls = changes.bookUrls;
      const chosen = account.available.filter((b) => urls.includes(b.url));
      if (chosen.length === 0) throw new CardinalError('invalid-argument', 'Choose at least one address book to sync.');
      books = chosen.map((b) => account.books.find((x) => x.url === b.url) ?? { id: bookIdFor(accountId, b.url), url: b.url, name: b.name });
    }
    const next: AccountInfo = {
      ...account,
      user: changes.user ?? account.user,
      allowInsecure: changes.allowInsecure ?? account.allowInsecure,
      intervalMinutes: changes.intervalMinutes ?? account.intervalMinutes,
      books,
    };
    await this.opts.accounts.update(next, changes.password);
    // Books no longer synced lose their local copies (the window asked the user first).
    for (const b of account.books) if (!books.some((x) => x.id === b.id)) await this.opts.store.request('removeBook', b.id);
    for (const b of books) if (!account.books.some((x) => x.id === b.id)) await this.opts.store.request('ensureBook', b.id, b.name);
    this.opts.hooks.resetBackoff(accountId);
    this.opts.hooks.syncNow(accountId);
    return next;
  }

  async remove(accountId: string): Promise<void> {
    await this.opts.hooks.stop(accountId);
    const account = this.opts.accounts.list().find((a) => a.id === accountId);
    if (account !== undefined && account.kind !== 'carddav') {
      // Sign-out: Google forgets the grant. Failing that (offline), the local copy goes anyway.
      try {
        const auth = await this.opts.connections.googleAuth();
        await auth.revoke(JSON.parse(await this.opts.accounts.password(accountId)) as GoogleTokens);
      } catch (e) {
        this.opts.log?.(`google: revoking the sign-in failed: ${(e as Error).message}`);
      }
    }
    const gone = this.opts.accounts.remove(accountId);
    for (const b of gone?.books ?? []) await this.opts.store.request('removeBook', b.id);
    this.opts.hooks.forget(accountId);
  }
}
