/**
 * What each property is to a merge. Bookkeeping (VERSION, UID, REV, PRODID) comes from the card
 * that stays. Single-valued properties are chosen by the user, one candidate per distinct value.
 * Everything else, including every unknown `X-` property, is united: values that are the same
 * once normalised are joined, the rest kept side by side.
 */
import { foldForSearch } from '../../search/normalize';
import { formatDate, IM_PROPERTIES, paramValues, parseDate, structuredValue, textValue, type VCardVersion, type VProperty } from '../../vcard';
import { emailKey } from '../keys';
import { phoneKey } from '../phone';

export type SingleFieldId =
  | 'FN' | 'N' | 'PHONETIC' | 'ORG' | 'TITLE' | 'ROLE' | 'BDAY' | 'ANNIVERSARY' | 'GENDER' | 'KIND' | 'NOTE' | 'PHOTO' | 'LOGO' | 'TZ' | 'GEO';

export type ItemKind = 'email' | 'phone' | 'address' | 'url' | 'im' | 'related' | 'date' | 'label' | 'category' | 'nickname' | 'other';

/** Single-valued properties in the order a review screen shows them. */
export const SINGLE_FIELDS: readonly SingleFieldId[] = ['FN', 'N', 'PHONETIC', 'ORG', 'TITLE', 'ROLE', 'BDAY', 'ANNIVERSARY', 'GENDER', 'KIND', 'NOTE', 'PHOTO', 'LOGO', 'TZ', 'GEO'];

const FIELD_OF: Readonly<Record<string, SingleFieldId>> = {
  FN: 'FN',
  N: 'N',
  'X-PHONETIC-FIRST-NAME': 'PHONETIC',
  'X-PHONETIC-MIDDLE-NAME': 'PHONETIC',
  'X-PHONETIC-LAST-NAME': 'PHONETIC',
  ORG: 'ORG',
  TITLE: 'TITLE',
  ROLE: 'ROLE',
  BDAY: 'BDAY',
  ANNIVERSARY: 'ANNIVERSARY',
  'X-ANNIVERSARY': 'ANNIVERSARY',
  GENDER: 'GENDER',
  KIND: 'KIND',
  'X-ADDRESSBOOKSERVER-KIND': 'KIND',
  NOTE: 'NOTE',
  PHOTO: 'PHOTO',
  LOGO: 'LOGO',
  TZ: 'TZ',
  GEO: 'GEO',
};

const ITEM_OF: Readonly<Record<string, ItemKind>> = {
  EMAIL: 'email',
  TEL: 'phone',
  ADR: 'address',
  URL: 'url',
  IMPP: 'im',
  RELATED: 'related',
  'X-ABRELATEDNAMES': 'related',
  'X-ABDATE': 'date',
  LABEL: 'label',
  CATEGORIES: 'category',
  NICKNAME: 'nickname',
  ...Object.fromEntries(Object.keys(IM_PROPERTIES).map((name) => [name, 'im' as const])),
};

export const BOOKKEEPING = new Set(['VERSION', 'UID', 'REV', 'PRODID']);

export type Role = { readonly role: 'bookkeeping' } | { readonly role: 'field'; readonly field: SingleFieldId } | { readonly role: 'item'; readonly kind: ItemKind };

export function roleOf(name: string): Role {
  const upper = name.toUpperCase();
  if (BOOKKEEPING.has(upper)) return { role: 'bookkeeping' };
  const field = FIELD_OF[upper];
  if (field !== undefined) return { role: 'field', field };
  return { role: 'item', kind: ITEM_OF[upper] ?? 'other' };
}

/** List properties whose values are united one by one (a category, a nickname). */
export const isListKind = (kind: ItemKind): boolean => kind === 'category' || kind === 'nickname';

const trimmedParts = (parts: readonly string[]): string => {
  const out = parts.map((p) => p.trim());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join(';');
};

/** When two values of a multi-valued property are the same (compared in one version). */
export function itemIdentity(kind: ItemKind, prop: VProperty, version: VCardVersion, region: string): string {
  const text = textValue(prop, version).trim();
  switch (kind) {
    case 'email':
      return emailKey(text) || text;
    case 'phone':
      return phoneKey(text, region) || foldForSearch(text);
    case 'url':
      return text.toLowerCase().replace(/\/+$/, '');
    case 'address':
      return trimmedParts(structuredValue(prop, version).map(foldForSearch));
    case 'date':
      return formatDate(parseDate(text, paramValues(prop, 'X-APPLE-OMIT-YEAR')[0]), '3.0');
    case 'im':
      // X-AIM and IMPP:aim: stay apart: joining them would turn one's property into the other's.
      return `${prop.name.toUpperCase()}:${text.toLowerCase()}`;
    case 'related':
    case 'label':
    case 'category':
    case 'nickname':
      return foldForSearch(text);
    case 'other':
      // Nothing is known of its meaning, so nothing is normalised: only the very same text joins.
      return `${prop.name.toUpperCase()}:${textValue(prop, version)}`;
  }
}

/** What a review screen shows of a value. */
export function displayText(prop: VProperty, version: VCardVersion): string {
  const name = prop.name.toUpperCase();
  if (name === 'N') {
    const [family = '', given = '', additional = '', prefix = '', suffix = ''] = structuredValue(prop, version);
    return [prefix, given, additional, family, suffix].filter((s) => s.trim() !== '').join(' ');
  }
  if (name === 'ADR' || name === 'ORG' || name === 'GENDER') return structuredValue(prop, version).filter((s) => s.trim() !== '').join(', ');
  if (name === 'BDAY' || name === 'ANNIVERSARY' || name === 'X-ANNIVERSARY' || name === 'X-ABDATE') {
    return formatDate(parseDate(textValue(prop, version), paramValues(prop, 'X-APPLE-OMIT-YEAR')[0]), '3.0');
  }
  return textValue(prop, version);
}

/** When two candidates of a single-valued property are the same value. */
export function fieldIdentity(field: SingleFieldId, props: readonly VProperty[], version: VCardVersion): string {
  const of = (p: VProperty): string => {
    const name = p.name.toUpperCase();
    if (field === 'PHOTO' || field === 'LOGO') return p.value.replace(/\s+/g, '');
    if (name === 'N' || name === 'ORG' || name === 'GENDER') return trimmedParts(structuredValue(p, version));
    if (field === 'PHONETIC') return `${name}=${textValue(p, version).trim()}`;
    return displayText(p, version).trim();
  };
  return props.map(of).sort().join('\n');
}
