/**
 * A helper of the duplicates worker: makes the keys of a share of the stored contacts (their cards
 * read from IndexedDB here), so a first run uses every core. Posts the keys in chunks, in order,
 * null for a card gone or unreadable; then `end`.
 */
import { duplicateKeys, type DuplicateKeys } from '../../../shared/duplicates/keys';
import { parseVCard } from '../../../shared/vcard';
import { readStoredCards } from './stored-cards';

export interface KeysJob {
  readonly job: number;
  readonly store: string;
  readonly region: string;
  readonly ids: readonly string[];
}

export type KeysReply = { readonly job: number; readonly keys: readonly (DuplicateKeys | null)[] } | { readonly job: number; readonly end: true } | { readonly job: number; readonly failed: string };

const CHUNK = 1000;

self.onmessage = async (event: MessageEvent<KeysJob>) => {
  const { job, store, region, ids } = event.data;
  try {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const texts = await readStoredCards(store, ids.slice(i, i + CHUNK));
      const keys = texts.map((text) => {
        if (text === undefined) return null;
        try {
          return duplicateKeys(parseVCard(text), region);
        } catch {
          return null;
        }
      });
      self.postMessage({ job, keys } satisfies KeysReply);
    }
    self.postMessage({ job, end: true } satisfies KeysReply);
  } catch (e) {
    self.postMessage({ job, failed: e instanceof Error ? e.message : String(e) } satisfies KeysReply);
  }
};
