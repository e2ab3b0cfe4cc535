/**
 * Accounts: non-secret settings in `accounts.json` in the user-data folder; each secret (a CardDAV
 * password, or a Google account's tokens as JSON) sealed by the Platform (Electron: safeStorage)
 * in the same file, never sent to the renderer. The user's own Google OAuth client, when they
 * bring one, is kept the same way in `google-client.json`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountInfo } from '../../shared/sync/types';
import type { Platform } from '../platform/platform';

interface StoredAccount extends AccountInfo {
  /** The password or the tokens, encrypted by the Platform, base64. */
  readonly sealedPassword: string;
}

interface StoredGoogleClient {
  readonly clientId: string;
  readonly sealedSecret: string;
}

export class AccountStore {
  private readonly file: string;
  /** The file as last read or written: the main process is its only writer, and the scheduler
   * asks for the list every minute and on every edit. */
  private cached: StoredAccount[] | null = null;

  constructor(private readonly platform: Platform) {
    this.file = join(platform.userDataDir(), 'accounts.json');
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
    return this.read().map(({ sealedPassword: _secret, ...info }) => ({
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
    const sealed = password === undefined ? old.sealedPassword : Buffer.from(await this.platform.encryptSecret(password)).toString('base64');
    this.write(all.map((a) => (a.id === info.id ? { ...info, sealedPassword: sealed } : a)));
  }

  async add(info: AccountInfo, password: string): Promise<void> {
    const sealed = Buffer.from(await this.platform.encryptSecret(password)).toString('base64');
    this.write([...this.read().filter((a) => a.id !== info.id), { ...info, sealedPassword: sealed }]);
  }

  /** Replace an account's sealed secret (refreshed tokens). */
  async setSecret(id: string, secret: string): Promise<void> {
    const sealed = Buffer.from(await this.platform.encryptSecret(secret)).toString('base64');
    const all = this.read();
    if (!all.some((a) => a.id === id)) return; // removed meanwhile: nothing to keep
    this.write(all.map((a) => (a.id === id ? { ...a, sealedPassword: sealed } : a)));
  }

  /** The user's own Google OAuth client, or null. */
  async googleClient(): Promise<{ clientId: string; clientSecret: string } | null> {
    const file = join(this.platform.userDataDir(), 'google-client.json');
    if (!existsSync(file)) return null;
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredGoogleClient;
    const secret = stored.sealedSecret === '' ? '' : await this.platform.decryptSecret(new Uint8Array(Buffer.from(stored.sealedSecret, 'base64')));
    return { clientId: stored.clientId, clientSecret: secret };
  }

  async setGoogleClient(clientId: string, clientSecret: string): Promise<void> {
    const file = join(this.platform.userDataDir(), 'google-client.json');
    const sealedSecret = clientSecret === '' ? '' : Buffer.from(await this.platform.encryptSecret(clientSecret)).toString('base64');
    writeFileSync(`${file}.tmp`, JSON.stringify({ clientId, sealedSecret } satisfies StoredGoogleClient), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  async password(id: string): Promise<string> {
    const a = this.read().find((x) => x.id === id);
    if (a === undefined) throw new Error(`no account ${id}`);
    return this.platform.decryptSecret(new Uint8Array(Buffer.from(a.sealedPassword, 'base64')));
  }

  remove(id: string): AccountInfo | undefined {
    const all = this.read();
    const gone = all.find((a) => a.id === id);
    this.write(all.filter((a) => a.id !== id));
    return gone;
  }
}
