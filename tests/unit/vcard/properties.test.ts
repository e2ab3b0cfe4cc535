/** Property-based tests (fast-check) for the round trip, patching and merging. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  escapeText,
  merge,
  parseVCard,
  propertyLine,
  serializeVCard,
  toContact,
  type VCard,
  type VParam,
  type VProperty,
} from '../../../shared/vcard';

const NEEDS_QUOTES = /[:;,]|^\s|\s$/;
// Text with the characters that matter to the codec: separators, escapes, quotes, non-ASCII, emoji.
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', ':', '\\', '"', '=', 'é', '中', 'ی', '🦊', '\n', '^'), maxLength: 40 });
const paramValue = fc.string({ unit: fc.constantFrom('a', 'B', '-', ' ', ',', ';', ':', 'é', '1'), minLength: 1, maxLength: 12 });
const name = fc.constantFrom('FN', 'NOTE', 'EMAIL', 'TEL', 'URL', 'TITLE', 'X-CUSTOM', 'x-lower', 'X-ABLabel', 'ORG', 'NICKNAME');
const param: fc.Arbitrary<VParam> = fc
  .record({ name: fc.constantFrom('TYPE', 'type', 'X-P', 'LANGUAGE'), values: fc.array(paramValue, { minLength: 1, maxLength: 3 }) })
  .map((p) => ({ ...p, quoted: p.values.some((v) => NEEDS_QUOTES.test(v)) }));
const property: fc.Arbitrary<VProperty> = fc.record({
  group: fc.option(fc.constantFrom('item1', 'item2', 'Item3'), { nil: null }),
  name,
  params: fc.array(param, { maxLength: 3 }),
  value: text.map((t) => escapeText(t, '3.0')),
});
const card: fc.Arbitrary<VCard> = fc
  .array(property, { maxLength: 12 })
  .map((props) => ({ properties: [{ group: null, name: 'VERSION', params: [], value: '3.0' }, ...props] }));

describe('round trip', () => {
  it('serialise then parse gives back the same properties, groups, parameters and values', () => {
    fc.assert(
      fc.property(card, (c) => {
        expect(parseVCard(serializeVCard(c))).toEqual(c);
      }),
      { numRuns: 500 },
    );
  });
});

describe('patching', () => {
  it('an edit of some scalar fields changes those properties only; every other line stays, in order', () => {
    const scalar = fc.record({ title: fc.option(text, { nil: undefined }), role: fc.option(text, { nil: undefined }), note: fc.option(text, { nil: undefined }) });
    fc.assert(
      // One TITLE/ROLE per card here: the view shows the first of each, and clearing it rightly
      // uncovers a second one rather than deleting what the user never saw.
      fc.property(card.filter((c) => ['TITLE', 'ROLE'].every((n) => c.properties.filter((p) => p.name.toUpperCase() === n).length <= 1)), scalar, (c, change) => {
        const before = toContact(c);
        const patch = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
        const after = { ...before, ...patch };
        const edited = applyEdit(c, before, after);
        const touched = new Set(['TITLE', 'ROLE', 'NOTE'].filter((n) => n.toLowerCase() in patch));
        const keep = (card: VCard) => card.properties.filter((p) => !touched.has(p.name.toUpperCase())).map(propertyLine);
        expect(keep(edited)).toEqual(keep(c));
        const view = toContact(edited);
        for (const [k, v] of Object.entries(patch)) expect(view[k as 'title']).toBe(v);
      }),
      { numRuns: 300 },
    );
  });
});

/** A side's edit of a base card: drop, change or add properties. */
function edited(base: VCard) {
  return fc
    .record({
      drop: fc.array(fc.nat(20), { maxLength: 2 }),
      change: fc.array(fc.tuple(fc.nat(20), text), { maxLength: 2 }),
      add: fc.array(property, { maxLength: 2 }),
    })
    .map(({ drop, change, add }) => {
      const props = [...base.properties];
      for (const [i, t] of change) {
        const at = 1 + (i % Math.max(1, props.length - 1));
        if (props[at] !== undefined) props[at] = { ...props[at]!, value: escapeText(t, '3.0') };
      }
      for (const i of drop) if (props.length > 1) props.splice(1 + (i % (props.length - 1)), 1);
      return { properties: [...props, ...add.map((p) => ({ ...p, group: null }))] };
    });
}

const norm = (c: VCard) => c.properties.map((p) => `${p.name.toUpperCase()}:${p.value}`);

describe('merging', () => {
  it('with an unchanged remote, the result is the local card', () => {
    fc.assert(
      fc.property(card.chain((b) => fc.tuple(fc.constant(b), edited(b))), ([b, l]) => {
        const r = merge(b, l, b);
        expect(r.conflicts).toEqual([]);
        expect(norm(r.card).sort()).toEqual(norm(l).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('with an unchanged local, the result has exactly the remote’s properties', () => {
    fc.assert(
      fc.property(card.chain((b) => fc.tuple(fc.constant(b), edited(b))), ([b, r]) => {
        const m = merge(b, b, r);
        expect(m.conflicts).toEqual([]);
        expect(norm(m.card).sort()).toEqual(norm(r).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('loses nothing: every value either side added is in the result or in a conflict', () => {
    fc.assert(
      fc.property(card.chain((b) => fc.tuple(fc.constant(b), edited(b), edited(b))), ([b, l, r]) => {
        const m = merge(b, l, r);
        const result = new Set(norm(m.card));
        const inConflicts = new Set(m.conflicts.flatMap((c) => [...(c.local ?? []), ...(c.remote ?? [])]).map((line) => line.replace(/^[^.:;]*\./, '')));
        const baseLines = new Set(norm(b));
        for (const side of [l, r]) {
          for (const p of side.properties) {
            const key = `${p.name.toUpperCase()}:${p.value}`;
            if (baseLines.has(key) || result.has(key)) continue;
            const line = propertyLine({ ...p, group: null });
            expect(inConflicts.has(line) || [...inConflicts].some((c) => c.endsWith(`:${p.value}`))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
