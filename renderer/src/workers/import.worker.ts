/**
 * Reads a .vcf off the UI thread (import-cards.ts does the work: parse, then each card on its own
 * with a UID, its list fields and content key) and posts back what the dialog needs to decide.
 */
import { importCards } from './import-cards';

export type { ImportedCard, ImportParseResult } from './import-cards';

self.onmessage = (event: MessageEvent<ArrayBuffer>) => {
  self.postMessage(importCards(new Uint8Array(event.data)));
};
