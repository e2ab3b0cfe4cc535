/**
 * Cards → Outlook's CSV in English, German or French: every column of that language's export,
 * in its order, so Outlook's import ("Comma Separated Values") maps them without asking. Each
 * column holds one kind of value, so phones, e-mail addresses and addresses go to the column of
 * their kind (the nearest free one when it is taken) and what has no column is reported.
 */
import type { AddressItem, ContactItem, DateValue } from '../vcard';
import { outlookDate } from './dates';
import { encodeCsvText, type CsvOutputEncoding } from './encoding';
import { exportSubjects, nameParts, type CsvExport, type ExportCard, type ExportSubject } from './export-common';
import type { CsvLoss } from './losses';
import { OUTLOOK_COLUMNS, outlookColumns, outlookHeader, type OutlookLanguage } from './outlook-columns';
import { writeCsvTable } from './table';

export interface OutlookExportOptions {
  readonly language: OutlookLanguage;
  /** Outlook 2016 and later read UTF-8 with a BOM; older ones want the ANSI code page. */
  readonly encoding?: CsvOutputEncoding;
}

type Row = Map<string, string>;

const GENDER_WORDS: Readonly<Record<OutlookLanguage, Readonly<Record<string, string>>>> = {
  en: { M: 'Male', F: 'Female' },
  de: { M: 'Männlich', F: 'Weiblich' },
  fr: { M: 'Masculin', F: 'Féminin' },
};

const has = (item: { types: readonly string[] }, ...types: string[]) => types.every((t) => item.types.includes(t));

/** The phone columns a number may go to, best first. */
function phoneColumns(p: ContactItem): string[] {
  const byLabel: Readonly<Record<string, string>> = { assistant: "Assistant's Phone", callback: 'Callback', radio: 'Radio Phone', telex: 'Telex', 'company main': 'Company Main Phone' };
  const labelled = byLabel[p.label.toLowerCase()];
  const tail = ['Other Phone'];
  if (labelled !== undefined) return [labelled, ...tail];
  if (has(p, 'fax')) return [has(p, 'work') ? 'Business Fax' : has(p, 'home') ? 'Home Fax' : 'Other Fax', 'Other Fax', 'Business Fax', 'Home Fax'];
  if (has(p, 'cell')) return ['Mobile Phone', 'Radio Phone', ...tail];
  if (has(p, 'pager')) return ['Pager', ...tail];
  if (has(p, 'car')) return ['Car Phone', ...tail];
  if (has(p, 'isdn')) return ['ISDN', ...tail];
  if (has(p, 'textphone')) return ['TTY/TDD Phone', ...tail];
  if (has(p, 'work')) return ['Business Phone', 'Business Phone 2', 'Company Main Phone', ...tail];
  if (has(p, 'home')) return ['Home Phone', 'Home Phone 2', ...tail];
  if (p.pref) return ['Primary Phone', ...tail, 'Home Phone 2'];
  return [...tail, 'Primary Phone', 'Home Phone 2', 'Business Phone 2'];
}

/** The column's own kind, to tell whether a number keeps its kind there. */
const PHONE_KIND = new Map(OUTLOOK_COLUMNS.filter((c) => c.target.kind === 'item' && c.target.field === 'phone').map((c) => [c.en, c.target]));

function keepsKind(p: ContactItem, column: string): boolean {
  const t = PHONE_KIND.get(column);
  if (t === undefined || t.kind !== 'item') return false;
  const types = p.types.filter((x) => x !== 'voice' && x !== 'pref');
  return (t.label ?? '') === p.label && types.length === (t.types ?? []).length && types.every((x) => t.types?.includes(x));
}

function putPhones(s: ExportSubject, row: Row): void {
  for (const p of s.contact.phones) {
    const column = phoneColumns(p).find((col) => !row.has(col));
    if (column === undefined) {
      s.lose('extra-phones', p.value);
      continue;
    }
    if (!keepsKind(p, column)) s.lose('labels', `${p.value} → ${column}`);
    row.set(column, p.value);
  }
}

const ADDRESS_SLOTS = [
  ['work', 'Business'],
  ['home', 'Home'],
  ['other', 'Other'],
] as const;

function putAddresses(s: ExportSubject, row: Row): void {
  const free = new Set<string>(ADDRESS_SLOTS.map(([, prefix]) => prefix));
  const place = (a: AddressItem, prefix: string) => {
    free.delete(prefix);
    const lines = [...a.street.split('\n'), ...(a.extended === '' ? [] : [a.extended])].filter((l) => l !== '');
    if (a.extended !== '') s.lose('address-extended', a.extended);
    const street = [lines[0] ?? '', lines[1] ?? '', lines.slice(2).join(', ')];
    const set = (col: string, v: string) => v !== '' && row.set(col, v);
    set(`${prefix} Street`, street[0]!);
    set(`${prefix} Street 2`, street[1]!);
    set(`${prefix} Street 3`, street[2]!);
    set(`${prefix} City`, a.locality);
    set(`${prefix} State`, a.region);
    set(`${prefix} Postal Code`, a.postalCode);
    set(`${prefix} Country/Region`, a.country);
    set(prefix === 'Business' ? 'Business Address PO Box' : `${prefix} Address PO Box`, a.poBox);
  };
  const later: AddressItem[] = [];
  for (const a of s.contact.addresses) {
    const own = ADDRESS_SLOTS.find(([type]) => a.types.includes(type))?.[1] ?? (a.types.length === 0 ? 'Other' : undefined);
    if (own !== undefined && free.has(own)) {
      if (a.label !== '') s.lose('labels', a.label);
      place(a, own);
    } else later.push(a);
  }
  for (const a of later) {
    const slot = [...free][0];
    if (slot === undefined) s.lose('extra-addresses', [a.street, a.locality].filter((x) => x !== '').join(', '));
    else {
      s.lose('labels', `${a.street} → ${slot}`);
      place(a, slot);
    }
  }
}

function putRelated(s: ExportSubject, row: Row): void {
  const children: string[] = [];
  const byLabel: Readonly<Record<string, string>> = { manager: "Manager's Name", assistant: "Assistant's Name", 'referred by': 'Referred By' };
  for (const r of s.contact.related) {
    const labelled = byLabel[r.label.toLowerCase()];
    if (has(r, 'child')) children.push(r.value);
    else if (has(r, 'spouse') && !row.has('Spouse')) row.set('Spouse', r.value);
    else if (labelled !== undefined && !row.has(labelled)) row.set(labelled, r.value);
    else s.lose('related', r.value);
  }
  if (children.length > 0) row.set('Children', children.join(', '));
}

/** Custom fields named after an Outlook column ("Hobby", "User 1") go back to it. */
const CUSTOM_COLUMNS = new Set(OUTLOOK_COLUMNS.filter((c) => c.target.kind === 'item' && c.target.field === 'custom').map((c) => c.en));

function rowOf(s: ExportSubject, language: OutlookLanguage): Row {
  const c = s.contact;
  const row: Row = new Map();
  const set = (col: string, v: string) => v !== '' && row.set(col, v);
  const date = (d: DateValue | null, col: string, yearless: 'yearless-birthday' | 'yearless-anniversary') => {
    if (d === null) return;
    const text = outlookDate(d, language);
    if (text !== null) row.set(col, text);
    else s.lose(d.year === null && d.month !== null && d.day !== null ? yearless : 'partial-date', col);
  };
  const name = nameParts(s);
  set('Title', name.prefix);
  set('First Name', name.given);
  set('Middle Name', name.additional);
  set('Last Name', name.family);
  set('Suffix', name.suffix);
  set('Company', c.organization.name);
  set('Department', c.organization.units[0] ?? '');
  set('Job Title', c.title);
  set('Profession', c.role);
  set('Notes', c.note);
  set('Categories', c.categories.join(';'));
  date(c.birthday, 'Birthday', 'yearless-birthday');
  date(c.anniversary, 'Anniversary', 'yearless-anniversary');
  c.emails.forEach((e, i) => {
    if (i >= 3) return s.lose('extra-emails', e.value);
    const n = i === 0 ? 'E-mail' : `E-mail ${i + 1}`;
    row.set(`${n} Address`, e.value);
    row.set(`${n} Type`, 'SMTP');
    row.set(`${n} Display Name`, s.shown === '' ? e.value : `${s.shown} (${e.value})`);
    if (e.label !== '' || e.types.some((t) => t !== 'internet' && t !== 'pref')) s.lose('labels', e.value);
  });
  c.urls.forEach((u, i) => (i === 0 ? row.set('Web Page', u.value) : s.lose('extra-urls', u.value)));
  putPhones(s, row);
  putAddresses(s, row);
  putRelated(s, row);
  const gender = s.draft.gender;
  if (gender !== '') {
    const word = GENDER_WORDS[language][gender.toUpperCase()];
    if (word !== undefined) row.set('Gender', word);
    else s.lose('gender', gender);
  }
  for (const f of s.draft.custom) {
    if (CUSTOM_COLUMNS.has(f.label) && !row.has(f.label)) row.set(f.label, f.value);
    else s.lose('custom-fields', `${f.label}: ${f.value}`);
  }
  if (c.nicknames.length > 0) s.lose('nickname', c.nicknames.join(', '));
  if ([c.phoneticName.given, c.phoneticName.additional, c.phoneticName.family, s.draft.phoneticOrg].some((x) => x !== '')) s.lose('phonetic-name');
  if (s.draft.fileAs !== '') s.lose('file-as', s.draft.fileAs);
  if (c.organization.units.length > 1) s.lose('org-units', c.organization.units.slice(1).join(', '));
  if (c.ims.length > 0) s.lose('ims', c.ims.map((i) => i.value).join(', '));
  for (const d of c.dates) s.lose('dates', d.label);
  if (c.photo !== null) s.lose('photo');
  return row;
}

/** Cards → an Outlook CSV in the given language, with what it could not hold. */
export function exportOutlookCsv(cards: readonly ExportCard[], options: OutlookExportOptions): CsvExport {
  const losses: CsvLoss[] = [];
  const subjects = exportSubjects(cards, losses);
  const columns = outlookColumns(options.language);
  const rows = subjects.map((s) => rowOf(s, options.language));
  const header = columns.map((col) => outlookHeader(col, options.language));
  const cells = rows.map((r) => columns.map((col) => r.get(col.en) ?? ''));
  const text = writeCsvTable(header, cells);
  const encoded = encodeCsvText(text, options.encoding ?? 'utf-8-bom');
  if (encoded.unencodable.length > 0) {
    subjects.forEach((s, i) => {
      const missing = encoded.unencodable.filter((ch) => cells[i]!.some((cell) => cell.includes(ch)));
      if (missing.length > 0) s.lose('unencodable-characters', missing.join(''));
    });
  }
  return { text, bytes: encoded.bytes, losses };
}
