/** The renderer's Dexie store (in fake-indexeddb) behind the store requests, as the app wires it. */
import type { StorePort } from '../../electron/core/store-port';
import { ContactRepo } from '../../renderer/src/db/repo';
import { labelStoreHandlers } from '../../renderer/src/db/label-store';
import { syncStoreHandlers } from '../../renderer/src/db/sync-store';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { GroupStore } from '../../renderer/src/store/groups';
import type { StoreHandlers } from '../../shared/ipc/contract';

/** The renderer's side, as the app builds it: repo, in-memory list, groups, store handlers. */
export async function openStore(name: string, onRequest?: (name: string, args: unknown[]) => void, onAnswer?: (name: string, result: unknown) => void) {
  const repo = await ContactRepo.open(name);
  const index = new ContactIndex('en');
  index.load(await repo.allRows());
  const groups = await GroupStore.open(repo, index);
  /** What the app's LinkStore does when a sync moved a link's member (set by a test that opens one). */
  const hooks: { linksMoved: () => Promise<void> } = { linksMoved: async () => {} };
  const handlers = { getStoreStats: async () => ({ contacts: index.size }), ...syncStoreHandlers(repo, index, () => hooks.linksMoved()), ...labelStoreHandlers(repo, index, (b, l, a) => groups.setLabels(b, l, a)) } satisfies StoreHandlers;
  // Arguments and results cross a process boundary in the app: copy them the same way.
  const port: StorePort = {
    request: async (req, ...args) => {
      onRequest?.(req, args);
      const fn = handlers[req] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn(...(JSON.parse(JSON.stringify(args)) as unknown[]));
      onAnswer?.(req, result);
      return (result === undefined ? undefined : JSON.parse(JSON.stringify(result))) as never;
    },
  };
  return { repo, index, groups, port, hooks };
}

