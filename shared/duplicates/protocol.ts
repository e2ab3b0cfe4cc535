/**
 * Messages between the page and the duplicates worker (`renderer/src/workers/duplicates.worker.ts`).
 * A contact goes as its stored vCard, or as the keys made from it before (faster: no parsing),
 * or both (the keys are used while current). The worker answers with the keys it had to make,
 * so the page can keep them beside the cards for the next run.
 */
import type { DuplicateKeys } from './keys';
import type { DuplicateReport, DuplicateScope, ImportDuplicate } from './types';

export interface ContactSource {
  readonly id: string;
  readonly bookId: string;
  readonly vcard?: string;
  readonly keys?: DuplicateKeys;
  /**
   * A stored contact named only: the page's stamp of the row it has now (a new one after every
   * change). The worker uses the keys it kept for that stamp, else reads the card from the store
   * itself (`renderer/src/workers/duplicates-store.ts`); serve() never sees such a source.
   */
  readonly stamp?: number;
}

export type DuplicatesRequest =
  | {
      readonly type: 'find';
      readonly requestId: number;
      /** The page's IndexedDB (its name), where stamped contacts' cards are read. */
      readonly store?: string;
      /** The OS's region, for national phone numbers. */
      readonly region: string;
      readonly scope: DuplicateScope;
      readonly contacts: readonly ContactSource[];
      readonly threshold?: number;
    }
  | {
      readonly type: 'find-import';
      readonly requestId: number;
      readonly store?: string;
      readonly region: string;
      readonly incoming: readonly ContactSource[];
      readonly existing: readonly ContactSource[];
      readonly threshold?: number;
    };

export interface MadeKeys {
  readonly id: string;
  readonly keys: DuplicateKeys;
}

interface Answer {
  readonly requestId: number;
  /** Keys made from vCards in this run (none current was given). */
  readonly madeKeys: readonly MadeKeys[];
  /** Contacts that could not be compared: a vCard that does not parse, or stale keys without one. */
  readonly unreadable: readonly string[];
}

export type DuplicatesResponse =
  /** While keys are made from vCards (the slow part of a first run): how many of how many. */
  | { readonly type: 'progress'; readonly requestId: number; readonly done: number; readonly total: number; readonly step?: 'reading' | 'keys' }
  | (Answer & { readonly type: 'found'; readonly report: DuplicateReport })
  | (Answer & { readonly type: 'import-found'; readonly duplicates: readonly ImportDuplicate[] })
  | { readonly type: 'failed'; readonly requestId: number | null; readonly message: string };

/**
 * Many stored contacts named by stamp, as three parallel lists: what the page sends instead of
 * 50,000 small objects (cheaper to copy across; the worker makes the sources).
 */
export interface StampedContacts {
  readonly ids: readonly string[];
  readonly bookIds: readonly string[];
  readonly stamps: readonly number[];
}

/** The message a page may send: `contacts` / `existing` given as `StampedContacts`. */
export function stampedRequest<T extends { contacts?: unknown; existing?: unknown }>(request: T, key: 'contacts' | 'existing', stamped: StampedContacts): T {
  return { ...request, [key]: stamped };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

function isKeys(x: unknown): x is DuplicateKeys {
  return (
    isObject(x) &&
    typeof x.version === 'number' &&
    typeof x.region === 'string' &&
    typeof x.displayName === 'string' &&
    typeof x.birthday === 'string' &&
    isStrings(x.name) &&
    isStrings(x.emails) &&
    isStrings(x.phones)
  );
}

function readSources(x: unknown, what: string, stored: boolean): ContactSource[] {
  if (stored && isObject(x) && Array.isArray(x.ids) && Array.isArray(x.bookIds) && Array.isArray(x.stamps)) {
    const { ids, bookIds, stamps } = x as unknown as StampedContacts;
    if (bookIds.length !== ids.length || stamps.length !== ids.length) throw new TypeError(`${what}: ids, bookIds and stamps differ in length`);
    return ids.map((id, i) => {
      const bookId = bookIds[i];
      const stamp = stamps[i];
      if (typeof id !== 'string' || typeof bookId !== 'string' || typeof stamp !== 'number' || !Number.isFinite(stamp)) throw new TypeError(`${what}[${i}] needs an id, a bookId and a stamp`);
      return { id, bookId, stamp };
    });
  }
  if (!Array.isArray(x)) throw new TypeError(`${what} must be a list of contacts`);
  return x.map((c, i) => {
    if (!isObject(c) || typeof c.id !== 'string' || typeof c.bookId !== 'string') throw new TypeError(`${what}[${i}] needs an id and a bookId`);
    if (c.vcard !== undefined && typeof c.vcard !== 'string') throw new TypeError(`${what}[${i}].vcard must be text`);
    if (c.keys !== undefined && !isKeys(c.keys)) throw new TypeError(`${what}[${i}].keys are not duplicate keys`);
    if (c.stamp !== undefined && (typeof c.stamp !== 'number' || !Number.isFinite(c.stamp))) throw new TypeError(`${what}[${i}].stamp must be a number`);
    if (c.vcard === undefined && c.keys === undefined && (!stored || c.stamp === undefined)) throw new TypeError(`${what}[${i}] needs a vcard or keys${stored ? ' or a stamp' : ''}`);
    return c as unknown as ContactSource;
  });
}

/**
 * The request in a message, checked; a TypeError says what is wrong. `stored`: contacts may be
 * named by a stamp alone (the worker's store front reads them; see `ContactSource.stamp`).
 */
export function readRequest(data: unknown, stored = false): DuplicatesRequest {
  if (!isObject(data) || typeof data.requestId !== 'number' || typeof data.region !== 'string') throw new TypeError('a request needs a requestId and a region');
  if (data.threshold !== undefined && (typeof data.threshold !== 'number' || !Number.isFinite(data.threshold))) throw new TypeError('threshold must be a number');
  const threshold = data.threshold as number | undefined;
  if (data.type === 'find') {
    if (data.scope !== 'book' && data.scope !== 'all-books') throw new TypeError("scope must be 'book' or 'all-books'");
    const store = typeof data.store === 'string' ? { store: data.store } : {};
    return { type: 'find', requestId: data.requestId, ...store, region: data.region, scope: data.scope, contacts: readSources(data.contacts, 'contacts', stored), threshold };
  }
  if (data.type === 'find-import') {
    return {
      type: 'find-import',
      requestId: data.requestId,
      ...(typeof data.store === 'string' ? { store: data.store } : {}),
      region: data.region,
      incoming: readSources(data.incoming, 'incoming', stored),
      existing: readSources(data.existing, 'existing', stored),
      threshold,
    };
  }
  throw new TypeError(`unknown request type ${String(data.type)}`);
}
