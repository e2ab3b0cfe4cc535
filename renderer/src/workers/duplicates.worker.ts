/**
 * Finds likely duplicates off the UI thread: a whole book (or several), or an import's cards
 * against the book. The page posts a `DuplicatesRequest` (shared/duplicates/protocol.ts) and
 * gets one `DuplicatesResponse` back; nothing here writes to the store or merges anything.
 */
import { serveDuplicatesRequest } from '../../../shared/duplicates/serve';

self.onmessage = (event: MessageEvent<unknown>) => {
  self.postMessage(serveDuplicatesRequest(event.data));
};
