import { app, BrowserWindow, dialog, net, safeStorage, shell } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileFilter, Platform } from '../platform/platform';

/** The Platform on Electron: the OS's browser, keychain-backed safeStorage, native dialogs. */
export class ElectronPlatform implements Platform {
  readonly shell = 'electron' as const;

  constructor(private readonly window: () => BrowserWindow | null) {}

  async openExternal(url: string): Promise<void> {
    await shell.openExternal(url);
  }

  canSealSecrets(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    // Linux without a keyring: Chromium falls back to a hard-coded password ("basic_text"), which
    // seals nothing. Treated as no keyring, so the user is told and asked instead.
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  }

  async encryptSecret(plain: string): Promise<Uint8Array> {
    if (!this.canSealSecrets()) throw new Error('no OS keyring available for secrets');
    return new Uint8Array(safeStorage.encryptString(plain));
  }

  async decryptSecret(data: Uint8Array): Promise<string> {
    return safeStorage.decryptString(Buffer.from(data));
  }

  async showOpenDialog(options: { title: string; filters: readonly FileFilter[]; multiple: boolean }): Promise<string[] | null> {
    const win = this.window();
    const props: ('openFile' | 'multiSelections')[] = options.multiple ? ['openFile', 'multiSelections'] : ['openFile'];
    const opts = { title: options.title, filters: options.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })), properties: props };
    const result = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return result.canceled ? null : result.filePaths;
  }

  async showSaveDialog(options: { title: string; defaultName: string; filters: readonly FileFilter[] }): Promise<string | null> {
    const win = this.window();
    const opts = { title: options.title, defaultPath: options.defaultName, filters: options.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) };
    const result = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
    return result.canceled || result.filePath === undefined ? null : result.filePath;
  }

  async showFolderDialog(options: { title: string }): Promise<string | null> {
    const win = this.window();
    // createDirectory: a "New Folder" button on macOS (Windows and Linux dialogs have one anyway).
    const opts = { title: options.title, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
    const result = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return result.canceled || result.filePaths[0] === undefined ? null : result.filePaths[0];
  }

  /**
   * The document goes into a hidden window of its own: sandboxed, JavaScript off, no preload, from
   * a temporary file (a data: URL is capped at 2 MB), so nothing in it can run or reach the app.
   */
  async printDocument(html: string, options: { action: 'pdf' | 'print'; fileName: string; title: string }): Promise<'printed' | 'saved' | 'cancelled'> {
    const dir = await mkdtemp(join(tmpdir(), 'cardinal-print-'));
    const file = join(dir, 'print.html');
    const win = new BrowserWindow({ show: false, title: options.title, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true, spellcheck: false, disableBlinkFeatures: 'Auxclick' } });
    try {
      await writeFile(file, html, 'utf8');
      await win.loadURL(pathToFileURL(file).toString());
      if (options.action === 'print') {
        return await new Promise((resolve) => win.webContents.print({ silent: false, printBackground: true }, (ok) => resolve(ok ? 'printed' : 'cancelled')));
      }
      const pdf = await win.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
      const path = await this.showSaveDialog({ title: options.title, defaultName: options.fileName, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
      if (path === null) return 'cancelled';
      await writeFile(path, pdf);
      return 'saved';
    } finally {
      win.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  }

  userDataDir(): string {
    return app.getPath('userData');
  }

  locale(): string {
    return app.getPreferredSystemLanguages()[0] ?? app.getLocale();
  }

  isOnline(): boolean {
    return net.isOnline();
  }

  appVersion(): string {
    return app.getVersion();
  }
}
