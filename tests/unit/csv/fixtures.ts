import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseVCard } from '../../../shared/vcard';
import { cardToDraft } from '../../../shared/csv/card-builder';
import type { ContactDraft } from '../../../shared/csv/draft';

export const CSV_DIR = fileURLToPath(new URL('../../fixtures/csv/', import.meta.url));

export function csvFixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(CSV_DIR + file));
}

/** The files listed in tests/fixtures/csv/MANIFEST.tsv. */
export function manifestFiles(): string[] {
  return readFileSync(`${CSV_DIR}MANIFEST.tsv`, 'utf8').trim().split('\n').slice(1).map((r) => r.split('\t')[0]!);
}

type Plain<T> = T extends readonly (infer U)[] ? Plain<U>[] : T extends object ? { -readonly [K in keyof T as K extends 'id' ? never : K]: Plain<T[K]> } : T;

/** A card's draft with the item ids left out (they hash the property, which a round trip may respell). */
export function draftOf(vcard: string): Plain<ContactDraft> {
  const draft = cardToDraft(parseVCard(vcard));
  return JSON.parse(JSON.stringify(draft, (key, value: unknown) => (key === 'id' ? undefined : value))) as Plain<ContactDraft>;
}

