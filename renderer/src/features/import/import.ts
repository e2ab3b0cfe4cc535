/**
 * Import: read files in the worker, then sort every card into new / identical / conflicting
 * against the target book (by UID, else by name and content), so importing the same file twice
 * creates nothing, and a changed card is only overwritten when the user says so.
 */
import { contentKey } from '../../../../shared/book/identity';
import { parseVCard } from '../../../../shared/vcard';
import { ContactRepo, type StoredContact } from '../../db/repo';
import type { Services } from '../../services';
import type { ImportedCard, ImportParseResult } from '../../workers/import.worker';
import type { VCardParseError } from '../../../../shared/vcard';
import { syncSoon } from '../../actions';

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
}

export function parseInWorker(data: ArrayBuffer): Promise<ImportParseResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<ImportParseResult>) => {
      resolve(e.data);
      worker.terminate();
    };
    worker.onerror = (e) => {
      reject(new Error(e.message));
      worker.terminate();
    };
    worker.postMessage(data, [data]);
  });
}

export async function previewImport(s: Services, fileName: string, data: ArrayBuffer, bookId: string): Promise<ImportPreview> {
  performance.mark('cardinal:import-start');
  const parsed = await parseInWorker(data);
  performance.mark('cardinal:import-parsed');
  return classifyImport(s, fileName, parsed, bookId);
}

/** Sort what was read into new / identical / conflicting against one book. */
export async function classifyImport(s: Services, fileName: string, parsed: ImportParseResult, bookId: string): Promise<ImportPreview> {
  const preview: ImportPreview = { fileName, bookId, parsed, total: parsed.cards.length + parsed.errors.filter((e) => e.code !== 'other-component').length, fresh: [], identical: 0, conflicting: [], errors: parsed.errors };
  const seenKeys = new Set<string>();
  // Candidates come from the in-memory list (every row has its UID and name): one pass, no
  // IndexedDB query per card. Only a candidate's vCard is read, to compare content.
  const byUid = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  for (const r of s.index.query('', bookId)) {
    if (r.uid !== '') byUid.set(r.uid, [...(byUid.get(r.uid) ?? []), r.id]);
    byName.set(r.displayName, [...(byName.get(r.displayName) ?? []), r.id]);
  }
  for (const card of parsed.cards) {
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
      if (stored !== undefined && contentKey(parseVCard(stored.vcard)) === card.key) {
        identical = true;
        break;
      }
    }
    if (identical) preview.identical++;
    else if (sameUid.length > 0) preview.conflicting.push({ card, existingId: sameUid[0]! });
    else preview.fresh.push(card);
  }
  performance.mark('cardinal:import-classified');
  return preview;
}

/** Write the new cards (and, if asked, the changed ones over their contacts) in batches. */
export async function runImport(s: Services, preview: ImportPreview, updateConflicting: boolean): Promise<number> {
  const { bookId } = preview;
  const items: StoredContact[] = preview.fresh.map((c) => ContactRepo.rowsFrom(crypto.randomUUID(), bookId, c.vcard, c.fields));
  if (updateConflicting) {
    for (const { card, existingId } of preview.conflicting) {
      const row = s.index.get(existingId);
      const old = await s.repo.getCard(existingId);
      if (row !== undefined && old !== undefined) items.push(ContactRepo.rowsFrom(existingId, bookId, card.vcard, card.fields, { row, card: old }));
    }
  }
  await s.repo.putAll(items);
  syncSoon([bookId]);
  s.index.upsert(items.map((i) => i.row));
  return items.length;
}
