import { describe, expect, it } from 'vitest';
import { parseVCards, serializeVCards, toContact } from '../../../shared/vcard';
import { loadFixtures } from './fixtures';

const fixtures = loadFixtures();

describe('real-world fixtures', () => {
  it('has the whole corpus with its manifest', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(203);
  });

  for (const f of fixtures) {
    it(`${f.file}: parse → serialise → parse gives the same properties`, () => {
      const first = parseVCards(f.bytes);
      if (!f.malformed) expect(first.errors.filter((e) => e.code !== 'other-component')).toEqual([]);
      const again = parseVCards(serializeVCards(first.cards.map((c) => c.card)));
      expect(again.errors).toEqual([]);
      expect(again.cards.map((c) => c.card)).toEqual(first.cards.map((c) => c.card));
      // And the view reads every card without throwing.
      for (const c of first.cards) toContact(c.card);
    });
  }

  it('reads every well-formed card of the corpus (1,000+ cards) with no error', () => {
    let cards = 0;
    for (const f of fixtures.filter((x) => !x.malformed)) cards += parseVCards(f.bytes).cards.length;
    expect(cards).toBeGreaterThan(1000);
  });

  it('reports the malformed fixtures by line and still returns their good cards', () => {
    const cropped = parseVCards(fixtures.find((f) => f.file.endsWith('Cropped_2_1.vcf'))!.bytes);
    expect(cropped.errors).toEqual([expect.objectContaining({ code: 'missing-end', line: 1 })]);
    const sogo = parseVCards(fixtures.find((f) => f.file.endsWith('contactA__sogo.vcf'))!.bytes);
    expect(sogo.cards).toHaveLength(1); // the VCARD comes through; the VLIST after it is reported
    expect(sogo.errors).toEqual([expect.objectContaining({ code: 'other-component', line: 19 })]);
  });
});
