/**
 * The preload exposes exactly the contract's named methods as `window.cardinal`, and nothing that
 * reaches ipcRenderer directly. Electron is replaced by a recorder: this runs in plain Node.
 */
import { describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, unknown>();
const invoked: { channel: string; args: unknown[] }[] = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args });
      return { ok: true, value: null };
    },
    on: () => {},
    off: () => {},
    send: () => {},
    removeAllListeners: () => {},
  },
}));

describe('the preload', () => {
  it('exposes one object, window.cardinal, with the contract’s methods and nothing else', async () => {
    await import('../../../electron/preload/index');
    const { REQUEST_NAMES } = await import('../../../electron/core/handlers');
    expect([...exposed.keys()]).toEqual(['cardinal']);
    const api = exposed.get('cardinal') as Record<string, unknown>;
    const events = ['onOpenFiles', 'onSyncStatus', 'onMenu', 'onHostConnection', 'serveStore'];
    expect(Object.keys(api).sort()).toEqual([...REQUEST_NAMES, ...events].sort());
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    // Each request goes out on its own named channel, never a generic one.
    await (api.listAccounts as () => Promise<unknown>)();
    expect(invoked).toEqual([{ channel: 'listAccounts', args: [] }]);
    // The window closes with the main process: there is no host to lose, so nothing is ever told.
    const told: boolean[] = [];
    const off = (api.onHostConnection as (l: (up: boolean) => void) => () => void)((up) => told.push(up));
    expect(typeof off).toBe('function');
    off();
    expect(told).toEqual([]);
  });
});
