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
import { importParts, joinParts } from '../../workers/import-split';
import { importedContact } from '../../db/import-write';
import { idInShare } from '../../db/keys-pages';
import { stampAfter } from '../../db/history';
import type { CsvWorkerReply, CsvWorkerRequest } from '../../workers/csv.worker';
import type { VCardParseError } from '../../../../shared/vcard';
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
 * The import workers that read a .vcf and keep its cards until the import is written (they write
 * its new contacts themselves: db/import-write.ts), and where each card of the result came from.
 * Held beside the result, never in it (the summary keeps the result); ended by `releaseImport`,
 * or when the result is collected.
 */
interface ImportReaders {
  workers: Worker[];
  origin: WeakMap<ImportedCard, { worker: number; index: number }>;
}
const readers = new WeakMap<ImportParseResult, ImportReaders>();
const ending = new FinalizationRegistry<Worker[]>((workers) => {
  for (const w of workers) w.terminate();
});

/** The import's workers are no longer needed (the summary closed, or the import was written). */
export function releaseImport(parsed: ImportParseResult): void {
  const r = readers.get(parsed);
  if (r === undefined) return;
  readers.delete(parsed);
  ending.unregister(parsed);
  for (const w of r.workers) w.terminate();
}

/** One request to an import worker, answered by its next message. */
function ask<T>(worker: Worker, request: ImportWorkerRequest, transfer: Transferable[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<T>) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(request, transfer);
  });
}

/**
 * Read a .vcf in import workers: a large file in parts, one worker per core (at most two), each
 * part cut between two cards (workers/import-split.ts); a cut that fell inside a card is read
 * again whole. `region`: the OS's, for the duplicate keys made with each card (appRegion).
 */
export async function parseInWorker(data: ArrayBuffer, region: string): Promise<ImportParseResult> {
  const parts = importParts(new Uint8Array(data), Math.min(2, navigator.hardwareConcurrency || 1));
  let workers = parts.map(() => new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' }));
  try {
    let results =
      parts.length === 1
        ? [await ask<ImportParseResult>(workers[0]!, { kind: 'parse', data, region }, [data])]
        : await Promise.all(
            parts.map((p, i) => {
              const part = data.slice(p.start, p.end);
              return ask<ImportParseResult>(workers[i]!, { kind: 'parse', data: part, region, firstLine: p.firstLine }, [part]);
            }),
          );
    const whole = (r: ImportParseResult): ImportParseResult => ({ cards: r.cards, errors: r.errors, ...(r.stray !== undefined ? { stray: r.stray } : {}) });
    let joined = results.length === 1 ? whole(results[0]!) : joinParts(results);
    if (joined === null) {
      for (const w of workers.slice(1)) w.terminate();
      workers = workers.slice(0, 1);
      results = [await ask<ImportParseResult>(workers[0]!, { kind: 'parse', data, region }, [data])];
      joined = whole(results[0]!);
    }
    const origin = new WeakMap<ImportedCard, { worker: number; index: number }>();
    results.forEach((r, worker) => r.cards.forEach((c, index) => origin.set(c, { worker, index })));
    readers.set(joined, { workers, origin });
    ending.register(joined, workers, joined);
    return joined;
  } catch (e) {
    for (const w of workers) w.terminate();
    throw e;
  }
}

export async function previewImport(s: Services, fileName: string, data: ArrayBuffer, bookId: string): Promise<ImportPreview> {
  performance.mark('cardinal:import-start');
  const parsed = await parseInWorker(data, await appRegion());
  performance.mark('cardinal:import-parsed');
  try {
    return await classifyImport(s, fileName, parsed, bookId);
  } catch (e) {
    releaseImport(parsed);
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
  // Group cards are groups, never contacts: taken out here and made (or joined) after the import.
  const split = splitImportFacts(parsed.cards, importFacts, s.groups.setting(bookId).storage);
  const names = [...parsed.cards.filter((c) => c.fields.groupCard !== '').map((c) => c.fields.groupName), ...split.contacts.flatMap((c) => c.fields.categories)];
  const groupCounts = importGroupCounts(s.groups.groups(bookId), names);
  const preview: ImportPreview = { fileName, bookId, parsed, total: parsed.cards.length + parsed.errors.filter((e) => e.code !== 'other-component').length, fresh: [], identical: 0, conflicting: [], errors: parsed.errors, likely: [], groups: split.groups, groupCounts };
  // A Google book's labels live outside its cards, and an export writes them into CATEGORIES:
  // a card of such a file is the same as a contact here whose card plus its labels it equals.
  const labelled = s.groups.setting(bookId).storage === 'google-labels' ? exportedCategories(listGroups(s.groups.book(bookId)), 'book') : new Map<string, string[]>();
  const seenKeys = new Set<string>();
  // Candidates come from the in-memory list (every row has its UID and name): one pass, no
  // IndexedDB query per card. Only a candidate's vCard is read, to compare content.
  const byUid = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  // For a round trip also by family and given name (sortNameLast, from the N parts, which both
  // formats keep): Google's CSV keeps no display name beside the parts, so "Ada" with the parts
  // Ada Lovelace comes back as "Ada Lovelace".
  const byParts = new Map<string, string[]>();
  for (const r of s.index.query('', bookId)) {
    if (r.uid !== '') byUid.set(r.uid, [...(byUid.get(r.uid) ?? []), r.id]);
    byName.set(r.displayName, [...(byName.get(r.displayName) ?? []), r.id]);
    if (roundTrip !== undefined && r.sortNameLast !== '') byParts.set(r.sortNameLast, [...(byParts.get(r.sortNameLast) ?? []), r.id]);
  }
  // New so far, in file order; with a round trip, each with the contacts it may equal after it.
  const fresh: { card: ImportedCard; candidates: readonly string[] }[] = [];
  for (const card of split.contacts) {
    if (seenKeys.has(card.key)) {
      preview.identical++; // the same card twice in one file
      continue;
    }
    seenKeys.add(card.key);
    const sameUid = card.fields.uid === '' ? [] : (byUid.get(card.fields.uid) ?? []);
    const candidates = sameUid.length > 0 ? sameUid : (byName.get(card.fields.displayName) ?? []);
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
    if (identical) preview.identical++;
    else if (sameUid.length > 0) preview.conflicting.push({ card, existingId: sameUid[0]! });
    else fresh.push({ card, candidates: roundTrip === undefined ? [] : [...new Set([...candidates, ...(byParts.get(card.fields.sortNameLast) ?? [])])] });
  }
  const same = roundTrip === undefined ? new Set<number>() : await sameAfterRoundTrip(s, fresh, roundTrip);
  preview.identical += same.size;
  preview.fresh = fresh.flatMap((f, i) => (same.has(i) ? [] : [f.card]));
  preview.likely = await likelyDuplicates(s, preview.fresh, bookId);
  performance.mark('cardinal:import-classified');
  return preview;
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
 * A .vcf's new cards are written by the workers that read them (`writeInWorkers`); the changed
 * ones, and a CSV's cards, here.
 */
export async function runImport(s: Services, preview: ImportPreview, updateConflicting: boolean): Promise<{ count: number; freshIds: string[] }> {
  const { bookId } = preview;
  const updatedAt = Date.now();
  // Cards the import workers hold and write get ids in their worker's share of the keys' pages
  // (keys-pages.ts idInShare): the two workers' batches then touch none of each other's pages.
  const held = readers.get(preview.parsed);
  const idOf = (c: ImportedCard) => (held === undefined || held.workers.length < 2 ? crypto.randomUUID() : idInShare(held.origin.get(c)?.worker ?? 0, held.workers.length));
  const fresh: StoredContact[] = preview.fresh.map((c) => importedContact(idOf(c), bookId, c, updatedAt));
  const updates: StoredContact[] = [];
  if (updateConflicting) {
    for (const { card, existingId } of preview.conflicting) {
      const row = s.index.get(existingId);
      const old = await s.repo.getCard(existingId);
      if (row !== undefined && old !== undefined) updates.push(ContactRepo.rowsFrom(existingId, bookId, card.vcard, card.fields, { row, card: old }, card.keys));
    }
  }
  // One run for the whole import, so "Recent changes" can undo it as one.
  const run = { kind: 'import' as const, name: preview.fileName, id: crypto.randomUUID() };
  performance.mark('cardinal:import-write-start');
  try {
    const written = fresh.length === 0 ? null : await writeInWorkers(s, preview, fresh, { id: run.id, bookId, name: preview.fileName }, updatedAt);
    const items = written !== null ? updates : [...fresh, ...updates];
    if (items.length > 0) await s.repo.putAll(items, undefined, { source: 'import', run, fresh: written !== null ? 0 : fresh.length });
    performance.mark('cardinal:import-written');
    syncSoon([bookId]);
    // The list once, when every batch is in: a list changed after each batch would save its
    // snapshot and build its search index again in every pause of the write.
    s.index.upsert([...(written ?? []), ...items.map((i) => i.row)]);
  } finally {
    releaseImport(preview.parsed);
  }
  await s.groups.importGroups(bookId, preview.groups);
  performance.mark('cardinal:import-done');
  return { count: fresh.length + updates.length, freshIds: fresh.map((i) => i.row.id) };
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
  const plans = r.workers.map(() => ({ indexes: [] as number[], ids: [] as string[], rows: [] as ContactRow[] }));
  for (const [i, card] of preview.fresh.entries()) {
    const at = r.origin.get(card);
    if (at === undefined) return null;
    const plan = plans[at.worker]!;
    plan.indexes.push(at.index);
    plan.ids.push(fresh[i]!.row.id);
    plan.rows.push(fresh[i]!.row);
  }
  // Rows committed, by worker.
  const shown = plans.map(() => 0);
  const writeOne = (plan: (typeof plans)[number], w: number) =>
    new Promise<void>((resolve, reject) => {
      if (plan.indexes.length === 0) return resolve();
      const worker = r.workers[w]!;
      worker.onmessage = (e: MessageEvent<ImportWorkerReply>) => {
        const m = e.data;
        if (m.kind === 'batch') {
          s.repo.generation = Math.max(s.repo.generation, m.batch.generation);
          stampAfter(m.batch.lastStamp);
          shown[w] = m.batch.done;
        } else if (m.kind === 'written') resolve();
        else reject(new Error(m.message));
      };
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage({ kind: 'write', db: s.repo.db.name, run, indexes: plan.indexes, ids: plan.ids, updatedAt, batch: IMPORT_BATCH } satisfies ImportWorkerRequest);
    });
  const outcomes = await Promise.allSettled(plans.map(writeOne));
  const written = plans.flatMap((p, w) => p.rows.slice(0, shown[w]));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed === undefined) return written;
  s.index.upsert(written);
  throw failed.reason;
}
