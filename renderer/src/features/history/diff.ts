/**
 * What changed between two versions of a card, property by property, read with the vCard core:
 * per property name, the values only the older version has (removed) and those only the newer
 * has (added). Values are as the contact view reads them (unescaped, structured parts joined);
 * lines a server rewrites on every save (REV, PRODID, VERSION) are no change.
 */
import type { MessageKey, Translate } from '../../i18n';
import { parseVCard, structuredValue, textValue, typesOf, type VCard, type VCardVersion, type VProperty } from '../../../../shared/vcard';

export interface PropertyChange {
  /** The property name, upper case (FN, TEL, X-CUSTOM). */
  name: string;
  removed: string[];
  added: string[];
}

const IGNORED = new Set(['VERSION', 'REV', 'PRODID', 'X-ABLABEL']);
const STRUCTURED = new Set(['N', 'ADR', 'ORG', 'GENDER']);
const BINARY = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
/** Shown in this order first; others after, in the order they appear. */
const ORDER = ['FN', 'N', 'NICKNAME', 'ORG', 'TITLE', 'ROLE', 'EMAIL', 'TEL', 'ADR', 'URL', 'IMPP', 'BDAY', 'ANNIVERSARY', 'RELATED', 'CATEGORIES', 'NOTE', 'PHOTO'];

function versionOf(card: VCard): VCardVersion {
  const v = card.properties.find((p) => p.name.toUpperCase() === 'VERSION')?.value.trim();
  return v === '2.1' || v === '3.0' ? v : '4.0';
}

/** A TYPE value as the window words it ("work" → "Work" in English, "کار" in Persian); lower case if unknown. */
export type TypeWord = (type: string) => string;

const asIs: TypeWord = (type) => type;

const TYPE_WORDS: Readonly<Record<string, MessageKey>> = { home: 'type.home', work: 'type.work', cell: 'type.cell', mobile: 'type.cell', fax: 'type.fax', other: 'type.other' };

/** A value's TYPE in the window's language, as the contact view names it; others as written. */
export function historyTypeWord(t: Translate): TypeWord {
  return (type) => {
    const key = TYPE_WORDS[type];
    return key === undefined ? type : t(key).toLocaleLowerCase();
  };
}

/**
 * The value as a person reads it, its types in the window's words; a photo is a token of its own
 * (its bytes say nothing).
 */
export function displayValue(prop: VProperty, version: VCardVersion, photo: string, typeWord: TypeWord = asIs): string {
  const name = prop.name.toUpperCase();
  if (BINARY.has(name)) return `${photo} #${hash(prop.value)}`;
  const text = STRUCTURED.has(name) ? structuredValue(prop, version).filter((s) => s.trim() !== '').join(name === 'ORG' ? ', ' : ' ') : textValue(prop, version);
  const types = typesOf(prop).filter((t) => t.toLowerCase() !== 'pref' && t.toLowerCase() !== 'internet');
  return types.length > 0 && !['FN', 'N', 'NOTE', 'ORG', 'TITLE', 'ROLE', 'BDAY', 'ANNIVERSARY'].includes(name) ? `${text} (${types.map((t) => typeWord(t.toLowerCase())).join(', ')})` : text;
}

/** A short, stable hash, so two photos can be told apart without showing their bytes. */
function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).slice(0, 6);
}

function valuesByName(vcard: string, photo: string, typeWord: TypeWord): Map<string, string[]> {
  const card = parseVCard(vcard);
  const version = versionOf(card);
  const out = new Map<string, string[]>();
  for (const p of card.properties) {
    const name = p.name.toUpperCase();
    if (IGNORED.has(name)) continue;
    out.set(name, [...(out.get(name) ?? []), displayValue(p, version, photo, typeWord)]);
  }
  return out;
}

/** Values of `a` not in `b`, as multisets (two equal e-mails, one removed: one shown). */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const left = [...b];
  return a.filter((v) => {
    const i = left.indexOf(v);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

/** The changes from `before` (null: nothing, the first version) to `after`. */
export function diffCards(before: string | null, after: string, photo = 'photo', typeWord: TypeWord = asIs): PropertyChange[] {
  const a = before === null ? new Map<string, string[]>() : valuesByName(before, photo, typeWord);
  const b = valuesByName(after, photo, typeWord);
  const names = [...new Set([...a.keys(), ...b.keys()])];
  const rank = (n: string) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
  names.sort((x, y) => rank(x) - rank(y));
  const changes: PropertyChange[] = [];
  for (const name of names) {
    const removed = minus(a.get(name) ?? [], b.get(name) ?? []);
    const added = minus(b.get(name) ?? [], a.get(name) ?? []);
    if (removed.length > 0 || added.length > 0) changes.push({ name, removed, added });
  }
  return changes;
}
