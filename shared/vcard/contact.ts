/**
 * The contact view: what the UI shows and edits, read from the card's properties. It is a view,
 * not a replacement: `edit.ts` writes a changed view back by patching only the properties behind
 * the fields that changed. Multi-value items carry an `id` derived from the property they came
 * from, so an edit finds its property again even if the card was re-ordered meanwhile.
 */
import { parseDate, type DateValue } from './dates';
import { hasParam, listValue, paramValues, structuredValue, textValue, typesOf, unescapeText } from './escape';
import { telNumber, telUriOf } from './tel';
import type { VCard, VCardVersion, VProperty } from './types';

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
  let h = fnvUpper(FNV_OFFSET, prop.name);
  h = mix(h, PIPE);
  for (let k = 0; k < prop.params.length; k++) {
    const p = prop.params[k]!;
    if (k > 0) h = mix(h, 0x3b); // ;
    if (p.name !== null) h = fnv(h, p.name);
    h = mix(h, 0x3d); // =
    for (let j = 0; j < p.values.length; j++) {
      if (j > 0) h = mix(h, 0x2c); // ,
      h = fnv(h, p.values[j]!);
    }
  }
  h = mix(h, PIPE);
  return (fnv(h, prop.value) >>> 0).toString(36);
}

/** Properties that become multi-value items in the view, and so need ids. */
const ITEM_NAMES = new Set(['EMAIL', 'TEL', 'URL', 'ADR', 'RELATED', 'X-ABRELATEDNAMES', 'X-ABDATE', 'IMPP', ...Object.keys(IM_PROPERTIES)]);

/** The id a property would get as the first of its kind: '' for one that is no multi-value item. */
export function itemKey(p: VProperty, keyOf: (p: VProperty) => string = propertyKey): string {
  return ITEM_NAMES.has(upperName(p.name)) ? keyOf(p) : '';
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

/** X-ABLabel (and the like) values by group, lower-cased group name. */
function groupLabels(card: VCard, version: VCardVersion): Map<string, string> {
  const labels = new Map<string, string>();
  for (const p of card.properties) {
    if (p.group !== null && p.name.toUpperCase() === 'X-ABLABEL') labels.set(p.group.toLowerCase(), textValue(p, version));
  }
  return labels;
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

function imService(prop: VProperty, version: VCardVersion): { service: string; value: string } {
  const upper = prop.name.toUpperCase();
  const value = textValue(prop, version);
  if (upper !== 'IMPP') return { service: IM_PROPERTIES[upper] ?? upper.slice(2).toLowerCase(), value };
  const declared = paramValues(prop, 'X-SERVICE-TYPE')[0];
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase() ?? '';
  return { service: (declared ?? scheme).toLowerCase(), value };
}

function makeItem(p: VProperty, id: string, value: string, label: string): ContactItem {
  const types = typesOf(p);
  const at = types.indexOf('pref');
  const pref = at >= 0 || paramValues(p, 'PREF').length > 0;
  if (at >= 0) types.splice(at, 1); // typesOf gives each value once
  return { id, value, types, label, pref };
}

/** Read the contact view of a card. */
export function toContact(card: VCard): Contact {
  const version = versionOf(card);
  const ids = propertyIds(card);
  const labels = groupLabels(card, version);
  const labelOf = (p: VProperty): string => (p.group === null || labels.size === 0 ? '' : labelText(labels.get(p.group.toLowerCase()) ?? ''));

  let uid = '';
  let kind = '';
  let formattedName = '';
  let name: StructuredName = EMPTY_NAME;
  const phonetic = { family: '', given: '', additional: '' };
  const nicknames: string[] = [];
  let organization: Organization = { name: '', units: [] };
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
  const notes: string[] = [];
  const categories: string[] = [];
  const categorySet = new Set<string>();
  let photo: Photo | null = null;
  const seen = new Set<string>();
  const first = (key: string): boolean => (seen.has(key) ? false : (seen.add(key), true));

  for (let i = 0; i < card.properties.length; i++) {
    const p = card.properties[i]!;
    const id = ids[i]!;
    const upper = upperName(p.name);
    switch (upper) {
      case 'UID':
        if (first(upper)) uid = textValue(p, version);
        break;
      case 'KIND':
      case 'X-ADDRESSBOOKSERVER-KIND':
        if (first('KIND')) kind = textValue(p, version).toLowerCase();
        break;
      case 'FN':
        if (first(upper)) formattedName = textValue(p, version);
        break;
      case 'N':
        if (first(upper)) {
          const c = structuredValue(p, version);
          name = { family: c[0] ?? '', given: c[1] ?? '', additional: c[2] ?? '', prefix: c[3] ?? '', suffix: c[4] ?? '' };
        }
        break;
      case 'X-PHONETIC-LAST-NAME':
        phonetic.family = textValue(p, version);
        break;
      case 'X-PHONETIC-FIRST-NAME':
        phonetic.given = textValue(p, version);
        break;
      case 'X-PHONETIC-MIDDLE-NAME':
        phonetic.additional = textValue(p, version);
        break;
      case 'NICKNAME':
        for (const nick of listValue(p, version)) nicknames.push(nick); // no spread: a huge list would overflow the stack
        break;
      case 'ORG':
        if (first(upper)) {
          const [orgName = '', ...units] = structuredValue(p, version);
          organization = { name: orgName, units: units.filter((u) => u !== '') };
        }
        break;
      case 'TITLE':
        if (first(upper)) title = textValue(p, version);
        break;
      case 'ROLE':
        if (first(upper)) role = textValue(p, version);
        break;
      case 'EMAIL':
        emails.push(makeItem(p, id, textValue(p, version).trim(), labelOf(p)));
        break;
      case 'TEL': {
        // A `tel:` URI shows as the number it names (`tel:+1-555-0100` → `+1-555-0100`).
        const uri = telUriOf(p);
        phones.push(makeItem(p, id, uri === null ? textValue(p, version).trim() : telNumber(uri), labelOf(p)));
        break;
      }
      case 'URL':
        urls.push(makeItem(p, id, textValue(p, version).trim(), labelOf(p)));
        break;
      case 'RELATED':
      case 'X-ABRELATEDNAMES':
        related.push(makeItem(p, id, textValue(p, version), labelOf(p)));
        break;
      case 'ADR': {
        const c = structuredValue(p, version);
        const base = makeItem(p, id, '', labelOf(p));
        addresses.push({
          id,
          poBox: c[0] ?? '',
          extended: c[1] ?? '',
          street: c[2] ?? '',
          locality: c[3] ?? '',
          region: c[4] ?? '',
          postalCode: c[5] ?? '',
          country: c[6] ?? '',
          types: base.types,
          label: base.label,
          pref: base.pref,
        });
        break;
      }
      case 'BDAY':
        if (first(upper)) birthday = parseDate(textValue(p, version), paramValues(p, 'X-APPLE-OMIT-YEAR')[0]);
        break;
      case 'ANNIVERSARY':
      case 'X-ANNIVERSARY':
        if (first('ANNIVERSARY')) anniversary = parseDate(textValue(p, version), paramValues(p, 'X-APPLE-OMIT-YEAR')[0]);
        break;
      case 'X-ABDATE':
        dates.push({ id, date: parseDate(textValue(p, version), paramValues(p, 'X-APPLE-OMIT-YEAR')[0]), label: labelOf(p) });
        break;
      case 'NOTE':
        notes.push(textValue(p, version));
        break;
      case 'CATEGORIES':
        for (const c of listValue(p, version)) {
          if (!categorySet.has(c)) {
            categorySet.add(c);
            categories.push(c);
          }
        }
        break;
      case 'PHOTO':
        if (first(upper)) photo = { uri: photoUri(p, version) };
        break;
      default:
        if (upper === 'IMPP' || upper in IM_PROPERTIES) {
          const im = imService(p, version);
          ims.push({ ...makeItem(p, id, im.value.trim(), labelOf(p)), service: im.service });
        }
    }
  }


  return {
    version,
    uid,
    kind,
    formattedName,
    name,
    phoneticName: phonetic,
    nicknames,
    organization,
    title,
    role,
    emails,
    phones,
    urls,
    ims,
    related,
    addresses,
    birthday,
    anniversary,
    dates,
    note: notes.join('\n\n'),
    categories,
    photo,
  };
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
