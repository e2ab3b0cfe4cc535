/**
 * Google Contacts' CSV column sets. The current export ("Google CSV" at contacts.google.com)
 * names single fields plainly ("First Name", "Organization Title", "Labels") and numbers the
 * multi-value ones: "E-mail 1 - Label", "E-mail 1 - Value", "Address 1 - City", "IM 1 - Service".
 * The older Gmail export (and the files still made from its template) had "Name", "Given Name",
 * "Family Name", "Group Membership", "E-mail 1 - Type", "Organization 1 - Name" and a tail of
 * Outlook-like fields (Hobby, Mileage, ...). Both are read; only the current set is written.
 * Cells holding several values join them with " ::: ", in either set.
 */
import { customFieldTarget, itemColumn, single, type ColumnTarget, type ItemField, type ItemPart, type SingleField } from './targets';

export const GOOGLE_SINGLE_COLUMNS: readonly (readonly [header: string, field: SingleField])[] = [
  ['First Name', 'name.given'],
  ['Middle Name', 'name.additional'],
  ['Last Name', 'name.family'],
  ['Phonetic First Name', 'phonetic.given'],
  ['Phonetic Middle Name', 'phonetic.additional'],
  ['Phonetic Last Name', 'phonetic.family'],
  ['Name Prefix', 'name.prefix'],
  ['Name Suffix', 'name.suffix'],
  ['Nickname', 'nickname'],
  ['File As', 'fileAs'],
  ['Organization Name', 'org.name'],
  ['Organization Title', 'title'],
  ['Organization Department', 'org.department'],
  ['Birthday', 'birthday'],
  ['Notes', 'note'],
  ['Photo', 'photo'],
  ['Labels', 'categories'],
];

const LEGACY_SINGLE: readonly (readonly [string, SingleField])[] = [
  ['Name', 'name.full'],
  ['Given Name', 'name.given'],
  ['Additional Name', 'name.additional'],
  ['Family Name', 'name.family'],
  ['Given Name Yomi', 'phonetic.given'],
  ['Additional Name Yomi', 'phonetic.additional'],
  ['Family Name Yomi', 'phonetic.family'],
  ['Gender', 'gender'],
  ['Group Membership', 'categories'],
];

/** Old-export fields with no place in a vCard of their own: kept as custom fields under their name. */
const LEGACY_CUSTOM = [
  'Yomi Name',
  'Initials',
  'Short Name',
  'Maiden Name',
  'Location',
  'Billing Information',
  'Directory Server',
  'Mileage',
  'Occupation',
  'Hobby',
  'Sensitivity',
  'Priority',
  'Subject',
  'Language',
];

/** The word before the number, and the field it numbers. */
const NUMBERED: Readonly<Record<string, ItemField>> = {
  'e-mail': 'email',
  phone: 'phone',
  address: 'address',
  website: 'url',
  relation: 'related',
  event: 'event',
  'custom field': 'custom',
  im: 'im',
};

const PARTS: Readonly<Record<string, ItemPart>> = {
  label: 'label',
  type: 'label',
  value: 'value',
  service: 'service',
  formatted: 'formatted',
  street: 'street',
  city: 'locality',
  'po box': 'poBox',
  region: 'region',
  'postal code': 'postalCode',
  country: 'country',
  'extended address': 'extended',
};

const ORGANIZATION_PARTS: Readonly<Record<string, SingleField>> = {
  name: 'org.name',
  'yomi name': 'org.phonetic',
  title: 'title',
  department: 'org.department',
  'job description': 'role',
};

const NUMBERED_HEADER = /^(.+?)\s+(\d+)\s+-\s+(.+)$/;

export const normalizeHeader = (h: string): string => h.normalize('NFC').replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim().toLowerCase();

const singles = new Map([...GOOGLE_SINGLE_COLUMNS, ...LEGACY_SINGLE].map(([h, f]) => [normalizeHeader(h), f]));
const legacyCustom = new Map(LEGACY_CUSTOM.map((h) => [normalizeHeader(h), h]));
const legacyOnly = new Set(['name', 'given name', 'family name', 'additional name', 'group membership', ...legacyCustom.keys()]);

/** The target of one Google header, or null when Google never writes it. */
export function googleTarget(header: string): ColumnTarget | null {
  const h = normalizeHeader(header);
  const plain = singles.get(h);
  if (plain !== undefined) return single(plain);
  const custom = legacyCustom.get(h);
  if (custom !== undefined) return customFieldTarget(custom);
  const m = NUMBERED_HEADER.exec(h);
  if (m === null) return null;
  const word = m[1]!;
  const n = m[2]!;
  const partWord = m[3]!;
  if (word === 'organization') {
    if (partWord === 'type') return { kind: 'ignore' };
    const field = ORGANIZATION_PARTS[partWord];
    // A second organisation has no place of its own: its parts are kept as custom fields.
    if (field !== undefined && n === '1') return single(field);
    return customFieldTarget(header);
  }
  const field = NUMBERED[word];
  const part = PARTS[partWord];
  if (field === undefined || part === undefined) return null;
  return itemColumn(field, part, { item: `${field} ${n}` });
}

/** True when the header belongs to the old Gmail export rather than the current one. */
export function isLegacyGoogleHeader(header: string): boolean {
  const h = normalizeHeader(header);
  return legacyOnly.has(h) || / - type$/.test(h) || h.startsWith('organization 1 - ');
}
