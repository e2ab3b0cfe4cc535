/**
 * What an export format cannot hold, per contact. Each exporter reports what it had to leave out
 * (or could only keep in another shape), so the window can say so before the file is written.
 */
import { IM_PROPERTIES, type VCard } from '../vcard';

export type CsvLossKind =
  /** An inline photo (the format takes a link at most). */
  | 'photo'
  /** An inline photo whose base64 does not decode: left out of a vCard export. */
  | 'broken-photo'
  /** A display name that differs from the name parts: the format keeps only the parts. */
  | 'formatted-name'
  | 'nickname'
  | 'phonetic-name'
  | 'file-as'
  | 'gender'
  | 'role'
  /** Departments after the first. */
  | 'org-units'
  | 'ims'
  | 'related'
  /** Dates other than birthday and anniversary. */
  | 'dates'
  | 'yearless-birthday'
  | 'yearless-anniversary'
  /** A date without a day or month, or written as text. */
  | 'partial-date'
  | 'extra-emails'
  | 'extra-phones'
  | 'extra-addresses'
  | 'extra-urls'
  /** An address's extended part, written as a street line. */
  | 'address-extended'
  /** The kind or label of an e-mail, phone or address (the format's column names the kind). */
  | 'labels'
  | 'custom-fields'
  /** A value holding " ::: ", which Google's format reads as two values. */
  | 'separator-in-value'
  /** Characters the file's encoding cannot hold (written as "?"). */
  | 'unencodable-characters'
  /** vCard properties no column holds (named in `detail`). */
  | 'other-properties';

export interface CsvLoss {
  readonly kind: CsvLossKind;
  /** The contact's display name. */
  readonly contact: string;
  /** What exactly: the property names, the label, the characters. */
  readonly detail: string;
}

export interface CsvLossSummary {
  readonly kind: CsvLossKind;
  readonly count: number;
  readonly contacts: readonly string[];
}

/** Losses grouped by kind, in the order they were first met, for a one-screen summary. */
export function summarizeLosses(losses: readonly CsvLoss[]): CsvLossSummary[] {
  const byKind = new Map<CsvLossKind, string[]>();
  for (const l of losses) byKind.set(l.kind, [...(byKind.get(l.kind) ?? []), l.contact]);
  return [...byKind].map(([kind, contacts]) => ({ kind, count: contacts.length, contacts: [...new Set(contacts)] }));
}

/** Properties the CSV layer reads (through the contact view or as draft extras), and technical ones that carry no user data. */
const READ = new Set([
  'VERSION', 'UID', 'REV', 'PRODID', 'CLIENTPIDMAP', 'X-ABUID', 'X-ABLABEL',
  'FN', 'N', 'X-PHONETIC-FIRST-NAME', 'X-PHONETIC-MIDDLE-NAME', 'X-PHONETIC-LAST-NAME', 'NICKNAME', 'ORG', 'TITLE', 'ROLE',
  'EMAIL', 'TEL', 'URL', 'IMPP', ...Object.keys(IM_PROPERTIES), 'RELATED', 'X-ABRELATEDNAMES', 'ADR', 'BDAY', 'ANNIVERSARY',
  'X-ANNIVERSARY', 'X-ABDATE', 'NOTE', 'CATEGORIES', 'PHOTO', 'X-GENDER', 'GENDER', 'SORT-STRING', 'X-PHONETIC-ORG', 'X-CUSTOM-FIELD',
]);

/** The names of a card's properties that no CSV column holds, unique, as spelled upper-case. */
export function unreadProperties(card: VCard): string[] {
  const out: string[] = [];
  for (const p of card.properties) {
    const name = p.name.toUpperCase();
    if ((name === 'KIND' || name === 'X-ADDRESSBOOKSERVER-KIND') && /^individual$/i.test(p.value.trim())) continue;
    if (!READ.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}
