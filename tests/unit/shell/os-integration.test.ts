/** The Electron-free parts of OS integration: files from the OS, window placement, the menu. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_FILTERS, OpenedFileQueue, readOpenedFiles, vcfArguments } from '../../../electron/core/open-files';
import { DEFAULT_WINDOW, fitToDisplays, loadWindowState, saveWindowState } from '../../../electron/core/window-state';
import { menuLanguage, menuTemplate } from '../../../electron/main/menu';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardinal-os-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('.vcf files from the operating system', () => {
  it('takes the .vcf paths of a command line (relative to its folder), not flags or other files', () => {
    writeFileSync(join(dir, 'a.vcf'), 'BEGIN:VCARD\r\nEND:VCARD\r\n');
    writeFileSync(join(dir, 'b.VCARD'), '');
    writeFileSync(join(dir, 'notes.txt'), '');
    const argv = ['/opt/Cardinal/cardinal', '--no-sandbox', 'a.vcf', join(dir, 'b.VCARD'), 'notes.txt', 'missing.vcf', '--flag=x.vcf'];
    expect(vcfArguments(argv, dir)).toEqual([join(dir, 'a.vcf'), join(dir, 'b.VCARD')]);
  });

  it('reads them as an import would (UTF-16 with a BOM too); unreadable ones are reported', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n', 'utf16le')]);
    writeFileSync(join(dir, 'z.vcf'), utf16);
    const { files, refused } = await readOpenedFiles([join(dir, 'z.vcf'), join(dir, 'gone.vcf')]);
    expect(files).toEqual([{ name: 'z.vcf', text: 'BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n' }]);
    expect(refused).toEqual(['gone.vcf']);
  });

  it('a German Outlook CSV (windows-1252) picked in the menu Import… reaches the window as Unicode text', async () => {
    expect(IMPORT_FILTERS.flatMap((f) => f.extensions)).toEqual(expect.arrayContaining(['vcf', 'csv']));
    copyFileSync(join(import.meta.dirname, '../../fixtures/csv/outlook-de.csv'), join(dir, 'kontakte.csv'));
    const { files } = await readOpenedFiles([join(dir, 'kontakte.csv')]);
    expect(files[0]!.text.startsWith('"Anrede","Vorname"')).toBe(true);
    expect(files[0]!.text).toContain('Straße');
    expect(files[0]!.text).not.toContain('\uFFFD');
  });

  it('holds files until the window asks, then pushes them; a reload holds them again', () => {
    const pushed: string[][] = [];
    const q = new OpenedFileQueue((files) => pushed.push(files.map((f) => f.name)));
    q.add([{ name: 'early.vcf', text: '' }]);
    expect(pushed).toEqual([]);
    expect(q.take().map((f) => f.name)).toEqual(['early.vcf']);
    q.add([{ name: 'later.vcf', text: '' }]);
    expect(pushed).toEqual([['later.vcf']]);
    q.pause();
    q.add([{ name: 'during-reload.vcf', text: '' }]);
    expect(q.take().map((f) => f.name)).toEqual(['during-reload.vcf']);
  });
});

describe('the window remembers its place', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  it('round-trips through its file; a broken file gives the defaults', () => {
    const file = join(dir, 'window-state.json');
    saveWindowState(file, { x: 100, y: 80, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: true });
    writeFileSync(file, '{not json');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW);
    expect(loadWindowState(join(dir, 'none.json'))).toEqual(DEFAULT_WINDOW);
  });
  it('goes back where it was when a display shows it', () => {
    expect(fitToDisplays({ x: 100, y: 80, width: 1000, height: 700, maximized: false }, screen)).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: false });
  });
  it('on a display that is gone, it is centred instead and shrunk to fit', () => {
    expect(fitToDisplays({ x: 3000, y: 80, width: 2400, height: 700, maximized: false }, screen)).toEqual({ width: 1920, height: 700, maximized: false });
  });
});

describe('the menu follows each platform', () => {
  const labels = (items: ReturnType<typeof menuTemplate>) => items.map((i) => i.label ?? i.role);
  const roles = (items: ReturnType<typeof menuTemplate>, label: string) =>
    ((items.find((i) => i.label === label)?.submenu ?? []) as { role?: string; label?: string }[]).map((i) => i.role ?? i.label ?? '-');
  it('macOS: the app menu first (About, Quit), a Window menu, Edit with the clipboard roles', () => {
    const mac = menuTemplate('darwin', 'en', () => {}, false);
    expect(labels(mac)).toEqual(['Cardinal', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(mac, 'Cardinal')).toEqual(expect.arrayContaining(['about', 'quit', 'hide']));
    expect(roles(mac, 'Edit')).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'pasteAndMatchStyle']));
  });
  it('Windows and Linux: Quit in File, About in Help, no developer tools when packaged', () => {
    const win = menuTemplate('win32', 'en', () => {}, false);
    expect(labels(win)).toEqual(['File', 'Edit', 'View', 'Help']);
    expect(roles(win, 'File')).toContain('quit');
    expect(roles(win, 'Help')).toEqual(['About Cardinal']);
    expect(roles(win, 'View')).not.toContain('toggleDevTools');
    expect(roles(menuTemplate('linux', 'en', () => {}, true), 'View')).toContain('toggleDevTools');
  });
  it('its own items run their commands, and speak the OS language', () => {
    const ran: string[] = [];
    const items = menuTemplate('linux', menuLanguage('zh-Hant-TW'), (c) => ran.push(c), false);
    expect(labels(items)).toEqual(['檔案', '編輯', '顯示', '說明']);
    const file = items[0]!.submenu as { click?: () => void }[];
    file[0]!.click?.();
    file[1]!.click?.();
    expect(ran).toEqual(['new-contact', 'import']);
    expect(menuLanguage('fa-IR')).toBe('fa');
    expect(menuLanguage('zh-CN')).toBe('zh-CN');
    expect(menuLanguage('de-DE')).toBe('en');
  });
});
