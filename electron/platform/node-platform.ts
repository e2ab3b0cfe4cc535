/**
 * The Platform in plain Node, for the browser harness and tests. Secrets are encrypted with
 * AES-256-GCM under a random key kept in the data folder (mode 0600): at rest they are never
 * plain text, as with Electron's safeStorage, though the key sits beside them rather than in an OS
 * keychain. External URLs are recorded (and printed) instead of starting a browser, so tests can
 * check what would have been opened.
 */
import { CardinalError } from '../../shared/errors';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FileFilter, Platform } from './platform';

export interface NodePlatformOptions {
  dataDir: string;
  version: string;
  locale?: string;
  /** Called for every URL handed to the OS; defaults to printing it. */
  onOpenExternal?: (url: string) => void;
  /** Whether the network is up (tests switch it); always up by default. */
  online?: () => boolean;
  /** Play a machine without a keyring (tests, and the harness with CARDINAL_NO_KEYRING=1). */
  noKeyring?: boolean;
}

export class NodePlatform implements Platform {
  readonly shell = 'harness' as const;
  readonly opened: string[] = [];
  private key: Buffer | null = null;
  private keyring: boolean;

  constructor(private readonly options: NodePlatformOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.keyring = options.noKeyring !== true;
  }

  isOnline(): boolean {
    return this.options.online?.() ?? true;
  }

  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
    (this.options.onOpenExternal ?? ((u) => console.log(`[harness] would open externally: ${u}`)))(url);
  }

  private secretKey(): Buffer {
    if (this.key !== null) return this.key;
    const file = join(this.options.dataDir, 'secret.key');
    if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600 });
    this.key = readFileSync(file);
    return this.key;
  }

  canSealSecrets(): boolean {
    return this.keyring;
  }

  /** Tests switch the keyring off (and on) as a Linux machine without one would have it. */
  setKeyring(available: boolean): void {
    this.keyring = available;
  }

  async encryptSecret(plain: string): Promise<Uint8Array> {
    if (!this.canSealSecrets()) throw new Error('no keyring available for secrets');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secretKey(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body]));
  }

  async decryptSecret(data: Uint8Array): Promise<string> {
    const buf = Buffer.from(data);
    const decipher = createDecipheriv('aes-256-gcm', this.secretKey(), buf.subarray(0, 12));
    decipher.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
  }

  async showOpenDialog(): Promise<string[] | null> {
    // No native dialog in the harness: the renderer's own file input is used there.
    return null;
  }

  async showFolderDialog(): Promise<string | null> {
    // The harness saves one file per contact as downloads (features/export/files.ts).
    return null;
  }

  async showSaveDialog(options: { title: string; defaultName: string; filters: readonly FileFilter[] }): Promise<string | null> {
    const dir = join(this.options.dataDir, 'exports');
    mkdirSync(dir, { recursive: true });
    return join(dir, options.defaultName);
  }

  async printDocument(_html: string, _options: { action: 'pdf' | 'print'; fileName: string; title: string }): Promise<'printed' | 'saved' | 'cancelled'> {
    throw new CardinalError('unsupported', 'the harness prints with window.print');
  }

  userDataDir(): string {
    return this.options.dataDir;
  }

  locale(): string {
    return this.options.locale ?? Intl.DateTimeFormat().resolvedOptions().locale;
  }

  appVersion(): string {
    return this.options.version;
  }
}
