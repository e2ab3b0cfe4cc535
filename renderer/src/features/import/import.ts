/**
 * Import: read files in the worker, then sort every card into new / identical / conflicting
 * against the target book (by UID, else by name and content), so importing the same file twice
 * creates nothing, and a changed card is only overwritten when the user says so.
 */
import { contentKey } from '../../../../shared/book/identity';
import { parseVCard } from '../../../../shared/vcard';
import { ContactRepo, IMPORT_BATCH, type StoredContact } from '../../db/repo';
import type { ContactRow } from '../../db/schema';
import type { ImportRun } from '../../db/import-write';
import type { Services } from '../../services';
import type { ImportedCard, ImportParseResult, ImportWorkerReply, ImportWorkerRequest } from '../../workers/import.worker';
import { importParts, joinParts, SPLIT_MIN_BYTES } from '../../workers/import-split';
import { commitStaged, importedContact } from '../../db/import-write';
import { dropStaged } from '../../db/staged';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { idInShare } from '../../db/keys-pages';
import { stampAfter } from '../../db/history';
import type { CsvWorkerReply, CsvWorkerRequest } from '../../workers/csv.worker';
import { DEFAULT_LIMITS, type VCardParseError } from '../../../../shared/vcard';
import { hasRoundTrip, type ColumnMapping, type CsvDelimiter, type CsvEncoding, type CsvFormatId, type CsvPreview, type CsvRowError, type EncodingDoubt } from '../../../../shared/csv';
import { syncSoon } from '../../actions';
import type { ImportDuplicate } from '../../../../shared/duplicates/types';
import { appRegion, duplicateFinder } from '../duplicates/finder';
import { exportedCategories, importGroupCounts, splitImportFacts, withExportedCategories, type ImportedGroup } from '../../../../shared/groups/transfer';
import { listGroups } from '../../../../shared/groups/list';
import { scopeCardsWithGroups } from '../export/scope';

export interface ImportPreview {
  fileName: string;
  /** The book the cards were compared with, and go to. */
  bookId: string;
  /** What the worker read, kept so another target book can be compared without reading again. */
  parsed: ImportParseResult;
  total: number;
  fresh: ImportedCard[];
  identical: number;
  /** Cards the same as one before them in the file (counted apart from those already in the book). */
  repeated: number;
  /**
   * Cards with the UID of another, different card before them in the file (a writer that gave two
   * contacts one UID, or two versions of one contact): kept as separate new contacts, each card's
   * data whole, written with a UID of its own (`newUids`: a server refuses a second card of one
   * UID, and a group card naming the UID names the first), and said in the summary. Never an
   * update of a contact here: the first card of a UID alone may be one (a second would write over
   * the first's data).
   */
  sharedUid: number;
  /** The new cards written with a new UID (`sharedUid`), and that UID. */
  newUids: ReadonlyMap<ImportedCard, string>;
  conflicting: { card: ImportedCard; existingId: string }[];
  errors: VCardParseError[];
  /**
   * New cards that look like contacts already in the book (the duplicates worker's
   * `findImportDuplicates`), offered for review after the import: `incoming` is `fresh-<index>`.
   */
  likely: readonly ImportDuplicate[];
  /** The file's groups (its group cards, and CATEGORIES where the book keeps groups another way), made or joined after the contacts. */
  groups: ImportedGroup[];
  /** The group names the file carries (group cards and CATEGORIES): how many are new to the book, how many join one of its groups. */
  groupCounts: { created: number; joined: number };
  /** A CSV's format and the rows it could not read (or read with a warning). */
  csv?: CsvImportFacts;
}

/** What the summary shows of a CSV, and what it reads the file again with when another encoding is chosen. */
export interface CsvImportFacts {
  format: CsvFormatId;
  errors: CsvRowError[];
  /** Rows not imported (broken quotes count every line they ran together), part of the summary's total. */
  skipped: number;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** When the encoding was a guess: what was detected and why unsure (features/import/CsvNotices.tsx says it). */
  detected?: CsvEncoding;
  doubt?: EncodingDoubt;
  mapping: ColumnMapping;
  /** The file, kept to read it again in another encoding. */
  data: ArrayBuffer;
  /** The first contacts' names as read, to see whether the letters are right. */
  sample: string[];
}

/** A CSV by its name or type: .csv, or .tsv/.txt as Excel's "Unicode text" saves it. */
export function isCsvFile(file: { name: string; type?: string }): boolean {
  return /\.(csv|tsv)$/i.test(file.name) || file.type === 'text/csv' || file.type === 'text/tab-separated-values';
}

/** A file the import takes: .vcf/.vcard or CSV. */
export function isImportFile(file: { name: string; type?: string }): boolean {
  return /\.(vcf|vcard)$/i.test(file.name) || (file.type ?? '').includes('vcard') || isCsvFile(file);
}

function askCsvWorker(request: CsvWorkerRequest): Promise<CsvWorkerReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../../workers/csv.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<CsvWorkerReply>) => {
      worker.terminate();
      if (e.data.kind === 'error') reject(new Error(e.data.message));
      else resolve(e.data);
    };
    worker.onerror = (e) => {
      reject(new Error(e.message));
      worker.terminate();
    };
    // A copy goes to the worker: the page keeps the bytes for the import after the mapping step.
    worker.postMessage(request.kind === 'round-trip' ? request : { ...request, data: request.data.slice(0) });
  });
}

/** What a CSV is (encoding, delimiter, format, first rows, proposed mapping), read in the worker. */
export async function previewCsvInWorker(data: ArrayBuffer, options: { encoding?: CsvEncoding; delimiter?: CsvDelimiter } = {}): Promise<CsvPreview> {
  const reply = await askCsvWorker({ kind: 'preview', data, ...options });
  if (reply.kind !== 'preview') throw new Error('unexpected reply from the CSV reader');
  return reply.preview;
}

/** How many names of the first contacts the summary shows. */
const SAMPLE_NAMES = 3;

/** Read a CSV with a mapping in the worker, then sort its cards against the book like a .vcf's. */
export async function previewCsvImport(s: Services, fileName: string, data: ArrayBuffer, preview: Pick<CsvPreview, 'encoding' | 'delimiter' | 'detected' | 'doubt'>, mapping: ColumnMapping, bookId: string): Promise<ImportPreview> {
  performance.mark('cardinal:import-start');
  const reply = await askCsvWorker({ kind: 'import', data, encoding: preview.encoding, delimiter: preview.delimiter, mapping, region: await appRegion() });
  if (reply.kind !== 'import') throw new Error('unexpected reply from the CSV reader');
  performance.mark('cardinal:import-parsed');
  const classified = await classifyImport(s, fileName, { cards: reply.cards, errors: [] }, bookId, csvRoundTripKeys(mapping.format));
  const doubt = preview.doubt === undefined || preview.detected === undefined ? {} : { detected: preview.detected, doubt: preview.doubt };
  const sample = reply.cards.slice(0, SAMPLE_NAMES).map((c) => c.fields.displayName);
  return withCsv(classified, { format: mapping.format, errors: reply.errors, skipped: 0, encoding: preview.encoding, delimiter: preview.delimiter, ...doubt, mapping, data, sample });
}

/** The CSV worker's round trip for a format Cardinal writes (none for the others). */
function csvRoundTripKeys(format: CsvFormatId): RoundTripKeys | undefined {
  if (!hasRoundTrip(format)) return undefined;
  return async (vcards) => {
    const reply = await askCsvWorker({ kind: 'round-trip', format, vcards: [...vcards] });
    if (reply.kind !== 'round-trip') throw new Error('unexpected reply from the CSV reader');
    return reply.keys;
  };
}

/** Rows a CSV error leaves out: none for a cell kept with a warning, every line of rows a broken quote ran together. */
export function rowsLeftOut(errors: readonly CsvRowError[]): number {
  let n = 0;
  for (const e of errors) {
    if (e.code === 'bad-date' || e.code === 'exchange-address') continue;
    n += e.code === 'run-together' && e.line !== undefined && e.endLine !== undefined ? e.endLine - e.line + 1 : 1;
  }
  return n;
}

function withCsv(preview: ImportPreview, csv: CsvImportFacts): ImportPreview {
  // Rows left out count as read (the summary's total), like a .vcf's unreadable cards.
  const skipped = rowsLeftOut(csv.errors);
  return { ...preview, total: preview.total + skipped, csv: { ...csv, skipped } };
}

/** The import preview again against another book (a CSV keeps its row errors). */
export async function reclassify(s: Services, preview: ImportPreview, bookId: string): Promise<ImportPreview> {
  // The new cards written ahead were this book's: taken out (they are written on Import instead).
  const r = readers.get(preview.parsed);
  if (r !== undefined) await unstage(s, r);
  const again = await classifyImport(s, preview.fileName, preview.parsed, bookId, preview.csv === undefined ? undefined : csvRoundTripKeys(preview.csv.format));
  return preview.csv === undefined ? again : withCsv(again, preview.csv);
}

/**
 * A CSV's summary again with the file read in another encoding. A Google or Outlook file is
 * recognised again from its header in that reading (Outlook's German headers have umlauts); a
 * file mapped by hand keeps its mapping. Null when the header in the new reading is no known
 * format: the caller goes on to the column mapping.
 */
export async function rereadCsvImport(s: Services, preview: ImportPreview, encoding: CsvEncoding): Promise<{ preview: ImportPreview } | { mapping: CsvPreview }> {
  const csv = preview.csv!;
  const next = await previewCsvInWorker(csv.data, { encoding, delimiter: csv.delimiter });
  if (csv.format !== 'custom' && next.format === 'custom') return { mapping: next };
  const mapping = csv.format === 'custom' ? csv.mapping : next.mapping;
  return { preview: await previewCsvImport(s, preview.fileName, csv.data, next, mapping, preview.bookId) };
}

/**
 * An import worker, asked by numbered requests: each reply goes to the request it answers (a
 * worker may parse a later part while it writes an earlier part's cards).
 */
class ImportReader {
  readonly worker = new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });
  private seq = 0;
  private readonly waiting = new Map<number, (m: ImportWorkerReply) => void>();
  private broken: Error | null = null;
  constructor() {
    this.worker.onmessage = (e: MessageEvent<ImportWorkerReply>) => this.waiting.get(e.data.seq)?.(e.data);
    this.worker.onerror = (e) => {
      this.broken = new Error(e.message);
      for (const on of this.waiting.values()) on({ seq: -1, kind: 'failed', message: e.message });
    };
  }
  /** Send a request; `on` gets each reply to it until it returns true (the last). */
  send(request: DistributiveOmit<ImportWorkerRequest, 'seq'>, on: (m: ImportWorkerReply) => boolean, transfer: Transferable[] = []): void {
    if (this.broken !== null) {
      on({ seq: -1, kind: 'failed', message: this.broken.message });
      return;
    }
    const seq = ++this.seq;
    this.waiting.set(seq, (m) => {
      if (on(m)) this.waiting.delete(seq);
    });
    this.worker.postMessage({ ...request, seq }, transfer);
  }
  /** One request answered by one reply. */
  ask(request: DistributiveOmit<ImportWorkerRequest, 'seq'>, transfer: Transferable[] = []): Promise<ImportWorkerReply> {
    return new Promise((resolve) =>
      this.send(
        request,
        (m) => {
          resolve(m);
          return true;
        },
        transfer,
      ),
    );
  }
  terminate(): void {
    this.worker.terminate();
  }
  /** Stop the worker's work (the reading closed): it ends, and every request waiting fails. */
  cancel(): void {
    this.worker.terminate();
    this.broken = new Error('the reading was cancelled');
    for (const on of [...this.waiting.values()]) on({ seq: -1, kind: 'failed', message: this.broken.message });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The new cards of an import into this computer's book written ahead (db/import-write.ts
 * `writeNewContacts(…, staged)`) while the workers still read the file and the summary is open:
 * each part's new cards, sorted in file order as soon as the parts before it are (`ImportSorter`),
 * written by the worker that read them. Nothing of it shows (no list row, no run) until Import
 * commits it (`commitStaged`); closing the summary, another target book or a failure takes it out
 * (`dropStaged`), and so does the next start after a crash (`ContactRepo.open`).
 */
interface Staging {
  run: ImportRun;
  updatedAt: number;
  /** The id each new card was written with. */
  ids: Map<ImportedCard, string>;
  /** Each staged write, settled with its first and last version stamps (or its failure). */
  writes: Promise<{ first: number; last: number } | null>[];
  /** How many were written so far, and how many asked. */
  done: number;
  asked: number;
  failed: boolean;
  phase: 'staging' | 'committing' | 'committed' | 'dropped';
}

/**
 * The import workers that read a .vcf and keep its cards until the import is written (they write
 * its new contacts themselves: db/import-write.ts), and where each card of the result came from.
 * Held beside the result, never in it (the summary keeps the result); ended by `releaseImport`,
 * or when the result is collected.
 */
interface ImportReaders {
  workers: ImportReader[];
  origin: WeakMap<ImportedCard, { worker: number; index: number }>;
  staging?: Staging;
}
const readers = new WeakMap<ImportParseResult, ImportReaders>();
const ending = new FinalizationRegistry<ImportReader[]>((workers) => {
  for (const w of workers) w.terminate();
});

/** Every write asked of these workers is over. */
function idle(workers: readonly ImportReader[]): Promise<unknown> {
  return Promise.all(workers.map((w) => w.ask({ kind: 'idle' })));
}

/** The cards written ahead taken out (once every write asked is over); the workers kept. */
async function unstage(s: Services, r: ImportReaders): Promise<void> {
  const st = r.staging;
  if (st === undefined || st.phase !== 'staging') return;
  st.phase = 'dropped';
  delete r.staging;
  await idle(r.workers);
  await dropStaged(s.repo.db, [st.run.id], [...st.ids.values()]);
}

/** The import's workers are no longer needed (the summary closed, or the import was written); cards written ahead and not committed are taken out. */
export function releaseImport(parsed: ImportParseResult, s: Services): void {
  const r = readers.get(parsed);
  if (r === undefined) return;
  readers.delete(parsed);
  ending.unregister(parsed);
  const end = () => {
    for (const w of r.workers) w.terminate();
  };
  if (r.staging?.phase === 'staging')
    void unstage(s, r)
      .catch(() => {}) // what is left is taken out at the next start (its run is still named as staged)
      .finally(end);
  else end();
}

/** A part of the file read, in file order: its cards (at most the file's card limit in all), its worker, where its cards start there. */
export interface ReadPart {
  cards: ImportedCard[];
  /** The worker that read it (of `workers`), and where its cards start among that worker's. */
  worker: number;
  workers: number;
  reader: ImportReader;
  offset: number;
}

/** Parts per worker when a file is read for an import written ahead: the first part's cards are written while the rest are read. */
export const PARTS_PER_WORKER = 4;

/**
 * Read a .vcf in import workers: a large file in parts, one worker per core (at most two), each
 * part cut between two cards (workers/import-split.ts); a cut that fell inside a card is read
 * again whole. `region`: the OS's, for the duplicate keys made with each card (appRegion).
 * `onPart`: each part's cards in file order as soon as it and the parts before it are read (a
 * large file is then read in `PARTS_PER_WORKER` parts a worker, the workers taking turns); the
 * promise waits for the last `onPart`; `onRestart` before the file is read again whole (what the
 * parts gave is then not the file's).
 */
export async function parseInWorker(data: ArrayBuffer, region: string, onPart?: (part: ReadPart) => Promise<void>, onRestart?: () => Promise<void>, signal?: AbortSignal): Promise<ImportParseResult> {
  const cores = Math.min(2, navigator.hardwareConcurrency || 1);
  const parts = importParts(new Uint8Array(data), onPart === undefined ? cores : cores * PARTS_PER_WORKER);
  let workers = Array.from({ length: Math.min(cores, parts.length) }, () => new ImportReader());
  // The reading closed (`signal`): the workers end at once, their waiting requests failing.
  const cancel = () => {
    for (const w of workers) w.cancel();
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    if (signal?.aborted === true) cancel();
    const parse = (w: ImportReader, request: DistributiveOmit<ImportWorkerRequest, 'seq'>, transfer: ArrayBuffer[]) =>
      w.ask(request, transfer).then((m) => {
        if (m.kind !== 'parsed') throw new Error(m.kind === 'failed' ? m.message : 'unexpected reply from the import reader');
        return m;
      });
    const origin = new WeakMap<ImportedCard, { worker: number; index: number }>();
    let results: ImportParseResult[];
    let byWorker: number[];
    if (parts.length === 1) {
      const m = await parse(workers[0]!, { kind: 'parse', data, region }, [data]);
      results = [m.result];
      byWorker = [0];
      m.result.cards.forEach((c, i) => origin.set(c, { worker: 0, index: m.offset + i }));
    } else {
      byWorker = parts.map((_, i) => i % workers.length);
      // Parts handed out in turns, each worker reading its parts in order. With `onPart`, a worker
      // is given its next part once its last one went to `onPart` (in file order): a write asked
      // there comes before the next part in its queue, so it goes on while that part is read.
      type Parsed = Awaited<ReturnType<typeof parse>>;
      const settle = parts.map(() => {
        const d = {} as { promise: Promise<Parsed>; resolve: (m: Parsed) => void; reject: (e: unknown) => void };
        d.promise = new Promise<Parsed>((resolve, reject) => Object.assign(d, { resolve, reject }));
        return d;
      });
      for (const g of settle) g.promise.catch(() => {}); // thrown by Promise.all below
      const read = (i: number) => {
        const p = parts[i]!;
        const part = data.slice(p.start, p.end);
        parse(workers[byWorker[i]!]!, { kind: 'parse', data: part, region, firstLine: p.firstLine }, [part]).then((m) => {
          m.result.cards.forEach((c, k) => origin.set(c, { worker: byWorker[i]!, index: m.offset + k }));
          settle[i]!.resolve(m);
          if (onPart === undefined && i + workers.length < parts.length) read(i + workers.length);
        }, settle[i]!.reject);
      };
      for (let w = 0; w < workers.length; w++) read(w);
      let delivered: Promise<void> = Promise.resolve();
      let count = 0;
      if (onPart !== undefined)
        for (const [i, g] of settle.entries())
          delivered = delivered.then(async () => {
            const m = await g.promise;
            const cards = m.result.cards.slice(0, Math.max(0, DEFAULT_LIMITS.maxCards - count));
            count += cards.length;
            await onPart({ cards, worker: byWorker[i]!, workers: workers.length, reader: workers[byWorker[i]!]!, offset: m.offset });
            if (i + workers.length < parts.length) read(i + workers.length);
          });
      // A failed `onPart` stops the reading: the parts not read yet fail with it.
      delivered.catch((e: unknown) => settle.forEach((g) => g.reject(e)));
      results = (await Promise.all(settle.map((g) => g.promise))).map((m) => m.result);
      await delivered;
    }
    const whole = (r: ImportParseResult): ImportParseResult => ({ cards: r.cards, errors: r.errors, ...(r.stray !== undefined ? { stray: r.stray } : {}), ...(r.outside !== undefined ? { outside: r.outside } : {}) });
    let joined = results.length === 1 ? whole(results[0]!) : joinParts(results);
    if (joined === null) {
      await onRestart?.();
      for (const w of workers.slice(1)) w.terminate();
      workers = workers.slice(0, 1);
      const m = await parse(workers[0]!, { kind: 'parse', data, region, reset: true }, [data]);
      m.result.cards.forEach((c, i) => origin.set(c, { worker: 0, index: m.offset + i }));
      joined = whole(m.result);
    }
    readers.set(joined, { workers, origin });
    ending.register(joined, workers, joined);
    return joined;
  } catch (e) {
    for (const w of workers) w.terminate();
    throw e;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

/** Whether a .vcf into this book is written ahead while the summary is open: this computer's book only (a synced book's new rows are its offline queue, which a sync would send). */
const writesAhead = (bookId: string) => bookId === LOCAL_BOOK_ID;

/** `signal`: the reading closed before its summary (the workers stop; what they wrote ahead is taken out). */
export async function previewImport(s: Services, fileName: string, data: ArrayBuffer, bookId: string, signal?: AbortSignal): Promise<ImportPreview> {
  performance.mark('cardinal:import-start');
  const region = await appRegion();
  let pipelined = writesAhead(bookId) && data.byteLength >= SPLIT_MIN_BYTES;
  const sorter = pipelined ? new ImportSorter(s, bookId) : null;
  const run: ImportRun = { id: crypto.randomUUID(), bookId, name: fileName };
  const staging: Staging = { run, updatedAt: Date.now(), ids: new Map(), writes: [], done: 0, asked: 0, failed: false, phase: 'staging' };
  /** The cards the sorter took, in file order (checked against the file's at the end). */
  const sorted: ImportedCard[] = [];
  const stage = (part: ReadPart, fresh: readonly ImportedCard[]) => {
    if (fresh.length === 0) return;
    const at = new Map(part.cards.map((c, k) => [c, part.offset + k]));
    const ids = fresh.map((c) => {
      const id = part.workers < 2 ? crypto.randomUUID() : idInShare(part.worker, part.workers);
      staging.ids.set(c, id);
      return id;
    });
    if (staging.asked === 0) performance.mark('cardinal:import-ahead-start');
    staging.asked += fresh.length;
    staging.writes.push(
      new Promise((resolve) => {
        let first = Infinity;
        let last = 0;
        let before = 0;
        part.reader.send({ kind: 'write', db: s.repo.db.name, run, indexes: fresh.map((c) => at.get(c)!), ids, uids: fresh.map((c) => sorter!.newUids.get(c)), updatedAt: staging.updatedAt, batch: IMPORT_BATCH, staged: true }, (m) => {
          if (m.kind === 'batch') {
            staging.done += m.batch.done - before;
            before = m.batch.done;
            first = Math.min(first, m.batch.lastStamp);
            last = Math.max(last, m.batch.lastStamp);
            return false;
          }
          if (m.kind !== 'written') staging.failed = true;
          performance.mark('cardinal:import-ahead-written');
          resolve(m.kind === 'written' ? { first, last } : null);
          return true;
        });
      }),
    );
  };
  let parsed: ImportParseResult;
  try {
    parsed = await parseInWorker(
      data,
      region,
      !pipelined
        ? undefined
        : async (part) => {
            if (!pipelined) return;
            const contacts = part.cards.filter((c) => c.fields.groupCard === '');
            for (const c of part.cards) sorted.push(c);
            stage(part, await sorter!.add(contacts));
          },
      async () => {
        pipelined = false;
      },
      signal,
    );
  } catch (e) {
    if (staging.asked > 0) await dropStaged(s.repo.db, [run.id], [...staging.ids.values()]).catch(() => {});
    throw e;
  }
  performance.mark('cardinal:import-parsed');
  const r = readers.get(parsed)!;
  try {
    // What the parts gave is the file's (in order, the same cards): the sorter's result is the
    // summary, and the new cards written ahead are its new ones.
    if (pipelined && sorted.length === parsed.cards.length && sorted.every((c, i) => c === parsed.cards[i])) {
      r.staging = staging;
      return await sorter!.finish(fileName, parsed);
    }
    if (staging.asked > 0) {
      r.staging = staging;
      await unstage(s, r);
    }
    return await classifyImport(s, fileName, parsed, bookId);
  } catch (e) {
    releaseImport(parsed, s);
    throw e;
  }
}
/**
 * The content keys of stored cards as a CSV format brings them back (written in it and read
 * again, in the CSV worker): null for a card nothing of which comes back.
 */
export type RoundTripKeys = (vcards: readonly string[]) => Promise<readonly (string | null)[]>;

/**
 * Sort what was read into new / identical / conflicting against one book. `roundTrip`: for a CSV
 * in a format Cardinal writes (Google's, Outlook's), which has no UID and keeps only part of a
 * card: a card that matches no contact as stored is compared with the contacts of its name as
 * they come back through that format (exported as the CSV export writes them, groups as
 * CATEGORIES), so Cardinal's own export imported again is "already here", not new.
 */
export async function classifyImport(s: Services, fileName: string, parsed: ImportParseResult, bookId: string, roundTrip?: RoundTripKeys): Promise<ImportPreview> {
  const sorter = new ImportSorter(s, bookId, roundTrip);
  // Group cards are groups, never contacts: taken out here and made (or joined) after the import.
  await sorter.add(parsed.cards.filter((c) => c.fields.groupCard === ''));
  return sorter.finish(fileName, parsed);
}

/**
 * `classifyImport` a part at a time: the file's contacts (group cards left out) handed to `add`
 * in file order, in as many calls as there are parts, sort as the whole file would (a card the
 * same as one before it in the file is identical, whichever part that one was in), and `finish`
 * makes the summary. Without a round trip, what `add` returns is new for good (the summary's
 * `fresh`, in order); with one, the cards that equal a contact only after it are known at `finish`.
 */
export class ImportSorter {
  private readonly labelled: Map<string, string[]>;
  private readonly seenKeys = new Set<string>();
  // Candidates come from the in-memory list (every row has its UID and name): one pass, no
  // IndexedDB query per card. Only a candidate's vCard is read, to compare content.
  private readonly byUid = new Map<string, string[]>();
  private readonly byName = new Map<string, string[]>();
  // For a round trip also by family and given name (sortNameLast, from the N parts, which both
  // formats keep): Google's CSV keeps no display name beside the parts, so "Ada" with the parts
  // Ada Lovelace comes back as "Ada Lovelace".
  private readonly byParts = new Map<string, string[]>();
  /** New so far, in file order; with a round trip, each with the contacts it may equal after it. */
  private readonly fresh: { card: ImportedCard; candidates: readonly string[] }[] = [];
  private identical = 0;
  private repeated = 0;
  /** The UIDs of the file's cards so far (`sharedUid`). */
  private readonly fileUids = new Set<string>();
  private sharedUid = 0;
  /** The UID each second (or later) card of one UID is written with (`ImportPreview.newUids`). */
  readonly newUids = new Map<ImportedCard, string>();
  private readonly conflicting: { card: ImportedCard; existingId: string }[] = [];
  /** How many contacts were handed to `add`. */
  added = 0;

  constructor(
    private readonly s: Services,
    private readonly bookId: string,
    private readonly roundTrip?: RoundTripKeys,
  ) {
    // A Google book's labels live outside its cards, and an export writes them into CATEGORIES:
    // a card of such a file is the same as a contact here whose card plus its labels it equals.
    this.labelled = s.groups.setting(bookId).storage === 'google-labels' ? exportedCategories(listGroups(s.groups.book(bookId)), 'book') : new Map<string, string[]>();
    for (const r of s.index.query('', bookId)) {
      if (r.uid !== '') this.byUid.set(r.uid, [...(this.byUid.get(r.uid) ?? []), r.id]);
      this.byName.set(r.displayName, [...(this.byName.get(r.displayName) ?? []), r.id]);
      if (roundTrip !== undefined && r.sortNameLast !== '') this.byParts.set(r.sortNameLast, [...(this.byParts.get(r.sortNameLast) ?? []), r.id]);
    }
  }

  /** Sort the next contacts of the file (no group cards); returns the ones new so far. */
  async add(contacts: readonly ImportedCard[]): Promise<ImportedCard[]> {
    const { s, labelled } = this;
    const out: ImportedCard[] = [];
    this.added += contacts.length;
    for (const card of contacts) {
      if (this.seenKeys.has(card.key)) {
        this.repeated++; // the same card twice in one file
        continue;
      }
      this.seenKeys.add(card.key);
      const { uid } = card.fields;
      // Another card of the file, before this one, has its UID and other content.
      const uidTaken = uid !== '' && this.fileUids.has(uid);
      if (uid !== '') this.fileUids.add(uid);
      const sameUid = uid === '' ? [] : (this.byUid.get(uid) ?? []);
      // A later card of a UID the file gave two cards is looked for by name too: an earlier import
      // wrote it with a UID of its own (`newUids`), so its file UID names the first card here.
      const byName = this.byName.get(card.fields.displayName) ?? [];
      const candidates = sameUid.length === 0 ? byName : uidTaken ? [...new Set([...sameUid, ...byName])] : sameUid;
      let identical = false;
      for (const id of candidates) {
        const stored = await s.repo.getCard(id);
        if (stored === undefined) continue;
        const labels = labelled.get(id);
        if (contentKey(parseVCard(stored.vcard)) === card.key || (labels !== undefined && contentKey(parseVCard(withExportedCategories(stored.vcard, labels))) === card.key)) {
          identical = true;
          break;
        }
      }
      if (identical) this.identical++;
      else if (sameUid.length > 0 && !uidTaken) this.conflicting.push({ card, existingId: sameUid[0]! });
      else {
        // A second card of one UID is a contact of its own: new, never written over the first.
        if (uidTaken) {
          this.sharedUid++;
          this.newUids.set(card, `urn:uuid:${crypto.randomUUID()}`);
        }
        this.fresh.push({ card, candidates: this.roundTrip === undefined ? [] : [...new Set([...candidates, ...(this.byParts.get(card.fields.sortNameLast) ?? [])])] });
        out.push(card);
      }
    }
    return out;
  }

  /** The summary of the file `parsed` (whose contacts were all handed to `add`). */
  async finish(fileName: string, parsed: ImportParseResult): Promise<ImportPreview> {
    const { s, bookId, roundTrip } = this;
    const split = splitImportFacts(parsed.cards, importFacts, s.groups.setting(bookId).storage);
    const names = [...parsed.cards.filter((c) => c.fields.groupCard !== '').map((c) => c.fields.groupName), ...split.contacts.flatMap((c) => c.fields.categories)];
    const groupCounts = importGroupCounts(s.groups.groups(bookId), names);
    const preview: ImportPreview = { fileName, bookId, parsed, total: parsed.cards.length + parsed.errors.filter((e) => e.code !== 'other-component').length, fresh: [], identical: this.identical, repeated: this.repeated, sharedUid: this.sharedUid, newUids: this.newUids, conflicting: this.conflicting, errors: parsed.errors, likely: [], groups: split.groups, groupCounts };
    const same = roundTrip === undefined ? new Set<number>() : await sameAfterRoundTrip(s, this.fresh, roundTrip);
    preview.identical += same.size;
    preview.fresh = this.fresh.flatMap((f, i) => (same.has(i) ? [] : [f.card]));
    preview.likely = await likelyDuplicates(s, preview.fresh, bookId);
    performance.mark('cardinal:import-classified');
    return preview;
  }
}

/** The places in `fresh` of the cards equal to one of their candidates after the round trip. */
async function sameAfterRoundTrip(s: Services, fresh: readonly { card: ImportedCard; candidates: readonly string[] }[], roundTrip: RoundTripKeys): Promise<Set<number>> {
  const ids = [...new Set(fresh.flatMap((f) => f.candidates))];
  if (ids.length === 0) return new Set();
  const cards = await scopeCardsWithGroups(s, ids, 'categories');
  const keys = await roundTrip(cards.map((c) => c.vcard));
  const keyOf = new Map(cards.map((c, i) => [c.id, keys[i] ?? null]));
  const same = new Set<number>();
  fresh.forEach((f, i) => {
    if (f.candidates.some((id) => keyOf.get(id) === f.card.key)) same.add(i);
  });
  return same;
}

/** The id a new card of an import has for the duplicate finder, before it is written. */
export const freshId = (i: number): string => `fresh-${i}`;

/**
 * New cards that look like contacts already in the book, found in the duplicates worker. A
 * failure there never stops an import: the cards are then only not offered for review.
 */
async function likelyDuplicates(s: Services, fresh: readonly ImportedCard[], bookId: string): Promise<readonly ImportDuplicate[]> {
  const rows = s.index.query('', bookId);
  if (fresh.length === 0 || rows.length === 0) return [];
  try {
    const region = await appRegion();
    return await duplicateFinder.findImport(
      fresh.map((c, i) => ({ id: freshId(i), vcard: c.vcard })),
      rows,
      s.repo.db.name,
      region,
    );
  } catch {
    return [];
  }
}

/** What the split reads of a card the worker read: the list fields it derived. */
const importFacts = (c: ImportedCard) => ({ uid: c.fields.uid, group: c.fields.groupCard === '' ? null : c.fields.groupCard, name: c.fields.groupName, members: c.fields.members, categories: c.fields.categories, vcard: () => c.vcard });

/**
 * Write the new cards (and, if asked, the changed ones over their contacts) in batches, then the
 * file's groups (made in the book's storage or joined by name, the imported contacts their
 * members). Returns how many were written and the id each new card got (by its place in `fresh`).
 * A .vcf's new cards are written by the workers that read them: ahead, while the summary was open
 * (this computer's book: `previewImport`; committed here, once every batch is in), else now
 * (`writeInWorkers`); the changed ones, and a CSV's cards, here.
 */
export async function runImport(s: Services, preview: ImportPreview, updateConflicting: boolean): Promise<{ count: number; freshIds: string[] }> {
  const { bookId } = preview;
  const held = readers.get(preview.parsed);
  performance.mark('cardinal:import-write-start');
  const ahead = held === undefined ? null : await writtenAhead(s, preview, held);
  // Closed while the last batches written ahead were awaited: what was written ahead is taken out,
  // and nothing is written now (the workers that hold the cards are ending).
  if (held !== undefined && readers.get(preview.parsed) !== held) throw new Error('the import was closed before it was written');
  const updatedAt = ahead?.updatedAt ?? Date.now();
  // Cards the import workers hold and write get ids in their worker's share of the keys' pages
  // (keys-pages.ts idInShare): the two workers' batches then touch none of each other's pages.
  const idOf = (c: ImportedCard) => ahead?.ids.get(c) ?? (held === undefined || held.workers.length < 2 ? crypto.randomUUID() : idInShare(held.origin.get(c)?.worker ?? 0, held.workers.length));
  const fresh: StoredContact[] = preview.fresh.map((c) => importedContact(idOf(c), bookId, c, updatedAt, preview.newUids.get(c)));
  const updates: StoredContact[] = [];
  if (updateConflicting) {
    for (const { card, existingId } of preview.conflicting) {
      const row = s.index.get(existingId);
      const old = await s.repo.getCard(existingId);
      if (row !== undefined && old !== undefined) updates.push(ContactRepo.rowsFrom(existingId, bookId, card.vcard, card.fields, { row, card: old }, card.keys));
    }
  }
  // One run for the whole import, so "Recent changes" can undo it as one.
  const run = { kind: 'import' as const, name: preview.fileName, id: ahead?.run.id ?? crypto.randomUUID() };
  try {
    const written = ahead !== null ? await commitAhead(s, ahead, fresh) : fresh.length === 0 ? null : await writeInWorkers(s, preview, fresh, { id: run.id, bookId, name: preview.fileName }, updatedAt);
    const items = written !== null ? updates : [...fresh, ...updates];
    if (items.length > 0) await s.repo.putAll(items, undefined, { source: 'import', run, fresh: written !== null ? 0 : fresh.length });
    performance.mark('cardinal:import-written');
    syncSoon([bookId]);
    // The list once, when every batch is in: a list changed after each batch would save its
    // snapshot and build its search index again in every pause of the write.
    s.index.upsert([...(written ?? []), ...items.map((i) => i.row)]);
  } finally {
    releaseImport(preview.parsed, s);
  }
  await s.groups.importGroups(bookId, preview.groups);
  performance.mark('cardinal:import-done');
  return { count: fresh.length + updates.length, freshIds: fresh.map((i) => i.row.id) };
}

/**
 * The new cards written ahead for this summary, once every staged batch is in; null (what was
 * written ahead taken out) when there are none, or they are not this summary's new cards (another
 * book was chosen), or a batch failed: the caller then writes the new cards now.
 */
async function writtenAhead(s: Services, preview: ImportPreview, r: ImportReaders): Promise<{ staging: Staging; run: ImportRun; ids: Map<ImportedCard, string>; updatedAt: number; first: number; last: number } | null> {
  const st = r.staging;
  if (st === undefined || st.phase !== 'staging') return null;
  const outcomes = await Promise.all(st.writes);
  const usable = st.phase === 'staging' && !st.failed && st.run.bookId === preview.bookId && outcomes.every((o) => o !== null) && preview.fresh.length === st.ids.size && preview.fresh.every((c) => st.ids.has(c));
  if (!usable || st.ids.size === 0) {
    await unstage(s, r);
    return null;
  }
  const done = outcomes as { first: number; last: number }[];
  return { staging: st, run: st.run, ids: st.ids, updatedAt: st.updatedAt, first: Math.min(...done.map((o) => o.first)), last: Math.max(...done.map((o) => o.last)) };
}

/**
 * Commit the cards written ahead (`commitStaged`: their run, its write count, in one transaction);
 * returns their list rows. Closed meanwhile (taken out), it fails as a failed write does.
 */
async function commitAhead(s: Services, ahead: NonNullable<Awaited<ReturnType<typeof writtenAhead>>>, fresh: readonly StoredContact[]): Promise<ContactRow[]> {
  const st = ahead.staging;
  if (st.phase !== 'staging') throw new Error('the import was closed');
  st.phase = 'committing';
  try {
    const generation = await commitStaged(s.repo.db, ahead.run, fresh.map((f) => f.row.id), ahead.first, ahead.last);
    s.repo.generation = Math.max(s.repo.generation, generation);
  } catch (e) {
    // Not committed: still staged, taken out when the summary is released (or at the next start).
    st.phase = 'staging';
    throw e;
  }
  st.phase = 'committed';
  stampAfter(ahead.last);
  return fresh.map((f) => f.row);
}

/**
 * The new cards written by the import workers that hold them, all at once (their batches
 * interleave in IndexedDB; each is one transaction), each batch shown in the list once it is
 * committed; returns the list rows written. Null if the cards are not held by workers (a CSV's):
 * the caller writes them. A failure stops the import as a failed batch here would: the batches
 * committed stay (they go into the list, and are in the run); the first error is thrown once
 * every worker has stopped.
 */
async function writeInWorkers(s: Services, preview: ImportPreview, fresh: readonly StoredContact[], run: ImportRun, updatedAt: number): Promise<ContactRow[] | null> {
  const r = readers.get(preview.parsed);
  if (r === undefined) return null;
  const plans = r.workers.map(() => ({ indexes: [] as number[], ids: [] as string[], uids: [] as (string | undefined)[], rows: [] as ContactRow[] }));
  for (const [i, card] of preview.fresh.entries()) {
    const at = r.origin.get(card);
    if (at === undefined) return null;
    const plan = plans[at.worker]!;
    plan.indexes.push(at.index);
    plan.ids.push(fresh[i]!.row.id);
    plan.uids.push(preview.newUids.get(card));
    plan.rows.push(fresh[i]!.row);
  }
  // Rows committed, by worker.
  const shown = plans.map(() => 0);
  const writeOne = (plan: (typeof plans)[number], w: number) =>
    new Promise<void>((resolve, reject) => {
      if (plan.indexes.length === 0) return resolve();
      r.workers[w]!.send({ kind: 'write', db: s.repo.db.name, run, indexes: plan.indexes, ids: plan.ids, uids: plan.uids, updatedAt, batch: IMPORT_BATCH }, (m) => {
        if (m.kind === 'batch') {
          s.repo.generation = Math.max(s.repo.generation, m.batch.generation);
          stampAfter(m.batch.lastStamp);
          shown[w] = m.batch.done;
          return false;
        }
        if (m.kind === 'written') resolve();
        else reject(new Error(m.kind === 'failed' ? m.message : 'unexpected reply from the import writer'));
        return true;
      });
    });
  const outcomes = await Promise.allSettled(plans.map(writeOne));
  const written = plans.flatMap((p, w) => p.rows.slice(0, shown[w]));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed === undefined) return written;
  s.index.upsert(written);
  throw failed.reason;
}
