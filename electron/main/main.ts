/**
 * The Electron shell: app lifecycle, the one window, and its security policy. Kept thin: all real
 * work is in the Electron-free core, which the browser harness runs unchanged.
 */
import { app, BrowserWindow, dialog, Menu, net, protocol, screen, session, shell } from 'electron';
import { join, normalize, relative, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExternalUrlAllowed } from '../../shared/urls';
import { createRequestHandlers } from '../core/handlers';
import { IMPORT_FILTERS, OpenedFileQueue, readOpenedFiles, vcfArguments } from '../core/open-files';
import { fitToDisplays, loadWindowState, saveWindowState } from '../core/window-state';
import { bindIpc, type IpcBinding } from '../ipc';
import { SyncManager } from '../sync/manager';
import { CONTENT_SECURITY_POLICY } from './csp';
import { ElectronPlatform } from './electron-platform';
import { menuLanguage, menuTemplate, shellLabels, type MenuCommand } from './menu';

const SCHEME = 'cardinal';
const APP_ORIGIN = `${SCHEME}://app`;
const rendererDir = join(__dirname, '..', 'renderer');

// Tests and portable setups may keep the profile elsewhere (before the single-instance lock, which is per profile).
if (process.env.CARDINAL_DATA_DIR !== undefined && process.env.CARDINAL_DATA_DIR !== '') app.setPath('userData', process.env.CARDINAL_DATA_DIR);

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let mainWindow: BrowserWindow | null = null;
let ipc: IpcBinding | null = null;
/** `.vcf` files from the OS, held until the window takes them. */
const opened = new OpenedFileQueue((files) => ipc?.emit('openFiles', files));
const openPaths = (paths: readonly string[]): void => {
  void readOpenedFiles(paths).then(({ files, refused }) => {
    opened.add(files);
    // Dialogs only once the app is ready (files can arrive before).
    if (refused.length > 0) {
      void app.whenReady().then(() => dialog.showMessageBox({ type: 'warning', message: shellLabels(menuLanguage(app.getLocale())).openFailed.replace('{files}', refused.join(', ')) }));
    }
  });
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A .vcf on the command line of this launch (Windows, Linux file associations).
  openPaths(vcfArguments(process.argv.slice(1), process.cwd()));
  // macOS hands files over by event, possibly before the app is ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openPaths([path]);
  });
  app.on('second-instance', (_event, argv, cwd) => {
    openPaths(vcfArguments(argv.slice(1), cwd));
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (mainWindow === null) createWindow();
  });
  app.on('web-contents-created', (_event, contents) => {
    // Nothing navigates and nothing opens windows; links go to the OS if they are safe.
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalUrlAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  void app.whenReady().then(() => {
    serveRenderer();
    // Every permission is refused but writing plain text to the clipboard (the Copy buttons).
    const allowed = (permission: string) => permission === 'clipboard-sanitized-write';
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(allowed(permission)));
    session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowed(permission));
    const platform = new ElectronPlatform(() => mainWindow);
    ipc = bindIpc(
      (store, emit) => createRequestHandlers(platform, new SyncManager({ platform, store, emit: (status) => emit('syncStatus', status) }), opened),
      () => mainWindow?.webContents ?? null,
      APP_ORIGIN,
    );
    app.setAboutPanelOptions({ applicationName: 'Cardinal', applicationVersion: app.getVersion(), copyright: 'Copyright © 2026 the Cardinal authors' });
    const run = (command: MenuCommand): void => {
      if (command === 'new-contact' || command === 'find' || command === 'settings') ipc?.emit('menu', command);
      else if (command === 'about') app.showAboutPanel();
      else if (command === 'import') {
        void platform.showOpenDialog({ title: shellLabels(menuLanguage(app.getLocale())).import.replace('…', ''), filters: IMPORT_FILTERS, multiple: true }).then((paths) => openPaths(paths ?? []));
      }
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(process.platform, menuLanguage(app.getLocale()), run, !app.isPackaged)));
    createWindow();
  });
}

/** Serve the built renderer from cardinal://app/, with the CSP as a header, and nothing outside it. */
function serveRenderer(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const path = normalize(join(rendererDir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    const rel = relative(rendererDir, path);
    if (url.host !== 'app' || rel.startsWith('..') || isAbsolute(rel)) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(path).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = fitToDisplays(
    loadWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  mainWindow = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    // The layout holds from 640 px (one pane with a back button below 760 px).
    minWidth: 640,
    minHeight: 480,
    title: 'Cardinal',
    show: false,
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
      // A middle click must not open anything either (navigation and windows are denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const win = mainWindow;
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  // Remembered on close: the normal (not maximised) bounds, and whether it was maximised.
  win.on('close', () => {
    try {
      saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch {
      // A read-only profile: the next start uses the defaults.
    }
  });
  // Closing with an unsaved edit: the page's beforeunload stops the close; ask here, as the OS would.
  win.webContents.on('will-prevent-unload', (event) => {
    const t = shellLabels(menuLanguage(app.getLocale()));
    const choice = dialog.showMessageBoxSync(win, { type: 'question', buttons: [t.save, t.discard, t.cancel], defaultId: 0, cancelId: 2, message: t.unsavedTitle, detail: t.unsavedDetail });
    if (choice === 1) event.preventDefault(); // Discard: let the window close
    else if (choice === 0) ipc?.emit('menu', 'save-and-close'); // the page saves, then closes itself
  });
  // A reload (or a crashed page) asks for waiting files again.
  win.webContents.on('did-start-loading', () => opened.pause());
  // A crashed page answers nothing more: a sync asking it ends now and runs again once a page is back.
  win.webContents.on('render-process-gone', () => ipc?.windowGone());
  mainWindow.on('closed', () => {
    mainWindow = null;
    ipc?.windowGone();
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}
