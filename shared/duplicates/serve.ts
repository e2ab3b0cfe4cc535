/** What the duplicates worker does with one message: keys for every contact, then the finder. */
import { parseVCard } from '../vcard';
import { findDuplicates, findImportDuplicates } from './find';
import { duplicateKeys, keysAreCurrent } from './keys';
import { readRequest, type ContactSource, type DuplicatesResponse, type MadeKeys } from './protocol';
import type { DuplicateCandidate } from './types';

class KeyMaker {
  readonly made: MadeKeys[] = [];
  readonly unreadable: string[] = [];
  constructor(private readonly region: string) {}

  candidates(sources: readonly ContactSource[]): DuplicateCandidate[] {
    const out: DuplicateCandidate[] = [];
    for (const s of sources) {
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

export function serveDuplicatesRequest(data: unknown): DuplicatesResponse {
  const requestId = typeof data === 'object' && data !== null && 'requestId' in data && typeof data.requestId === 'number' ? data.requestId : null;
  try {
    const request = readRequest(data);
    const keys = new KeyMaker(request.region);
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
