/**
 * Reads a .vcf off the UI thread (import-cards.ts does the work) and posts back what the import
 * dialog needs to decide.
 */
import { importCards } from './import-cards';

export type { ImportedCard, ImportParseResult } from './import-cards';

self.onmessage = (event: MessageEvent<ArrayBuffer>) => {
  self.postMessage(importCards(new Uint8Array(event.data)));
};
