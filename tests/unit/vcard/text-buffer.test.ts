import { describe, expect, it } from 'vitest';
import { TextBuffer, unitsToString } from '../../../shared/vcard/text-buffer';

const units = (s: string) => Uint16Array.from(s, (_, i) => s.charCodeAt(i));
const codes = (s: string) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));

describe('unitsToString', () => {
  it('gives every code unit back as it was, short (made from the units) or long (decoded), a lone surrogate too', () => {
    for (const text of ['', '5550100', 'Ada \ud83d\ude00 Lovelace', 'lone \ud800 high', 'lone \udc00 low', '\ud83d', 'x'.repeat(256), 'y'.repeat(257), `${'z'.repeat(300)}\ud800`, `${'é'.repeat(5000)}\ud83d\ude00`]) {
      const u = units(`${text}tail`);
      expect(codes(unitsToString(u, text.length)), JSON.stringify(text.slice(0, 20))).toEqual(codes(text));
    }
  });

  it('a buffer of appended pieces reads back the same text', () => {
    const b = new TextBuffer();
    b.append('+1 (555) ', 0, 9);
    b.appendCode(0xd800);
    b.append('010-0', 0, 5);
    expect(codes(b.toString())).toEqual(codes('+1 (555) \ud800010-0'));
  });
});
