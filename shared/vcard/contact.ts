/**
 * The contact view: what the UI shows and edits, read from the card's properties. It is a view,
 * not a replacement: `edit.ts` writes a changed view back by patching only the properties behind
 * the fields that changed. Multi-value items carry an `id` derived from the property they came
 * from, so an edit finds its property again even if the card was re-ordered meanwhile.
 */
import { parseDate, type DateValue } from './dates';
import { hasParam, listValue, paramValues, structuredValue, textValue, transferDecoded, unescapeText } from './escape';
import { base36 } from './base36';
import { telNumber, telUriIn } from './tel';
import type { VCard, VCardVersion, VParam, VProperty } from './types';

export interface ContactItem {
  /** Empty for an item the user added; otherwise the key of the property it was read from. */
  readonly id: string;
  readonly value: string;
  /** TYPE values, lower case, without `pref`. */
  readonly types: readonly string[];
  /** A custom label (Google/Apple `itemN.X-ABLabel`), `''` when there is none. */
  readonly label: string;
  readonly pref: boolean;
}

export interface ImItem extends ContactItem {
  /** `xmpp`, `skype`, `aim`, ... from the URI scheme, X-SERVICE-TYPE, or the X- property's name. */
  readonly service: string;
}

export interface AddressItem {
  readonly id: string;
  readonly poBox: string;
  readonly extended: string;
  readonly street: string;
  readonly locality: string;
  readonly region: string;
  readonly postalCode: string;
  readonly country: string;
  readonly types: readonly string[];
  readonly label: string;
  readonly pref: boolean;
}

export interface DateItem {
  readonly id: string;
  readonly date: DateValue;
  readonly label: string;
}

export interface StructuredName {
  readonly family: string;
  readonly given: string;
  readonly additional: string;
  readonly prefix: string;
  readonly suffix: string;
}

export interface PhoneticName {
  readonly family: string;
  readonly given: string;
  readonly additional: string;
}

export interface Organization {
  readonly name: string;
  readonly units: readonly string[];
}

export interface Photo {
  /** A `data:` URI for an inline photo, else the URI as written. */
  readonly uri: string;
}

export interface Contact {
  readonly version: VCardVersion;
  readonly uid: string;
  readonly kind: string;
  readonly formattedName: string;
  readonly name: StructuredName;
  readonly phoneticName: PhoneticName;
  readonly nicknames: readonly string[];
  readonly organization: Organization;
  readonly title: string;
  readonly role: string;
  readonly emails: readonly ContactItem[];
  readonly phones: readonly ContactItem[];
  readonly urls: readonly ContactItem[];
  readonly ims: readonly ImItem[];
  readonly related: readonly ContactItem[];
  readonly addresses: readonly AddressItem[];
  readonly birthday: DateValue | null;
  readonly anniversary: DateValue | null;
  readonly dates: readonly DateItem[];
  readonly note: string;
  readonly categories: readonly string[];
  readonly photo: Photo | null;
}

export const EMPTY_NAME: StructuredName = { family: '', given: '', additional: '', prefix: '', suffix: '' };

/** Legacy one-service IM properties and the service each names. */
export const IM_PROPERTIES: Readonly<Record<string, string>> = {
  'X-AIM': 'aim',
  'X-ICQ': 'icq',
  'X-JABBER': 'xmpp',
  'X-MSN': 'msn',
  'X-YAHOO': 'yahoo',
  'X-SKYPE': 'skype',
  'X-SKYPE-USERNAME': 'skype',
  'X-QQ': 'qq',
  'X-GTALK': 'gtalk',
  'X-GOOGLE-TALK': 'gtalk',
  'X-GADUGADU': 'gadugadu',
  'X-SIP': 'sip',
  'X-MS-IMADDRESS': 'msn',
};

export function versionOf(card: VCard): VCardVersion {
  for (const p of card.properties) {
    if (p.name.toUpperCase() === 'VERSION') {
      const v = p.value.trim();
      if (v === '2.1' || v === '4.0') return v;
      return '3.0';
    }
  }
  return '3.0';
}

/** Apple writes standard labels as `_$!<HomePage>!$_`; show the word inside. */
export function labelText(raw: string): string {
  if (raw.charCodeAt(0) !== 0x5f /* _ */) return raw; // most labels: no regular expression to run
  const m = /^_\$!<(.*)>!\$_$/.exec(raw);
  return m === null ? raw : m[1]!;
}

const FNV_OFFSET = 0x811c9dc5;

function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** fnv(h, text.toUpperCase()) for ASCII-case text, without making the upper-case copy. */
function fnvUpper(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    else if (c > 0x7f) return fnv(h, text.slice(i).toUpperCase());
    h ^= c;
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

const PIPE = 0x7c;
const mix = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);

/**
 * A key for a property that survives re-ordering: its name, parameters and value, hashed (FNV-1a
 * of `NAME|p=v1,v2;q=w|value`, fed piece by piece: no joined string is built).
 */
export function propertyKey(prop: VProperty): string {
  return base36(propertyHash(prop));
}

/** The number propertyKey writes in base 36. */
function propertyHash(prop: VProperty): number {
  const params = prop.params;
  let h: number;
  // A frozen list is the parser's shared one for its head (parse.ts): the hash of the name and
  // parameters is kept beside it, for the last name it was asked with.
  if (params.length > 0 && Object.isFrozen(params)) {
    const known = KEY_HEADS.get(params);
    if (known !== undefined && known.name === prop.name) h = known.h;
    else {
      h = headHash(prop.name, params);
      KEY_HEADS.set(params, { name: prop.name, h });
    }
  } else h = headHash(prop.name, params);
  return fnv(h, prop.value) >>> 0;
}

/** propertyKey's hash of `NAME|p=v1,v2;q=w|`. */
function headHash(name: string, params: readonly VParam[]): number {
  let h = fnvUpper(FNV_OFFSET, name);
  h = mix(h, PIPE);
  for (let k = 0; k < params.length; k++) {
    const p = params[k]!;
    if (k > 0) h = mix(h, 0x3b); // ;
    if (p.name !== null) h = fnv(h, p.name);
    h = mix(h, 0x3d); // =
    for (let j = 0; j < p.values.length; j++) {
      if (j > 0) h = mix(h, 0x2c); // ,
      h = fnv(h, p.values[j]!);
    }
  }
  return mix(h, PIPE);
}

const KEY_HEADS = new WeakMap<readonly VParam[], { readonly name: string; readonly h: number }>();


/** Properties that become multi-value items in the view, and so need ids. */
const ITEM_NAMES = new Set(['EMAIL', 'TEL', 'URL', 'ADR', 'RELATED', 'X-ABRELATEDNAMES', 'X-ABDATE', 'IMPP', ...Object.keys(IM_PROPERTIES)]);

/** The id a property would get as the first of its kind: '' for one that is no multi-value item. */
export function itemKey(p: VProperty, keyOf: (p: VProperty) => string = propertyKey): string {
  return ITEM_NAMES.has(upperName(p.name)) ? keyOf(p) : '';
}

/** A group in lower case; most are already (no copy then). */
function lowerName(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c > 0x7f) return name.toLowerCase();
  }
  return name;
}

/** A property name in upper case; most are already (no copy then). */
export function upperName(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return name.toUpperCase();
    if (c > 0x7f) return name.toUpperCase();
  }
  return name;
}

/**
 * Ids for the properties of a card that become multi-value items (empty for the others), made
 * unique by occurrence (`k`, `k~2`, ...) when two are identical.
 */
export function propertyIds(card: VCard, keyOf: (p: VProperty) => string = propertyKey): string[] {
  // Occurrences counted in a Map only for a card of many items; a few are compared directly.
  let seen: Map<string, number> | null = null;
  const keys: string[] = [];
  const out: string[] = new Array<string>(card.properties.length);
  for (let i = 0; i < card.properties.length; i++) {
    const p = card.properties[i]!;
    if (!ITEM_NAMES.has(upperName(p.name))) {
      out[i] = '';
      continue;
    }
    const key = keyOf(p);
    let n = 1;
    if (seen === null && keys.length >= 32) {
      seen = new Map();
      for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    if (seen !== null) {
      n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
    } else {
      for (const k of keys) if (k === key) n++;
    }
    keys.push(key);
    out[i] = n === 1 ? key : `${key}~${n}`;
  }
  return out;
}

/**
 * The photo as a URI an <img> can load. Inline base64 becomes a data: URI, unless the writer
 * already wrote one (`PHOTO;ENCODING=b;TYPE=png:data:image/png;base64,…`, seen in the wild). A
 * URI value is unescaped: vCard 4.0 writers escape its `;` and `,` (`data:image/jpeg\;base64\,…`),
 * and a backslash is never part of a URI.
 */
function photoUri(prop: VProperty, version: VCardVersion): string {
  let value = prop.value.replace(/\s+/g, '');
  if (value.indexOf('\\') >= 0) value = unescapeText(value, version);
  if (/^data:/i.test(value)) return value;
  const enc = paramValues(prop, 'ENCODING')[0]?.toUpperCase();
  const inline = enc === 'B' || enc === 'BASE64' || hasParam(prop, 'ENCODING', 'BASE64');
  if (!inline) return value;
  const type = (paramValues(prop, 'TYPE')[0] ?? prop.params.find((p) => p.name === null)?.values[0] ?? 'jpeg').toLowerCase();
  const mime = type.includes('/') ? type : `image/${type === 'jpg' ? 'jpeg' : type}`;
  return `data:${mime};base64,${value}`;
}

/** The IM service of an IMPP value: X-SERVICE-TYPE, else the URI scheme. */
function imppService(prop: VProperty, value: string): string {
  const declared = paramValues(prop, 'X-SERVICE-TYPE')[0];
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase() ?? '';
  return (declared ?? scheme).toLowerCase();
}

/*
 * What toContact does with each property, decided by one Map lookup of its name (upper-cased
 * only when it is not already): no chain of string comparisons, no upper-case copy per property.
 * Kinds from K_EMAIL on become multi-value items (ITEM_NAMES), and so get ids.
 */
const K_OTHER = 0;
const K_VERSION = 1;
const K_UID = 2;
const K_KIND = 3;
const K_FN = 4;
const K_N = 5;
const K_PH_FAMILY = 6;
const K_PH_GIVEN = 7;
const K_PH_ADDITIONAL = 8;
const K_NICKNAME = 9;
const K_ORG = 10;
const K_TITLE = 11;
const K_ROLE = 12;
const K_BDAY = 13;
const K_ANNIVERSARY = 14;
const K_NOTE = 15;
const K_CATEGORIES = 16;
const K_PHOTO = 17;
const K_LABEL = 18;
const K_EMAIL = 19;
const K_TEL = 20;
const K_URL = 21;
const K_RELATED = 22;
const K_ADR = 23;
const K_ABDATE = 24;
const K_IMPP = 25;
const K_IM = 26;

const KINDS = new Map<string, number>([
  ['VERSION', K_VERSION],
  ['UID', K_UID],
  ['KIND', K_KIND],
  ['X-ADDRESSBOOKSERVER-KIND', K_KIND],
  ['FN', K_FN],
  ['N', K_N],
  ['X-PHONETIC-LAST-NAME', K_PH_FAMILY],
  ['X-PHONETIC-FIRST-NAME', K_PH_GIVEN],
  ['X-PHONETIC-MIDDLE-NAME', K_PH_ADDITIONAL],
  ['NICKNAME', K_NICKNAME],
  ['ORG', K_ORG],
  ['TITLE', K_TITLE],
  ['ROLE', K_ROLE],
  ['BDAY', K_BDAY],
  ['ANNIVERSARY', K_ANNIVERSARY],
  ['X-ANNIVERSARY', K_ANNIVERSARY],
  ['NOTE', K_NOTE],
  ['CATEGORIES', K_CATEGORIES],
  ['PHOTO', K_PHOTO],
  ['X-ABLABEL', K_LABEL],
  ['X-ABLabel', K_LABEL], // Apple's spelling
  ['EMAIL', K_EMAIL],
  ['TEL', K_TEL],
  ['URL', K_URL],
  ['RELATED', K_RELATED],
  ['X-ABRELATEDNAMES', K_RELATED],
  ['ADR', K_ADR],
  ['X-ABDATE', K_ABDATE],
  ['IMPP', K_IMPP],
  ...Object.keys(IM_PROPERTIES).map((k): [string, number] => [k, K_IM]),
]);

function kindOf(name: string): number {
  const k = KINDS.get(name);
  if (k !== undefined) return k;
  const upper = upperName(name);
  return upper === name ? K_OTHER : (KINDS.get(upper) ?? K_OTHER);
}

/** Whether a parameter name is `upper` (given in upper case), without making a copy for most. */
function named(name: string, upper: string): boolean {
  return name.length === upper.length && (name === upper || name.toUpperCase() === upper);
}

const BARE_ENCODINGS = new Set(['quoted-printable', 'base64', 'b', '8bit', '7bit']);

/** Common TYPE values in lower case, by their usual spellings: one shared string, not a copy an item. */
const LOWER_TYPES = new Map<string, string>();
for (const t of ['internet', 'home', 'work', 'cell', 'voice', 'fax', 'pref', 'other', 'main', 'pager', 'iphone', 'mobile', 'text', 'video', 'msg', 'x400', 'postal', 'parcel', 'dom', 'intl']) {
  LOWER_TYPES.set(t, t);
  LOWER_TYPES.set(t.toUpperCase(), t);
  LOWER_TYPES.set(t[0]!.toUpperCase() + t.slice(1), t);
}

function lowerType(v: string): string {
  return LOWER_TYPES.get(v) ?? v.toLowerCase();
}

/** typesOf's lists de-duplicated by includes up to this length, by a Set past it. */
const TYPES_BY_INCLUDES = 16;

function pushType(out: string[], seen: Set<string> | null, t: string): Set<string> | null {
  if (t === '') return seen;
  if (seen === null) {
    if (out.length < TYPES_BY_INCLUDES) {
      if (!out.includes(t)) out.push(t);
      return null;
    }
    seen = new Set(out);
  }
  if (!seen.has(t)) {
    seen.add(t);
    out.push(t);
  }
  return seen;
}

/** Set by itemTypes: whether the property it read is preferred (a `pref` type or a PREF parameter). */
let itemPref = false;

/**
 * typesOf without `pref`, and whether the item is preferred (in itemPref): one pass over the
 * parameters, the same values and order as makeItem's typesOf + paramValues(PREF).
 */
function itemTypes(p: VProperty): readonly string[] {
  itemPref = false;
  const params = p.params;
  if (params.length === 0) return NO_STRINGS;
  // A frozen list is the parser's shared one for its head (parse.ts): its types are read once.
  if (!Object.isFrozen(params)) return readTypes(params);
  const known = TYPES_OF.get(params);
  if (known !== undefined) {
    itemPref = known.pref;
    return known.types;
  }
  const types = Object.freeze(readTypes(params));
  TYPES_OF.set(params, { types, pref: itemPref });
  return types;
}

/** The types (and itemPref) of each shared parameter list, kept as long as the list is. */
const TYPES_OF = new WeakMap<readonly VParam[], { readonly types: readonly string[]; readonly pref: boolean }>();

function readTypes(params: readonly VParam[]): string[] {
  const out: string[] = [];
  let seen: Set<string> | null = null;
  for (let k = 0; k < params.length; k++) {
    const x = params[k]!;
    const values = x.values;
    if (x.name === null) {
      const v = values[0];
      if (v !== undefined) {
        const t = lowerType(v);
        if (!BARE_ENCODINGS.has(t)) seen = pushType(out, seen, t);
      }
    } else if (named(x.name, 'TYPE')) {
      for (let j = 0; j < values.length; j++) {
        const v = values[j]!;
        if (v.indexOf(',') < 0) seen = pushType(out, seen, lowerType(v));
        else for (const part of v.split(',')) seen = pushType(out, seen, lowerType(part));
      }
    } else if (values.length > 0 && named(x.name, 'PREF')) itemPref = true;
  }
  const at = out.indexOf('pref');
  if (at >= 0) {
    itemPref = true;
    out.splice(at, 1); // each value is in the list once
  }
  return exact(out);
}

/** The empty list of every view that has none of a kind: a view is read, never changed in place. */
const NO_STRINGS: readonly string[] = Object.freeze([]);
const NONE: readonly never[] = NO_STRINGS as readonly never[];
const NO_ORGANIZATION: Organization = Object.freeze({ name: '', units: NO_STRINGS });
const NO_PHONETIC: PhoneticName = Object.freeze({ family: '', given: '', additional: '' });

/**
 * The list at its own length. An array grown by push keeps room for 16 or more; a view is kept
 * (10,000 of them through an import), so the room would be copied by every garbage collection.
 */
function exact<T>(list: T[]): T[] {
  return list.length === 0 ? (NONE as unknown as T[]) : list.slice();
}

/** The one-per-card properties toContact reads, as bits: only the first of each counts. */
const FIRST_UID = 1;
const FIRST_KIND = 2;
const FIRST_FN = 4;
const FIRST_N = 8;
const FIRST_ORG = 16;
const FIRST_TITLE = 32;
const FIRST_ROLE = 64;
const FIRST_BDAY = 128;
const FIRST_ANNIVERSARY = 256;
const FIRST_PHOTO = 512;

/** An item of the view while it is built: its label is set once the card's labels are all read. */
type Labelled = { label: string };

/** Read the contact view of a card: one pass over its properties. */
export function toContact(card: VCard): Contact {
  const props = card.properties;
  const version = versionIn(props);
  // X-ABLabel values by lower-cased group (the last one of a group wins), and the items with a
  // group, labelled at the end: a label may come before or after its item.
  let labels: Map<string, string> | null = null;
  let grouped: Labelled[] | null = null;
  let groups: string[] | null = null;
  // Item keys so far, for ids made unique by occurrence (`k`, `k~2`, …, as propertyIds): compared
  // directly for a few, counted in a Map past 32.
  let keys: number[] | null = null;
  let counts: Map<number, number> | null = null;
  let done = 0;

  let uid = '';
  let kind = '';
  let formattedName = '';
  let name: StructuredName = EMPTY_NAME;
  let phonetic: { family: string; given: string; additional: string } | null = null;
  const nicknames: string[] = [];
  let organization: Organization = NO_ORGANIZATION;
  let title = '';
  let role = '';
  const emails: ContactItem[] = [];
  const phones: ContactItem[] = [];
  const urls: ContactItem[] = [];
  const ims: ImItem[] = [];
  const related: ContactItem[] = [];
  const addresses: AddressItem[] = [];
  let birthday: DateValue | null = null;
  let anniversary: DateValue | null = null;
  const dates: DateItem[] = [];
  let note: string | null = null;
  const categories: string[] = [];
  let categorySet: Set<string> | null = null;
  let photo: Photo | null = null;

  for (let i = 0; i < props.length; i++) {
    const p = props[i]!;
    const k = kindOf(p.name);
    if (k === K_OTHER) continue;
    if (k < K_EMAIL) {
      switch (k) {
        case K_UID:
          if ((done & FIRST_UID) === 0) {
            done |= FIRST_UID;
            uid = textValue(p, version);
          }
          break;
        case K_KIND:
          if ((done & FIRST_KIND) === 0) {
            done |= FIRST_KIND;
            kind = textValue(p, version).toLowerCase();
          }
          break;
        case K_FN:
          if ((done & FIRST_FN) === 0) {
            done |= FIRST_FN;
            formattedName = textValue(p, version);
          }
          break;
        case K_N:
          if ((done & FIRST_N) === 0) {
            done |= FIRST_N;
            const c = structuredValue(p, version);
            name = { family: c[0] ?? '', given: c[1] ?? '', additional: c[2] ?? '', prefix: c[3] ?? '', suffix: c[4] ?? '' };
          }
          break;
        case K_PH_FAMILY:
          (phonetic ??= { family: '', given: '', additional: '' }).family = textValue(p, version);
          break;
        case K_PH_GIVEN:
          (phonetic ??= { family: '', given: '', additional: '' }).given = textValue(p, version);
          break;
        case K_PH_ADDITIONAL:
          (phonetic ??= { family: '', given: '', additional: '' }).additional = textValue(p, version);
          break;
        case K_NICKNAME:
          for (const nick of listValue(p, version)) nicknames.push(nick); // no spread: a huge list would overflow the stack
          break;
        case K_ORG:
          if ((done & FIRST_ORG) === 0) {
            done |= FIRST_ORG;
            const c = structuredValue(p, version);
            const units: string[] = [];
            for (let j = 1; j < c.length; j++) if (c[j] !== '') units.push(c[j]!);
            organization = { name: c[0] ?? '', units: exact(units) };
          }
          break;
        case K_TITLE:
          if ((done & FIRST_TITLE) === 0) {
            done |= FIRST_TITLE;
            title = textValue(p, version);
          }
          break;
        case K_ROLE:
          if ((done & FIRST_ROLE) === 0) {
            done |= FIRST_ROLE;
            role = textValue(p, version);
          }
          break;
        case K_BDAY:
          if ((done & FIRST_BDAY) === 0) {
            done |= FIRST_BDAY;
            birthday = dateOf(p, version);
          }
          break;
        case K_ANNIVERSARY:
          if ((done & FIRST_ANNIVERSARY) === 0) {
            done |= FIRST_ANNIVERSARY;
            anniversary = dateOf(p, version);
          }
          break;
        case K_NOTE: {
          const text = textValue(p, version);
          note = note === null ? text : `${note}\n\n${text}`;
          break;
        }
        case K_CATEGORIES:
          for (const c of listValue(p, version)) {
            // A Set only once the list is long: de-duplication stays linear, a short list costs none.
            if (categorySet === null) {
              if (categories.length < 16) {
                if (!categories.includes(c)) categories.push(c);
                continue;
              }
              categorySet = new Set(categories);
            }
            if (!categorySet.has(c)) {
              categorySet.add(c);
              categories.push(c);
            }
          }
          break;
        case K_PHOTO:
          if ((done & FIRST_PHOTO) === 0) {
            done |= FIRST_PHOTO;
            photo = { uri: photoUri(p, version) };
          }
          break;
        case K_LABEL:
          if (p.group !== null) (labels ??= new Map()).set(lowerName(p.group), textValue(p, version));
          break;
      }
      continue;
    }

    // A multi-value item: its id, unique by occurrence.
    // Compared as the hashes propertyKey writes (equal numbers, equal keys), written once.
    const key = propertyHash(p);
    let n = 1;
    if (keys === null) keys = [key];
    else {
      if (counts === null && keys.length >= 32) {
        counts = new Map();
        for (const x of keys) counts.set(x, (counts.get(x) ?? 0) + 1);
      }
      if (counts !== null) {
        n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
      } else for (let j = 0; j < keys.length; j++) if (keys[j] === key) n++;
      keys.push(key);
    }
    const id = n === 1 ? base36(key) : `${base36(key)}~${n}`;
    const types = itemTypes(p);
    const pref = itemPref;
    let item: Labelled;
    switch (k) {
      case K_EMAIL:
        emails.push((item = { id, value: textValue(p, version).trim(), types, label: '', pref } as ContactItem));
        break;
      case K_TEL: {
        // A `tel:` URI shows as the number it names (`tel:+1-555-0100` → `+1-555-0100`).
        const raw = transferDecoded(p);
        const uri = telUriIn(raw);
        const value = uri === null ? unescapeText(raw, version).trim() : telNumber(uri);
        phones.push((item = { id, value, types, label: '', pref } as ContactItem));
        break;
      }
      case K_URL:
        urls.push((item = { id, value: textValue(p, version).trim(), types, label: '', pref } as ContactItem));
        break;
      case K_RELATED:
        related.push((item = { id, value: textValue(p, version), types, label: '', pref } as ContactItem));
        break;
      case K_ADR: {
        const c = structuredValue(p, version);
        item = {
          id,
          poBox: c[0] ?? '',
          extended: c[1] ?? '',
          street: c[2] ?? '',
          locality: c[3] ?? '',
          region: c[4] ?? '',
          postalCode: c[5] ?? '',
          country: c[6] ?? '',
          types,
          label: '',
          pref,
        } as AddressItem;
        addresses.push(item as AddressItem);
        break;
      }
      case K_ABDATE:
        dates.push((item = { id, date: dateOf(p, version), label: '' } as DateItem));
        break;
      default: {
        // IMPP, or a legacy one-service property (X-SKYPE, …).
        const value = textValue(p, version);
        const service = k === K_IMPP ? imppService(p, value) : IM_PROPERTIES[upperName(p.name)]!;
        ims.push((item = { id, value: value.trim(), types, label: '', pref, service } as ImItem));
      }
    }
    if (p.group !== null) {
      (grouped ??= []).push(item);
      (groups ??= []).push(p.group);
    }
  }

  if (labels !== null && grouped !== null) {
    for (let j = 0; j < grouped.length; j++) grouped[j]!.label = labelText(labels.get(lowerName(groups![j]!)) ?? '');
  }

  return {
    version,
    uid,
    kind,
    formattedName,
    name,
    phoneticName: phonetic ?? NO_PHONETIC,
    nicknames: exact(nicknames),
    organization,
    title,
    role,
    emails: exact(emails),
    phones: exact(phones),
    urls: exact(urls),
    ims: exact(ims),
    related: exact(related),
    addresses: exact(addresses),
    birthday,
    anniversary,
    dates: exact(dates),
    note: note ?? '',
    categories: exact(categories),
    photo,
  };
}

/** versionOf, by the kinds toContact reads (VERSION is nearly always the first property). */
function versionIn(props: readonly VProperty[]): VCardVersion {
  for (let i = 0; i < props.length; i++) {
    const p = props[i]!;
    if (kindOf(p.name) === K_VERSION) {
      const v = p.value.trim();
      return v === '2.1' || v === '4.0' ? v : '3.0';
    }
  }
  return '3.0';
}

function dateOf(p: VProperty, version: VCardVersion): DateValue {
  return parseDate(textValue(p, version), p.params.length === 0 ? undefined : paramValues(p, 'X-APPLE-OMIT-YEAR')[0]);
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * N in its culture's order, the one rule of the list, the editor and what is uploaded: a CJK name
 * family name first with no space ("张三"), others given name first ("Dr. Ada Lovelace").
 */
export function nameInOrder(c: Contact): string {
  const { family, given, additional, prefix, suffix } = c.name;
  if (CJK.test(family + given)) return `${family}${given}`.trim();
  return [prefix, given, additional, family, suffix].filter((s) => s.trim() !== '').join(' ');
}

/** The name to show: FN, else one built from N (nameInOrder), organisation, e-mail or phone. */
export function displayName(c: Contact): string {
  if (c.formattedName.trim() !== '') return c.formattedName.trim();
  const n = nameInOrder(c);
  if (n !== '') return n;
  return c.organization.name || c.emails[0]?.value || c.phones[0]?.value || '';
}
