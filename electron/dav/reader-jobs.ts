/**
 * The answer reader's jobs: what the worker (`reader-worker.ts`) and the inline path run, by kind,
 * from an answer's bytes (the Workspace directory's Atom pages too). Bytes are decoded here as `DavHttp` decodes an answer (UTF-8, malformed
 * sequences replaced, a byte-order mark kept for the reader to see), so the worker decodes them too.
 */
import { derivedCard } from '../../shared/book/derived-card';
import { parseFeed, type AtomFeed } from '../gdata/atom';
import { ScanError } from '../gdata/scan';
import { readListing, readMultiget, readSyncChanges, type Listing, type MultigetAnswer, type SyncChanges } from './answers';
import { UnreadableAnswer, DavError } from './errors';
import { RefusedUrl, type RefusalReason } from './url-policy';
import { XmlError } from './xml-reader';

export interface Jobs {
  /** `derive`: each card's list fields and stored text made beside it (a first sync's parts). */
  'sync-collection': { args: { bookUrl: string; withData: boolean; derive?: boolean }; result: SyncChanges };
  multiget: { args: { bookUrl: string; hrefs: readonly string[] }; result: MultigetAnswer };
  listing: { args: { bookUrl: string }; result: Listing };
  /** A GData Atom feed page (Workspace shared contacts). */
  'atom-feed': { args: Record<string, never>; result: AtomFeed };
}
export type JobKind = keyof Jobs;

/** Each kind's result's long list: what the worker hands back in parts (`reader-worker.ts`). */
export const LONG_LIST: { readonly [K in JobKind]: keyof Jobs[K]['result'] & string } = {
  'sync-collection': 'changed',
  multiget: 'cards',
  listing: 'members',
  'atom-feed': 'entries',
};

export function decodeAnswer(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Run one job on an answer's text (`url`: where the answer came from, named in errors). */
export function runJob<K extends JobKind>(kind: K, text: string, url: string, args: Jobs[K]['args']): Jobs[K]['result'] {
  switch (kind) {
    case 'sync-collection': {
      const a = args as Jobs['sync-collection']['args'];
      const changes = readSyncChanges(text, url, a.bookUrl, a.withData);
      if (a.derive === true) {
        // A card that cannot be read goes without: the window reads it again and reports it.
        for (const c of changes.changed) {
          const d = c.vcard === undefined ? null : derivedCard(c.vcard);
          if (d !== null) c.derived = d;
        }
      }
      return changes as Jobs[K]['result'];
    }
    case 'multiget': {
      const a = args as Jobs['multiget']['args'];
      return readMultiget(text, url, a.bookUrl, a.hrefs) as Jobs[K]['result'];
    }
    case 'listing':
      return readListing(text, url, (args as Jobs['listing']['args']).bookUrl) as Jobs[K]['result'];
    case 'atom-feed':
      return parseFeed(text) as Jobs[K]['result'];
    default:
      throw new Error(`no answer reader for ${String(kind)}`);
  }
}

/** An error as it crosses the thread boundary: its class by name, and the fields each class has. */
export interface WireError {
  name: string;
  message: string;
  status?: number;
  url?: string;
  detail?: string;
  reason?: string;
}

export function toWire(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const w: WireError = { name: e.name, message: e.message };
  if (e instanceof DavError) {
    w.status = e.status;
    w.url = e.url;
    w.detail = e.detail;
  }
  if (e instanceof RefusedUrl) w.reason = e.reason;
  return w;
}

/** The same error again, of the same class with the same message and fields (what the readers throw). */
export function fromWire(w: WireError): Error {
  let e: Error;
  switch (w.name) {
    case 'XmlError':
      e = new XmlError(w.message);
      break;
    case 'ScanError':
      e = new ScanError(w.message);
      break;
    case 'UnreadableAnswer':
      e = new UnreadableAnswer(w.message, w.status ?? 0, w.url ?? '');
      break;
    case 'RefusedUrl':
      e = new RefusedUrl(w.message, w.url ?? '', (w.reason ?? 'unparseable') as RefusalReason);
      break;
    case 'DavError':
      e = new DavError(w.message, w.status ?? 0, w.url ?? '');
      break;
    default:
      e = new Error(w.message);
      e.name = w.name;
  }
  if (e instanceof DavError && w.detail !== undefined) e.detail = w.detail;
  return e;
}
