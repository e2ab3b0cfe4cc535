/**
 * Finds likely duplicates off the UI thread: a whole book (or several), or an import's cards
 * against the book. The page posts a `DuplicatesRequest` (shared/duplicates/protocol.ts) and
 * gets `progress` messages while keys are made from vCards, then one answer; nothing here writes
 * to the store or merges anything. The page keeps one worker for the session
 * (`features/duplicates/finder.ts`).
 */
import { serveDuplicatesRequest } from '../../../shared/duplicates/serve';
import type { DuplicatesResponse } from '../../../shared/duplicates/protocol';

self.onmessage = (event: MessageEvent<unknown>) => {
  const data = event.data;
  const requestId = typeof data === 'object' && data !== null && 'requestId' in data && typeof data.requestId === 'number' ? data.requestId : -1;
  const answer = serveDuplicatesRequest(data, (done, total) => {
    self.postMessage({ type: 'progress', requestId, done, total } satisfies DuplicatesResponse);
  });
  self.postMessage(answer);
};
