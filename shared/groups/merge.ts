/**
 * Three-way merge of a card whose group lists are sets. `shared/vcard`'s merge pairs a removed and
 * an added line of the same kind as one edit, and holds CATEGORIES as one value: two clients that
 * each add a member to a group card (or a category to a contact) would meet as a conflict, and a
 * member removed on both sides while one of them added another as an edit against a deletion. Here
 * MEMBER, X-ADDRESSBOOKSERVER-MEMBER and the CATEGORIES values are merged as sets (what either side
 * added is in, what either side removed is out), and every other line goes through the vCard merge.
 */
import {
  escapeText,
  listValue,
  merge,
  parseVCard,
  textValue,
  versionOf,
  type MergeResult,
  type VCard,
  type VCardVersion,
  type VProperty,
} from '../vcard';
import { groupFormOf, memberProperty } from './facts';
import { foldName, memberKey } from './members';

const MEMBER_NAMES = new Set(['MEMBER', 'X-ADDRESSBOOKSERVER-MEMBER']);
const isMember = (p: VProperty): boolean => MEMBER_NAMES.has(p.name.toUpperCase());
const isCategories = (p: VProperty): boolean => p.name.toUpperCase() === 'CATEGORIES';

/**
 * base ∪ (what local added) ∪ (what remote added), minus what either removed, by key. Local items
 * keep their order and spelling; remote additions follow in remote order.
 */
export function mergeSets<T>(base: readonly T[], local: readonly T[], remote: readonly T[], key: (t: T) => string): T[] {
  const b = new Set(base.map(key));
  const l = new Set(local.map(key));
  const r = new Set(remote.map(key));
  const keep = (k: string): boolean => (b.has(k) ? l.has(k) && r.has(k) : l.has(k) || r.has(k));
  const out: T[] = [];
  const taken = new Set<string>();
  for (const item of [...local, ...remote]) {
    const k = key(item);
    if (taken.has(k) || !keep(k)) continue;
    taken.add(k);
    out.push(item);
  }
  return out;
}

interface Split {
  card: VCard;
  version: VCardVersion;
  members: VProperty[];
  categories: { props: VProperty[]; values: string[] };
  /** The line just before the first set line (where they go back), or null when they led the card. */
  anchor: VProperty | null;
}

function split(text: string): Split {
  const card = parseVCard(text);
  const version = versionOf(card);
  const rest: VProperty[] = [];
  const members: VProperty[] = [];
  const catProps: VProperty[] = [];
  const values: string[] = [];
  let anchor: VProperty | null | undefined;
  for (const p of card.properties) {
    if (isMember(p) || isCategories(p)) {
      if (anchor === undefined) anchor = rest[rest.length - 1] ?? null;
      if (isMember(p)) members.push(p);
      else {
        catProps.push(p);
        for (const v of listValue(p, version)) if (!values.some((x) => foldName(x) === foldName(v))) values.push(v);
      }
    } else rest.push(p);
  }
  return { card: { properties: rest }, version, members, categories: { props: catProps, values }, anchor: anchor ?? null };
}

export function mergeCards(base: string, local: string, remote: string): MergeResult {
  const B = split(base);
  const L = split(local);
  const R = split(remote);
  const result = merge(B.card, L.card, R.card);
  const version = versionOf(result.card);
  const form = groupFormOf(result.card);

  const keyOf = (s: Split) => (p: VProperty) => memberKey(textValue(p, s.version));
  const keyed = (s: Split) => s.members.map((p) => ({ p, k: keyOf(s)(p) }));
  const members = mergeSets(keyed(B), keyed(L), keyed(R), (m) => m.k).map(({ p }) =>
    form !== null && !L.members.includes(p) && p.name.toUpperCase() !== memberProperty(form) ? { ...p, name: memberProperty(form) } : p,
  );

  const values = mergeSets(B.categories.values, L.categories.values, R.categories.values, foldName);
  let categories: VProperty[];
  const unchanged = values.length === L.categories.values.length && values.every((v, i) => foldName(v) === foldName(L.categories.values[i]!));
  if (unchanged) categories = L.categories.props;
  else if (values.length === 0) categories = [];
  else {
    const model = L.categories.props[0] ?? R.categories.props[0]!;
    const params = model.params.filter((x) => !(x.name !== null && /^(ENCODING|CHARSET)$/i.test(x.name)));
    categories = [{ group: model.group, name: model.name, params, value: values.map((v) => escapeText(v, version)).join(',') }];
  }

  const sets = [...members, ...categories];
  if (sets.length === 0) return result;
  const props = [...result.card.properties];
  // Back after the line they followed here; at the end when that line is gone (or there was none).
  const at = L.anchor === null ? -1 : props.indexOf(L.anchor);
  props.splice(at < 0 ? props.length : at + 1, 0, ...sets);
  return { card: { properties: props }, conflicts: result.conflicts };
}
