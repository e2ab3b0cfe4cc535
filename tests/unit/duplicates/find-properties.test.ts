/**
 * The finder's guarantees on generated books (fast-check), where a few names, addresses, numbers
 * and birthdays are shared at random between cards, as families, offices and copies share them:
 * no cluster ever holds two contacts that are plainly different people, clusters do not overlap,
 * every proposed pair is above the threshold, and the order of the book changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicates, PROPOSE_AT, type DuplicateCandidate, type DuplicateReport } from '../../../shared/duplicates';
import { areDifferentPeople } from '../../../shared/duplicates/score';
import { contact } from './cards';

const NAMES = ['John Smith', 'Jane Smith', 'J. Smith', 'Smith', 'Dr. John Smith', '張偉', '张伟', 'Ali Rezaei', 'علی رضایی', ''];
const EMAILS = ['home@example.net', 'john@example.net', 'JOHN@example.net', 'office@example.com'];
const PHONES = ['+44 20 7946 0000', '020 7946 0000', '+44 20 7946 0001', '+1 555 010 0100'];
const BIRTHDAYS = ['', '', '1980-04-01', '--0401', '1975-12-24'];

interface GeneratedCard {
  name: string;
  emails: string[];
  phones: string[];
  birthday: string;
}

const card: fc.Arbitrary<GeneratedCard> = fc.record({
  name: fc.constantFrom(...NAMES),
  emails: fc.subarray(EMAILS, { maxLength: 2 }),
  phones: fc.subarray(PHONES, { maxLength: 2 }),
  birthday: fc.constantFrom(...BIRTHDAYS),
});

function book(cards: GeneratedCard[]): DuplicateCandidate[] {
  return cards.map((c, i) =>
    contact(
      `c${i}`,
      [...(c.name === '' ? [] : [`FN:${c.name}`]), ...c.emails.map((e) => `EMAIL:${e}`), ...c.phones.map((p) => `TEL:${p}`), ...(c.birthday === '' ? [] : [`BDAY:${c.birthday}`])],
      'book',
      'GB',
    ),
  );
}

const asSets = (r: DuplicateReport): string[] => r.clusters.map((c) => [...c.members].sort().join(',')).sort();

describe('the finder on generated books', () => {
  it('never puts different people in one cluster; clusters are disjoint and their pairs proposed', () => {
    fc.assert(
      fc.property(fc.array(card, { minLength: 2, maxLength: 30 }), (cards) => {
        const entries = book(cards);
        const byId = new Map(entries.map((e) => [e.id, e]));
        const report = findDuplicates(entries);
        const seen = new Set<string>();
        for (const cluster of report.clusters) {
          for (const id of cluster.members) {
            expect(seen.has(id)).toBe(false);
            seen.add(id);
          }
          for (const x of cluster.members) for (const y of cluster.members) expect(areDifferentPeople(byId.get(x)!.keys, byId.get(y)!.keys)).toBe(false);
          for (const p of cluster.pairs) {
            expect(p.score).toBeGreaterThanOrEqual(PROPOSE_AT);
            expect(cluster.members).toContain(p.a);
            expect(cluster.members).toContain(p.b);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('finds the same clusters in a book whatever its order', () => {
    fc.assert(
      fc.property(
        fc.array(card, { minLength: 2, maxLength: 30 }).chain((cards) => fc.tuple(fc.constant(cards), fc.shuffledSubarray(book(cards), { minLength: cards.length }))),
        ([cards, shuffled]) => {
          expect(asSets(findDuplicates(shuffled))).toEqual(asSets(findDuplicates(book(cards))));
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
