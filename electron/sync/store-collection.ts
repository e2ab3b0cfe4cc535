/** A LocalCollection for one book, answered by the renderer's store over the store requests. */
import type { StorePort } from '../core/store-port';
import type { LocalCollection } from './local';

export function storeCollection(store: StorePort, bookId: string): LocalCollection {
  return {
    state: () => store.request('syncState', bookId),
    pending: (opts) => store.request('pendingCards', bookId, opts?.retryRefused === true),
    knownEtags: async () => new Map(await store.request('knownEtags', bookId)),
    etagsOf: async (hrefs) => new Map(await store.request('etagsOf', bookId, hrefs)),
    hasServerCards: () => store.request('hasServerCards', bookId),
    applyRemote: async (batch) => {
      const unreadable: unknown = await store.request('applyRemote', bookId, batch);
      return Array.isArray(unreadable) ? unreadable.filter((href): href is string => typeof href === 'string') : [];
    },
    attempting: async (sent) => {
      const gone: unknown = await store.request('attemptingUpload', bookId, sent);
      return Array.isArray(gone) ? gone.filter((id): id is string => typeof id === 'string') : [];
    },
    uploaded: (id, remote, revision) => store.request('uploaded', bookId, id, remote, revision),
    deleted: (id, revision) => store.request('deletedRemote', bookId, id, revision),
    restored: (id, remote, revision) => store.request('restoredRemote', bookId, id, remote, revision),
    failed: (id, message, revision) => store.request('failedUpload', bookId, id, message, revision),
    conflicted: (id, merged, remote, conflicts, revision) => store.request('conflicted', bookId, id, merged, remote, conflicts, revision),
  };
}
