/**
 * The normalised fields a contact row keeps beside its vCard: what the list shows, sorts and
 * searches. Derived from the card, never edited directly, and re-derived when the rules change
 * (DERIVATION_VERSION).
 */
import { foldForSearch, phoneDigits } from '../search/normalize';
import { displayName, toContact, type Contact, type VCard } from '../vcard';

export const DERIVATION_VERSION = 1;

export interface ListFields {
  readonly uid: string;
  readonly displayName: string;
  /** What the list sorts by with Intl.Collator: the display name, or '' sorts last. */
  readonly sortName: string;
  readonly org: string;
  readonly email: string;
  readonly phone: string;
  /** A data: URI of the photo, or a URI to load lazily; '' for none. */
  readonly photo: string;
  /** Folded text of names (incl. phonetic and nicknames), organisation, e-mails and notes. */
  readonly search: string;
  /** The digits of every phone number, space-separated. */
  readonly phones: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A name in its culture's order: CJK family name first with no space, others given name first. */
export function nameInOrder(c: Contact): string {
  const { family, given, additional, prefix, suffix } = c.name;
  if (CJK.test(family + given)) return `${family}${given}`.trim();
  return [prefix, given, additional, family, suffix].filter((s) => s.trim() !== '').join(' ');
}

export function deriveListFields(card: VCard): ListFields {
  const c = toContact(card);
  const shown = c.formattedName.trim() || nameInOrder(c) || displayName(c);
  const searchable = [
    shown,
    c.name.family,
    c.name.given,
    c.name.additional,
    c.phoneticName.family,
    c.phoneticName.given,
    c.phoneticName.additional,
    ...c.nicknames,
    c.organization.name,
    ...c.organization.units,
    c.title,
    ...c.emails.map((e) => e.value),
    c.note,
  ];
  return {
    uid: c.uid,
    displayName: shown,
    sortName: shown,
    org: c.organization.name,
    email: c.emails[0]?.value ?? '',
    phone: c.phones[0]?.value ?? '',
    photo: c.photo?.uri ?? '',
    search: foldForSearch(searchable.filter((s) => s !== '').join('\n')),
    phones: c.phones.map((p) => phoneDigits(p.value)).filter((d) => d !== '').join(' '),
  };
}
