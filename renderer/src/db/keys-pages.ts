/**
 * The duplicate keys table (schema 8, `dupkeys`) holds the cards' keys in pages: one row per
 * first two characters of the card ids (256 pages for UUIDs, about 200 cards each at 50,000),
 * each the JSON of its cards' stored keys by id. Chromium's IndexedDB costs per row more than per
 * byte: the 50,000 cards (30 MB) read about as fast as 50,000 rows of their keys alone (1.6–2.1 s
 * against 1.1–2.1 s, load 13), 4,096 pages of them in 0.9 s and 256 in 0.25 s (load 12–14, `npm
 * run bench -- duplicates-window`). A write of a card reads and writes its page (about 50 KB), and
 * not even that for a card its page does not hold (`mayHold`: a sync's cards, which have no keys
 * until the worker makes them). Shared by the store (`schema.ts`, which keeps the pages true) and
 * the duplicates worker (`stored-cards.ts`).
 */
import type { StoredKeys } from '../../../shared/duplicates/keys';

/** A page of the keys table. */
export interface KeysPage {
  /** The first `PAGE_CHARS` characters of its cards' ids. */
  id: string;
  /** JSON of `{ [cardId]: StoredKeys }`. */
  keys: string;
}

export const PAGE_CHARS = 2;

export const pageOf = (cardId: string): string => cardId.slice(0, PAGE_CHARS);

/**
 * A new card's id (a random UUID) whose page is in the `part`-th of `parts` equal shares of the
 * pages, by its first hex digit (parts 1, 2, 4, 8 or 16: the digit stays uniform in its share).
 * An import read by two workers gives each worker's cards ids of its own half: each worker's batch
 * then reads and writes only its own pages, where both read and wrote all 256 (the second
 * rewriting the first one's 25,000 keys, and reading them back first).
 */
export function idInShare(part: number, parts: number): string {
  const id = crypto.randomUUID();
  if (parts <= 1 || 16 % parts !== 0 || part < 0 || part >= parts) return id;
  const width = 16 / parts;
  return (part * width + (parseInt(id[0]!, 16) % width)).toString(16) + id.slice(1);
}

/** A page's entries (none for a page that is missing or not readable). */
export function pageEntries(page: unknown): Record<string, StoredKeys> {
  if (typeof page !== 'object' || page === null || typeof (page as { keys?: unknown }).keys !== 'string') return {};
  try {
    const parsed = JSON.parse((page as KeysPage).keys) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, StoredKeys>) : {};
  } catch {
    return {};
  }
}

/** Whether a page may hold this card's keys (a search of its text, cheaper than reading it whole). */
export function mayHold(page: unknown, cardId: string): boolean {
  return typeof page === 'object' && page !== null && typeof (page as { keys?: unknown }).keys === 'string' && (page as KeysPage).keys.includes(JSON.stringify(cardId));
}

/** The page row for these entries, or null when there are none (the page goes). */
export function pageRow(id: string, entries: Record<string, StoredKeys>): KeysPage | null {
  return Object.keys(entries).length === 0 ? null : { id, keys: JSON.stringify(entries) };
}

/** Card ids grouped by their page. */
export function byPage<T extends { id: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const p = pageOf(item.id);
    const list = out.get(p);
    if (list === undefined) out.set(p, [item]);
    else list.push(item);
  }
  return out;
}
