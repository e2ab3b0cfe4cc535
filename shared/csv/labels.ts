/**
 * Google's label words and the vCard types they stand for, per field. Google's CSV names a
 * value's kind with an English word ("Mobile", "Work Fax"), marks the primary one with a leading
 * "* ", and otherwise writes the user's own label. Each table is read both ways, so a contact
 * exported to Google's CSV and read back has the same types and labels.
 */
import type { ItemField } from './targets';

export interface Kind {
  readonly types: readonly string[];
  readonly label: string;
  readonly pref: boolean;
}

type LabelTable = readonly (readonly [word: string, types: readonly string[]])[];

const EMAIL: LabelTable = [
  ['Home', ['home']],
  ['Work', ['work']],
  ['Other', ['other']],
];

const PHONE: LabelTable = [
  ['Mobile', ['cell']],
  ['Work Mobile', ['work', 'cell']],
  ['Home', ['home']],
  ['Work', ['work']],
  ['Main', ['main']],
  ['Home Fax', ['home', 'fax']],
  ['Work Fax', ['work', 'fax']],
  ['Other Fax', ['fax']],
  ['Pager', ['pager']],
  ['Work Pager', ['work', 'pager']],
  ['Car', ['car']],
  ['ISDN', ['isdn']],
  ['Video', ['video']],
  ['Text', ['text']],
  ['TTY/TDD', ['textphone']],
  ['Other', ['other']],
];

const URL: LabelTable = [
  ['Home', ['home']],
  ['Work', ['work']],
  ['Other', ['other']],
];

const ADDRESS: LabelTable = [
  ['Home', ['home']],
  ['Work', ['work']],
  ['Other', ['other']],
];

/** RFC 6350 §6.6.6 RELATED types that Google has a word for; Google's other words stay labels. */
const RELATED: LabelTable = [
  ['Spouse', ['spouse']],
  ['Child', ['child']],
  ['Parent', ['parent']],
  ['Friend', ['friend']],
  ['Relative', ['kin']],
];

const IM: LabelTable = [
  ['Home', ['home']],
  ['Work', ['work']],
  ['Other', ['other']],
];

const TABLES: Readonly<Record<ItemField, LabelTable>> = {
  email: EMAIL,
  phone: PHONE,
  url: URL,
  address: ADDRESS,
  related: RELATED,
  im: IM,
  event: [],
  custom: [],
};

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t) => b.includes(t));

/** A Google label cell → types, custom label and primary mark. */
export function readLabel(field: ItemField, raw: string): Kind {
  let text = raw.trim();
  let pref = false;
  if (text.startsWith('*')) {
    pref = true;
    text = text.slice(1).trim();
  }
  if (text === '') return { types: [], label: '', pref };
  const known = TABLES[field].find(([word]) => word.toLowerCase() === text.toLowerCase());
  return known === undefined ? { types: [], label: text, pref } : { types: known[1], label: '', pref };
}

/** Types and label → the word Google writes ("" when neither says anything), "* " first for the primary one. */
export function writeLabel(field: ItemField, kind: Kind): string {
  const types = kind.types.filter((t) => t !== 'voice' && t !== 'internet' && t !== 'pref');
  let word = kind.label;
  if (word === '') {
    const exact = TABLES[field].find(([, t]) => same(t, types));
    // The closest word: one whose types are all present (a "work,voice,cell" phone is "Work Mobile").
    const near = exact ?? [...TABLES[field]].sort((a, b) => b[1].length - a[1].length).find(([, t]) => t.every((x) => types.includes(x)));
    word = near?.[0] ?? '';
  }
  return kind.pref ? `* ${word}` : word;
}
