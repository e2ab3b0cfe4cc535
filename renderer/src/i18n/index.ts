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

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Language): Translate {
  const cat = CATALOGUES[lang];
  const numbers = new Intl.NumberFormat(lang);
  return (key, vars) =>
    cat[key].replace(/\{(\w+)\}/g, (_m, name: string) => {
      const v = vars?.[name];
      return v === undefined ? `{${name}}` : typeof v === 'number' ? numbers.format(v) : v;
    });
}

export type { MessageKey };
