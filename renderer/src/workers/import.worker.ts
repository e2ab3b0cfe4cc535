/**
 * Reads a .vcf off the UI thread (import-cards.ts does the work: parse, then each card on its own
 * with a UID, its list fields, content key and duplicate keys) and posts back what the dialog
 * needs to decide. The page sends the file's bytes and the OS's region (the keys' phone numbers).
 */
import { importCards } from './import-cards';
import { importedCard } from './imported-cards';

export type { ImportedCard, ImportParseResult } from './import-cards';

export interface ImportWorkerRequest {
  data: ArrayBuffer;
  region: string;
}

self.onmessage = (event: MessageEvent<ImportWorkerRequest>) => {
  const { data, region } = event.data;
  self.postMessage(importCards(new Uint8Array(data), (card, line) => importedCard(card, line, false, region)));
};
