/**
 * The normalised fields a contact row keeps beside its vCard: what the list shows, sorts and
 * searches. Derived from the card, never edited directly, and re-derived when the rules change
 * (DERIVATION_VERSION).
 */
import { HONORIFIC_WORDS } from '../duplicates/honorifics';
import { collapseBlanks, foldForSearch, foldJoined, phoneDigits } from '../search/normalize';
import { SEGMENT, type SegmentKind } from '../search/segments';
import { readCardFacts } from '../groups/facts';
import type { GroupCardForm } from '../groups/types';
import { displayName, nameInOrder, toContact, type Contact, type VCard } from '../vcard';

export { nameInOrder };

/**
 * 2: the last-first name and sort key, the birthday, and addresses, groups, labels in search.
 * 3: what the card says about groups (CATEGORIES, a group card's form, name and members).
 */
export const DERIVATION_VERSION = 3;

export interface ListFields {
  readonly uid: string;
  /** The name as shown in first-last order: the card's FN, else its parts in the culture's order. */
  readonly displayName: string;
  /** Shown in last-first order: "Lovelace, Ada"; CJK names keep family-first with no comma. */
  readonly displayNameLast: string;
  /** The sort key by first name, without honorifics ("Dr."), so they never decide the section. */
  readonly sortName: string;
  /** The sort key by last name (family name, then given), without honorifics. */
  readonly sortNameLast: string;
  readonly org: string;
  readonly email: string;
  readonly phone: string;
  /** A data: URI of the photo, or a URI to load lazily; '' for none. */
  readonly photo: string;
  /** The birthday as `YYYY-MM-DD` or `--MM-DD` (year-less), '' for none: the upcoming-birthdays view. */
  readonly birthday: string;
  /**
   * Folded text of every searchable field, each segment opened by its kind's control character
   * (shared/search/segments.ts): names, nicknames, organisation, title, e-mails, addresses,
   * groups, custom labels, related people and notes.
   */
  readonly search: string;
  /** The same segments for the fields the row does not show, as written (notes cut short): what
   * the list shows as the field a search matched. */
  readonly details: string;
  /** The digits of every phone number, space-separated. */
  readonly phones: string;
  /** The CATEGORIES values, unique, as written (indexed: the groups a book keeps that way). */
  readonly categories: readonly string[];
  /** A group card's form ('' for a contact): group cards are groups, never rows of the list. */
  readonly groupCard: GroupCardForm | '';
  /** A group card's name ('' for contacts). */
  readonly groupName: string;
  /** A group card's members as keys (shared/groups/members.ts memberKey); [] for contacts. */
  readonly members: readonly string[];
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Leading honorifics and titles removed (several: "Prof. Dr. Ada"), never the whole name. */
export function withoutHonorifics(name: string): string {
  const text = name.trim();
  // The leading words looked at one at a time, the rest never split into words (an FN of 300,000
  // joined lines): the words after the titles, each run of blanks between them one space.
  const blanks = /\s+/gu;
  let from = 0;
  for (;;) {
    blanks.lastIndex = from;
    const m = blanks.exec(text);
    if (m === null) break; // the last word stays, even a title
    // The duplicates core's list of titles (shared/duplicates/honorifics.ts), compared as it folds them.
    if (!HONORIFIC_WORDS.has(foldForSearch(text.slice(from, m.index)).replace(/\./g, ''))) break;
    from = m.index + m[0].length;
  }
  return collapseBlanks(from === 0 ? text : text.slice(from));
}

/** Last-first: "Lovelace, Ada Augusta"; CJK names are family-first already. '' when N has no parts. */
export function nameLastFirst(c: Contact): string {
  const { family, given, additional, suffix } = c.name;
  if (CJK.test(family + given)) return `${family}${given}`.trim();
  const rest = [given, additional].filter((s) => s.trim() !== '').join(' ');
  const head = [family.trim(), rest].filter((s) => s !== '').join(', ');
  return [head, suffix.trim()].filter((s) => s !== '').join(' ');
}

/**
 * Sort keys. By first name: the name as shown, without leading titles (so a list sorts as it
 * reads, and "Dr. Zoë Núñez" goes under Z). By family name: family, given, middle from N; a CJK
 * name as written; without N parts, the shown name.
 */
function sortKeys(c: Contact, shown: string): { first: string; last: string } {
  const { family, given, additional } = c.name;
  const first = withoutHonorifics(shown);
  if (family.trim() === '' && given.trim() === '') return { first, last: first };
  if (CJK.test(family + given)) return { first, last: `${family}${given}`.trim() };
  return { first, last: [family, given, additional].filter((s) => s.trim() !== '').join(' ') };
}

function isoDate(c: Contact): string {
  const b = c.birthday;
  if (b === null || b.text !== undefined || b.month === null || b.day === null) return '';
  const md = `${String(b.month).padStart(2, '0')}-${String(b.day).padStart(2, '0')}`;
  return b.year === null ? `--${md}` : `${String(b.year).padStart(4, '0')}-${md}`;
}

/** Notes are searched whole but shown only as a short excerpt. */
const NOTE_EXCERPT = 200;

/** Kinds the row shows anyway (name, organisation, e-mail): no need to say they matched. */
const SHOWN: ReadonlySet<SegmentKind> = new Set(['name', 'organization', 'email']);

/**
 * The search text and the details (see ListFields), in one pass over the searchable fields. Values
 * of one kind in a row (a card's nicknames, its groups) are gathered and written as one run,
 * `mark + values.join(mark)`: a card of 300,000 nicknames makes no pair and no string a segment
 * but its folded value (none when they are plain ASCII, see foldJoined), and two joins.
 */
function searchAndDetails(c: Contact, shown: string): { search: string; details: string } {
  const search: string[] = [];
  const details: string[] = [];
  let kind: SegmentKind | null = null;
  let run: string[] = [];
  const flush = (): void => {
    if (kind === null || run.length === 0) return;
    const mark = SEGMENT[kind];
    search.push(foldJoined(run, mark));
    if (!SHOWN.has(kind)) details.push(mark + (kind === 'note' ? run.map((v) => v.slice(0, NOTE_EXCERPT)) : run).join(mark));
    run = [];
  };
  const add = (k: SegmentKind, value: string): void => {
    const v = value.trim();
    if (v === '') return;
    if (k !== kind) {
      flush();
      kind = k;
    }
    run.push(v);
  };
  /** A list's values, each as add takes it; a long list of values that need no trimming is its own run, not copied. */
  const addAll = (k: SegmentKind, list: readonly string[]): void => {
    if (list.length < 64 || !list.every((v) => v !== '' && v.trim() === v)) {
      for (const v of list) add(k, v);
      return;
    }
    flush();
    kind = k;
    run = list as string[]; // only read: flush makes the next run a new list
    flush();
  };
  for (const n of [shown, c.name.family, c.name.given, c.name.additional, c.phoneticName.family, c.phoneticName.given, c.phoneticName.additional]) add('name', n);
  addAll('nickname', c.nicknames);
  add('organization', [c.organization.name, ...c.organization.units].filter((s) => s !== '').join(' · '));
  add('title', c.title);
  for (const e of c.emails) add('email', e.value);
  for (const a of c.addresses) add('address', [a.street, a.extended, a.poBox, a.locality, a.region, a.postalCode, a.country].filter((s) => s.trim() !== '').join(', '));
  addAll('group', c.categories);
  for (const list of [c.emails, c.phones, c.urls, c.ims, c.addresses, c.related]) for (const it of list) add('label', it.label);
  for (const d of c.dates) add('label', d.label);
  for (const r of c.related) add('related', r.value);
  add('note', c.note);
  flush();
  return { search: search.join(''), details: details.join('') };
}

/** `c`: the card's contact view, when the caller has it already (toContact is the costly step). */
export function deriveListFields(card: VCard, c: Contact = toContact(card)): ListFields {
  const shown = c.formattedName.trim() || nameInOrder(c) || displayName(c);
  const keys = sortKeys(c, shown);
  const { search, details } = searchAndDetails(c, shown);
  return {
    uid: c.uid,
    displayName: shown,
    displayNameLast: nameLastFirst(c) || shown,
    sortName: keys.first,
    sortNameLast: keys.last,
    org: c.organization.name,
    email: c.emails[0]?.value ?? '',
    phone: c.phones[0]?.value ?? '',
    photo: c.photo?.uri ?? '',
    birthday: isoDate(c),
    search,
    details,
    phones: c.phones.map((p) => phoneDigits(p.value)).filter((d) => d !== '').join(' '),
    // The categories as the view read them (the same values, unique, in order): not read twice.
    ...groupFields(card, c.categories),
  };
}

/** The group fields alone (the schema upgrade that added them reads only these); `categories`: see readCardFacts. */
export function groupFields(card: VCard, categories?: readonly string[]): Pick<ListFields, 'categories' | 'groupCard' | 'groupName' | 'members'> {
  const f = readCardFacts('', card, categories);
  return { categories: f.categories, groupCard: f.group ?? '', groupName: f.name, members: f.members };
}
