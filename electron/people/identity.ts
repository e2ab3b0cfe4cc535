/**
 * Which card of the Google book a People API person is. The join, from Google's documents and a
 * peer that relies on it: a person's `metadata.sources[]` entry of type CONTACT carries the
 * contact's id (`Source.id`, People API Person resource), and Google's CardDAV names a contact
 * `…/lists/default/<contactId>` (its CardDAV page, "Resources"); gcardvault builds the CardDAV href
 * from that source id and its recorded answers carry the same id as the card's UID
 * (rtomac/gcardvault, doc/carddav_protocol_w_google.md and gcardvault.py). Observed, not documented:
 * a contact's resource name is `people/c<n>` with n that id read as a hexadecimal number, written
 * in decimal (as contacts.google.com/person/c<n>). That reading is used only for a person the
 * listing has not shown yet, and only when a card with that id is there. Failing both, a person is
 * matched by its name, e-mail addresses and phone digits, as the lost-create lookup does, when
 * exactly one card and one person have them.
 */
import { uidKey, type PersonLink } from '../../shared/groups';
import { parseVCard, textValue, versionOf } from '../../shared/vcard';
import type { Person } from './types';

/** A card of the Google book as the join needs it. */
export interface CardRef {
  readonly id: string;
  /** Server path ('' before its first upload). */
  readonly href: string;
  readonly uid: string;
}

/** The contact id in a Google CardDAV href: its last path segment, decoded, lower case. */
export function hrefContactId(href: string): string {
  const seg = href.replace(/\/+$/, '').split('/').pop() ?? '';
  try {
    return decodeURIComponent(seg).toLowerCase();
  } catch {
    return seg.toLowerCase();
  }
}

/** The id of a person's CONTACT source (the CardDAV contact id), lower case. */
export function sourceIdOf(person: Person): string | null {
  const id = person.metadata?.sources?.find((s) => s.type === 'CONTACT')?.id;
  return id === undefined || id === '' ? null : id.toLowerCase();
}

/** `people/c<decimal>` → the hexadecimal contact id, or null for other forms. */
export function hexOfResourceName(resourceName: string): string | null {
  const m = /^people\/c(\d{1,30})$/.exec(resourceName);
  return m === null ? null : BigInt(m[1]!).toString(16);
}

/** The hexadecimal contact id → `people/c<decimal>`, or null when it is not hexadecimal. */
export function resourceNameOfHex(id: string): string | null {
  return /^[0-9a-f]{1,25}$/i.test(id) ? `people/c${BigInt(`0x${id}`).toString(10)}` : null;
}

function printOf(name: string, emails: readonly string[], phones: readonly string[]): string {
  const e = emails.map((x) => x.trim().toLowerCase()).filter((x) => x !== '').sort();
  const p = phones.map((x) => x.replace(/\D/g, '')).filter((x) => x !== '').sort();
  return `${name.trim()}|${e.join(',')}|${p.join(',')}`;
}

/** What identifies a person when ids do not: name, e-mail addresses, phone digits. */
export function personPrint(person: Person): string {
  const names = person.names ?? [];
  const name = (names.find((n) => n.metadata?.source?.type === 'CONTACT') ?? names[0])?.displayName ?? '';
  return printOf(
    name,
    (person.emailAddresses ?? []).map((x) => x.value ?? ''),
    (person.phoneNumbers ?? []).map((x) => x.value ?? ''),
  );
}

/** The same print of a card (FN, EMAIL, TEL). */
export function cardPrint(vcard: string): string {
  try {
    const card = parseVCard(vcard);
    const v = versionOf(card);
    const values = (name: string) => card.properties.filter((p) => p.name.toUpperCase() === name).map((p) => textValue(p, v));
    return printOf(values('FN')[0] ?? '', values('EMAIL'), values('TEL'));
  } catch {
    return '||';
  }
}

const EMPTY_PRINT = /^\|\|$/;

/** Each list of cards' map by contact id, made once: the labels sync keeps the cards it read between runs (store.ts). */
const byContactIdOf = new WeakMap<readonly CardRef[], ReadonlyMap<string, string>>();

/** Cards by the contact id Google knows them by (href segment, and UID, which Google sets to it). */
export function cardsByContactId(cards: readonly CardRef[]): ReadonlyMap<string, string> {
  const made = byContactIdOf.get(cards);
  if (made !== undefined) return made;
  const out = new Map<string, string>();
  for (const c of cards) {
    if (c.href !== '') out.set(hrefContactId(c.href), c.id);
  }
  for (const c of cards) {
    const k = uidKey(c.uid);
    if (k !== '' && !out.has(k)) out.set(k, c.id);
  }
  byContactIdOf.set(cards, out);
  return out;
}

/**
 * Every person joined to a card: by source id, by the decimal resource name, then by print among
 * the cards nothing else claimed (`prints` reads the prints of those cards only, on demand).
 */
export async function joinPeople(
  links: readonly PersonLink[],
  cards: readonly CardRef[],
  prints: (cardIds: readonly string[]) => Promise<ReadonlyMap<string, string>>,
): Promise<PersonLink[]> {
  const byContactId = cardsByContactId(cards);
  const claimed = new Set<string>();
  const out = links.map((l) => {
    const id = byContactId.get(l.sourceId) ?? byContactId.get(hexOfResourceName(l.resourceName) ?? '') ?? null;
    if (id !== null && !claimed.has(id)) {
      claimed.add(id);
      return l.contactId === id ? l : { ...l, contactId: id };
    }
    return l.contactId === null ? l : { ...l, contactId: null };
  });
  const lost = out.filter((l) => l.contactId === null && !EMPTY_PRINT.test(l.print));
  if (lost.length === 0) return out;
  const free = cards.filter((c) => !claimed.has(c.id)).map((c) => c.id);
  if (free.length === 0) return out;
  const cardPrints = await prints(free);
  const cardsOfPrint = new Map<string, string[]>();
  for (const [id, p] of cardPrints) if (!EMPTY_PRINT.test(p)) cardsOfPrint.set(p, [...(cardsOfPrint.get(p) ?? []), id]);
  const peopleOfPrint = new Map<string, number>();
  for (const l of lost) peopleOfPrint.set(l.print, (peopleOfPrint.get(l.print) ?? 0) + 1);
  return out.map((l) => {
    if (l.contactId !== null || EMPTY_PRINT.test(l.print)) return l;
    const candidates = cardsOfPrint.get(l.print) ?? [];
    // Only a match both ways: one person, one card. Two Ada Lovelaces with no e-mail stay apart.
    return candidates.length === 1 && peopleOfPrint.get(l.print) === 1 ? { ...l, contactId: candidates[0]! } : l;
  });
}

/** A person as the link the store keeps (its card found later by `joinPeople`). */
export function linkOf(person: Person, previous: PersonLink | undefined): PersonLink {
  return {
    resourceName: person.resourceName,
    sourceId: sourceIdOf(person) ?? hexOfResourceName(person.resourceName) ?? '',
    contactId: previous?.contactId ?? null,
    print: personPrint(person),
  };
}
