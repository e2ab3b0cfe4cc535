/**
 * The vCard a QR code carries to a phone's camera: small enough to scan, and only what a phone
 * needs to add the contact — the name, organisation and title, phone numbers, e-mail addresses,
 * postal addresses and web sites, as vCard 3.0 (what phones' camera apps read most widely).
 * The photo, notes, dates, IMs, relations, groups, labels and any other property are left out,
 * and named in `dropped`; when even that is too large, the least needed items go next.
 */
import { applyEdit, displayName, IM_PROPERTIES, newCard, serializeVCard, toContact, type Contact, type ContactItem, type VCard } from '../vcard';

export type QrDropped =
  | 'photo'
  | 'note'
  | 'birthday'
  | 'anniversary'
  | 'dates'
  | 'nicknames'
  | 'phonetic-name'
  | 'ims'
  | 'related'
  | 'categories'
  | 'labels'
  | 'other-properties'
  /** Items beyond what fits: */
  | 'some-addresses'
  | 'some-urls'
  | 'some-emails'
  | 'some-phones';

export interface QrPayload {
  readonly text: string;
  readonly bytes: number;
  readonly dropped: readonly QrDropped[];
}

/**
 * Bytes a phone camera reads reliably: about a version 22 code at error correction M. Larger
 * codes have modules too small for a phone held at reading distance from a screen.
 */
export const QR_MAX_BYTES = 1000;

/** Properties kept, reported by name of their own above, or carrying nothing a phone needs (UID, REV). */
const ACCOUNTED = new Set([
  'VERSION', 'FN', 'N', 'ORG', 'TITLE', 'TEL', 'EMAIL', 'ADR', 'URL', 'UID', 'REV', 'PRODID', 'X-ABLABEL',
  'PHOTO', 'NOTE', 'BDAY', 'ANNIVERSARY', 'X-ANNIVERSARY', 'X-ABDATE', 'NICKNAME', 'IMPP', ...Object.keys(IM_PROPERTIES),
  'RELATED', 'X-ABRELATEDNAMES', 'CATEGORIES', 'X-PHONETIC-FIRST-NAME', 'X-PHONETIC-LAST-NAME', 'X-PHONETIC-MIDDLE-NAME',
]);

const unlabelled = <T extends { label: string }>(items: readonly T[]): T[] => items.map((i) => ({ ...i, id: '', label: '' }));

function build(c: Contact): string {
  const base = newCard('', '3.0');
  const card = applyEdit(base, toContact(base), {
    ...toContact(base),
    // FN is required in 3.0, and a phone's camera names the new contact by it: a contact with no
    // name is given what the app shows it by (its organisation, e-mail address or number).
    formattedName: c.formattedName.trim() === '' ? displayName(c) : c.formattedName,
    name: c.name,
    organization: c.organization,
    title: c.title,
    phones: unlabelled(c.phones),
    emails: unlabelled(c.emails),
    addresses: unlabelled(c.addresses),
    urls: unlabelled(c.urls),
  });
  return serializeVCard({ properties: card.properties.filter((p) => !(p.name === 'UID' && p.value === '')) });
}

function whatIsDropped(card: VCard, c: Contact): QrDropped[] {
  const out: QrDropped[] = [];
  const add = (cond: boolean, what: QrDropped) => cond && out.push(what);
  add(c.photo !== null, 'photo');
  add(c.note !== '', 'note');
  add(c.birthday !== null, 'birthday');
  add(c.anniversary !== null, 'anniversary');
  add(c.dates.length > 0, 'dates');
  add(c.nicknames.length > 0, 'nicknames');
  add(Object.values(c.phoneticName).some((v) => v !== ''), 'phonetic-name');
  add(c.ims.length > 0, 'ims');
  add(c.related.length > 0, 'related');
  add(c.categories.length > 0, 'categories');
  add([...c.phones, ...c.emails, ...c.addresses, ...c.urls].some((i) => i.label !== ''), 'labels');
  add(card.properties.some((p) => !ACCOUNTED.has(p.name.toUpperCase())), 'other-properties');
  return out;
}

/** Ways to make the payload smaller, least needed first. */
const SHRINK: readonly (readonly [QrDropped, (c: Contact) => Contact | null])[] = [
  ['some-addresses', (c) => (c.addresses.length > 1 ? { ...c, addresses: c.addresses.slice(0, 1) } : null)],
  ['some-urls', (c) => (c.urls.length > 1 ? { ...c, urls: c.urls.slice(0, 1) } : null)],
  ['some-addresses', (c) => (c.addresses.length > 0 ? { ...c, addresses: [] } : null)],
  ['some-urls', (c) => (c.urls.length > 0 ? { ...c, urls: [] } : null)],
  ['some-emails', (c) => (c.emails.length > 2 ? { ...c, emails: c.emails.slice(0, 2) } : null)],
  ['some-phones', (c) => (c.phones.length > 3 ? { ...c, phones: c.phones.slice(0, 3) } : null)],
  ['some-emails', (c) => (c.emails.length > 1 ? { ...c, emails: c.emails.slice(0, 1) } : null)],
  ['some-phones', (c) => (c.phones.length > 1 ? { ...c, phones: c.phones.slice(0, 1) } : null)],
];

const sizeOf = (text: string) => new TextEncoder().encode(text).length;

/** Preferred items first, so that shrinking keeps them. */
const prefFirst = <T extends ContactItem | Contact['addresses'][number]>(items: readonly T[]): T[] => [...items].sort((a, b) => Number(b.pref) - Number(a.pref));

/** The QR payload for a contact's card; null only when the name alone does not fit. */
export function qrPayload(card: VCard, maxBytes = QR_MAX_BYTES): QrPayload | null {
  const full = toContact(card);
  let c: Contact = { ...full, phones: prefFirst(full.phones), emails: prefFirst(full.emails), addresses: prefFirst(full.addresses), urls: prefFirst(full.urls) };
  const dropped = whatIsDropped(card, full);
  let text = build(c);
  for (const [what, shrink] of SHRINK) {
    if (sizeOf(text) <= maxBytes) break;
    const smaller = shrink(c);
    if (smaller === null) continue;
    c = smaller;
    text = build(c);
    if (!dropped.includes(what)) dropped.push(what);
  }
  return sizeOf(text) <= maxBytes ? { text, bytes: sizeOf(text), dropped } : null;
}
