/**
 * The translation layer. Messages are ICU MessageFormat (intl-messageformat): plurals, selects and
 * numbers are decided by the message in each language, never by joining strings in code.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { fa } from './fa';
import { en, type Catalogue, type MessageKey } from './messages';
import { zhCN } from './zh-CN';
import { zhTW } from './zh-TW';

export type Language = 'en' | 'zh-TW' | 'zh-CN' | 'fa';
export const LANGUAGES: readonly Language[] = ['en', 'zh-TW', 'zh-CN', 'fa'];
/** Each language's own name, shown in the language menu. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-TW': '繁體中文', 'zh-CN': '简体中文', fa: 'فارسی' };

export const CATALOGUES: Record<Language, Catalogue> = { en, 'zh-TW': zhTW, 'zh-CN': zhCN, fa };

/** The supported language closest to a BCP 47 tag: zh-Hant/zh-TW/zh-HK → zh-TW, other zh → zh-CN. */
export function pickLanguage(tag: string): Language {
  const t = tag.toLowerCase();
  if (t.startsWith('fa')) return 'fa';
  if (t.startsWith('zh')) return /hant|tw|hk|mo/.test(t) ? 'zh-TW' : 'zh-CN';
  return 'en';
}

export function direction(lang: Language): 'rtl' | 'ltr' {
  return lang === 'fa' ? 'rtl' : 'ltr';
}

/** The script most of the UI's text is in, for deciding which values need isolating. */
export function scriptOf(lang: Language): 'latin' | 'han' | 'arabic' {
  return lang === 'fa' ? 'arabic' : lang === 'en' ? 'latin' : 'han';
}

export type MessageValues = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: MessageValues) => string;

interface AstNode {
  readonly type: number;
  readonly value?: unknown;
  readonly options?: Record<string, { readonly value: readonly AstNode[] }>;
}

/** Arguments a message uses only as plain `{name}` (not in a plural, select or number). */
function plainOnlyArguments(ast: readonly AstNode[]): Set<string> {
  const plain = new Set<string>();
  const other = new Set<string>();
  const walk = (nodes: readonly AstNode[]) => {
    for (const n of nodes) {
      // 1: a plain argument; 2–6: number, date, time, select, plural.
      if (n.type === 1 && typeof n.value === 'string') plain.add(n.value);
      else if (n.type >= 2 && n.type <= 6 && typeof n.value === 'string') other.add(n.value);
      for (const o of Object.values(n.options ?? {})) walk(o.value);
    }
  };
  walk(ast);
  for (const name of other) plain.delete(name);
  return plain;
}

export function translator(lang: Language): Translate {
  const cat = CATALOGUES[lang];
  const compiled = new Map<MessageKey, { format: IntlMessageFormat; plain: Set<string> }>();
  // A number in a plain `{year}` or `{row}` is written in the language's digits (Persian ۱۳۶۰),
  // without grouping, as it is; intl-messageformat would write it with String() (Latin digits).
  const digits = new Intl.NumberFormat(lang, { useGrouping: false });
  return (key, vars) => {
    let entry = compiled.get(key);
    if (entry === undefined) {
      const format = new IntlMessageFormat(cat[key], lang, undefined, { ignoreTag: true });
      entry = { format, plain: plainOnlyArguments(format.getAst() as unknown as readonly AstNode[]) };
      compiled.set(key, entry);
    }
    let values = vars;
    if (vars !== undefined && entry.plain.size > 0) {
      values = { ...vars };
      for (const name of entry.plain) {
        const v = values[name];
        if (typeof v === 'number') values[name] = digits.format(v);
      }
    }
    return String(entry.format.format(values));
  };
}

/**
 * The locale dates are written in: the UI's language with the OS's region where they share the
 * language (an English UI on an en-GB system writes "14 March"), else the UI's language with the
 * OS's region. Persian dates are Solar Hijri (Intl's `persian` calendar, Persian's default).
 */
export function dateLocale(lang: Language, osLocale: string): string {
  let region: string | undefined;
  try {
    region = new Intl.Locale(osLocale).maximize().region;
  } catch {
    region = undefined;
  }
  if (lang === 'fa') return 'fa-IR-u-ca-persian';
  if (lang !== 'en') return lang; // zh-TW, zh-CN carry their region
  return region === undefined ? 'en-US' : `en-${region}`;
}

export type { MessageKey };
