/**
 * Reads a .vcf (or parts of one: import-split.ts) off the UI thread (import-cards.ts does the
 * work: parse, then each card on its own with a UID, its list fields, content key and duplicate
 * keys) and posts back what the dialog needs to decide. It keeps the cards it read (the parts it
 * was given, one after the other: a part's cards follow the last part's, `offset`): the window
 * names the ones to write and the id each gets, and this worker writes them into the window's
 * IndexedDB itself (db/import-write.ts), telling the window after each batch, until the window
 * terminates it. A write may come while later parts are still to be read (`staged`: written ahead
 * of the user's Import, db/import-write.ts); writes and parts are done one after the other, in
 * the order asked, and `idle` is answered once everything asked before it is over.
 */
import { CardinalDB } from '../db/schema';
import { importedContact, writeNewContacts, type ImportRun, type WrittenBatch } from '../db/import-write';
import { importCards } from './import-cards';
import { importedCard, type ImportedCard } from './imported-cards';

export type { ImportedCard, ImportParseResult } from './import-cards';
import type { ImportParseResult } from './import-cards';

export type ImportWorkerRequest = { seq: number } & (
  /** Parse `data`, its first line numbered `firstLine`; its cards kept after those of the parts before (`reset`: instead of them). */
  | { kind: 'parse'; data: ArrayBuffer; region: string; firstLine?: number; reset?: boolean }
  /** Write the cards read at `indexes`, each with the id at the same place of `ids` (and the UID of `uids`, where one is given) (`staged`: ahead of the user's Import). */
  | { kind: 'write'; db: string; run: ImportRun; indexes: number[]; ids: string[]; updatedAt: number; batch: number; staged?: boolean; uids?: (string | undefined)[] }
  /** Answered once the writes asked before are over. */
  | { kind: 'idle' }
);

export type ImportWorkerReply = { seq: number } & (
  | { kind: 'parsed'; result: ImportParseResult; offset: number }
  | { kind: 'batch'; batch: WrittenBatch }
  | { kind: 'written' }
  | { kind: 'idle' }
  | { kind: 'failed'; message: string }
);

const read: ImportedCard[] = [];
let db: CardinalDB | null = null;
/** The writes and the parts to read, one after the other. */
let writes: Promise<void> = Promise.resolve();

const reply = (m: ImportWorkerReply) => self.postMessage(m);

async function write(req: Extract<ImportWorkerRequest, { kind: 'write' }>): Promise<void> {
  try {
    if (db === null) {
      db = new CardinalDB(req.db);
      await db.open();
    }
    const items = req.indexes.map((k, i) => importedContact(req.ids[i]!, req.run.bookId, read[k]!, req.updatedAt, req.uids?.[i]));
    await writeNewContacts(db, items, req.run, req.batch, (batch) => reply({ seq: req.seq, kind: 'batch', batch }), req.staged === true);
    reply({ seq: req.seq, kind: 'written' });
  } catch (e) {
    reply({ seq: req.seq, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (event: MessageEvent<ImportWorkerRequest>) => {
  const req = event.data;
  if (req.kind === 'write') {
    writes = writes.then(() => write(req));
    return;
  }
  if (req.kind === 'idle') {
    void writes.then(() => reply({ seq: req.seq, kind: 'idle' }));
    return;
  }
  // After the writes asked before it: a write's transaction then never waits for this thread (its
  // keys pages are read and written back in its callbacks), which a part being read would hold up
  // for seconds, and with it the other worker's writes (the two workers' transactions share their
  // tables, so IndexedDB runs them one at a time). The other worker reads its part meanwhile.
  writes = writes.then(() => {
    try {
      const result = importCards(new Uint8Array(req.data), (card, line) => importedCard(card, line, false, req.region), req.firstLine);
      if (req.reset === true) read.length = 0;
      const offset = read.length;
      for (const c of result.cards) read.push(c);
      reply({ seq: req.seq, kind: 'parsed', result, offset });
    } catch (e) {
      reply({ seq: req.seq, kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  });
};
