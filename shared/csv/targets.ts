/**
 * What a CSV column can hold: the column-mapping model. Every known format (Google, Outlook) is
 * a table from header names to targets, and a CSV of any other shape gets a proposed mapping the
 * user can change column by column before importing. Columns that fill one multi-value item
 * together (Google's "E-mail 1 - Label" and "E-mail 1 - Value", Outlook's "Business Street" and
 * "Business City") share an `item` key.
 */

/** Single-valued fields of a contact. */
export type SingleField =
  | 'name.full'
  | 'name.given'
  | 'name.additional'
  | 'name.family'
  | 'name.prefix'
  | 'name.suffix'
  | 'phonetic.given'
  | 'phonetic.additional'
  | 'phonetic.family'
  | 'nickname'
  | 'fileAs'
  | 'org.name'
  | 'org.department'
  | 'org.phonetic'
  | 'title'
  | 'role'
  | 'birthday'
  | 'anniversary'
  | 'note'
  | 'categories'
  | 'photo'
  | 'gender';

/** Multi-value fields: each item may span several columns (its parts). */
export type ItemField = 'email' | 'phone' | 'url' | 'im' | 'related' | 'event' | 'custom' | 'address';

export type ItemPart =
  | 'value'
  /** Google's "… - Label" / "… - Type": a type word ("Mobile"), a custom label, "*" for primary. */
  | 'label'
  | 'service'
  | 'street'
  | 'extended'
  | 'locality'
  | 'region'
  | 'postalCode'
  | 'country'
  | 'poBox'
  /** Google's "Address 1 - Formatted": used only when the address has no parts. */
  | 'formatted';

export type ColumnTarget =
  | { readonly kind: 'single'; readonly field: SingleField }
  | {
      readonly kind: 'item';
      readonly field: ItemField;
      readonly part: ItemPart;
      /** Columns with the same key make one item; unset: the column is an item of its own. */
      readonly item?: string;
      /** Types the column itself implies (Outlook's "Mobile Phone" is a cell phone). */
      readonly types?: readonly string[];
      /** A label the column implies (Outlook's "Assistant's Phone"; a custom field's name). */
      readonly label?: string;
      readonly pref?: boolean;
    }
  /** A column a format writes but that carries nothing of the contact (Outlook's "E-mail Type": SMTP). */
  | { readonly kind: 'ignore' };

/** How day, month and year are ordered in numeric dates ("5/14/1980", "14.05.1980"). */
export type DateOrder = 'ymd' | 'mdy' | 'dmy';

export type CsvFormatId = 'google' | 'google-legacy' | 'outlook-en' | 'outlook-de' | 'outlook-fr' | 'custom';

export interface ColumnMapping {
  readonly format: CsvFormatId;
  /** One entry per column, in order; null leaves the column out. */
  readonly columns: readonly (ColumnTarget | null)[];
  readonly dateOrder: DateOrder;
  /** The first row names the columns (false: every row is a contact). */
  readonly hasHeader: boolean;
}

export const single = (field: SingleField): ColumnTarget => ({ kind: 'single', field });

export function itemColumn(field: ItemField, part: ItemPart, extra: { item?: string; types?: readonly string[]; label?: string; pref?: boolean } = {}): ColumnTarget {
  return { kind: 'item', field, part, ...extra };
}

/**
 * The choices a column-mapping step offers for a column, each with a stable id the UI can use
 * as an option value and a translation key. Items picked this way are one per column.
 */
export const MAPPING_CHOICES: readonly { readonly id: string; readonly target: ColumnTarget }[] = [
  ...(
    [
      'name.full',
      'name.given',
      'name.additional',
      'name.family',
      'name.prefix',
      'name.suffix',
      'phonetic.given',
      'phonetic.family',
      'nickname',
      'org.name',
      'org.department',
      'title',
      'role',
      'birthday',
      'anniversary',
      'note',
      'categories',
      'gender',
    ] as const
  ).map((field) => ({ id: field, target: single(field) })),
  { id: 'email', target: itemColumn('email', 'value') },
  { id: 'email.home', target: itemColumn('email', 'value', { types: ['home'] }) },
  { id: 'email.work', target: itemColumn('email', 'value', { types: ['work'] }) },
  { id: 'phone', target: itemColumn('phone', 'value') },
  { id: 'phone.cell', target: itemColumn('phone', 'value', { types: ['cell'] }) },
  { id: 'phone.home', target: itemColumn('phone', 'value', { types: ['home'] }) },
  { id: 'phone.work', target: itemColumn('phone', 'value', { types: ['work'] }) },
  { id: 'phone.fax', target: itemColumn('phone', 'value', { types: ['fax'] }) },
  { id: 'url', target: itemColumn('url', 'value') },
  { id: 'address.street', target: itemColumn('address', 'street', { item: 'address' }) },
  { id: 'address.locality', target: itemColumn('address', 'locality', { item: 'address' }) },
  { id: 'address.region', target: itemColumn('address', 'region', { item: 'address' }) },
  { id: 'address.postalCode', target: itemColumn('address', 'postalCode', { item: 'address' }) },
  { id: 'address.country', target: itemColumn('address', 'country', { item: 'address' }) },
  { id: 'address.formatted', target: itemColumn('address', 'formatted', { item: 'address' }) },
];

/** The choice id of a target, for showing a proposed mapping in the UI ('' when it is none of them). */
export function choiceId(target: ColumnTarget | null): string {
  if (target === null) return '';
  const key = JSON.stringify(target);
  return MAPPING_CHOICES.find((c) => JSON.stringify(c.target) === key)?.id ?? '';
}

/** A column kept as a custom field named after its header: nothing in it is lost. */
export function customFieldTarget(header: string): ColumnTarget {
  return itemColumn('custom', 'value', { label: header.trim() });
}
