/**
 * Domain Shared Contacts entries (GData Atom, version 3) and their vCard view.
 *
 * The entry's XML is the source of truth: it is kept as received (made a standalone document by
 * adding the namespace declarations it inherited from its feed) and every update starts from it.
 * The vCard is what the rest of Cardinal shows, searches, edits and exports. An edit is applied
 * back per kind of field: where the vCard's names, e-mail addresses, phones, … did not change, the
 * entry's elements stay byte for byte; where they did, only those elements are written anew.
 * Elements Cardinal does not model (extended properties, user-defined fields, groups, unknown
 * `gContact:*`) are never touched, since an update deletes whatever it leaves out.
 */
import { parseVCard, serializeVCard, splitEscaped, unescapeText, escapeText, type VProperty } from '../../shared/vcard';
import { parseXml, child, XmlError, type XmlElement } from '../dav/xml';
import { attributesOf, childElements, rootElement, type RawElement } from './scan';

export const NS_ATOM = 'http://www.w3.org/2005/Atom';
export const NS_GD = 'http://schemas.google.com/g/2005';
export const NS_GCONTACT = 'http://schemas.google.com/contact/2008';
export const NS_OPENSEARCH = 'http://a9.com/-/spec/opensearch/1.1/';
const REL_PHOTO = 'http://schemas.google.com/contacts/2008/rel#photo';
const KIND_CONTACT = 'http://schemas.google.com/contact/2008#contact';

export interface AtomEntry {
  /** The entry's `<id>` (its identity across versions). */
  readonly id: string;
  /** `gd:etag` (quoted), for If-Match. */
  readonly etag: string;
  readonly updated: string;
  /** A `gd:deleted` placeholder (with showdeleted=true). */
  readonly deleted: boolean;
  readonly self: string | null;
  readonly edit: string | null;
  /** The photo link, present only when there is a photo (or a place for one). */
  readonly photo: string | null;
  readonly photoEtag: string | null;
  /** The entry as a standalone XML document, its children byte-identical to what was received. */
  readonly xml: string;
}

export interface AtomFeed {
  readonly entries: AtomEntry[];
  /** The feed's `<updated>`: the next incremental sync asks for changes since then. */
  readonly updated: string | null;
  /** The `rel="next"` link, when there are more pages. */
  readonly next: string | null;
  readonly totalResults: number | null;
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlAttr = (s: string) => xmlText(s).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/** Attributes of an element as parsed (raw qualified names): the value of `local` in any prefix. */
function attr(el: XmlElement, local: string): string | undefined {
  for (const [k, v] of Object.entries(el.attrs)) if (k === local || k.endsWith(`:${local}`)) return v;
  return undefined;
}

/** Make an element standalone: add the namespace declarations it inherits. */
function standalone(xml: string, el: RawElement, inherited: ReadonlyMap<string, string>): string {
  const own = attributesOf(xml, el);
  const add: string[] = [];
  for (const [prefix, uri] of inherited) {
    if (prefix === 'xml') continue;
    const name = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
    if (!own.has(name)) add.push(` ${name}="${xmlAttr(uri)}"`);
  }
  const nameEnd = el.start + 1 + el.qname.length;
  return `${xml.slice(el.start, nameEnd)}${add.join('')}${xml.slice(nameEnd, el.end)}`;
}

function readEntry(text: string): AtomEntry {
  const el = parseXml(text);
  const link = (rel: string) => el.children.find((c) => c.ns === NS_ATOM && c.local === 'link' && attr(c, 'rel') === rel);
  const photo = link(REL_PHOTO);
  return {
    id: child(el, NS_ATOM, 'id')?.text.trim() ?? '',
    etag: attr(el, 'etag') ?? '',
    updated: child(el, NS_ATOM, 'updated')?.text.trim() ?? '',
    deleted: child(el, NS_GD, 'deleted') !== undefined,
    self: link('self') === undefined ? null : (attr(link('self')!, 'href') ?? null),
    edit: link('edit') === undefined ? null : (attr(link('edit')!, 'href') ?? null),
    photo: photo === undefined ? null : (attr(photo, 'href') ?? null),
    photoEtag: photo === undefined ? null : (attr(photo, 'etag') ?? null),
    xml: text,
  };
}

/** A feed page: its entries (each standalone), the next link, the feed's own `<updated>`. */
export function parseFeed(text: string): AtomFeed {
  const tree = parseXml(text);
  if (tree.ns !== NS_ATOM || tree.local !== 'feed') throw new XmlError(`expected an Atom feed, got <${tree.local}>`);
  const root = rootElement(text);
  const entries = childElements(text, root)
    .filter((c) => c.ns === NS_ATOM && c.local === 'entry')
    .map((e) => readEntry(standalone(text, e, root.scope)));
  const next = tree.children.find((c) => c.ns === NS_ATOM && c.local === 'link' && attr(c, 'rel') === 'next');
  const total = child(tree, NS_OPENSEARCH, 'totalResults')?.text.trim();
  return { entries, updated: child(tree, NS_ATOM, 'updated')?.text.trim() ?? null, next: next === undefined ? null : (attr(next, 'href') ?? null), totalResults: total === undefined ? null : Number(total) };
}

/** One entry document (the answer to GET, POST or PUT of an entry). */
export function parseEntry(text: string): AtomEntry {
  const root = rootElement(text);
  if (root.ns !== NS_ATOM || root.local !== 'entry') throw new XmlError(`expected an Atom entry, got <${root.local}>`);
  return readEntry(text);
}

// ---- the vCard view ----------------------------------------------------------------------------

/** The kinds of field Cardinal models, each a set of entry elements and of vCard properties. */
type Kind = 'name' | 'note' | 'email' | 'phone' | 'im' | 'address' | 'org' | 'birthday' | 'website' | 'event' | 'relation' | 'nickname';

const ELEMENT_KIND: Record<string, Kind> = {
  [`${NS_ATOM}|title`]: 'name',
  [`${NS_GD}|name`]: 'name',
  [`${NS_ATOM}|content`]: 'note',
  [`${NS_GD}|email`]: 'email',
  [`${NS_GD}|phoneNumber`]: 'phone',
  [`${NS_GD}|im`]: 'im',
  [`${NS_GD}|structuredPostalAddress`]: 'address',
  [`${NS_GD}|organization`]: 'org',
  [`${NS_GCONTACT}|birthday`]: 'birthday',
  [`${NS_GCONTACT}|website`]: 'website',
  [`${NS_GCONTACT}|event`]: 'event',
  [`${NS_GCONTACT}|relation`]: 'relation',
  [`${NS_GCONTACT}|nickname`]: 'nickname',
};

const IM_PROTOCOL: Record<string, string> = {
  GOOGLE_TALK: 'X-GTALK',
  AIM: 'X-AIM',
  YAHOO: 'X-YAHOO',
  SKYPE: 'X-SKYPE',
  QQ: 'X-QQ',
  MSN: 'X-MSN',
  ICQ: 'X-ICQ',
  JABBER: 'X-JABBER',
};
const IM_PROPERTY = Object.fromEntries(Object.entries(IM_PROTOCOL).map(([k, v]) => [v, k]));

/** The vCard property names of each kind (grouped labels travel with their property). */
const PROPERTY_KIND: Record<string, Kind> = {
  FN: 'name',
  N: 'name',
  NOTE: 'note',
  EMAIL: 'email',
  TEL: 'phone',
  ADR: 'address',
  ORG: 'org',
  TITLE: 'org',
  BDAY: 'birthday',
  URL: 'website',
  'X-ABDATE': 'event',
  'X-ANNIVERSARY': 'event',
  'X-ABRELATEDNAMES': 'relation',
  NICKNAME: 'nickname',
  ...Object.fromEntries(Object.values(IM_PROTOCOL).map((p) => [p, 'im' as Kind])),
};

const relWord = (rel: string | undefined) => (rel === undefined ? undefined : (rel.split('#')[1] ?? rel));

interface Builder {
  props: VProperty[];
  group: number;
}

/**
 * A TYPE value from the entry (a `rel`): only an iana-token or x-name (RFC 6350 §3.3) becomes one.
 * Anything else could end the parameter or the line (a quote, `;`, `:`, a newline from `&#10;`) and
 * write properties of its own into the card; it is left out of the view (the entry keeps it).
 */
const isTypeToken = (t: string) => /^[A-Za-z0-9-]{1,64}$/.test(t);

/**
 * A parameter value from the entry (an extended property's name): vCard 3.0 has no escape inside
 * a parameter, so the characters that would end it or the line are replaced (the serialiser quotes
 * the rest where it must).
 */
// eslint-disable-next-line no-control-regex -- control characters are what must not reach a parameter
const paramValue = (v: string) => v.replace(/[\x00-\x1f\x7f"]/g, ' ').trim();

/** A URI from the entry (the photo link): characters no URI holds are percent-encoded, so none can end the line. */
// eslint-disable-next-line no-control-regex -- as above
const uriValue = (v: string) => v.trim().replace(/[\x00-\x20\x7f"\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** Every value here comes from the server: text values are escaped by the caller, types vetted here. */
function add(b: Builder, name: string, value: string, types: readonly string[] = [], label?: string): void {
  const vetted = types.filter(isTypeToken);
  const params = vetted.length > 0 ? [{ name: 'TYPE', values: vetted }] : [];
  if (label === undefined || label === '') {
    b.props.push({ group: null, name, params, value });
    return;
  }
  const g = `item${++b.group}`;
  b.props.push({ group: g, name, params, value }, { group: g, name: 'X-ABLabel', params: [], value: escapeText(label, '3.0') });
}

const PHONE_TYPES: Record<string, string[]> = {
  work: ['work'],
  home: ['home'],
  mobile: ['cell'],
  work_fax: ['work', 'fax'],
  home_fax: ['home', 'fax'],
  fax: ['fax'],
  pager: ['pager'],
  main: ['main'],
  other: ['other'],
  car: ['car'],
  isdn: ['isdn'],
};

/** The entry as a vCard 3.0 (what the window shows); `uid` is the entry's id. */
export function entryToVCard(entry: AtomEntry): string {
  const el = parseXml(entry.xml);
  const b: Builder = { props: [{ group: null, name: 'VERSION', params: [], value: '3.0' }, { group: null, name: 'UID', params: [], value: escapeText(entry.id, '3.0') }], group: 0 };
  const t = (s: string) => escapeText(s.trim(), '3.0');
  const s = (s: string) => escapeText(s.trim(), '3.0', true);
  const name = child(el, NS_GD, 'name');
  const part = (local: string) => (name === undefined ? '' : (child(name, NS_GD, local)?.text.trim() ?? ''));
  const full = part('fullName') || child(el, NS_ATOM, 'title')?.text.trim() || '';
  add(b, 'FN', t(full));
  add(b, 'N', [part('familyName'), part('givenName'), part('additionalName'), part('namePrefix'), part('nameSuffix')].map(s).join(';'));
  for (const c of el.children) {
    const pref = attr(c, 'primary') === 'true' ? ['pref'] : [];
    const rel = relWord(attr(c, 'rel'));
    const label = attr(c, 'label');
    if (c.ns === NS_GD && c.local === 'email') add(b, 'EMAIL', t(attr(c, 'address') ?? ''), [...(rel !== undefined ? [rel] : []), ...pref], label);
    else if (c.ns === NS_GD && c.local === 'phoneNumber') add(b, 'TEL', t(c.text), [...(rel !== undefined ? (PHONE_TYPES[rel] ?? [rel]) : []), ...pref], label);
    else if (c.ns === NS_GD && c.local === 'im') add(b, IM_PROTOCOL[relWord(attr(c, 'protocol')) ?? ''] ?? 'X-JABBER', t(attr(c, 'address') ?? ''), [...(rel !== undefined ? [rel] : []), ...pref], label);
    else if (c.ns === NS_GD && c.local === 'structuredPostalAddress') {
      const p = (local: string) => child(c, NS_GD, local)?.text.trim() ?? '';
      add(b, 'ADR', [p('pobox'), p('neighborhood'), p('street'), p('city'), p('region'), p('postcode'), p('country')].map(s).join(';'), [...(rel !== undefined ? [rel] : []), ...pref], label);
    } else if (c.ns === NS_GD && c.local === 'organization') {
      const p = (local: string) => child(c, NS_GD, local)?.text.trim() ?? '';
      if (p('orgName') !== '' || p('orgDepartment') !== '') add(b, 'ORG', [p('orgName'), p('orgDepartment')].map(s).join(';'));
      if (p('orgTitle') !== '') add(b, 'TITLE', t(p('orgTitle')));
    } else if (c.ns === NS_ATOM && c.local === 'content' && c.text.trim() !== '') add(b, 'NOTE', t(c.text));
    // Attribute values are escaped as text values are: `when="1990-01-01&#10;EMAIL:x@evil"` must stay one BDAY.
    else if (c.ns === NS_GCONTACT && c.local === 'birthday') add(b, 'BDAY', t(attr(c, 'when') ?? ''));
    else if (c.ns === NS_GCONTACT && c.local === 'website') add(b, 'URL', t(attr(c, 'href') ?? ''), attr(c, 'rel') !== undefined ? [attr(c, 'rel')!] : [], label);
    else if (c.ns === NS_GCONTACT && c.local === 'nickname') add(b, 'NICKNAME', t(c.text));
    else if (c.ns === NS_GCONTACT && c.local === 'relation') add(b, 'X-ABRELATEDNAMES', t(c.text), [], label ?? attr(c, 'rel'));
    else if (c.ns === NS_GCONTACT && c.local === 'event') {
      const when = child(c, NS_GD, 'when');
      const start = when === undefined ? '' : (attr(when, 'startTime') ?? '');
      if (attr(c, 'rel') === 'anniversary' && label === undefined) add(b, 'X-ANNIVERSARY', t(start));
      else add(b, 'X-ABDATE', t(start), [], label ?? attr(c, 'rel') ?? 'other');
    } else if (c.ns === NS_GD && c.local === 'extendedProperty' && attr(c, 'value') !== undefined) {
      // Shown and exported; kept in the entry as received (never rewritten from here).
      b.props.push({ group: null, name: 'X-GDATA-EXTENDED', params: [{ name: 'NAME', values: [paramValue(attr(c, 'name') ?? '')] }], value: t(attr(c, 'value')!) });
    }
  }
  // The photo, when there is one, by its link (loaded when shown; credentials only to its origin).
  if (entry.photo !== null && entry.photoEtag !== null) b.props.push({ group: null, name: 'PHOTO', params: [{ name: 'VALUE', values: ['uri'] }], value: uriValue(entry.photo) });
  return serializeVCard({ properties: b.props });
}

/** The PHOTO value of a vCard ('' for none): how a photo change is noticed. */
export function photoOf(vcard: string): { value: string; type: string } | null {
  const p = parseVCard(vcard).properties.find((x) => x.name.toUpperCase() === 'PHOTO');
  if (p === undefined) return null;
  const type = p.params.find((x) => x.name?.toUpperCase() === 'TYPE')?.values[0];
  return { value: p.value.trim(), type: type === undefined ? 'image/jpeg' : `image/${type.toLowerCase()}` };
}

// ---- from the vCard back to elements -------------------------------------------------------------

interface Item {
  prop: VProperty;
  label?: string;
}

/** The vCard's properties of each kind, with their grouped labels. */
function itemsByKind(vcard: string): Map<Kind, Item[]> {
  const props = parseVCard(vcard).properties;
  const labels = new Map<string, string>();
  for (const p of props) if (p.group !== null && p.name.toUpperCase() === 'X-ABLABEL') labels.set(p.group.toLowerCase(), unescapeText(p.value, '3.0'));
  const out = new Map<Kind, Item[]>();
  for (const p of props) {
    const kind = PROPERTY_KIND[p.name.toUpperCase()];
    if (kind === undefined) continue;
    const label = p.group === null ? undefined : labels.get(p.group.toLowerCase());
    out.set(kind, [...(out.get(kind) ?? []), label === undefined ? { prop: p } : { prop: p, label }]);
  }
  return out;
}

/** A kind's content, for telling whether it changed. */
function signature(items: readonly Item[] | undefined): string {
  return JSON.stringify((items ?? []).map((i) => [i.prop.name.toUpperCase(), i.prop.params.map((p) => [p.name?.toUpperCase(), p.values.map((v) => v.toLowerCase()).sort()]), i.prop.value, i.label ?? null]));
}

const GD_REL = (w: string) => `http://schemas.google.com/g/2005#${w}`;

function typesOf(p: VProperty): string[] {
  return p.params.filter((x) => x.name === null || x.name.toUpperCase() === 'TYPE').flatMap((x) => x.values.flatMap((v) => v.split(',')).map((v) => v.toLowerCase()));
}

/** rel (one of `known`) or label, exactly one of them (GData requires it), and primary. */
function relOrLabel(item: Item, known: readonly string[], fallback: string): string {
  const types = typesOf(item.prop);
  const primary = types.includes('pref') ? ' primary="true"' : '';
  if (item.label !== undefined && item.label !== '') return ` label="${xmlAttr(item.label)}"${primary}`;
  const rel = types.find((t) => known.includes(t)) ?? fallback;
  return ` rel="${GD_REL(rel)}"${primary}`;
}

function phoneRel(types: string[]): string {
  const fax = types.includes('fax');
  if (types.includes('cell')) return 'mobile';
  if (fax && types.includes('home')) return 'home_fax';
  if (fax && types.includes('work')) return 'work_fax';
  if (fax) return 'fax';
  for (const t of ['pager', 'main', 'car', 'isdn', 'work', 'home']) if (types.includes(t)) return t;
  return 'other';
}

/** The entry elements of one kind, written from the vCard (prefixes gd:, gContact:, atom-default). */
function elementsOf(kind: Kind, items: readonly Item[], all: Map<Kind, Item[]>): string[] {
  const text = (i: Item) => unescapeText(i.prop.value, '3.0').trim();
  const parts = (i: Item) => splitEscaped(i.prop.value, ';').map((x) => unescapeText(x, '3.0').trim());
  switch (kind) {
    case 'name': {
      const fn = all.get('name')?.find((i) => i.prop.name.toUpperCase() === 'FN');
      const n = all.get('name')?.find((i) => i.prop.name.toUpperCase() === 'N');
      const [family = '', given = '', additional = '', prefix = '', suffix = ''] = n === undefined ? [] : parts(n);
      const full = fn === undefined ? '' : text(fn);
      const el = (local: string, v: string) => (v === '' ? '' : `<gd:${local}>${xmlText(v)}</gd:${local}>`);
      return [
        `<title>${xmlText(full)}</title>`,
        `<gd:name>${el('givenName', given)}${el('additionalName', additional)}${el('familyName', family)}${el('namePrefix', prefix)}${el('nameSuffix', suffix)}${el('fullName', full)}</gd:name>`,
      ];
    }
    case 'note':
      return items.map((i) => `<content type="text">${xmlText(text(i))}</content>`);
    case 'email':
      return items.map((i) => `<gd:email${relOrLabel(i, ['work', 'home', 'other'], 'other')} address="${xmlAttr(text(i))}"/>`);
    case 'phone':
      return items.map((i) => {
        const types = typesOf(i.prop);
        const primary = types.includes('pref') ? ' primary="true"' : '';
        const head = i.label !== undefined && i.label !== '' ? ` label="${xmlAttr(i.label)}"${primary}` : ` rel="${GD_REL(phoneRel(types))}"${primary}`;
        return `<gd:phoneNumber${head}>${xmlText(text(i))}</gd:phoneNumber>`;
      });
    case 'im':
      return items.map((i) => `<gd:im${relOrLabel(i, ['work', 'home', 'other'], 'other')} protocol="${GD_REL(IM_PROPERTY[i.prop.name.toUpperCase()] ?? 'JABBER')}" address="${xmlAttr(text(i))}"/>`);
    case 'address':
      return items.map((i) => {
        const [pobox = '', neighborhood = '', street = '', city = '', region = '', postcode = '', country = ''] = parts(i);
        const el = (local: string, v: string) => (v === '' ? '' : `<gd:${local}>${xmlText(v)}</gd:${local}>`);
        return `<gd:structuredPostalAddress${relOrLabel(i, ['work', 'home', 'other'], 'other')}>${el('street', street)}${el('pobox', pobox)}${el('neighborhood', neighborhood)}${el('city', city)}${el('region', region)}${el('postcode', postcode)}${el('country', country)}</gd:structuredPostalAddress>`;
      });
    case 'org': {
      const org = items.find((i) => i.prop.name.toUpperCase() === 'ORG');
      const title = items.find((i) => i.prop.name.toUpperCase() === 'TITLE');
      const [name = '', dept = ''] = org === undefined ? [] : parts(org);
      const t = title === undefined ? '' : text(title);
      if (name === '' && dept === '' && t === '') return [];
      const el = (local: string, v: string) => (v === '' ? '' : `<gd:${local}>${xmlText(v)}</gd:${local}>`);
      return [`<gd:organization rel="${GD_REL('work')}">${el('orgName', name)}${el('orgDepartment', dept)}${el('orgTitle', t)}</gd:organization>`];
    }
    case 'birthday':
      return items.slice(0, 1).map((i) => `<gContact:birthday when="${xmlAttr(text(i))}"/>`);
    case 'website':
      return items.map((i) => {
        const rel = typesOf(i.prop).find((x) => ['home-page', 'blog', 'profile', 'home', 'work', 'other', 'ftp'].includes(x));
        const head = i.label !== undefined && i.label !== '' ? ` label="${xmlAttr(i.label)}"` : ` rel="${rel ?? 'other'}"`;
        return `<gContact:website href="${xmlAttr(text(i))}"${head}/>`;
      });
    case 'event':
      return items.map((i) => {
        const when = `<gd:when startTime="${xmlAttr(text(i))}"/>`;
        if (i.prop.name.toUpperCase() === 'X-ANNIVERSARY') return `<gContact:event rel="anniversary">${when}</gContact:event>`;
        const label = i.label ?? 'other';
        return label === 'anniversary' || label === 'other' ? `<gContact:event rel="${label}">${when}</gContact:event>` : `<gContact:event label="${xmlAttr(label)}">${when}</gContact:event>`;
      });
    case 'relation':
      return items.map((i) => {
        const RELS = ['assistant', 'brother', 'child', 'domestic-partner', 'father', 'friend', 'manager', 'mother', 'parent', 'partner', 'referred-by', 'relative', 'sister', 'spouse'];
        const rel = (i.label ?? '').toLowerCase();
        return RELS.includes(rel) ? `<gContact:relation rel="${rel}">${xmlText(text(i))}</gContact:relation>` : `<gContact:relation label="${xmlAttr(i.label ?? 'other')}">${xmlText(text(i))}</gContact:relation>`;
      });
    case 'nickname':
      return items.map((i) => `<gContact:nickname>${xmlText(text(i))}</gContact:nickname>`);
  }
}

const KINDS: readonly Kind[] = ['name', 'note', 'email', 'phone', 'im', 'address', 'org', 'birthday', 'website', 'event', 'relation', 'nickname'];

/**
 * The entry with the vCard's changes applied: for each kind of field whose content differs between
 * `from` (the vCard view of this entry) and `to`, that kind's elements are replaced (where the
 * first of them stood); everything else, modeled or not, stays byte for byte.
 */
export function patchEntry(entryXml: string, from: string, to: string): string {
  const root = rootElement(entryXml);
  const kids = childElements(entryXml, root);
  const before = itemsByKind(from);
  const after = itemsByKind(to);
  const changed = new Set(KINDS.filter((k) => signature(before.get(k)) !== signature(after.get(k))));
  if (changed.size === 0) return entryXml;
  const declared = new Set([...root.scope.entries()].filter(([p, u]) => (p === 'gd' && u === NS_GD) || (p === 'gContact' && u === NS_GCONTACT) || (p === '' && u === NS_ATOM)).map(([p]) => p));
  let out = '';
  let cursor = root.contentStart;
  const written = new Set<Kind>();
  const emit = (k: Kind) => {
    written.add(k);
    return elementsOf(k, after.get(k) ?? [], after).join('');
  };
  for (const el of kids) {
    const kind = ELEMENT_KIND[`${el.ns}|${el.local}`];
    if (kind === undefined || !changed.has(kind)) continue;
    out += entryXml.slice(cursor, el.start);
    if (!written.has(kind)) out += emit(kind);
    cursor = el.end;
  }
  // Kinds that had no element before go at the end.
  const rest = [...changed].filter((k) => !written.has(k)).map(emit).join('');
  out += entryXml.slice(cursor, root.contentEnd) + rest;
  // The prefixes written above must be declared on the entry.
  const decl = [!declared.has('gd') ? ` xmlns:gd="${NS_GD}"` : '', !declared.has('gContact') ? ` xmlns:gContact="${NS_GCONTACT}"` : ''].join('');
  const nameEnd = root.start + 1 + root.qname.length;
  const startTag = `${entryXml.slice(root.start, nameEnd)}${decl}${entryXml.slice(nameEnd, root.contentStart)}`;
  const defaultAtom = root.scope.get('') === NS_ATOM;
  if (!defaultAtom && (changed.has('name') || changed.has('note'))) {
    // title/content are written unprefixed: the entry must have Atom as its default namespace.
    return `${entryXml.slice(0, root.start)}${startTag.replace(/^<([^\s>/]+)/, `<$1 xmlns="${NS_ATOM}"`)}${out}${entryXml.slice(root.contentEnd)}`;
  }
  return `${entryXml.slice(0, root.start)}${startTag}${out}${entryXml.slice(root.contentEnd)}`;
}

/** A new entry for the feed (POST), from a vCard. */
export function newEntry(vcard: string): string {
  const all = itemsByKind(vcard);
  const extended = parseVCard(vcard)
    .properties.filter((p) => p.name.toUpperCase() === 'X-GDATA-EXTENDED')
    .map((p) => `<gd:extendedProperty name="${xmlAttr(p.params.find((x) => x.name?.toUpperCase() === 'NAME')?.values[0] ?? 'x')}" value="${xmlAttr(unescapeText(p.value, '3.0'))}"/>`);
  const body = KINDS.flatMap((k) => (k === 'name' || (all.get(k)?.length ?? 0) > 0 ? elementsOf(k, all.get(k) ?? [], all) : [])).join('');
  return `<entry xmlns="${NS_ATOM}" xmlns:gd="${NS_GD}" xmlns:gContact="${NS_GCONTACT}"><category scheme="http://schemas.google.com/g/2005#kind" term="${KIND_CONTACT}"/>${body}${extended.join('')}</entry>`;
}
