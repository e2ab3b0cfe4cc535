/**
 * The page's side of the duplicates worker (`workers/duplicates.worker.ts`): one worker for the
 * session, requests matched by id, progress passed on. Contacts are sent as id, book and a stamp:
 * a number given to the very row object the list holds (a WeakMap), so an edit or a sync, which
 * replaces the row, gives it a new stamp. The worker reads the cards from IndexedDB itself and
 * keeps the keys it made per stamp, so the window's thread carries no vCards and no keys. Nothing
 * here writes to the store.
 */
import { stampedRequest, type DuplicatesRequest, type DuplicatesResponse, type StampedContacts } from '../../../../shared/duplicates/protocol';
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

/** An incoming card of an import: an id of the caller's choosing and its text. */
export interface IncomingCard {
  readonly id: string;
  readonly vcard: string;
}

interface Waiting {
  resolve(r: DuplicatesResponse): void;
  reject(e: Error): void;
  onProgress?: (p: FindProgress) => void;
}

export class DuplicateFinder {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly stamps = new WeakMap<ContactRow, number>();
  private nextStamp = 1;

  constructor(private readonly makeWorker: () => WorkerLike = () => new Worker(new URL('../../workers/duplicates.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike) {}

  /** Likely duplicates among these rows (their cards read from the store `store`): within each book, or (`all-books`) across them too. */
  async find(rows: readonly ContactRow[], store: string, region: string, scope: DuplicateScope, onProgress?: (p: FindProgress) => void): Promise<FindResult> {
    const answer = await this.ask((requestId) => stampedRequest({ type: 'find', requestId, store, region, scope, contacts: [] }, 'contacts', this.sources(rows)), onProgress, rows.length);
    if (answer.type !== 'found') throw new Error('unexpected answer from the duplicates worker');
    return { report: answer.report, unreadable: answer.unreadable };
  }

  /** An import's cards against a book's rows: for each incoming card that looks like some of them, those. */
  async findImport(incoming: readonly IncomingCard[], rows: readonly ContactRow[], store: string, region: string): Promise<readonly ImportDuplicate[]> {
    if (incoming.length === 0 || rows.length === 0) return [];
    const answer = await this.ask(
      (requestId) => stampedRequest({ type: 'find-import', requestId, store, region, existing: [], incoming: incoming.map((c) => ({ id: c.id, bookId: 'incoming', vcard: c.vcard })) }, 'existing', this.sources(rows)),
      undefined,
      rows.length + incoming.length,
    );
    if (answer.type !== 'import-found') throw new Error('unexpected answer from the duplicates worker');
    return answer.duplicates;
  }

  /** Stop the worker (requests under way fail); the next request starts another. */
  close(): void {
    this.worker?.terminate();
    this.worker = null;
    for (const w of this.waiting.values()) w.reject(new Error('the duplicates worker was stopped'));
    this.waiting.clear();
  }

  /**
   * The rows as ids, books and stamps (the same row object, the same stamp), three parallel lists.
   * Grown by push, so they are packed arrays: a holey one (`new Array(n)` filled in) is copied to
   * the worker property by property, as a sparse array, which at 50,000 was most of the task that
   * sends the request.
   */
  private sources(rows: readonly ContactRow[]): StampedContacts {
    const ids: string[] = [];
    const bookIds: string[] = [];
    const stamps: number[] = [];
    for (const row of rows) {
      let stamp = this.stamps.get(row);
      if (stamp === undefined) {
        stamp = this.nextStamp++;
        this.stamps.set(row, stamp);
      }
      ids.push(row.id);
      bookIds.push(row.bookId);
      stamps.push(stamp);
    }
    return { ids, bookIds, stamps };
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
      onProgress?.({ step: 'reading', done: 0, total });
      worker.postMessage(request(requestId));
      performance.mark('cardinal:duplicates-sent');
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
        // The worker has its contacts' keys (kept, read or made) and starts comparing (`npm run bench -- duplicates-window` reads the mark).
        if (r.step !== 'reading' && performance.getEntriesByName('cardinal:duplicates-read').length === 0) performance.mark('cardinal:duplicates-read');
        w.onProgress?.({ step: r.step === 'reading' ? 'reading' : r.done >= r.total ? 'comparing' : 'keys', done: r.done, total: r.total });
        return;
      }
      this.waiting.delete(requestId);
      performance.mark('cardinal:duplicates-answered');
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

