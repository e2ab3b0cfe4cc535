/**
 * Cards → Google Contacts' current CSV ("Google CSV"), the file Google's import reads back into
 * the same fields. Multi-value columns come in as many numbered slots as the fullest contact
 * needs; one value per slot, its kind as Google's label word, "* " before the primary one.
 */
import { googleDate } from './dates';
import { encodeCsvText } from './encoding';
import { exportSubjects, nameParts, type CsvExport, type ExportCard, type ExportSubject } from './export-common';
import { GOOGLE_SINGLE_COLUMNS } from './google-columns';
import { writeLabel } from './labels';
import type { CsvLoss } from './losses';
import { MULTI_VALUE } from './row-reader';
import { writeCsvTable } from './table';
import type { ItemField } from './targets';

/** The numbered groups in the order Google writes them, with their parts. */
const GROUPS: readonly (readonly [word: string, field: ItemField, parts: readonly string[]])[] = [
  ['E-mail', 'email', ['Label', 'Value']],
  ['Phone', 'phone', ['Label', 'Value']],
  ['Address', 'address', ['Label', 'Formatted', 'Street', 'City', 'PO Box', 'Region', 'Postal Code', 'Country', 'Extended Address']],
  ['Website', 'url', ['Label', 'Value']],
  ['Relation', 'related', ['Label', 'Value']],
  ['Event', 'event', ['Label', 'Value']],
  ['IM', 'im', ['Label', 'Service', 'Value']],
  ['Custom Field', 'custom', ['Label', 'Value']],
];

/** Google's service names by IMPP URI scheme (row-reader.ts reads them back). */
const IM_SERVICES: Readonly<Record<string, string>> = { xmpp: 'Jabber', aim: 'AIM', ymsgr: 'Yahoo', skype: 'Skype', msnim: 'MSN', icq: 'ICQ', qq: 'QQ' };

interface GoogleRow {
  single: Map<string, string>;
  groups: Map<ItemField, string[][]>;
}

function checkSeparator(s: ExportSubject, values: readonly string[]): void {
  for (const v of values) if (v.includes(MULTI_VALUE.trim())) s.lose('separator-in-value', v);
}

function rowOf(s: ExportSubject): GoogleRow {
  const c = s.contact;
  const name = nameParts(s);
  const single = new Map<string, string>();
  const set = (header: string, value: string) => value !== '' && single.set(header, value);
  const date = (d: typeof c.birthday, what: 'birthday' | 'anniversary'): string => {
    if (d === null) return '';
    const text = googleDate(d);
    if (text === null) s.lose('partial-date', what);
    return text ?? '';
  };
  set('First Name', name.given);
  set('Middle Name', name.additional);
  set('Last Name', name.family);
  set('Phonetic First Name', c.phoneticName.given);
  set('Phonetic Middle Name', c.phoneticName.additional);
  set('Phonetic Last Name', c.phoneticName.family);
  set('Name Prefix', name.prefix);
  set('Name Suffix', name.suffix);
  set('Nickname', c.nicknames.join(MULTI_VALUE));
  set('File As', s.draft.fileAs);
  set('Organization Name', c.organization.name);
  set('Organization Title', c.title);
  set('Organization Department', c.organization.units[0] ?? '');
  set('Birthday', date(c.birthday, 'birthday'));
  set('Notes', c.note);
  set('Labels', [...c.categories, '* myContacts', ...(s.favorite ? ['* starred'] : [])].join(MULTI_VALUE));
  if (c.organization.units.length > 1) s.lose('org-units', c.organization.units.slice(1).join(', '));
  if (c.role !== '') s.lose('role', c.role);
  if (s.draft.gender !== '') s.lose('gender', s.draft.gender);
  if (s.draft.phoneticOrg !== '') s.lose('phonetic-name', s.draft.phoneticOrg);
  if (c.photo !== null) {
    if (/^https?:/i.test(c.photo.uri)) set('Photo', c.photo.uri);
    else s.lose('photo');
  }
  checkSeparator(s, [...c.categories, ...c.nicknames]);

  const groups = new Map<ItemField, string[][]>();
  const add = (field: ItemField, values: string[]) => groups.set(field, [...(groups.get(field) ?? []), values]);
  for (const e of c.emails) add('email', [writeLabel('email', e), e.value]);
  for (const p of c.phones) add('phone', [writeLabel('phone', p), p.value]);
  for (const a of c.addresses) {
    const formatted = [a.street, a.extended, [a.locality, a.region, a.postalCode].filter((x) => x !== '').join(' '), a.country].filter((x) => x !== '').join('\n');
    add('address', [writeLabel('address', a), formatted, a.street, a.locality, a.poBox, a.region, a.postalCode, a.country, a.extended]);
  }
  for (const u of c.urls) add('url', [writeLabel('url', u), u.value]);
  for (const r of c.related) add('related', [writeLabel('related', r), r.value]);
  if (c.anniversary !== null) add('event', ['Anniversary', date(c.anniversary, 'anniversary')]);
  for (const d of c.dates) {
    const text = googleDate(d.date);
    if (text === null) s.lose('partial-date', d.label);
    else add('event', [d.label, text]);
  }
  for (const im of c.ims) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(im.value)?.[1]?.toLowerCase() ?? '';
    const service = IM_SERVICES[scheme] ?? IM_SERVICES[im.service] ?? im.service;
    add('im', [writeLabel('im', im), service, scheme === '' ? im.value : im.value.slice(scheme.length + 1)]);
  }
  for (const f of s.draft.custom) add('custom', [f.label, f.value]);
  checkSeparator(s, [...c.emails, ...c.phones, ...c.urls, ...c.related].map((i) => i.value));
  return { single, groups };
}

/** Cards → a Google CSV file (UTF-8, no BOM, as Google writes it), with what it could not hold. */
export function exportGoogleCsv(cards: readonly ExportCard[]): CsvExport {
  const losses: CsvLoss[] = [];
  const rows = exportSubjects(cards, losses).map(rowOf);
  const header: string[] = GOOGLE_SINGLE_COLUMNS.map(([h]) => h);
  const slots = GROUPS.map(([, field]) => Math.max(0, ...rows.map((r) => r.groups.get(field)?.length ?? 0)));
  GROUPS.forEach(([word, , parts], g) => {
    for (let n = 1; n <= slots[g]!; n++) for (const part of parts) header.push(`${word} ${n} - ${part}`);
  });
  const cells = rows.map((r) => {
    const out = GOOGLE_SINGLE_COLUMNS.map(([h]) => r.single.get(h) ?? '');
    GROUPS.forEach(([, field, parts], g) => {
      const items = r.groups.get(field) ?? [];
      for (let n = 0; n < slots[g]!; n++) out.push(...(items[n] ?? parts.map(() => '')));
    });
    return out;
  });
  const text = writeCsvTable(header, cells);
  return { text, bytes: encodeCsvText(text, 'utf-8').bytes, losses };
}
