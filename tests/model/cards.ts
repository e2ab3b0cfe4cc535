/**
 * The contacts of the model as vCards and GData entries, and back. A contact is its name (FN,
 * unique in a sequence: its identity on both sides, since servers replace UIDs and rewrite cards)
 * and two fields either side may edit: an e-mail address and a note. Values are plain ASCII words,
 * so every server's rewriting leaves them as they are.
 */
import { parseVCard, serializeVCard, toContact, type VProperty } from '../../shared/vcard';

export type Field = 'email' | 'note';
export const FIELDS: readonly Field[] = ['email', 'note'];

export interface Card {
  readonly fn: string;
  readonly email: string;
  readonly note: string;
}

export function vcardOf(c: Card, uid: string): string {
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:${uid}`,
    `FN:${c.fn}`,
    `N:${c.fn};;;;`,
    ...(c.email === '' ? [] : [`EMAIL:${c.email}`]),
    ...(c.note === '' ? [] : [`NOTE:${c.note}`]),
    'END:VCARD',
    '',
  ].join('\r\n');
}

/** The card as a server or the store holds it, read back into the model's terms. */
export function cardOf(vcard: string): Card {
  const c = toContact(parseVCard(vcard));
  return { fn: c.formattedName, email: c.emails[0]?.value ?? '', note: c.note };
}

/** Every e-mail address of a card, in its order (a merged card holds more than one). */
export function emailsOf(vcard: string): string[] {
  return toContact(parseVCard(vcard)).emails.map((e) => e.value);
}

/**
 * The content lines of a field's value as stored (parameters included), sorted: a change of form
 * shows here. For the e-mail field only the lines of the model's address (the card's first): a
 * merged card's other addresses coming or going is no edit of it (seed 19200649).
 */
export function fieldLines(vcard: string, field: Field): string {
  const name = field === 'email' ? 'EMAIL' : 'NOTE';
  const first = field === 'email' ? cardOf(vcard).email.toLowerCase() : null;
  return vcard
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter((l) => new RegExp(`^(?:[\\w-]+\\.)?${name}[;:]`, 'i').test(l))
    .filter((l) => first === null || l.slice(l.indexOf(':') + 1).toLowerCase() === first)
    .sort()
    .join('\n');
}

/** `vcard` with one field set (as another client or the editor would change it), the rest untouched. */
export function withField(vcard: string, field: Field, value: string): string {
  const card = parseVCard(vcard);
  const name = field === 'email' ? 'EMAIL' : 'NOTE';
  const at = card.properties.findIndex((p) => p.name.toUpperCase() === name);
  const props = card.properties.filter((p) => p.name.toUpperCase() !== name);
  const end = props.findIndex((p) => p.name.toUpperCase() === 'END');
  const prop: VProperty = { group: null, name, params: [], value };
  if (value !== '') props.splice(at >= 0 && at <= end ? at : end, 0, prop);
  return serializeVCard({ properties: props });
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Domain Shared Contacts entry's children, as another administrator's client sends them. */
export function entryChildren(c: Card): string {
  return (
    `<gd:name><gd:fullName>${xml(c.fn)}</gd:fullName></gd:name>` +
    (c.email === '' ? '' : `<gd:email rel="http://schemas.google.com/g/2005#work" address="${xml(c.email)}"/>`) +
    (c.note === '' ? '' : `<content type="text">${xml(c.note)}</content>`)
  );
}

/** An entry's children with one field changed where it stands, everything else as it was. */
export function withEntryField(children: string, field: Field, value: string): string {
  const fresh = entryChildren({ fn: '', email: field === 'email' ? value : '', note: field === 'note' ? value : '' }).replace(/^<gd:name>.*?<\/gd:name>/, '');
  const pattern = field === 'email' ? /<gd:email\b[^>]*\/>/ : /<(?:atom:)?content\b[^>]*>[^<]*<\/(?:atom:)?content>/;
  if (pattern.test(children)) return children.replace(pattern, fresh);
  return children + fresh;
}

const unxml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** Every e-mail address of an entry, in its order. */
export function emailsOfEntry(children: string): string[] {
  return [...children.matchAll(/<gd:email\b[^>]*\baddress="([^"]*)"/g)].map((m) => unxml(m[1]!));
}

/** An entry's children read back (the fields the model follows). */
export function cardOfEntry(children: string): Card {
  return {
    fn: unxml(/<gd:fullName>([^<]*)<\/gd:fullName>/.exec(children)?.[1] ?? ''),
    email: unxml(/<gd:email\b[^>]*\baddress="([^"]*)"/.exec(children)?.[1] ?? ''),
    note: unxml(/<(?:atom:)?content\b[^>]*>([^<]*)<\/(?:atom:)?content>/.exec(children)?.[1] ?? ''),
  };
}
