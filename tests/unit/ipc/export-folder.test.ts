/**
 * One file per contact in Electron: chooseExportFolder asks for a folder once (a fake dialog here),
 * writeExportFiles writes the vCards into it. What main accepts, the names it gives, and that
 * nothing is written outside the folder or over what is there.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { ExportFolders, FOLDER_IDLE_MS } from '../../../electron/core/export-folder';
import { createRequestHandlers } from '../../../electron/core/handlers';
import { PendingStoreRequests } from '../../../electron/core/store-port';
import { NodePlatform } from '../../../electron/platform/node-platform';
import type { Platform } from '../../../electron/platform/platform';
import { SyncManager } from '../../../electron/sync/manager';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A sandbox with the folder the fake dialog answers and a sibling that must stay untouched. */
function setup(shell: 'harness' | 'electron' = 'electron') {
  const root = mkdtempSync(join(tmpdir(), 'cardinal-folder-'));
  dirs.push(root);
  const folder = join(root, 'Contacts');
  const outside = join(root, 'outside');
  mkdirSync(folder);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.vcf'), 'keep me');
  const dialog = { answer: folder as string | null, asked: [] as string[] };
  const base = new NodePlatform({ dataDir: root, version: '1.0.0', locale: 'en-US', onOpenExternal: () => {} });
  const p: Platform = Object.create(base, {
    shell: { value: shell },
    showFolderDialog: {
      value: async (o: { title: string }) => {
        dialog.asked.push(o.title);
        return dialog.answer;
      },
    },
  }) as Platform;
  const handlers = createRequestHandlers(p, new SyncManager({ platform: p, store: new PendingStoreRequests(() => {}), emit: () => {}, intervalMinutes: 0, google: { client: null } }));
  return { root, folder, outside, dialog, handlers, platform: p };
}

const vcard = (fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${fn}\r\nEND:VCARD\r\n`;

async function choose(handlers: ReturnType<typeof setup>['handlers']): Promise<string> {
  const reply = await dispatch(handlers, 'chooseExportFolder', ['Save one file per contact']);
  if (!reply.ok || reply.value === null) throw new Error(`no folder: ${JSON.stringify(reply)}`);
  return (reply.value as { folderId: string }).folderId;
}

describe('writing one file per contact into a chosen folder', () => {
  it('asks for the folder once, then writes every file there under a safe, unique name, none outside', async () => {
    const { folder, outside, dialog, handlers, root } = setup();
    const reply = await dispatch(handlers, 'chooseExportFolder', ['Save one file per contact']);
    expect(reply).toMatchObject({ ok: true, value: { path: folder } });
    const folderId = (reply as { value: { folderId: string } }).value.folderId;
    const names = ['Ann Lee.vcf', 'Ann Lee.vcf', 'ann lee.vcf', '../../outside/secret.vcf', '..\\..\\evil.vcf', '/etc/passwd.vcf', 'CON.vcf', 'nul.vcf', '..vcf', '.vcf', `${'ش'.repeat(200)}.vcf`, 'dots and spaces . . .vcf', 'سارا کریمی.vcf'];
    const first = await dispatch(handlers, 'writeExportFiles', [folderId, names.slice(0, 7).map((n) => ({ name: n, text: vcard(n) }))]);
    const second = await dispatch(handlers, 'writeExportFiles', [folderId, names.slice(7).map((n) => ({ name: n, text: vcard(n) }))]);
    expect(first.ok && second.ok).toBe(true);
    const written = [...(first as { value: { names: string[] } }).value.names, ...(second as { value: { names: string[] } }).value.names];
    expect(written.slice(0, 9)).toEqual(['Ann Lee.vcf', 'Ann Lee (2).vcf', 'ann lee (3).vcf', 'outside secret.vcf', 'evil.vcf', 'etc passwd.vcf', '_CON.vcf', '_nul.vcf', 'contact.vcf']);
    expect(written[9]).toBe('contact (2).vcf');
    expect(new TextEncoder().encode(written[10]!.replace(/\.vcf$/, '')).length).toBeLessThanOrEqual(100);
    expect(written.slice(11)).toEqual(['dots and spaces.vcf', 'سارا کریمی.vcf']);
    // Exactly those files, each holding its own card (unique across batches, case-insensitively).
    expect(readdirSync(folder).sort()).toEqual([...written].sort());
    expect(readFileSync(join(folder, 'Ann Lee (2).vcf'), 'utf8')).toBe(vcard('Ann Lee.vcf'));
    expect(readdirSync(outside)).toEqual(['secret.vcf']);
    expect(readFileSync(join(outside, 'secret.vcf'), 'utf8')).toBe('keep me');
    expect(readdirSync(root).sort()).toEqual(['Contacts', 'outside']);
    expect(dialog.asked).toEqual(['Save one file per contact']);
  });

  it('never replaces a file already in the folder, nor writes through a symlink there that leads out', async () => {
    const { folder, outside, handlers } = setup();
    writeFileSync(join(folder, 'Ann.vcf'), 'an older export');
    symlinkSync(join(outside, 'secret.vcf'), join(folder, 'Bob.vcf'));
    symlinkSync(join(outside, 'missing.vcf'), join(folder, 'Cy.vcf')); // dangling: O_EXCL still refuses it
    const folderId = await choose(handlers);
    const reply = await dispatch(handlers, 'writeExportFiles', [folderId, ['Ann.vcf', 'Bob.vcf', 'Cy.vcf'].map((n) => ({ name: n, text: vcard(n) }))]);
    expect(reply).toEqual({ ok: true, value: { names: ['Ann (2).vcf', 'Bob (2).vcf', 'Cy (2).vcf'] } });
    expect(readFileSync(join(folder, 'Ann.vcf'), 'utf8')).toBe('an older export');
    expect(readFileSync(join(outside, 'secret.vcf'), 'utf8')).toBe('keep me');
    expect(readdirSync(outside)).toEqual(['secret.vcf']);
  });

  it('refuses to go on when the chosen folder was swapped for a symlink to another folder', async () => {
    const { root, folder, outside, handlers } = setup();
    const folderId = await choose(handlers);
    renameSync(folder, join(root, 'moved'));
    symlinkSync(outside, folder);
    expect(await dispatch(handlers, 'writeExportFiles', [folderId, [{ name: 'Ann.vcf', text: vcard('Ann') }]])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(readdirSync(outside)).toEqual(['secret.vcf']);
    // And that handle is gone.
    expect(await dispatch(handlers, 'writeExportFiles', [folderId, [{ name: 'Ann.vcf', text: vcard('Ann') }]])).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuses what is not a batch of vCard files for a chosen folder', async () => {
    const { folder, handlers } = setup();
    const folderId = await choose(handlers);
    const good = { name: 'Ann.vcf', text: vcard('Ann') };
    const bad: unknown[][] = [
      [],
      [folderId],
      [folderId, []],
      [folderId, good],
      [folder, [good]], // a path is not a handle
      ['not-a-uuid', [good]],
      [folderId, [{ ...good, name: 'Ann.exe' }]],
      [folderId, [{ ...good, name: 'Ann.vcf/../../x' }]],
      [folderId, [{ ...good, text: '#!/bin/sh\nrm -rf ~\n' }]],
      [folderId, [{ ...good, path: '/etc' }]],
      [folderId, [{ name: 'Ann.vcf', text: 42 }]],
      [folderId, Array.from({ length: 1001 }, () => good)],
      [folderId, [good], 'extra'],
    ];
    for (const args of bad) expect(await dispatch(handlers, 'writeExportFiles', args), JSON.stringify(args).slice(0, 80)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'chooseExportFolder', [42])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch(handlers, 'writeExportFiles', ['6f1c7a52-3c1e-4c2b-9a51-1f0d2b3c4d5e', [good]])).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('a cancelled folder dialog writes nothing and gives no handle', async () => {
    const { folder, dialog, handlers } = setup();
    dialog.answer = null;
    expect(await dispatch(handlers, 'chooseExportFolder', ['Save'])).toEqual({ ok: true, value: null });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('forgets a folder left idle for half an hour', async () => {
    const { folder, platform } = setup();
    let now = 0;
    const folders = new ExportFolders(platform, () => now);
    const chosen = (await folders.choose('Save'))!;
    now = FOLDER_IDLE_MS + 1;
    await expect(folders.write(chosen.folderId, [{ name: 'Ann.vcf', text: vcard('Ann') }])).rejects.toMatchObject({ code: 'not-found' });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('is not available in the harness, which downloads the files', async () => {
    const { handlers, dialog } = setup('harness');
    expect(await dispatch(handlers, 'chooseExportFolder', ['Save'])).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(dialog.asked).toEqual([]);
  });
});
