/**
 * Reads a .vcf (or a part of one: import-split.ts) off the UI thread (import-cards.ts does the
 * work: parse, then each card on its own with a UID, its list fields, content key and duplicate
 * keys) and posts back what the dialog needs to decide. It keeps the cards it read: when the
 * user imports, the window names the ones to write and the id each gets, and this worker writes
 * them into the window's IndexedDB itself (db/import-write.ts), telling the window after each
 * batch, until the window terminates it.
 */
import { CardinalDB } from '../db/schema';
import { importedContact, writeNewContacts, type ImportRun, type WrittenBatch } from '../db/import-write';
import { importCards } from './import-cards';
import { importedCard, type ImportedCard } from './imported-cards';

export type { ImportedCard, ImportParseResult } from './import-cards';

export type ImportWorkerRequest =
  /** Parse bytes [start, end) of `data` (all of it without them), its first line numbered `firstLine`. */
  | { kind: 'parse'; data: ArrayBuffer; region: string; start?: number; end?: number; firstLine?: number }
  /** Write the cards read at `indexes` (of the last parse), each with the id at the same place of `ids`. */
  | { kind: 'write'; db: string; run: ImportRun; indexes: number[]; ids: string[]; updatedAt: number; batch: number };

export type ImportWorkerReply = { kind: 'batch'; batch: WrittenBatch } | { kind: 'written' } | { kind: 'failed'; message: string };

let read: ImportedCard[] = [];

async function write(req: Extract<ImportWorkerRequest, { kind: 'write' }>): Promise<void> {
  const db = new CardinalDB(req.db);
  try {
    await db.open();
    const items = req.indexes.map((k, i) => importedContact(req.ids[i]!, req.run.bookId, read[k]!, req.updatedAt));
    await writeNewContacts(db, items, req.run, req.batch, (batch) => self.postMessage({ kind: 'batch', batch } satisfies ImportWorkerReply));
    self.postMessage({ kind: 'written' } satisfies ImportWorkerReply);
  } catch (e) {
    self.postMessage({ kind: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies ImportWorkerReply);
  } finally {
    db.close();
  }
}

self.onmessage = (event: MessageEvent<ImportWorkerRequest>) => {
  const req = event.data;
  if (req.kind === 'write') {
    void write(req);
    return;
  }
  const bytes = new Uint8Array(req.data, req.start ?? 0, (req.end ?? req.data.byteLength) - (req.start ?? 0));
  const result = importCards(bytes, (card, line) => importedCard(card, line, false, req.region), req.firstLine);
  read = result.cards;
  self.postMessage(result);
};
