/**
 * One CSV row → a contact draft, by the column mapping. Single fields take their column's text;
 * multi-value items gather their columns (by item key), split cells holding several values on
 * " ::: ", and read Google's label words into types. Placeholders a format writes for "nothing"
 * (Outlook's "0/0/00" birthday, "Normal" priority, "Unspecified" gender) are nothing.
 */
import { nameInOrder } from '../book/derive';
import { displayName, type AddressItem, type Contact, type ContactItem, type DateItem, type DateValue, type ImItem } from '../vcard';
import { parseCsvDate } from './dates';
import { EMPTY_CONTACT, type ContactDraft, type CustomField } from './draft';
import { readLabel } from './labels';
import type { ColumnMapping, ItemField, ItemPart, SingleField } from './targets';

export type RowProblemCode = 'bad-date' | 'exchange-address';

export interface RowProblem {
  readonly code: RowProblemCode;
  /** The header of the column, or "Column N" in a file without one. */
  readonly column: string;
  readonly value: string;
}

export interface ReadRow {
  readonly draft: ContactDraft;
  /** Google's "* starred" label: the UI makes the contact a favourite. */
  readonly starred: boolean;
  readonly problems: readonly RowProblem[];
  /** False when no mapped column of the row had anything in it. */
  readonly hasContent: boolean;
}

export const MULTI_VALUE = ' ::: ';

const PLACEHOLDER_DATE = /^0+[./-]0+[./-]0+$/;
const NOTHING_GENDER = new Set(['unspecified', 'keine angabe', 'non spécifié', 'non specifie', 'unknown']);
/** Outlook's defaults for these fields, written for every contact. */
const DEFAULT_CUSTOM: Readonly<Record<string, readonly string[]>> = {
  priority: ['normal', 'normale'],
  sensitivity: ['normal', 'normale'],
  private: ['false', 'falsch', 'aus', 'faux', 'non'],
};
const GENDERS: Readonly<Record<string, string>> = {
  male: 'M', m: 'M', männlich: 'M', masculin: 'M', homme: 'M',
  female: 'F', f: 'F', weiblich: 'F', féminin: 'F', femme: 'F',
};
/** Google's system groups: every contact is in "My Contacts"; "starred" is the favourites mark. */
const SYSTEM_GROUPS = new Set(['mycontacts', 'my contacts']);

/** IM services as Google names them → the URI scheme of the IMPP value. */
const IM_SCHEMES: Readonly<Record<string, string>> = {
  'google talk': 'xmpp', gtalk: 'xmpp', jabber: 'xmpp', xmpp: 'xmpp', hangouts: 'xmpp',
  aim: 'aim', yahoo: 'ymsgr', skype: 'skype', msn: 'msnim', 'windows live': 'msnim', icq: 'icq', qq: 'qq',
};

interface ItemDraft {
  field: ItemField;
  parts: Partial<Record<ItemPart, string[]>>;
  types: string[];
  label: string;
  pref: boolean;
  column: string;
}

const splitValues = (v: string): string[] => v.split(MULTI_VALUE).map((s) => s.trim()).filter((s) => s !== '');

function isPlaceholder(field: SingleField | 'custom', label: string, value: string): boolean {
  const v = value.toLowerCase();
  if (field === 'birthday' || field === 'anniversary') return PLACEHOLDER_DATE.test(v);
  if (field === 'gender') return NOTHING_GENDER.has(v);
  if (field === 'custom') return DEFAULT_CUSTOM[label.toLowerCase()]?.includes(v) ?? false;
  return false;
}

function item(value: string, types: readonly string[], label: string, pref: boolean): ContactItem {
  return { id: '', value, types: [...new Set(types)], label, pref };
}

/** Read one row of cells. `header` names the columns for problems and custom fields. */
export function readRow(cells: readonly string[], header: readonly string[], mapping: ColumnMapping): ReadRow {
  const single = new Map<SingleField, string[]>();
  const items = new Map<string, ItemDraft>();
  const problems: RowProblem[] = [];
  const custom: CustomField[] = [];
  let hasContent = false;

  mapping.columns.forEach((target, i) => {
    // Line breaks inside a cell come as CRLF from Windows programs; a vCard value holds \n only.
    const value = (cells[i] ?? '').replace(/\r\n?/g, '\n').trim();
    if (target === null || target.kind === 'ignore' || value === '') return;
    const column = header[i] ?? `Column ${i + 1}`;
    if (target.kind === 'single') {
      if (isPlaceholder(target.field, '', value)) return;
      single.set(target.field, [...(single.get(target.field) ?? []), value]);
    } else {
      if (target.field === 'custom' && isPlaceholder('custom', target.label ?? '', value)) return;
      const key = target.item ?? `column ${i}`;
      const acc = items.get(key) ?? { field: target.field, parts: {}, types: [], label: '', pref: false, column };
      acc.parts[target.part] = [...(acc.parts[target.part] ?? []), value];
      acc.types.push(...(target.types ?? []));
      if (target.label !== undefined && acc.label === '') acc.label = target.label;
      acc.pref ||= target.pref === true;
      items.set(key, acc);
    }
    hasContent = true;
  });

  const text = (f: SingleField, sep = ' ') => (single.get(f) ?? []).join(sep);
  const date = (f: 'birthday' | 'anniversary'): DateValue | null => {
    const raw = text(f);
    if (raw === '') return null;
    const parsed = parseCsvDate(raw, mapping.dateOrder);
    if (parsed === null) {
      const column = header[mapping.columns.findIndex((t) => t?.kind === 'single' && t.field === f)] ?? f;
      problems.push({ code: 'bad-date', column, value: raw });
      custom.push({ label: column, value: raw }); // kept, not lost
    }
    return parsed;
  };

  let starred = false;
  const categories: string[] = [];
  // Outlook separates categories with ";" (some versions ","), Google with " ::: "; other files either.
  const listSplit = mapping.format.startsWith('outlook') ? /\s*[;,]\s*/ : mapping.format === 'custom' ? /\s*(?::::|;)\s*/ : /\s+:::\s+/;
  for (const raw of (single.get('categories') ?? []).flatMap((v) => v.split(listSplit))) {
    const system = raw.startsWith('* ');
    const name = system ? raw.slice(2).trim() : raw.trim();
    if (name === '' || (system && SYSTEM_GROUPS.has(name.toLowerCase()))) continue;
    if (system && name.toLowerCase() === 'starred') starred = true;
    else if (!categories.includes(name)) categories.push(name);
  }

  const emails: ContactItem[] = [];
  const phones: ContactItem[] = [];
  const urls: ContactItem[] = [];
  const ims: ImItem[] = [];
  const related: ContactItem[] = [];
  const addresses: AddressItem[] = [];
  const dates: DateItem[] = [];
  let anniversary = date('anniversary');

  for (const acc of items.values()) {
    const labelCell = acc.parts.label?.join(' ') ?? '';
    const kind = readLabel(acc.field, labelCell);
    const types = [...acc.types, ...kind.types];
    const label = kind.label || acc.label;
    const pref = acc.pref || kind.pref;
    const values = splitValues(acc.parts.value?.join(MULTI_VALUE) ?? '');
    switch (acc.field) {
      case 'email':
        if ((acc.parts.service?.[0] ?? '').toUpperCase() === 'EX') {
          // An Exchange directory name (/o=…/cn=…), not an address anyone can write to.
          problems.push({ code: 'exchange-address', column: acc.column, value: values.join(MULTI_VALUE) });
          break;
        }
        for (const v of values) emails.push(item(v, types, label, pref));
        break;
      case 'phone':
        for (const v of values) phones.push(item(v, types, label, pref));
        break;
      case 'url':
        for (const v of values) urls.push(item(v, types, label, pref));
        break;
      case 'related':
        // Outlook's "Children" holds every child's name in one cell, comma-separated.
        for (const v of values.flatMap((x) => (types.includes('child') ? x.split(/\s*,\s*/) : [x]))) related.push(item(v, types, label, pref));
        break;
      case 'im': {
        const service = (acc.parts.service?.[0] ?? '').trim();
        const scheme = IM_SCHEMES[service.toLowerCase()] ?? service.toLowerCase().replace(/[^a-z0-9+.-]/g, '');
        for (const v of values) {
          const uri = /^[a-z][a-z0-9+.-]*:/i.test(v) || scheme === '' ? v : `${scheme}:${v}`;
          ims.push({ ...item(uri, types, label, pref), service: scheme });
        }
        break;
      }
      case 'event':
        for (const v of values) {
          const parsed = parseCsvDate(v, mapping.dateOrder);
          if (parsed === null) {
            problems.push({ code: 'bad-date', column: acc.column, value: v });
            custom.push({ label: label || acc.column, value: v });
          } else if (label.toLowerCase() === 'anniversary' && anniversary === null) anniversary = parsed;
          else dates.push({ id: '', date: parsed, label });
        }
        break;
      case 'custom':
        for (const v of values) custom.push({ label: label || acc.column, value: v });
        break;
      case 'address': {
        const part = (p: ItemPart) => (acc.parts[p] ?? []).join('\n');
        const a = { poBox: part('poBox'), extended: part('extended'), street: part('street'), locality: part('locality'), region: part('region'), postalCode: part('postalCode'), country: part('country') };
        const empty = Object.values(a).every((v) => v === '');
        if (empty && part('formatted') === '') break;
        addresses.push({ id: '', ...a, street: empty ? part('formatted') : a.street, types: [...new Set(types)], label, pref });
        break;
      }
    }
  }

  const birthday = date('birthday');
  const genderText = text('gender');
  const photo = text('photo');
  const contact: Contact = {
    ...EMPTY_CONTACT,
    formattedName: text('name.full'),
    name: { family: text('name.family'), given: text('name.given'), additional: text('name.additional'), prefix: text('name.prefix'), suffix: text('name.suffix') },
    phoneticName: { family: text('phonetic.family'), given: text('phonetic.given'), additional: text('phonetic.additional') },
    nicknames: (single.get('nickname') ?? []).flatMap(splitValues),
    organization: { name: text('org.name'), units: (single.get('org.department') ?? []).filter((u) => u !== '') },
    title: text('title'),
    role: text('role'),
    emails,
    phones,
    urls,
    ims,
    related,
    addresses,
    birthday,
    anniversary,
    dates,
    note: text('note', '\n'),
    categories,
    photo: photo === '' ? null : { uri: photo },
  };
  // Google's current set has no column for the whole name: it is made from the parts, as Google shows it.
  const named = contact.formattedName !== '' ? contact : { ...contact, formattedName: nameInOrder(contact) || displayName(contact) };
  const draft: ContactDraft = {
    contact: named,
    gender: GENDERS[genderText.toLowerCase()] ?? genderText,
    fileAs: text('fileAs'),
    phoneticOrg: text('org.phonetic'),
    custom,
  };
  // A row whose only text is a system group ("* myContacts") or a placeholder holds no contact.
  const empty = JSON.stringify(contact) === JSON.stringify(EMPTY_CONTACT) && custom.length === 0 && draft.gender === '' && draft.fileAs === '' && draft.phoneticOrg === '';
  return { draft, starred, problems, hasContent: hasContent && !empty };
}
