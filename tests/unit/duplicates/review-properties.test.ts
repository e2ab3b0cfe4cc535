/**
 * Nothing lost without the user choosing it (fast-check): for generated clusters of 2–4 cards in
 * any mix of vCard 2.1, 3.0 and 4.0, and random choices, every e-mail address, phone number and
 * X- property of every card is in the merged card, unless the user left out the item that held
 * it or chose another value for the single-valued property it belongs to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailKey, phoneKey } from '../../../shared/duplicates';
import { applyMerge, buildReview, type MergeChoices, type MergeReview } from '../../../shared/duplicates/review';
import { encodeQuotedPrintable, escapeText, isAscii, parseVCard, serializeVCard, textValue, toContact, versionOf, type VCard, type VCardVersion, type VParam, type VProperty } from '../../../shared/vcard';

const REGION = 'DE';
const EMAILS = ['ada@example.org', 'ADA@Example.org', ' grace@example.org', 'mailto:alan@example.org', 'alan@EXAMPLE.org'];
const PHONES = ['+49 89 1234567', '089 1234567', 'tel:+49-89-1234567', '+1 555 010 0100', '(030) 123 4567', '+49 30 1234567', '0170 1234567'];
const LABELS = ['Private', 'Club', '_$!<Home>!$_'];
const X_NAMES = ['X-CUSTOM', 'X-FOO', 'x-lower', 'X-ABUID', 'X-JABBER', 'X-PHONETIC-FIRST-NAME'];
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', ':', '\\', 'é', '中', 'ی', '\n', '='), maxLength: 16 });

type Spec =
  | { kind: 'email' | 'phone'; value: string; types: string[]; label: string | null }
  | { kind: 'x'; name: string; value: string; param: string | null }
  | { kind: 'FN' | 'NOTE'; value: string };

const spec: fc.Arbitrary<Spec> = fc.oneof(
  fc.record({
    kind: fc.constant('email' as const),
    value: fc.constantFrom(...EMAILS),
    types: fc.subarray(['home', 'work', 'internet']),
    label: fc.option(fc.constantFrom(...LABELS), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('phone' as const),
    value: fc.constantFrom(...PHONES),
    types: fc.subarray(['cell', 'home', 'work', 'voice', 'pref']),
    label: fc.option(fc.constantFrom(...LABELS), { nil: null }),
  }),
  fc.record({ kind: fc.constant('x' as const), name: fc.constantFrom(...X_NAMES), value: text, param: fc.option(fc.constantFrom('1', 'keep'), { nil: null }) }),
  fc.record({ kind: fc.constantFrom('FN' as const, 'NOTE' as const), value: text }),
);

/** A value as a writer of that version spells it (written here, not with the code under test). */
function written(t: string, version: VCardVersion): { value: string; params: VParam[] } {
  if (version !== '2.1') return { value: escapeText(t, version), params: [] };
  // 2.1 as Android writes it: backslash escapes for \\ , ; (read so, see shared/vcard/escape.ts), line breaks quoted-printable.
  const escaped = t.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;');
  if (t.includes('\n')) return { value: encodeQuotedPrintable(escaped), params: [{ name: 'ENCODING', values: ['QUOTED-PRINTABLE'] }, { name: 'CHARSET', values: ['UTF-8'] }] };
  return { value: escaped, params: isAscii(t) ? [] : [{ name: 'CHARSET', values: ['UTF-8'] }] };
}

function typeParams(types: string[], version: VCardVersion): VParam[] {
  if (types.length === 0) return [];
  if (version === '2.1') return types.map((t) => ({ name: null, values: [t.toUpperCase()] }));
  const plain = version === '4.0' ? types.filter((t) => t !== 'pref') : types;
  return [...(plain.length > 0 ? [{ name: 'TYPE', values: plain }] : []), ...(version === '4.0' && types.includes('pref') ? [{ name: 'PREF', values: ['1'] }] : [])];
}

function build(specs: Spec[], version: VCardVersion, n: number): VCard {
  const props: VProperty[] = [{ group: null, name: 'VERSION', params: [], value: version }, { group: null, name: 'UID', params: [], value: `card-${n}` }];
  let group = 0;
  for (const s of specs) {
    if (s.kind === 'email' || s.kind === 'phone') {
      const g = s.label === null ? null : `item${++group}`;
      props.push({ group: g, name: s.kind === 'email' ? 'EMAIL' : 'TEL', params: typeParams(s.types, version), value: s.value });
      if (g !== null) props.push({ group: g, name: 'X-ABLabel', params: [], value: s.label! });
    } else {
      const w = written(s.value, version);
      const name = s.kind === 'x' ? s.name : s.kind;
      const extra: VParam[] = s.kind === 'x' && s.param !== null ? [{ name: 'X-P', values: [s.param] }] : [];
      props.push({ group: null, name, params: [...extra, ...w.params], value: w.value });
    }
  }
  return parseVCard(serializeVCard({ properties: props }));
}

const cluster = fc.array(fc.tuple(fc.array(spec, { maxLength: 8 }), fc.constantFrom<VCardVersion>('2.1', '3.0', '4.0')), { minLength: 2, maxLength: 4 });

function randomChoices(review: MergeReview, seed: number[]): MergeChoices {
  const fields: Record<string, number | 'all'> = {};
  review.fields.forEach((f, i) => {
    const pick = seed[i % seed.length]! % (f.candidates.length + (f.canKeepAll ? 1 : 0));
    fields[f.field] = pick === f.candidates.length ? 'all' : pick;
  });
  const excluded = review.items.filter((_, i) => seed[(i + 3) % seed.length]! % 5 === 0).map((i) => i.key);
  return { fields, excluded };
}

describe('merging keeps what the user did not choose to drop', () => {
  it('every e-mail, phone and X- property of every card is in the merged card unless the user chose otherwise', () => {
    fc.assert(
      fc.property(cluster, fc.array(fc.nat(), { minLength: 1, maxLength: 16 }), (cards, seed) => {
        const sources = cards.map(([specs, version], n) => ({ id: `c${n}`, card: build(specs, version, n) }));
        const review = buildReview(sources, { region: REGION });
        const choices = randomChoices(review, seed);
        const excluded = new Set(choices.excluded);
        const outcome = applyMerge(review, choices);
        expect(serializeVCard(parseVCard(outcome.vcard))).toBe(outcome.vcard);

        const merged = toContact(outcome.card);
        const version = versionOf(outcome.card);
        const mergedEmails = new Set(merged.emails.map((e) => emailKey(e.value)));
        const mergedPhones = new Set(merged.phones.map((p) => phoneKey(p.value, REGION)));
        const mergedX = new Set(outcome.card.properties.map((p) => `${p.name.toUpperCase()}:${textValue(p, version)}`));
        const mergedTrimmed = new Set(outcome.card.properties.map((p) => `${p.name.toUpperCase()}:${textValue(p, version).trim()}`));
        const mergedIms = new Set(merged.ims.map((m) => m.value));
        const keptBy = (id: string, property: string, same: (text: string) => boolean): boolean => {
          const holders = review.items.filter((i) => i.property === property && i.from.includes(id) && same(i.text));
          expect(holders.length).toBeGreaterThan(0); // every line of every card is in the review
          return holders.some((i) => !excluded.has(i.key));
        };

        for (const { id, card } of sources) {
          const c = toContact(card);
          for (const e of c.emails) if (keptBy(id, 'EMAIL', (t) => emailKey(t) === emailKey(e.value))) expect(mergedEmails).toContain(emailKey(e.value));
          for (const p of c.phones) if (keptBy(id, 'TEL', (t) => phoneKey(t, REGION) === phoneKey(p.value, REGION))) expect(mergedPhones).toContain(phoneKey(p.value, REGION));
          const v = versionOf(card);
          for (const p of card.properties) {
            const name = p.name.toUpperCase();
            if (!name.startsWith('X-') || name === 'X-ABLABEL') continue;
            const value = textValue(p, v).replace(/\r\n/g, '\n');
            if (name === 'X-PHONETIC-FIRST-NAME') {
              const field = review.fields.find((f) => f.field === 'PHONETIC')!;
              const choice = choices.fields.PHONETIC!;
              if (choice !== 'all' && !field.candidates[choice]!.from.includes(id)) continue; // another value chosen
              // Candidates are told apart by their trimmed text: " Ada" and "Ada" are one choice.
              expect(mergedTrimmed).toContain(`${name}:${value.trim()}`);
              continue;
            } else if (name === 'X-JABBER') {
              // An IM handle is read trimmed (as the contact view reads it): " a" and "a" are one.
              if (keptBy(id, name, (t) => t.trim() === value.trim())) expect(mergedIms).toContain(value.trim());
              continue;
            } else if (!keptBy(id, name, (t) => t === value)) continue;
            expect(mergedX).toContain(`${name}:${value}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('every label stays with its value when the value is kept', () => {
    fc.assert(
      fc.property(cluster, (cards) => {
        const sources = cards.map(([specs, version], n) => ({ id: `c${n}`, card: build(specs, version, n) }));
        const merged = toContact(applyMerge(buildReview(sources, { region: REGION })).card);
        const labelled = new Set([...merged.emails.map((e) => `${emailKey(e.value)}|${e.label}`), ...merged.phones.map((p) => `${phoneKey(p.value, REGION)}|${p.label}`)]);
        for (const { card } of sources) {
          const c = toContact(card);
          for (const e of c.emails) if (e.label !== '') expect(labelled).toContain(`${emailKey(e.value)}|${e.label}`);
          for (const p of c.phones) if (p.label !== '') expect(labelled).toContain(`${phoneKey(p.value, REGION)}|${p.label}`);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
