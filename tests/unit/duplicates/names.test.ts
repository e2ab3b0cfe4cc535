import { describe, expect, it } from 'vitest';
import { nameRelation, nameTokens } from '../../../shared/duplicates';

const same = (a: string, b: string): void => expect(nameTokens(a)).toEqual(nameTokens(b));

describe('names fold to one key', () => {
  it('ignores case, accents, width and word order', () => {
    same('Zoë Núñez', 'ZOE NUNEZ');
    same('Ｊｏｈｎ Ｓｍｉｔｈ', 'john smith');
    same('Smith, John', 'John Smith');
    same('Małgorzata Øster', 'Malgorzata Oster');
  });

  it('drops titles in several languages, but keeps a name that is only a title', () => {
    same('Dr. John Smith', 'John Smith');
    same('Mr John Smith Jr.', 'John Smith');
    same('Frau Prof. Dr. Anna Weiß', 'Anna Weiss');
    same('Mme Élodie Durand', 'Elodie Durand');
    same('Sig.ra Giulia Rossi', 'Giulia Rossi');
    same('آقای علی رضایی', 'علی رضایی');
    same('خانم سارا کریمی', 'سارا کریمی');
    expect(nameTokens('Dr.')).toEqual(['dr']);
  });

  it('reads Persian and Arabic letter variants as one letter', () => {
    same('علي رضائي', 'علی رضایی');
    same('كريم', 'کریم');
  });

  it('joins Traditional and Simplified Chinese, in either order, with or without spaces', () => {
    same('張偉', '张伟');
    same('張偉', '伟 张');
    same('陳美玲', '美玲 陈');
    same('臺灣 林', '林台湾');
  });

  it('drops honorifics CJK writing attaches to the name', () => {
    same('王先生', '王');
    same('山田太郎様', '山田 太郎');
    same('김민준씨', '김민준');
    same('陳小姐', '陈');
  });

  it('keeps a Chinese given name that ends in 君 whole', () => {
    expect(nameTokens('李淑君')).toEqual(nameTokens('淑君李'));
    expect(nameTokens('李淑君')).not.toEqual(nameTokens('李淑'));
  });

  it('keeps Hangul syllables whole, not decomposed', () => {
    expect(nameTokens('김민준')).toEqual(['김민준']);
    same('김민준', '민준 김');
  });

  it('tells apart CJK names with the same characters in another order that is not family/given', () => {
    expect(nameTokens('张兰鹏')).not.toEqual(nameTokens('张鹏兰'));
    same('张兰鹏', '兰鹏 张');
  });
});

describe('how two names relate', () => {
  const rel = (a: string, b: string) => nameRelation(nameTokens(a), nameTokens(b));

  it('same, similar (initials, a missing part) or different', () => {
    expect(rel('Dr. John Smith', 'Smith, John')).toBe('same');
    expect(rel('J. Smith', 'John Smith')).toBe('similar');
    expect(rel('Smith', 'John Smith')).toBe('similar');
    expect(rel('John A. Smith', 'John Smith')).toBe('similar');
    expect(rel('王', '王伟')).toBe('similar');
    expect(rel('Jane Smith', 'John Smith')).toBe('different');
    expect(rel('王芳', '王伟')).toBe('different');
  });

  it('an umlaut written out and a short given name are similar names, never the same one', () => {
    expect(rel('Anna Müller', 'Anna Mueller')).toBe('similar');
    expect(rel('Jörg Schröder', 'Joerg Schroeder')).toBe('similar');
    expect(rel('A. Mueller', 'Anna Müller')).toBe('similar');
    expect(rel('Bob Smith', 'Robert Smith')).toBe('similar');
    expect(rel('Liz Taylor', 'Elizabeth Taylor')).toBe('similar');
    expect(rel('Bob Smith', 'Bill Smith')).toBe('different');
    // "Jon" is short for John and for Jonathan: it joins neither.
    expect(rel('Jon Smith', 'John Smith')).toBe('different');
  });

  it('is unknown across scripts or when a name is missing', () => {
    expect(rel('Zhang Wei', '张伟')).toBe('unknown');
    expect(rel('Ali Rezaei', 'علی رضایی')).toBe('unknown');
    expect(nameRelation([], nameTokens('John Smith'))).toBe('unknown');
  });
});
