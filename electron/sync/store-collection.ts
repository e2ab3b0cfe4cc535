/** A LocalCollection for one book, answered by the renderer's store over the store requests. */
import type { StorePort } from '../core/store-port';
import type { LocalCollection } from './local';

export function storeCollection(store: StorePort, bookId: string): LocalCollection {
  return {
    state: () => store.request('syncState', bookId),
    pending: () => store.request('pendingCards', bookId),
    knownEtags: async () => new Map(await store.request('knownEtags', bookId)),
    applyRemote: (batch) => store.request('applyRemote', bookId, batch),
    attempting: (ids) => store.request('attemptingUpload', bookId, ids),
    uploaded: (id, remote) => store.request('uploaded', bookId, id, remote),
    deleted: (id) => store.request('deletedRemote', bookId, id),
    failed: (id, message) => store.request('failedUpload', bookId, id, message),
    conflicted: (id, merged, remote, conflicts) => store.request('conflicted', bookId, id, merged, remote, conflicts),
  };
}
