import { describe, expect, it } from 'vitest';
import { CATALOGUES, direction, pickLanguage, translator } from '../../renderer/src/i18n';

describe('translations', () => {
  it('every catalogue has exactly the English keys, none empty', () => {
    const keys = Object.keys(CATALOGUES.en).sort();
    for (const [lang, cat] of Object.entries(CATALOGUES)) {
      expect(Object.keys(cat).sort(), lang).toEqual(keys);
      for (const [k, v] of Object.entries(cat)) expect(v.trim(), `${lang} ${k}`).not.toBe('');
    }
  });

  it('keeps the same placeholders in every language', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const cat of Object.values(CATALOGUES)) {
      for (const [k, v] of Object.entries(cat)) expect(names(v)).toEqual(names(CATALOGUES.en[k as keyof typeof CATALOGUES.en]));
    }
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
});
