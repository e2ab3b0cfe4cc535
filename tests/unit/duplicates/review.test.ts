import { describe, expect, it } from 'vitest';
import { applyMerge, buildReview, defaultChoices, type MergeReview } from '../../../shared/duplicates/review';
import { contentKey } from '../../../shared/book/identity';
import { parseVCard, propertyLine, toContact, type VCard } from '../../../shared/vcard';
import { card } from './cards';

const review = (cards: Record<string, VCard>, survivor?: string): MergeReview =>
  buildReview(
    Object.entries(cards).map(([id, c]) => ({ id, card: c })),
    { region: 'DE', survivor },
  );
const lines = (c: VCard): string[] => c.properties.map(propertyLine);

const kept = card(
  'UID:kept',
  'FN:John Smith',
  'N:Smith;John;;;',
  'BDAY:1970-01-02',
  'item1.EMAIL;TYPE=INTERNET:John@Example.com',
  'item1.X-ABLabel:Private',
  'TEL;TYPE=CELL:+49 170 1234567',
  'NOTE:Met in Berlin',
  'X-CUSTOM;X-P=1:only here',
  'CATEGORIES:friends,work',
);
const other = card(
  'UID:other',
  'FN:Dr. John Smith',
  'N:Smith;John;;Dr.;',
  'BDAY:1970-01-02',
  'EMAIL;TYPE=HOME:john@example.com',
  'TEL;TYPE=WORK:0170 1234567',
  'TEL;TYPE=HOME:089 7654321',
  'NOTE:Likes jazz',
  'X-SOURCE-APP:phone',
  'CATEGORIES:work,family',
);

describe('reviewing a merge', () => {
  it('lists each single-valued property’s values with the cards they came from; the same value once', () => {
    const r = review({ kept, other }, 'kept');
    const fn = r.fields.find((f) => f.field === 'FN')!;
    expect(fn.candidates.map((c) => [c.text, c.from])).toEqual([
      ['John Smith', ['kept']],
      ['Dr. John Smith', ['other']],
    ]);
    const bday = r.fields.find((f) => f.field === 'BDAY')!;
    expect(bday.candidates.map((c) => [c.text, c.from])).toEqual([['1970-01-02', ['kept', 'other']]]);
    expect(defaultChoices(r).fields).toEqual({ FN: 0, N: 0, BDAY: 0, NOTE: 'all' });
  });

  it('joins the same e-mail in another case and the same phone written two ways, with the types and label of both', () => {
    const r = review({ kept, other }, 'kept');
    const email = r.items.filter((i) => i.kind === 'email');
    expect(email).toHaveLength(1);
    expect(email[0]).toMatchObject({ text: 'John@Example.com', label: 'Private', types: ['internet', 'home'], from: ['kept', 'other'] });
    const phones = r.items.filter((i) => i.kind === 'phone');
    expect(phones.map((p) => [p.text, p.types, p.from])).toEqual([
      ['+49 170 1234567', ['cell', 'work'], ['kept', 'other']],
      ['089 7654321', ['home'], ['other']],
    ]);
  });

  it('keeps the same value twice when its labels differ, so neither label is lost', () => {
    const a = card('FN:A', 'item1.EMAIL:a@example.org', 'item1.X-ABLabel:School');
    const b = card('FN:A', 'item1.EMAIL:A@example.org', 'item1.X-ABLabel:Club');
    const emails = review({ a, b }).items.filter((i) => i.kind === 'email');
    expect(emails.map((e) => e.label)).toEqual(['School', 'Club']);
    const merged = toContact(applyMerge(review({ a, b })).card);
    expect(merged.emails.map((e) => e.label)).toEqual(['School', 'Club']);
  });

  it('keeps every unknown X- property of every card, identical ones once', () => {
    const merged = applyMerge(review({ kept, other, third: card('FN:John Smith', 'X-CUSTOM;X-P=1:only here', 'X-SOURCE-APP:phone') }, 'kept')).card;
    const x = lines(merged).filter((l) => l.startsWith('X-'));
    expect(x).toEqual(['X-CUSTOM;X-P=1:only here', 'X-SOURCE-APP:phone']);
  });

  it('keeps every note by default, one after the other; choosing one drops the rest', () => {
    const r = review({ kept, other }, 'kept');
    expect(toContact(applyMerge(r).card).note).toBe('Met in Berlin\n\nLikes jazz');
    const chosen = applyMerge(r, { ...defaultChoices(r), fields: { ...defaultChoices(r).fields, NOTE: 1 } });
    expect(toContact(chosen.card).note).toBe('Likes jazz');
  });

  it('puts the chosen value where the kept card had its own, and names the card kept and those it replaces', () => {
    const r = review({ kept, other }, 'kept');
    const outcome = applyMerge(r, { fields: { FN: 1, N: 1 }, excluded: [] });
    expect(outcome.survivor).toBe('kept');
    expect(outcome.replaces).toEqual(['other']);
    const out = lines(outcome.card);
    expect(out.slice(0, 4)).toEqual(['VERSION:3.0', 'UID:kept', 'FN:Dr. John Smith', 'N:Smith;John;;Dr.;']);
    expect(parseVCard(outcome.vcard)).toEqual(outcome.card);
  });

  it('leaves out exactly the items the user excluded', () => {
    const r = review({ kept, other }, 'kept');
    const home = r.items.find((i) => i.text === '089 7654321')!;
    const all = toContact(applyMerge(r).card).phones.map((p) => p.value);
    const less = toContact(applyMerge(r, { ...defaultChoices(r), excluded: [home.key] }).card).phones.map((p) => p.value);
    expect(all).toEqual(['+49 170 1234567', '089 7654321']);
    expect(less).toEqual(['+49 170 1234567']);
  });

  it('unites categories into one line', () => {
    const merged = applyMerge(review({ kept, other }, 'kept')).card;
    expect(lines(merged).filter((l) => l.startsWith('CATEGORIES'))).toEqual(['CATEGORIES:friends,work,family']);
  });

  it('renames groups that clash, each label staying with its value', () => {
    const a = card('FN:Ada', 'item1.TEL:+44 20 7946 0000', 'item1.X-ABLabel:Lab');
    const b = card('FN:Ada', 'item1.URL:https://ada.example', 'item1.X-ABLabel:Blog');
    const merged = toContact(applyMerge(review({ a, b }, 'a')).card);
    expect(merged.phones.map((p) => [p.value, p.label])).toEqual([['+44 20 7946 0000', 'Lab']]);
    expect(merged.urls.map((p) => [p.value, p.label])).toEqual([['https://ada.example', 'Blog']]);
  });

  it('reads a 2.1 card’s quoted-printable text and bare types into a 3.0 card with the same meaning', () => {
    const old = card(
      'VERSION:2.1',
      'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BCller',
      'TEL;HOME;VOICE:+49 30 1234567',
      'NOTE;ENCODING=QUOTED-PRINTABLE:first=0D=0Asecond; with a back\\slash',
      'X-OLD;ENCODING=QUOTED-PRINTABLE:a=0D=0Ab',
    );
    const modern = card('FN:Jörg Müller', 'EMAIL:jorg@example.de');
    const outcome = applyMerge(review({ modern, old }, 'modern'), { fields: { FN: 0, NOTE: 0 }, excluded: [] });
    const c = toContact(outcome.card);
    expect(c.phones).toMatchObject([{ value: '+49 30 1234567', types: ['home', 'voice'] }]);
    expect(c.note).toBe('first\nsecond; with a back\\slash');
    expect(lines(outcome.card)).toContain('TEL;TYPE=HOME,VOICE:+49 30 1234567');
    expect(lines(outcome.card)).toContain('X-OLD:a\\nb');
    expect(lines(outcome.card).join('\n')).not.toMatch(/QUOTED-PRINTABLE|CHARSET/);
  });

  it('moves 3.0 preferences and inline photos into a 4.0 card in 4.0 form', () => {
    const v4 = card('VERSION:4.0', 'FN:Ada', 'EMAIL:ada@example.org');
    const v3 = card('FN:Ada', 'TEL;TYPE=CELL,pref:+44 7700 900000', 'PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=');
    const r = review({ v4, v3 }, 'v4');
    expect(r.fields.find((f) => f.field === 'PHOTO')!.candidates[0]!.text).toBe('data:image/png;base64,iVBORw0KGgo=');
    const out = lines(applyMerge(r).card);
    expect(out).toContain('TEL;TYPE=CELL;PREF=1:+44 7700 900000');
    expect(out).toContain('PHOTO:data:image/png;base64,iVBORw0KGgo=');
    expect(toContact(applyMerge(r).card).phones[0]!.pref).toBe(true);
  });

  it('gives back the card itself when it is merged with a copy of itself', () => {
    const copy = parseVCard(applyMerge(review({ kept, copy: kept }, 'kept')).vcard);
    expect(contentKey(copy)).toBe(contentKey(kept));
  });

  it('refuses choices that are not among the candidates, and items that are not in the review', () => {
    const r = review({ kept, other }, 'kept');
    expect(() => applyMerge(r, { fields: { FN: 5 }, excluded: [] })).toThrow(RangeError);
    expect(() => applyMerge(r, { fields: { FN: 'all' }, excluded: [] })).toThrow(RangeError);
    expect(() => applyMerge(r, { fields: {}, excluded: ['nothing'] })).toThrow(RangeError);
    expect(() => review({ kept })).toThrow(RangeError);
    expect(() => review({ kept, other }, 'someone')).toThrow(RangeError);
  });
});
