/**
 * Accounts: non-secret settings in `accounts.json` in the user-data folder; each secret (a CardDAV
 * password, or a Google account's tokens as JSON) sealed by the Platform (Electron: safeStorage)
 * in the same file, never sent to the renderer. The user's own Google OAuth client, when they
 * bring one, is kept the same way in `google-client.json`.
 *
 * Without a keyring (Linux may have none) nothing is sealed and nothing is written in plain text:
 * adding an account is refused with `no-keyring` until the user chooses to have secrets remembered
 * in memory until Cardinal quits. Such an account is saved without its secret (`inMemory`), and
 * after a restart it asks for the password again (`SecretForgotten`).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CardinalError } from '../../shared/errors';
import type { AccountInfo, SecretStorage } from '../../shared/sync/types';
import type { Platform } from '../platform/platform';

interface StoredAccount extends AccountInfo {
  /** The password or the tokens, encrypted by the Platform, base64 ('' when kept in memory). */
  readonly sealedPassword: string;
  /** When the account last synced through (ms since the epoch): shown after a restart too. */
  readonly lastSync?: number;
  /** The secret is in this process's memory only (no keyring): gone once Cardinal quits. */
  readonly inMemory?: boolean;
}

interface StoredGoogleClient {
  readonly clientId: string;
  readonly sealedSecret: string;
  readonly inMemory?: boolean;
}

/** An account whose secret was kept in memory only, and Cardinal has quit since: the user gives it again. */
export class SecretForgotten extends Error {
  override name = 'SecretForgotten';
}

/** Where a secret went: sealed (base64), or into memory ('' sealed). */
interface Kept {
  readonly sealed: string;
  readonly inMemory: boolean;
}

const GOOGLE_CLIENT = '\0google-client';

export class AccountStore {
  private readonly file: string;
  /** The file as last read or written: the main process is its only writer, and the scheduler
   * asks for the list every minute and on every edit. */
  private cached: StoredAccount[] | null = null;
  /** Secrets kept in memory only, by account id (no keyring, and the user chose it). */
  private readonly memory = new Map<string, string>();
  private memoryChosen = false;

  constructor(private readonly platform: Platform) {
    this.file = join(platform.userDataDir(), 'accounts.json');
  }

  secretStorage(): SecretStorage {
    return this.platform.canSealSecrets() ? 'keyring' : this.memoryChosen ? 'memory' : 'none';
  }

  /** The user's choice on a machine without a keyring: remember secrets until Cardinal quits. */
  keepSecretsInMemory(): void {
    this.memoryChosen = true;
  }

  /** Refuse early (before a browser sign-in, say) when a secret could not be kept. */
  assertCanKeepSecrets(): void {
    if (this.secretStorage() === 'none') throw noKeyring();
  }

  private async keep(id: string, secret: string): Promise<Kept> {
    if (this.platform.canSealSecrets()) {
      this.memory.delete(id);
      return { sealed: Buffer.from(await this.platform.encryptSecret(secret)).toString('base64'), inMemory: false };
    }
    if (!this.memoryChosen) throw noKeyring();
    this.memory.set(id, secret);
    return { sealed: '', inMemory: true };
  }

  private async reveal(id: string, stored: { readonly sealed: string; readonly inMemory?: boolean }): Promise<string> {
    if (stored.inMemory === true) {
      const secret = this.memory.get(id);
      if (secret === undefined) throw new SecretForgotten('Cardinal kept this password only until it quit (there is no keyring on this computer). Enter it again.');
      return secret;
    }
    return this.platform.decryptSecret(new Uint8Array(Buffer.from(stored.sealed, 'base64')));
  }

  private read(): StoredAccount[] {
    if (this.cached === null) this.cached = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as StoredAccount[]) : [];
    return this.cached;
  }

  private write(accounts: StoredAccount[]): void {
    // Write then rename: a crash leaves the old file or the new one, never half of one.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(accounts, null, 2), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
    this.cached = accounts;
  }

  list(): AccountInfo[] {
    // Accounts saved before intervals and book choice existed get the defaults.
    return this.read().map(({ sealedPassword: _secret, inMemory: _where, lastSync: _at, ...info }) => ({
      ...info,
      intervalMinutes: info.intervalMinutes ?? 15,
      available: info.available ?? info.books.map((b) => ({ url: b.url, name: b.name })),
    }));
  }

  /** Save changed settings; a new password replaces the sealed one, none keeps it. */
  async update(info: AccountInfo, password?: string): Promise<void> {
    const all = this.read();
    const old = all.find((a) => a.id === info.id);
    if (old === undefined) throw new Error(`no account ${info.id}`);
    const kept = password === undefined ? { sealed: old.sealedPassword, inMemory: old.inMemory === true } : await this.keep(info.id, password);
    this.write(all.map((a) => (a.id === info.id ? { ...stored(info, kept), ...(a.lastSync !== undefined ? { lastSync: a.lastSync } : {}) } : a)));
  }

  /** When the account last synced through, as saved (null: never, or before this was kept). */
  lastSync(id: string): number | null {
    return this.read().find((a) => a.id === id)?.lastSync ?? null;
  }

  /** A run went through: saved with the account's settings (no secret changes). */
  setLastSync(id: string, at: number): void {
    const all = this.read();
    if (!all.some((a) => a.id === id)) return; // removed meanwhile
    this.write(all.map((a) => (a.id === id ? { ...a, lastSync: at } : a)));
  }

  async add(info: AccountInfo, password: string): Promise<void> {
    const kept = await this.keep(info.id, password);
    // Added again (a second sign-in of the same account): its last sync stays.
    const before = this.read().find((a) => a.id === info.id)?.lastSync;
    this.write([...this.read().filter((a) => a.id !== info.id), { ...stored(info, kept), ...(before !== undefined ? { lastSync: before } : {}) }]);
  }

  /** Replace an account's sealed secret (refreshed tokens). */
  async setSecret(id: string, secret: string): Promise<void> {
    const all = this.read();
    if (!all.some((a) => a.id === id)) return; // removed meanwhile: nothing to keep
    const kept = await this.keep(id, secret);
    this.write(all.map((a) => (a.id === id ? stored(a, kept) : a)));
  }

  /** The user's own Google OAuth client, or null. */
  async googleClient(): Promise<{ clientId: string; clientSecret: string } | null> {
    const file = join(this.platform.userDataDir(), 'google-client.json');
    if (!existsSync(file)) return null;
    const saved = JSON.parse(readFileSync(file, 'utf8')) as StoredGoogleClient;
    const secret = saved.sealedSecret === '' && saved.inMemory !== true ? '' : await this.reveal(GOOGLE_CLIENT, { sealed: saved.sealedSecret, inMemory: saved.inMemory });
    return { clientId: saved.clientId, clientSecret: secret };
  }

  async setGoogleClient(clientId: string, clientSecret: string): Promise<void> {
    const file = join(this.platform.userDataDir(), 'google-client.json');
    const kept = clientSecret === '' ? { sealed: '', inMemory: false } : await this.keep(GOOGLE_CLIENT, clientSecret);
    const saved: StoredGoogleClient = { clientId, sealedSecret: kept.sealed, ...(kept.inMemory ? { inMemory: true } : {}) };
    writeFileSync(`${file}.tmp`, JSON.stringify(saved), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  async password(id: string): Promise<string> {
    const a = this.read().find((x) => x.id === id);
    if (a === undefined) throw new Error(`no account ${id}`);
    return this.reveal(id, { sealed: a.sealedPassword, inMemory: a.inMemory });
  }

  remove(id: string): AccountInfo | undefined {
    const all = this.read();
    const gone = all.find((a) => a.id === id);
    this.write(all.filter((a) => a.id !== id));
    this.memory.delete(id);
    return gone;
  }
}

function stored(info: AccountInfo | StoredAccount, kept: Kept): StoredAccount {
  const { sealedPassword: _old, inMemory: _where, ...rest }: StoredAccount = { sealedPassword: '', ...info };
  return { ...rest, sealedPassword: kept.sealed, ...(kept.inMemory ? { inMemory: true } : {}) };
}

function noKeyring(): CardinalError {
  return new CardinalError(
    'no-keyring',
    'This computer has no keyring (such as GNOME Keyring or KWallet) to keep passwords encrypted, and Cardinal never stores them in plain text. Choose to have it remember the password until Cardinal quits, or set up a keyring and start Cardinal again.',
  );
}
