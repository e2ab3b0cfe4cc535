/** One way to read a card's UID for every caller (sync, export): by the parser, folded and grouped lines too. */
import { describe, expect, it } from 'vitest';
import { cardUid } from '../../../shared/vcard';

describe('a card’s UID', () => {
  it('is read from a folded line, a grouped line and a parameterised line, trimmed', () => {
    expect(cardUid('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:1234\r\n 5678\r\nEND:VCARD\r\n')).toBe('urn:uuid:12345678');
    expect(cardUid('BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.UID: abc \r\nEND:VCARD\r\n')).toBe('abc');
    expect(cardUid('BEGIN:VCARD\r\nVERSION:4.0\r\nUID;VALUE=text:plain\r\nEND:VCARD\r\n')).toBe('plain');
  });

  it('is undefined for a card without one, an empty one, or no readable card', () => {
    expect(cardUid('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nEND:VCARD\r\n')).toBeUndefined();
    expect(cardUid('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:\r\nEND:VCARD\r\n')).toBeUndefined();
    expect(cardUid('not a card')).toBeUndefined();
  });
});
