/**
 * What the finder compares, read once from a card: small and plain, so it can be kept beside the
 * card (like the list fields) and sent to the worker instead of the vCard. `KEYS_VERSION` and the
 * region say which rules made them; keys made under other rules are made again.
 */
import { displayName, formatDate, toContact, type Contact, type VCard } from '../vcard';
import { nameTokens } from './names';
import { phoneKey } from './phone';

/**
 * 2: names fold ŧ and ŋ too (the search folding's letters, which the names' own table lacked):
 * keys made before are made again, so an old card's name meets a new card's.
 */
export const KEYS_VERSION = 2;

export interface DuplicateKeys {
  readonly version: number;
  /** The region national phone numbers were read in. */
  readonly region: string;
  /** The name as the list shows it, for the reasons shown to the user. */
  readonly displayName: string;
  /** Sorted name tokens (`nameTokens`), from FN, else N, else the organisation; [] for none. */
  readonly name: readonly string[];
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  /** `YYYY-MM-DD`, `--MMDD` or '' (only full or year-less dates). */
  readonly birthday: string;
}

/** An e-mail address as a key: trimmed, `mailto:` dropped, case-folded; '' if it is not one. */
export function emailKey(text: string): string {
  const address = text.trim().replace(/^mailto:/i, '').normalize('NFC').toLowerCase();
  return /^[^@\s]+@[^@\s]+$/.test(address) ? address : '';
}

function nameSource(c: Contact): string {
  if (c.formattedName.trim() !== '') return c.formattedName;
  const { given, additional, family } = c.name;
  const fromN = [given, additional, family].filter((s) => s.trim() !== '').join(' ');
  return fromN !== '' ? fromN : c.organization.name;
}

function unique(keys: readonly string[]): string[] {
  return [...new Set(keys.filter((k) => k !== ''))];
}

export function keysOfContact(c: Contact, region: string): DuplicateKeys {
  const b = c.birthday;
  const birthday = b !== null && b.month !== null && b.day !== null && b.text === undefined ? formatDate(b, '3.0') : '';
  return {
    version: KEYS_VERSION,
    region,
    displayName: displayName(c),
    name: nameTokens(nameSource(c)),
    emails: unique(c.emails.map((e) => emailKey(e.value))),
    phones: unique(c.phones.map((p) => phoneKey(p.value, region))),
    birthday,
  };
}

export function duplicateKeys(card: VCard, region: string): DuplicateKeys {
  return keysOfContact(toContact(card), region);
}

/** Whether keys were made by these rules for this region (else make them again from the card). */
export function keysAreCurrent(keys: DuplicateKeys, region: string): boolean {
  return keys.version === KEYS_VERSION && keys.region === region;
}

/**
 * A vCard's print: its length and a 32-bit FNV-1a hash of its UTF-16 code units. Not for
 * security: it tells keys stored beside a card whether they were made from the text the card
 * holds now (a card changed by a writer that did not make its keys again).
 */
export function cardPrint(vcard: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < vcard.length; i++) {
    h ^= vcard.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${vcard.length}:${(h >>> 0).toString(36)}`;
}

/** Keys as stored beside a card (CardRow.keys): the keys, and the print of the vCard they are of. */
export interface StoredKeys {
  readonly of: string;
  readonly keys: DuplicateKeys;
}

export function storedKeys(vcard: string, keys: DuplicateKeys): StoredKeys {
  return { of: cardPrint(vcard), keys };
}

/** Stored keys that hold for this card text and region, else undefined (make them again). */
export function currentStoredKeys(stored: unknown, vcard: string, region: string): DuplicateKeys | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { of, keys } = stored as Partial<StoredKeys>;
  if (typeof of !== 'string' || keys === undefined || typeof keys !== 'object' || keys === null) return undefined;
  if (!keysAreCurrent(keys, region) || of !== cardPrint(vcard)) return undefined;
  return keys;
}
