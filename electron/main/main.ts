/**
 * The Electron shell: app lifecycle, the one window, and its security policy. Kept thin: all real
 * work is in the Electron-free core, which the browser harness runs unchanged.
 */
import { app, BrowserWindow, net, protocol, session, shell } from 'electron';
import { join, normalize, relative, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExternalUrlAllowed } from '../../shared/urls';
import { createRequestHandlers } from '../core/handlers';
import { bindIpc } from '../ipc';
import { SyncManager } from '../sync/manager';
import { CONTENT_SECURITY_POLICY } from './csp';
import { ElectronPlatform } from './electron-platform';

const SCHEME = 'cardinal';
const APP_ORIGIN = `${SCHEME}://app`;
const rendererDir = join(__dirname, '..', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
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
    bindIpc(
      (store, emit) => createRequestHandlers(platform, new SyncManager({ platform, store, emit: (status) => emit('syncStatus', status) })),
      () => mainWindow?.webContents ?? null,
      APP_ORIGIN,
    );
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
  mainWindow = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
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
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}
