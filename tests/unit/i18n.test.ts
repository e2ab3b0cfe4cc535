import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, dateLocale, direction, pickLanguage, translator } from '../../renderer/src/i18n';

/** The argument names a message uses, read from its ICU syntax tree. */
function argumentsOf(message: string, lang: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: unknown[]): void => {
    for (const n of nodes as { type: number; value?: string; options?: Record<string, { value: unknown[] }> }[]) {
      if (typeof n.value === 'string' && n.type !== 0 && n.type !== 7) names.add(n.value); // not literal, not #
      for (const o of Object.values(n.options ?? {})) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(message, lang, undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

describe('translations', () => {
  it('every catalogue has exactly the English keys, none empty', () => {
    const keys = Object.keys(CATALOGUES.en).sort();
    for (const [lang, cat] of Object.entries(CATALOGUES)) {
      expect(Object.keys(cat).sort(), lang).toEqual(keys);
      for (const [k, v] of Object.entries(cat)) expect(v.trim(), `${lang} ${k}`).not.toBe('');
    }
  });

  it('every message is valid ICU MessageFormat with the same arguments in every language', () => {
    for (const [lang, cat] of Object.entries(CATALOGUES)) {
      for (const [k, v] of Object.entries(cat)) expect(argumentsOf(v, lang), `${lang} ${k}`).toEqual(argumentsOf(CATALOGUES.en[k as keyof typeof CATALOGUES.en], 'en'));
    }
  });

  it('plurals come from the message: 1 contact, 2 contacts, never “1 contacts”', () => {
    const t = translator('en');
    expect(t('list.count', { count: 1 })).toBe('1 contact');
    expect(t('list.count', { count: 2 })).toBe('2 contacts');
    expect(t('list.count', { count: 1000 })).toBe('1,000 contacts');
    expect(t('import.run', { count: 0 })).toBe('Nothing new to import');
    expect(t('editor.addItem', { field: t('field.phones') })).toBe('Add Phone');
  });

  it('picks the language from the OS locale and lays Persian out right to left', () => {
    expect(pickLanguage('zh-Hant-TW')).toBe('zh-TW');
    expect(pickLanguage('zh-HK')).toBe('zh-TW');
    expect(pickLanguage('zh-CN')).toBe('zh-CN');
    expect(pickLanguage('fa-IR')).toBe('fa');
    expect(pickLanguage('de-DE')).toBe('en');
    expect(direction('fa')).toBe('rtl');
    expect(direction('zh-TW')).toBe('ltr');
  });

  it('formats numbers in placeholders for the language', () => {
    expect(translator('fa')('list.count', { count: 12 })).toContain('۱۲');
  });

  it('a number in a plain placeholder ({row}, {year}) is in Persian digits in Persian, without grouping; English unchanged', () => {
    expect(translator('fa')('csv.rowProblem', { row: 1360, problem: 'x' })).toBe('ردیف ۱۳۶۰: x');
    expect(translator('en')('csv.rowProblem', { row: 1360, problem: 'x' })).toBe('Row 1360: x');
    // A select on the number still sees the number.
    expect(translator('fa')('calendar.birthdayOf', { name: 'سارا', year: 0 })).toBe('زادروز سارا');
  });

  it('writes dates in the OS region where the UI speaks its language, and Persian in Solar Hijri', () => {
    expect(dateLocale('en', 'en-GB')).toBe('en-GB');
    expect(dateLocale('en', 'de-DE')).toBe('en-DE');
    expect(dateLocale('fa', 'en-US')).toBe('fa-IR-u-ca-persian');
    expect(dateLocale('zh-TW', 'en-US')).toBe('zh-TW');
  });
});
