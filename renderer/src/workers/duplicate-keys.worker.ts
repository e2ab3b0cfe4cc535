/**
 * A helper of the duplicates worker: makes the keys of a share of the stored contacts (their cards
 * read from IndexedDB here), so a first run uses every core. Posts the keys in chunks, in order,
 * each with the print of the card it was made from (so the worker can store it), null for a card
 * gone or unreadable; then `end`. Keys stored with a card and still current are taken as they are.
 */
import { currentStoredKeys, duplicateKeys, storedKeys, type StoredKeys } from '../../../shared/duplicates/keys';
import { parseVCard } from '../../../shared/vcard';
import { readStoredCards } from './stored-cards';

export interface KeysJob {
  readonly job: number;
  readonly store: string;
  readonly region: string;
  readonly ids: readonly string[];
}

export type KeysReply = { readonly job: number; readonly keys: readonly (StoredKeys | null)[] } | { readonly job: number; readonly end: true } | { readonly job: number; readonly failed: string };

const CHUNK = 1000;

self.onmessage = async (event: MessageEvent<KeysJob>) => {
  const { job, store, region, ids } = event.data;
  try {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const cards = await readStoredCards(store, ids.slice(i, i + CHUNK));
      const keys = cards.map((card) => {
        if (card === undefined) return null;
        const current = currentStoredKeys(card.keys, card.vcard, region);
        if (current !== undefined) return storedKeys(card.vcard, current);
        try {
          return storedKeys(card.vcard, duplicateKeys(parseVCard(card.vcard), region));
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
