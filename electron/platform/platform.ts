/**
 * What the main-process core needs from the desktop, and nothing more. Electron implements it in
 * `electron/main`; the browser harness implements it with plain Node (`node-platform.ts`), so
 * everything that uses it runs and is tested without the Electron binary.
 */
export interface FileFilter {
  readonly name: string;
  readonly extensions: readonly string[];
}

export interface Platform {
  readonly shell: 'electron' | 'harness';
  /** Open an already-vetted URL (http(s), mailto, tel) in the system's handler. */
  openExternal(url: string): Promise<void>;
  /**
   * Whether secrets can be sealed at rest by the OS (a keychain, a keyring, DPAPI). False on Linux
   * without a keyring, where Electron's fallback would be a fixed key: plain text in effect.
   */
  canSealSecrets(): boolean;
  /** Encrypt a secret for storage at rest (Electron: safeStorage, the OS keychain); throws where `canSealSecrets` is false. */
  encryptSecret(plain: string): Promise<Uint8Array>;
  decryptSecret(data: Uint8Array): Promise<string>;
  showOpenDialog(options: { title: string; filters: readonly FileFilter[]; multiple: boolean }): Promise<string[] | null>;
  showSaveDialog(options: { title: string; defaultName: string; filters: readonly FileFilter[] }): Promise<string | null>;
  /** A folder to write into (one that may be made in the dialog); null when cancelled. */
  showFolderDialog(options: { title: string }): Promise<string | null>;
  /**
   * Print a whole HTML document (no script: it is shown with JavaScript off): the OS's print
   * dialog, or a PDF saved where a save dialog says. The harness has neither (window.print there).
   */
  printDocument(html: string, options: { action: 'pdf' | 'print'; fileName: string; title: string }): Promise<'printed' | 'saved' | 'cancelled'>;
  /** The per-user folder for settings, accounts and encrypted secrets. */
  userDataDir(): string;
  /** The OS's preferred UI locale (BCP 47). */
  locale(): string;
  appVersion(): string;
  /** Whether the machine believes it has a network (Electron: net.isOnline()). */
  isOnline(): boolean;
}
