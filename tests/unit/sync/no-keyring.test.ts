/**
 * A machine without a keyring (Linux without GNOME Keyring or KWallet): no password is ever
 * written in plain text. Adding an account is refused with `no-keyring` until the user chooses to
 * have it remembered until Cardinal quits; then it lives in memory only, and after a restart the
 * account asks for it again.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardinalError } from '../../../shared/errors';
import type { AccountInfo } from '../../../shared/sync/types';
import { NodePlatform } from '../../../electron/platform/node-platform';
import { AccountStore, SecretForgotten } from '../../../electron/sync/accounts';
import { classifyRunFailure } from '../../../electron/sync/failures';

const safeStorage = { isEncryptionAvailable: vi.fn(() => true), getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'), encryptString: vi.fn(), decryptString: vi.fn() };
vi.mock('electron', () => ({ app: {}, dialog: {}, net: {}, shell: {}, safeStorage }));

const account: AccountInfo = { id: 'a1', kind: 'carddav', serverUrl: 'https://dav.example.org/', user: 'ada', allowInsecure: false, intervalMinutes: 15, books: [], available: [] };
const SECRET = 'correct horse battery staple';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cardinal-keyring-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Everything Cardinal wrote in its folder, as text. */
const written = () => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'latin1')).join('\n');

describe('without a keyring', () => {
  it('adding an account is refused with no-keyring, and nothing is written', async () => {
    const store = new AccountStore(new NodePlatform({ dataDir: dir, version: '0', noKeyring: true }));
    expect(store.secretStorage()).toBe('none');
    const refused = await store.add(account, SECRET).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CardinalError);
    expect((refused as CardinalError).code).toBe('no-keyring');
    expect((refused as CardinalError).message).toMatch(/no keyring/);
    expect(store.list()).toEqual([]);
    expect(() => store.assertCanKeepSecrets()).toThrow(/no keyring/);
  });

  it('“remember until Cardinal quits”: kept in memory, never on disk; after a restart the account asks for it again', async () => {
    const platform = new NodePlatform({ dataDir: dir, version: '0', noKeyring: true });
    const store = new AccountStore(platform);
    store.keepSecretsInMemory();
    expect(store.secretStorage()).toBe('memory');
    await store.add(account, SECRET);
    expect(await store.password('a1')).toBe(SECRET);
    await store.setSecret('a1', `${SECRET} 2`);
    expect(await store.password('a1')).toBe(`${SECRET} 2`);
    expect(written()).not.toContain('correct horse');
    expect(store.list().map((a) => a.id)).toEqual(['a1']);

    const restarted = new AccountStore(new NodePlatform({ dataDir: dir, version: '0', noKeyring: true }));
    const forgotten = await restarted.password('a1').catch((e: unknown) => e);
    expect(forgotten).toBeInstanceOf(SecretForgotten);
    // The account stops with "edit account" (a Google one: "sign in again"), nothing lost.
    expect(classifyRunFailure(forgotten, 'carddav')).toMatchObject({ kind: 'hard', action: 'edit-account', error: { code: 'unauthorized' } });
    expect(classifyRunFailure(forgotten, 'google')).toMatchObject({ kind: 'hard', action: 'sign-in' });
    restarted.keepSecretsInMemory();
    await restarted.update(restarted.list()[0]!, 'given again');
    expect(await restarted.password('a1')).toBe('given again');
    expect(written()).not.toContain('given again');
  });

  it('with a keyring, secrets are sealed at rest as before', async () => {
    const store = new AccountStore(new NodePlatform({ dataDir: dir, version: '0' }));
    expect(store.secretStorage()).toBe('keyring');
    await store.add(account, SECRET);
    expect(written()).not.toContain('correct horse');
    expect(await new AccountStore(new NodePlatform({ dataDir: dir, version: '0' })).password('a1')).toBe(SECRET);
  });
});

describe('Electron’s safeStorage', () => {
  it('Linux’s basic_text backend (a fixed key: plain text in effect) counts as no keyring', async () => {
    const { ElectronPlatform } = await import('../../../electron/main/electron-platform');
    const platform = new ElectronPlatform(() => null);
    const real = process.platform;
    Object.defineProperty(process, 'platform', { value: 'linux' });
    try {
      safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
      expect(platform.canSealSecrets()).toBe(false);
      await expect(platform.encryptSecret('x')).rejects.toThrow(/keyring/);
      safeStorage.getSelectedStorageBackend.mockReturnValue('kwallet5');
      expect(platform.canSealSecrets()).toBe(true);
      safeStorage.isEncryptionAvailable.mockReturnValue(false);
      expect(platform.canSealSecrets()).toBe(false);
    } finally {
      Object.defineProperty(process, 'platform', { value: real });
    }
  });
});
