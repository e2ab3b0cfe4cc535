/**
 * Saving one file per contact: in the harness every file is a download (as before); in Electron
 * one folder dialog, then main writes the files there in batches (window.cardinal built on the
 * real request handlers, the folder dialog faked).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { createRequestHandlers } from '../../../electron/core/handlers';
import { PendingStoreRequests } from '../../../electron/core/store-port';
import { NodePlatform } from '../../../electron/platform/node-platform';
import type { Platform } from '../../../electron/platform/platform';
import { SyncManager } from '../../../electron/sync/manager';
import { createCardinalApi } from '../../../shared/ipc/api';
import type { Transport } from '../../../shared/ipc/contract';
import { FOLDER_BATCH_FILES, saveFiles, type SavedFile } from '../../../renderer/src/features/export/files';
import { runExport } from '../../../renderer/src/features/export/export-run';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cards(n: number) {
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, name: `Person ${i % 7}`, favorite: false, vcard: `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c${i}\r\nFN:Person ${i % 7}\r\nTEL:+1 202 555 ${String(i).padStart(4, '0')}\r\nEND:VCARD\r\n` }));
}

function perContact(n: number): SavedFile[] {
  return runExport({ format: 'vcard-4.0', cards: cards(n), baseName: 'Contacts', layout: 'file-per-contact', photos: true, outlookLanguage: 'en', lang: 'en' }).files;
}

/** window.cardinal on the main process's handlers, in-process, with a folder dialog that answers `folder`. */
function electronApi(folder: string | null) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cardinal-save-'));
  dirs.push(dataDir);
  const base = new NodePlatform({ dataDir, version: '1.0.0', locale: 'en-US', onOpenExternal: () => {} });
  const asked: string[] = [];
  const p: Platform = Object.create(base, { shell: { value: 'electron' }, showFolderDialog: { value: async (o: { title: string }) => (asked.push(o.title), folder) } }) as Platform;
  const handlers = createRequestHandlers(p, new SyncManager({ platform: p, store: new PendingStoreRequests(() => {}), emit: () => {}, intervalMinutes: 0, google: { client: null } }));
  const calls: { channel: string; files: number }[] = [];
  const transport: Transport = {
    // Through JSON, as the IPC's structured clone or the harness's WebSocket would carry it.
    invoke: async (channel, args) => {
      if (channel === 'writeExportFiles') calls.push({ channel, files: (args[1] as unknown[]).length });
      return JSON.parse(JSON.stringify(await dispatch(handlers, channel, JSON.parse(JSON.stringify(args)) as unknown[])));
    },
    subscribe: () => () => {},
    serve: () => {},
  };
  return { api: createCardinalApi(transport), asked, calls };
}

describe('saving one file per contact', () => {
  it('in the harness: every file is a download, no folder is asked for', async () => {
    const files = perContact(3);
    const downloaded: string[] = [];
    const { api, asked } = electronApi(null);
    const outcome = await saveFiles(files, { shell: 'harness', api, title: 'Choose', download: async (fs) => void downloaded.push(...fs.map((f) => f.name)) });
    expect(outcome).toEqual({ kind: 'downloaded', count: 3 });
    expect(downloaded).toEqual(files.map((f) => f.name));
    expect(asked).toEqual([]);
  });

  it('in Electron: one folder dialog for all the files (not a save dialog each), written there in batches', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cardinal-folder-'));
    dirs.push(folder);
    const n = FOLDER_BATCH_FILES * 2 + 3;
    const files = perContact(n);
    const { api, asked, calls } = electronApi(folder);
    const progress: number[] = [];
    const outcome = await saveFiles(files, { shell: 'electron', api, title: 'Choose a folder', download: async () => expect.fail('no downloads in Electron'), progress: (done) => progress.push(done) });
    expect(asked).toEqual(['Choose a folder']);
    expect(calls.map((c) => c.files)).toEqual([FOLDER_BATCH_FILES, FOLDER_BATCH_FILES, 3]);
    expect(progress).toEqual([FOLDER_BATCH_FILES, FOLDER_BATCH_FILES * 2, n]);
    expect(outcome).toMatchObject({ kind: 'folder', path: folder });
    const names = outcome.kind === 'folder' ? outcome.names : [];
    expect(names).toHaveLength(n);
    expect(readdirSync(folder).sort()).toEqual([...names].sort());
    // The same card in the file of the same name the export gave it.
    expect(readFileSync(join(folder, files[10]!.name), 'utf8')).toBe(new TextDecoder().decode(files[10]!.bytes));
  });

  it('in Electron: a single file is still a download (its own save dialog); a cancelled folder dialog saves nothing', async () => {
    const { api, asked } = electronApi(null);
    const one = perContact(1);
    const downloaded: string[] = [];
    expect(await saveFiles(one, { shell: 'electron', api, title: 'Choose', download: async (fs) => void downloaded.push(...fs.map((f) => f.name)) })).toEqual({ kind: 'downloaded', count: 1 });
    expect(asked).toEqual([]);
    expect(await saveFiles(perContact(4), { shell: 'electron', api, title: 'Choose', download: async () => expect.fail('no downloads') })).toEqual({ kind: 'cancelled' });
    expect(asked).toEqual(['Choose']);
  });
});
