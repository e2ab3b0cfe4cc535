/**
 * Patch, not rewrite: `applyEdit(card, before, after)` applies the difference between two contact
 * views to a card and leaves every other line exactly as it was, order included. `before` is the
 * view the editor started from; `card` may be newer (a sync landed while the editor was open), in
 * which case only what the user changed is written over it.
 */
import { formatDate, sameDate, type DateValue } from './dates';
import { escapeComponent, escapeText, encodeQuotedPrintable, isAscii, typesOf } from './escape';
import {
  EMPTY_NAME,
  IM_PROPERTIES,
  itemKey,
  propertyIds,
  propertyKey,
  versionOf,
  type AddressItem,
  type Contact,
  type ContactItem,
  type DateItem,
  type ImItem,
} from './contact';
import { VCardError } from './parse';
import { propertyLine } from './serialize';
import { telNumber, telUriFor, telUriOf } from './tel';
import { DEFAULT_LIMITS, type VCard, type VCardVersion, type VParam, type VProperty } from './types';

type Mutable = VProperty[];

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Lists of strings (nicknames, categories: 300,000 of them in a hostile file) compared item by
  // item, no text made; what JSON would say, since each item is written on its own.
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    let i = 0;
    for (; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (typeof x !== 'string' || typeof y !== 'string') break;
      if (x !== y) return false;
    }
    if (i === a.length) return true;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

const TRANSFER_PARAMS = /^(ENCODING|CHARSET)$/i;
const TRANSFER_BARE = /^(QUOTED-PRINTABLE|BASE64|8BIT|7BIT)$/i;

/** The value text for a version, with the parameters it needs (2.1 non-ASCII wants CHARSET/QP). */
function encodeValue(text: string, version: VCardVersion, escaped: string): { value: string; params: VParam[] } {
  if (version !== '2.1') return { value: escaped, params: [] };
  // The escaped text is what is encoded: quoted-printable is undone before the escapes are read.
  if (/[\r\n]/.test(escaped)) {
    return {
      value: encodeQuotedPrintable(escaped),
      params: [
        { name: 'CHARSET', values: ['UTF-8'] },
        { name: 'ENCODING', values: ['QUOTED-PRINTABLE'] },
      ],
    };
  }
  return { value: escaped, params: isAscii(text) ? [] : [{ name: 'CHARSET', values: ['UTF-8'] }] };
}

function structured(parts: readonly string[], version: VCardVersion): string {
  // Commas inside a component separate its list items (RFC 6350 §5.1), so they stay unescaped.
  return parts.map((p) => escapeComponent(p, version)).join(';');
}

/** A property with a new value: keeps group, name spelling and parameters other than transfer ones. */
function withValue(old: VProperty | undefined, name: string, text: string, version: VCardVersion, escaped?: string): VProperty {
  const enc = encodeValue(text, version, escaped ?? escapeText(text, version));
  const kept = (old?.params ?? []).filter(
    (p) => !(p.name !== null && TRANSFER_PARAMS.test(p.name)) && !(p.name === null && TRANSFER_BARE.test(p.values[0] ?? '')),
  );
  // The transfer parameters first: a kept parameter with an unbalanced quote (read so from the
  // input) runs to the end of the head when read back, and must not take them with it.
  return { group: old?.group ?? null, name: old?.name ?? name, params: [...enc.params, ...kept], value: enc.value };
}

function withTypes(prop: VProperty, types: readonly string[], pref: boolean, version: VCardVersion): VProperty {
  const oldTypes = typesOf(prop).filter((t) => t !== 'pref');
  const oldPref = typesOf(prop).includes('pref') || prop.params.some((p) => p.name?.toUpperCase() === 'PREF');
  if (same([...oldTypes].sort(), [...types].sort()) && oldPref === pref) return prop;
  const params = prop.params.filter(
    (p) => !(p.name !== null && /^(TYPE|PREF)$/i.test(p.name)) && !(p.name === null && !TRANSFER_BARE.test(p.values[0] ?? '')),
  );
  return { ...prop, params: [...typeParams(types, pref, version), ...params] };
}

function typeParams(types: readonly string[], pref: boolean, version: VCardVersion): VParam[] {
  const all = version !== '4.0' && pref ? [...types, 'pref'] : [...types];
  const out: VParam[] = all.length > 0 ? [{ name: 'TYPE', values: all }] : [];
  if (version === '4.0' && pref) out.push({ name: 'PREF', values: ['1'] });
  return out;
}

function indexOfName(props: Mutable, names: readonly string[]): number {
  return props.findIndex((p) => names.includes(p.name.toUpperCase()));
}

/** Where a new property of this kind goes: after the last of its kind, else before nothing (end). */
function insertAt(props: Mutable, names: readonly string[]): number {
  for (let i = props.length - 1; i >= 0; i--) if (names.includes(props[i]!.name.toUpperCase())) return i + 1;
  return props.length;
}

/** Replace the first property named so (dropping the others when `all`), add it, or remove it. */
function setSingle(props: Mutable, names: readonly string[], make: ((old: VProperty | undefined) => VProperty) | null, all = false): void {
  const at = indexOfName(props, names);
  if (make === null) {
    for (let i = props.length - 1; i >= 0; i--) {
      if (names.includes(props[i]!.name.toUpperCase()) && (all || i === at)) props.splice(i, 1);
    }
    return;
  }
  if (at < 0) {
    props.splice(props.length, 0, make(undefined));
    return;
  }
  props[at] = make(props[at]);
  if (all) {
    for (let i = props.length - 1; i > at; i--) if (names.includes(props[i]!.name.toUpperCase())) props.splice(i, 1);
  }
}

function nextGroup(props: Mutable): string {
  let max = 0;
  for (const p of props) {
    const m = /^item(\d+)$/i.exec(p.group ?? '');
    if (m !== null) max = Math.max(max, Number(m[1]));
  }
  return `item${max + 1}`;
}

/** Set, change or drop the X-ABLabel that names a grouped property. */
function setLabel(props: Mutable, index: number, label: string, oldLabel: string): void {
  if (label === oldLabel) return;
  const prop = props[index]!;
  const group = prop.group?.toLowerCase();
  const labelAt = group === undefined ? -1 : props.findIndex((p) => p.group?.toLowerCase() === group && p.name.toUpperCase() === 'X-ABLABEL');
  if (label === '') {
    if (labelAt >= 0) props.splice(labelAt, 1);
    return;
  }
  const text = escapeText(label, '3.0');
  if (labelAt >= 0) {
    props[labelAt] = { ...props[labelAt]!, params: [], value: text };
    return;
  }
  const g = prop.group ?? nextGroup(props);
  props[index] = { ...prop, group: g };
  props.splice(index + 1, 0, { group: g, name: 'X-ABLabel', params: [], value: text });
}

/** Remove a property and the companions of its group when nothing else uses the group. */
function removeAt(props: Mutable, index: number): void {
  const group = props[index]!.group?.toLowerCase();
  props.splice(index, 1);
  if (group === undefined) return;
  const rest = props.filter((p) => p.group?.toLowerCase() === group);
  if (rest.every((p) => /^X-AB(LABEL|ADR)$/i.test(p.name))) {
    for (let i = props.length - 1; i >= 0; i--) if (props[i]!.group?.toLowerCase() === group) props.splice(i, 1);
  }
}

interface ItemSpec<T extends { id: string; label: string }> {
  names: readonly string[];
  /** The property for a new or changed item. */
  write: (item: T, old: VProperty | undefined, version: VCardVersion) => VProperty;
}

/** Apply one multi-value field's changes, matched by item id. */
function patchItems<T extends { id: string; label: string }>(
  props: Mutable,
  ids: string[],
  before: readonly T[],
  after: readonly T[],
  spec: ItemSpec<T>,
  version: VCardVersion,
  keyOf: (p: VProperty) => string,
): void {
  if (same(before, after)) return;
  const beforeById = new Map(before.filter((b) => b.id !== '').map((b) => [b.id, b]));
  const afterIds = new Set(after.map((a) => a.id).filter((id) => id !== ''));
  // Removals first, from the end, keeping ids aligned with props.
  for (const b of before) {
    if (b.id === '' || afterIds.has(b.id)) continue;
    const at = ids.indexOf(b.id);
    if (at < 0) continue; // already gone from the newer card
    removeAt(props, at);
    ids.splice(0, ids.length, ...propertyIds({ properties: props }, keyOf));
  }
  for (const a of after) {
    const old = a.id === '' ? undefined : beforeById.get(a.id);
    if (old !== undefined && same(old, a)) continue;
    const at = a.id === '' ? -1 : ids.indexOf(a.id);
    if (at >= 0) {
      props[at] = spec.write(a, props[at], version);
      setLabel(props, at, a.label, old?.label ?? '');
    } else {
      const pos = insertAt(props, spec.names);
      const added = spec.write(a, undefined, version);
      props.splice(pos, 0, added);
      const length = props.length;
      setLabel(props, pos, a.label, '');
      // Most additions need no new ids for the rest: the new property's own (when no other has its
      // key) and its label's. Re-deriving them all after each item made adding k items to a card
      // of n properties cost k·n hashes.
      const key = itemKey(added, keyOf);
      const clash = key !== '' && ids.some((id) => id === key || id.startsWith(`${key}~`));
      if (!clash && props.length - length <= 1) {
        ids.splice(pos, 0, key);
        if (props.length > length) ids.splice(pos + 1, 0, '');
        continue;
      }
    }
    ids.splice(0, ids.length, ...propertyIds({ properties: props }, keyOf));
  }
}

function simpleItem(name: string): ItemSpec<ContactItem>['write'] {
  return (item, old, version) => withTypes(withValue(old, name, item.value, version), item.types, item.pref, version);
}

const SPECS = {
  emails: { names: ['EMAIL'], write: simpleItem('EMAIL') } satisfies ItemSpec<ContactItem>,
  phones: {
    names: ['TEL'],
    write: (item, old, version) => {
      // A number kept as a `tel:` URI stays one: unchanged, its own text; edited, the new number
      // as a URI (never escaped as text: `\;ext=` would break it); one a URI cannot hold, text.
      const uri = old === undefined ? null : telUriOf(old);
      if (uri === null) return simpleItem('TEL')(item, old, version);
      const value = telNumber(uri) === item.value ? uri : telUriFor(item.value);
      if (value === null) {
        const asText = { ...old!, params: old!.params.filter((p) => !(p.name !== null && /^VALUE$/i.test(p.name))) };
        return withTypes(withValue(asText, 'TEL', item.value, version), item.types, item.pref, version);
      }
      return withTypes(withValue(old, 'TEL', value, version, value), item.types, item.pref, version);
    },
  } satisfies ItemSpec<ContactItem>,
  urls: { names: ['URL'], write: simpleItem('URL') } satisfies ItemSpec<ContactItem>,
  related: {
    names: ['RELATED', 'X-ABRELATEDNAMES'],
    write: (item, old, version) =>
      withTypes(withValue(old, version === '4.0' ? 'RELATED' : 'X-ABRELATEDNAMES', item.value, version), item.types, item.pref, version),
  } satisfies ItemSpec<ContactItem>,
  ims: {
    names: ['IMPP', ...Object.keys(IM_PROPERTIES)],
    write: (item: ImItem, old, version) => {
      const isUri = /^[a-z][a-z0-9+.-]*:/i.test(item.value);
      const value = old !== undefined || isUri || item.service === '' ? item.value : `${item.service}:${item.value}`;
      return withTypes(withValue(old, 'IMPP', value, version), item.types, item.pref, version);
    },
  } satisfies ItemSpec<ImItem>,
  addresses: {
    names: ['ADR'],
    write: (a: AddressItem, old, version) => {
      const parts = [a.poBox, a.extended, a.street, a.locality, a.region, a.postalCode, a.country];
      return withTypes(withValue(old, 'ADR', parts.join('\n'), version, structured(parts, version)), a.types, a.pref, version);
    },
  } satisfies ItemSpec<AddressItem>,
  dates: {
    names: ['X-ABDATE'],
    write: (d: DateItem, old, version) => withValue(old, 'X-ABDATE', formatDate(d.date, version), version),
  } satisfies ItemSpec<DateItem>,
};

function dateProp(date: DateValue, version: VCardVersion, name: string): (old: VProperty | undefined) => VProperty {
  return (old) => {
    const p = withValue(old, name, formatDate(date, version), version);
    // Apple's omit-year marker no longer applies to a value we wrote.
    return { ...p, params: p.params.filter((x) => x.name?.toUpperCase() !== 'X-APPLE-OMIT-YEAR') };
  };
}

/** Apply the user's changes (before → after) to `card`, touching only the properties behind them. */
export function applyEdit(card: VCard, before: Contact, after: Contact): VCard {
  const version = versionOf(card);
  const props: Mutable = [...card.properties];
  // Keys hashed once per property for this edit, however often the ids are re-derived.
  const memo = new Map<VProperty, string>();
  const keyOf = (p: VProperty): string => {
    let k = memo.get(p);
    if (k === undefined) memo.set(p, (k = propertyKey(p)));
    return k;
  };
  const ids = propertyIds(card, keyOf);
  const text = (name: string, value: string) => (value === '' ? null : (old: VProperty | undefined) => withValue(old, name, value, version));

  // A UID is never removed by an edit (a form that does not show it passes ''): sync needs one.
  if (before.uid !== after.uid && after.uid !== '') setSingle(props, ['UID'], text('UID', after.uid));
  if (before.formattedName !== after.formattedName) setSingle(props, ['FN'], text('FN', after.formattedName));
  if (!same(before.name, after.name)) {
    const n = after.name;
    const parts = [n.family, n.given, n.additional, n.prefix, n.suffix];
    setSingle(props, ['N'], same(n, EMPTY_NAME) ? null : (old) => withValue(old, 'N', parts.join(' '), version, structured(parts, version)));
  }
  const phonetic = [
    ['X-PHONETIC-LAST-NAME', before.phoneticName.family, after.phoneticName.family],
    ['X-PHONETIC-FIRST-NAME', before.phoneticName.given, after.phoneticName.given],
    ['X-PHONETIC-MIDDLE-NAME', before.phoneticName.additional, after.phoneticName.additional],
  ] as const;
  for (const [name, b, a] of phonetic) if (b !== a) setSingle(props, [name], text(name, a));
  if (!same(before.nicknames, after.nicknames)) {
    const v = after.nicknames.map((x) => escapeText(x, version)).join(',');
    setSingle(props, ['NICKNAME'], after.nicknames.length === 0 ? null : (old) => withValue(old, 'NICKNAME', after.nicknames.join(','), version, v), true);
  }
  if (!same(before.organization, after.organization)) {
    const parts = [after.organization.name, ...after.organization.units];
    const empty = parts.every((p) => p === '');
    setSingle(props, ['ORG'], empty ? null : (old) => withValue(old, 'ORG', parts.join(' '), version, parts.map((p) => escapeText(p, version, true)).join(';')));
  }
  if (before.title !== after.title) setSingle(props, ['TITLE'], text('TITLE', after.title));
  if (before.role !== after.role) setSingle(props, ['ROLE'], text('ROLE', after.role));
  if (!sameDate(before.birthday, after.birthday)) {
    setSingle(props, ['BDAY'], after.birthday === null ? null : dateProp(after.birthday, version, 'BDAY'));
  }
  if (!sameDate(before.anniversary, after.anniversary)) {
    const name = version === '4.0' ? 'ANNIVERSARY' : 'X-ANNIVERSARY';
    setSingle(props, ['ANNIVERSARY', 'X-ANNIVERSARY'], after.anniversary === null ? null : dateProp(after.anniversary, version, name));
  }
  if (before.note !== after.note) setSingle(props, ['NOTE'], text('NOTE', after.note), true);
  if (!same(before.categories, after.categories)) {
    const v = after.categories.map((x) => escapeText(x, version)).join(',');
    setSingle(props, ['CATEGORIES'], after.categories.length === 0 ? null : (old) => withValue(old, 'CATEGORIES', after.categories.join(','), version, v), true);
  }
  if (!same(before.photo, after.photo)) setSingle(props, ['PHOTO'], after.photo === null ? null : () => photoProperty(after.photo!.uri, version));

  const fresh = propertyIds({ properties: props }, keyOf);
  ids.splice(0, ids.length, ...fresh);
  patchItems(props, ids, before.emails, after.emails, SPECS.emails, version, keyOf);
  patchItems(props, ids, before.phones, after.phones, SPECS.phones, version, keyOf);
  patchItems(props, ids, before.urls, after.urls, SPECS.urls, version, keyOf);
  patchItems(props, ids, before.ims, after.ims, SPECS.ims, version, keyOf);
  patchItems(props, ids, before.related, after.related, SPECS.related, version, keyOf);
  patchItems(props, ids, before.addresses, after.addresses, SPECS.addresses, version, keyOf);
  patchItems(props, ids, before.dates, after.dates, SPECS.dates, version, keyOf);
  checkWritten(card, props);
  return { properties: props };
}

/**
 * An edit never writes a card that cannot be read back: a line the edit made over the reader's
 * limit (a note pasted onto one already near 10 MB) is refused, and the stored card stays as it was.
 */
function checkWritten(card: VCard, props: readonly VProperty[]): void {
  const had = new Set(card.properties);
  for (const p of props) {
    if (had.has(p)) continue;
    // Cheap bound first (quoting and separators at most double a parameter): most lines are short.
    let bound = p.value.length + p.name.length + (p.group?.length ?? 0) + 2;
    for (const q of p.params) bound += 2 * ((q.name?.length ?? 0) + q.values.reduce((n, v) => n + v.length + 3, 1));
    if (bound <= DEFAULT_LIMITS.maxLineLength) continue;
    if (propertyLine(p).length > DEFAULT_LIMITS.maxLineLength) throw new VCardError('line-too-long', 0, `${p.name} would be longer than ${DEFAULT_LIMITS.maxLineLength} characters`);
  }
}

/** A PHOTO property for a data: URI (inline, per version) or any other URI. */
export function photoProperty(uri: string, version: VCardVersion): VProperty {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(uri);
  if (m === null || version === '4.0') return { group: null, name: 'PHOTO', params: version === '4.0' ? [] : [{ name: 'VALUE', values: ['uri'] }], value: uri };
  const type = m[1]!.replace(/^image\//, '').toUpperCase();
  const encoding = version === '2.1' ? 'BASE64' : 'b';
  return { group: null, name: 'PHOTO', params: [{ name: 'ENCODING', values: [encoding] }, { name: 'TYPE', values: [type] }], value: m[2]! };
}

/** A new, empty card of the given version with a UID; the editor fills it through applyEdit. */
export function newCard(uid: string, version: VCardVersion = '3.0'): VCard {
  return {
    properties: [
      { group: null, name: 'VERSION', params: [], value: version },
      { group: null, name: 'UID', params: [], value: uid },
      { group: null, name: 'FN', params: [], value: '' },
      { group: null, name: 'N', params: [], value: ';;;;' },
    ],
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UID made from a local id: `urn:uuid:<id>` for a UUID (as imports and new contacts get), else the id. */
export function uidFor(id: string): string {
  return UUID.test(id) ? `urn:uuid:${id.toLowerCase()}` : id;
}

/** The card with a UID: unchanged when it has a non-empty one, else with `uid` added after VERSION. */
export function ensureUid(card: VCard, uid: string): VCard {
  if (card.properties.some((p) => p.name.toUpperCase() === 'UID' && p.value.trim() !== '')) return card;
  const props = card.properties.filter((p) => p.name.toUpperCase() !== 'UID');
  const at = props.findIndex((p) => p.name.toUpperCase() === 'VERSION') + 1;
  props.splice(at, 0, { group: null, name: 'UID', params: [], value: uid });
  return { properties: props };
}
