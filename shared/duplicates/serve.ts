/** What the duplicates worker does with one message: keys for every contact, then the finder. */
import { parseVCard } from '../vcard';
import { findDuplicates, findImportDuplicates } from './find';
import { duplicateKeys, keysAreCurrent } from './keys';
import { readRequest, type ContactSource, type DuplicatesResponse, type MadeKeys } from './protocol';
import type { DuplicateCandidate } from './types';

class KeyMaker {
  readonly made: MadeKeys[] = [];
  readonly unreadable: string[] = [];
  private done = 0;
  constructor(
    private readonly region: string,
    /** Every contact to compare, for progress. */
    private readonly total: number,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {}

  candidates(sources: readonly ContactSource[]): DuplicateCandidate[] {
    const out: DuplicateCandidate[] = [];
    for (const s of sources) {
      if (++this.done % PROGRESS_EVERY === 0) this.onProgress?.(this.done, this.total);
      if (s.keys !== undefined && keysAreCurrent(s.keys, this.region)) {
        out.push({ id: s.id, bookId: s.bookId, keys: s.keys });
        continue;
      }
      try {
        if (s.vcard === undefined) throw new Error('stale keys and no card');
        const keys = duplicateKeys(parseVCard(s.vcard), this.region);
        this.made.push({ id: s.id, keys });
        out.push({ id: s.id, bookId: s.bookId, keys });
      } catch {
        this.unreadable.push(s.id);
      }
    }
    return out;
  }
}

/** Progress is reported every this many contacts (a few times a second at the slowest). */
const PROGRESS_EVERY = 2000;

/**
 * One request, answered. `onProgress` hears how many contacts have their keys so far, every
 * 2,000 (current keys are taken at once; making them from vCards is the slow part).
 */
export function serveDuplicatesRequest(data: unknown, onProgress?: (done: number, total: number) => void): DuplicatesResponse {
  const requestId = typeof data === 'object' && data !== null && 'requestId' in data && typeof data.requestId === 'number' ? data.requestId : null;
  try {
    const request = readRequest(data);
    const total = request.type === 'find' ? request.contacts.length : request.incoming.length + request.existing.length;
    const keys = new KeyMaker(request.region, total, onProgress);
    if (request.type === 'find') {
      const report = findDuplicates(keys.candidates(request.contacts), { scope: request.scope, threshold: request.threshold });
      return { type: 'found', requestId: request.requestId, report, madeKeys: keys.made, unreadable: keys.unreadable };
    }
    const existing = keys.candidates(request.existing);
    const duplicates = findImportDuplicates(keys.candidates(request.incoming), existing, { threshold: request.threshold });
    return { type: 'import-found', requestId: request.requestId, duplicates, madeKeys: keys.made, unreadable: keys.unreadable };
  } catch (e) {
    return { type: 'failed', requestId, message: e instanceof Error ? e.message : String(e) };
  }
}
