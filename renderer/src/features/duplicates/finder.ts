/**
 * The page's side of the duplicates worker (`workers/duplicates.worker.ts`): one worker for the
 * session, requests matched by id, progress passed on. The keys the worker makes from vCards are
 * kept here in memory, beside the very row object they were made for (a WeakMap): an edit or a
 * sync replaces the row, so its keys are made again, and nothing else is ever stale. The first
 * run of a session reads the vCards of the contacts compared; later runs send only the keys.
 * Nothing here writes to the store.
 */
import type { ContactSource, DuplicatesRequest, DuplicatesResponse } from '../../../../shared/duplicates/protocol';
import type { DuplicateKeys } from '../../../../shared/duplicates/keys';
import type { DuplicateReport, DuplicateScope, ImportDuplicate } from '../../../../shared/duplicates/types';
import { regionOfLocale } from '../../../../shared/duplicates/phone';
import type { ContactRow } from '../../db/schema';

/** What the finder needs of a worker (a real one, or the tests' in-process stand-in). */
export interface WorkerLike {
  postMessage(data: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  terminate(): void;
}

/** Where a run is: reading the vCards from the store, making keys in the worker, comparing. */
export interface FindProgress {
  readonly step: 'reading' | 'keys' | 'comparing';
  readonly done: number;
  readonly total: number;
}

export interface FindResult {
  readonly report: DuplicateReport;
  /** Contacts whose card could not be read: left out of the comparison. */
  readonly unreadable: readonly string[];
}

/** The stored vCards of these contacts, in order (undefined for one that is gone). */
export type ReadCards = (ids: readonly string[]) => Promise<readonly (string | undefined)[]>;

/** An incoming card of an import: an id of the caller's choosing and its text. */
export interface IncomingCard {
  readonly id: string;
  readonly vcard: string;
}

const READ_BATCH = 5000;

interface Waiting {
  resolve(r: DuplicatesResponse): void;
  reject(e: Error): void;
  onProgress?: (p: FindProgress) => void;
}

export class DuplicateFinder {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly keys = new WeakMap<ContactRow, DuplicateKeys>();

  constructor(private readonly makeWorker: () => WorkerLike = () => new Worker(new URL('../../workers/duplicates.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike) {}

  /** Likely duplicates among these rows: within each book, or (`all-books`) across them too. */
  async find(rows: readonly ContactRow[], readCards: ReadCards, region: string, scope: DuplicateScope, onProgress?: (p: FindProgress) => void): Promise<FindResult> {
    const contacts = await this.sources(rows, readCards, onProgress);
    const answer = await this.ask((requestId) => ({ type: 'find', requestId, region, scope, contacts: contacts.sources }), onProgress, rows.length);
    if (answer.type !== 'found') throw new Error('unexpected answer from the duplicates worker');
    this.remember(answer.madeKeys, contacts.byId);
    return { report: answer.report, unreadable: [...contacts.missing, ...answer.unreadable] };
  }

  /** An import's cards against a book's rows: for each incoming card that looks like some of them, those. */
  async findImport(incoming: readonly IncomingCard[], rows: readonly ContactRow[], readCards: ReadCards, region: string): Promise<readonly ImportDuplicate[]> {
    if (incoming.length === 0 || rows.length === 0) return [];
    const existing = await this.sources(rows, readCards);
    const answer = await this.ask(
      (requestId) => ({ type: 'find-import', requestId, region, existing: existing.sources, incoming: incoming.map((c) => ({ id: c.id, bookId: 'incoming', vcard: c.vcard })) }),
      undefined,
      rows.length + incoming.length,
    );
    if (answer.type !== 'import-found') throw new Error('unexpected answer from the duplicates worker');
    this.remember(answer.madeKeys, existing.byId);
    return answer.duplicates;
  }

  /** Stop the worker (requests under way fail); the next request starts another. */
  close(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const w of this.waiting.values()) w.reject(new Error('the duplicates worker was stopped'));
    this.waiting.clear();
  }

  private remember(made: readonly { id: string; keys: DuplicateKeys }[], byId: ReadonlyMap<string, ContactRow>): void {
    for (const m of made) {
      const row = byId.get(m.id);
      if (row !== undefined) this.keys.set(row, m.keys);
    }
  }

  /** Each row as its kept keys, or its vCard read from the store (in batches) when it has none yet. */
  private async sources(rows: readonly ContactRow[], readCards: ReadCards, onProgress?: (p: FindProgress) => void): Promise<{ sources: ContactSource[]; byId: Map<string, ContactRow>; missing: string[] }> {
    const sources: ContactSource[] = [];
    const byId = new Map<string, ContactRow>();
    const toRead: ContactRow[] = [];
    for (const row of rows) {
      byId.set(row.id, row);
      const keys = this.keys.get(row);
      if (keys !== undefined) sources.push({ id: row.id, bookId: row.bookId, keys });
      else toRead.push(row);
    }
    const missing: string[] = [];
    for (let i = 0; i < toRead.length; i += READ_BATCH) {
      onProgress?.({ step: 'reading', done: i, total: toRead.length });
      const batch = toRead.slice(i, i + READ_BATCH);
      const texts = await readCards(batch.map((r) => r.id));
      batch.forEach((row, j) => {
        const vcard = texts[j];
        if (vcard === undefined) missing.push(row.id);
        else sources.push({ id: row.id, bookId: row.bookId, vcard });
      });
    }
    return { sources, byId, missing };
  }

  private ask(request: (requestId: number) => DuplicatesRequest, onProgress: ((p: FindProgress) => void) | undefined, total: number): Promise<Exclude<DuplicatesResponse, { type: 'progress' | 'failed' }>> {
    const worker = this.ensureWorker();
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(requestId, {
        resolve: (r) => {
          if (r.type === 'failed') reject(new Error(r.message));
          else if (r.type !== 'progress') resolve(r);
        },
        reject,
        onProgress,
      });
      onProgress?.({ step: 'keys', done: 0, total });
      worker.postMessage(request(requestId));
    });
  }

  private ensureWorker(): WorkerLike {
    if (this.worker !== null) return this.worker;
    const worker = this.makeWorker();
    worker.onmessage = (e: MessageEvent) => {
      const r = e.data as DuplicatesResponse;
      const requestId = r.requestId;
      if (requestId === null) {
        // A message the worker could not read at all: fail everything waiting.
        for (const w of this.waiting.values()) w.reject(new Error(r.type === 'failed' ? r.message : 'the duplicates worker failed'));
        this.waiting.clear();
        return;
      }
      const w = this.waiting.get(requestId);
      if (w === undefined) return;
      if (r.type === 'progress') {
        w.onProgress?.({ step: r.done >= r.total ? 'comparing' : 'keys', done: r.done, total: r.total });
        return;
      }
      this.waiting.delete(requestId);
      w.onProgress?.({ step: 'comparing', done: 1, total: 1 });
      w.resolve(r);
    };
    worker.onerror = (e: ErrorEvent) => {
      const error = new Error(e.message || 'the duplicates worker failed');
      this.worker = null;
      worker.terminate();
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    this.worker = worker;
    return worker;
  }
}

/** The window's one finder. */
export const duplicateFinder = new DuplicateFinder();

let osRegion: Promise<string> | null = null;
/** The OS's region, for national phone numbers (asked of the main process once). */
export function appRegion(): Promise<string> {
  osRegion ??= window.cardinal.getAppInfo().then(
    (info) => regionOfLocale(info.locale),
    () => regionOfLocale(navigator.language),
  );
  return osRegion;
}

