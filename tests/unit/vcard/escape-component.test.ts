import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeComponent, escapeText } from '../../../shared/vcard/escape';
import type { VCardVersion } from '../../../shared/vcard';

const ch = fc.constantFrom('a', ',', ';', '\\', '\n', '\r', 'é', '😀', '\uD800', ' ', 'n', ':');
const text = fc.array(ch, { maxLength: 600 }).map((a) => a.join(''));
const version = fc.constantFrom<VCardVersion>('2.1', '3.0', '4.0');

describe('a structured component written by an edit', () => {
  it('keeps its commas and escapes the rest as it did by escaping every comma and undoing it (short and long texts)', () => {
    fc.assert(
      fc.property(text, version, (t, v) => {
        expect(escapeComponent(t, v)).toBe(escapeText(t, v, true).replace(/\\,/g, ','));
      }),
      { numRuns: 20_000, seed: 20261205 },
    );
  });

  it('writes 400,000 list items of a component with their commas as they were', () => {
    const items = 'a,'.repeat(400_000) + 'b\\;c';
    expect(escapeComponent(items, '2.1')).toBe(`${'a,'.repeat(400_000)}b\\\\\\;c`);
  });
});
