import { describe, expect, it } from 'vitest';
import { foldLine, parseVCard, parseVCards, serializeVCard, textValue, toContact, VCardError } from '../../../shared/vcard';
import { fixture } from './fixtures';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const octets = (s: string): number => utf8(s).length;

describe('reading', () => {
  it('unfolds CRLF, LF and CR line endings and tab or space continuations', () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      const card = parseVCard(['BEGIN:VCARD', 'VERSION:3.0', 'FN:Ada', ' Lovelace', 'NOTE:a', '\tb', 'END:VCARD', ''].join(eol));
      expect(toContact(card).formattedName).toBe('AdaLovelace');
      expect(toContact(card).note).toBe('ab');
    }
  });

  it('heals a UTF-8 sequence split by a fold between its octets', () => {
    const bytes = utf8('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë\r\nEND:VCARD\r\n');
    const at = bytes.indexOf(0xc3) + 1; // between the two octets of ë
    const folded = new Uint8Array([...bytes.subarray(0, at), 0x0d, 0x0a, 0x20, ...bytes.subarray(at)]);
    expect(toContact(parseVCard(folded)).formattedName).toBe('Zoë');
  });

  it('skips a byte-order mark and blank lines, and reads several cards from one file', () => {
    const text = '\ufeffBEGIN:VCARD\nVERSION:3.0\nFN:One\nEND:VCARD\n\n\nBEGIN:VCARD\nVERSION:3.0\n\nFN:Two\nEND:VCARD\n';
    const { cards, errors } = parseVCards(text);
    expect(errors).toEqual([]);
    expect(cards.map((c) => toContact(c.card).formattedName)).toEqual(['One', 'Two']);
    expect(cards.map((c) => c.line)).toEqual([1, 7]);
  });

  it('reads UTF-16 files with a byte-order mark', () => {
    const card = parseVCards(fixture('FolkerKinzel__VCards/src__FolkerKinzel.VCards.Tests__TestFiles__MultiAnsiFilterTests__v3Utf16Bom.vcf'));
    expect(card.errors).toEqual([]);
    expect(card.cards.length).toBeGreaterThan(0);
  });

  it('keeps groups, parameter spelling, quoting and lists as written', () => {
    const card = parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.EMAIL;type=INTERNET;TYPE="home,pref";X-Note="a;b:c":x@y.z\r\nEND:VCARD\r\n');
    const email = card.properties[1]!;
    expect(email.group).toBe('item1');
    expect(email.params).toEqual([
      { name: 'type', values: ['INTERNET'], quoted: false },
      { name: 'TYPE', values: ['home,pref'], quoted: true },
      { name: 'X-Note', values: ['a;b:c'], quoted: true },
    ]);
    expect(serializeVCard(card)).toContain('item1.EMAIL;type=INTERNET;TYPE="home,pref";X-Note="a;b:c":x@y.z\r\n');
  });

  it('unescapes \\n \\, \\; \\\\ in 3.0/4.0, and a backslash before anything else stays', () => {
    const v3 = parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:a\\nb\\, c\\; d\\\\e\r\nEND:VCARD\r\n');
    expect(textValue(v3.properties[1]!, '3.0')).toBe('a\nb, c; d\\e');
    const v21 = parseVCard('BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE:C:\\Users\\folder\r\nEND:VCARD\r\n');
    expect(toContact(v21).note).toBe('C:\\Users\\folder');
  });

  it('decodes vCard 2.1 quoted-printable with soft line breaks and legacy charsets', () => {
    const qp = parseVCard(
      'BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=\r\n=E6=98=8E;;;\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Caf=E9\r\nEND:VCARD\r\n',
    );
    const c = toContact(qp);
    expect(c.name.family).toBe('王');
    expect(c.name.given).toBe('小明');
    expect(c.note).toBe('Café');
    // Written back as read: the QP text and its soft break stay.
    expect(serializeVCard(qp)).toContain('=E5=B0=8F=\r\n=E6=98=8E;;;');
  });

  it('reads a whole file in a legacy code page (cp1252 without CHARSET)', () => {
    const { cards } = parseVCards(fixture('FolkerKinzel__VCards/src__FolkerKinzel.VCards.Tests__TestFiles__AnsiIssueNoEncoding.vcf'));
    const text = JSON.stringify(cards.map((c) => toContact(c.card)));
    expect(text).not.toContain('\ufffd');
  });

  it('reads windows-1252’s € and curly quotes (0x80–0x9F) as such in every process, declared or not', () => {
    const cp = (s: string) => new Uint8Array([...s].map((ch) => ({ '€': 0x80, '“': 0x93, '”': 0x94, '—': 0x97 })[ch] ?? ch.charCodeAt(0)));
    const declared = cp('BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=windows-1252:Preis;Eva\r\nNOTE;CHARSET=ISO-8859-1:“5 €” — ok\r\nEND:VCARD\r\n');
    const undeclared = cp('BEGIN:VCARD\r\nVERSION:2.1\r\nN:Preis;Eva\r\nNOTE:“5 €” — ok\r\nEND:VCARD\r\n');
    for (const bytes of [declared, undeclared]) expect(toContact(parseVCards(bytes).cards[0]!.card).note).toBe('“5 €” — ok');
  });

  it('reads Persian, Arabic, CJK and emoji unchanged', () => {
    const { cards, errors } = parseVCards(fixture('cardinal/persian-arabic-emoji.vcf'));
    expect(errors).toEqual([]);
    const [fa, ar, emoji] = cards.map((c) => toContact(c.card));
    expect(fa!.formattedName).toBe('سارا کریمی');
    expect(fa!.addresses[0]!.street).toBe('خیابان ولیعصر، پلاک ۱۲');
    expect(ar!.nicknames).toEqual(['أبو حسن']);
    expect(emoji!.name.given).toBe('Zoë 🦊');
    expect(emoji!.categories).toEqual(['😀 friends', '家族']);
  });
});

describe('writing', () => {
  it('folds at 75 octets without splitting a UTF-8 sequence, with CRLF', () => {
    const card = parseVCards(fixture('cardinal/persian-arabic-emoji.vcf')).cards[2]!.card;
    const out = serializeVCard(card);
    expect(out.endsWith('END:VCARD\r\n')).toBe(true);
    for (const line of out.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(out).not.toMatch(/[^\r]\n/);
    expect(toContact(parseVCard(out)).note).toBe(toContact(card).note);
  });

  it('never splits a surrogate pair or a multi-octet character at the fold', () => {
    for (let pad = 0; pad < 8; pad++) {
      const line = `NOTE:${'x'.repeat(pad)}${'🦊é中'.repeat(30)}`;
      const folded = foldLine(line);
      for (const part of folded.split('\r\n')) {
        expect(octets(part)).toBeLessThanOrEqual(75);
        expect(part).not.toMatch(/[\ud800-\udbff]$/);
      }
      expect(folded.replace(/\r\n /g, '')).toBe(line);
    }
  });
});

describe('bad input', () => {
  it('names the line of a card that cannot be read and keeps the good cards', () => {
    const text = 'BEGIN:VCARD\nVERSION:3.0\nFN:Good one\nEND:VCARD\nBEGIN:VCARD\n:no name here\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Good two\nEND:VCARD\nBEGIN:VCARD\nFN:cut off\n';
    const { cards, errors } = parseVCards(text);
    expect(cards.map((c) => toContact(c.card).formattedName)).toEqual(['Good one', 'Good two']);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'bad-line', line: 6 }),
      expect.objectContaining({ code: 'missing-end', line: 12 }),
    ]);
  });

  it('throws a typed error naming the line when one card was expected', () => {
    expect(() => parseVCard('FN:no card\n')).toThrow(VCardError);
    try {
      parseVCard('BEGIN:VCARD\nVERSION:3.0\nFN:x\n');
    } catch (e) {
      expect(e).toMatchObject({ code: 'missing-end', line: 1 });
    }
  });

  it('refuses a line over the limit without holding it, and goes on with the next card', () => {
    const huge = `BEGIN:VCARD\nNOTE:${'a'.repeat(200_000)}\nEND:VCARD\nBEGIN:VCARD\nFN:ok\nEND:VCARD\n`;
    const { cards, errors } = parseVCards(huge, { maxLineLength: 10_000 });
    expect(errors).toEqual([expect.objectContaining({ code: 'line-too-long', line: 2 })]);
    expect(cards).toHaveLength(1);
  });

  it('bounds properties per card and cards per file', () => {
    const many = `BEGIN:VCARD\n${'X-A:1\n'.repeat(50)}END:VCARD\n`;
    expect(parseVCards(many, { maxPropertiesPerCard: 10 }).errors[0]?.code).toBe('too-many-properties');
    const cards = 'BEGIN:VCARD\nFN:x\nEND:VCARD\n'.repeat(20);
    const limited = parseVCards(cards, { maxCards: 5 });
    expect(limited.cards).toHaveLength(5);
    expect(limited.errors).toEqual([expect.objectContaining({ code: 'too-many-cards' })]);
  });

  it('finishes quickly on pathological input (unbalanced quotes, endless folds, binary noise)', () => {
    const noise = new Uint8Array(200_000).map((_, i) => (i * 7919) % 256);
    expect(() => parseVCards(noise)).not.toThrow();
    expect(() => parseVCards(`BEGIN:VCARD\nX;P="${'"'.repeat(10_000)}:v\n${' x\n'.repeat(50_000)}END:VCARD\n`)).not.toThrow();
  });
});

describe('a card with more properties than the limit', () => {
  const head = (uid: string, fn: string) => `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:${uid}\r\nFN:${fn}\r\n`;

  it('one NICKNAME line with 10,000 comma values is one property: the card is read, with every nickname', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `nick${i}`);
    const { cards, errors } = parseVCards(`${head('n1', 'Many Names')}NICKNAME:${names.join(',')}\r\nEND:VCARD\r\n`);
    expect(errors).toEqual([]);
    expect(toContact(cards[0]!.card).nicknames).toHaveLength(10_000);
  });

  it('10,000 NICKNAME lines are over the limit: refused as a whole, at the card’s first line and by its name, and the cards around it are read', () => {
    const before = `${head('a', 'Before')}END:VCARD\r\n`; // lines 1–5
    const big = `${head('big', 'Nick Lots')}${'NICKNAME:n\r\n'.repeat(10_000)}END:VCARD\r\n`; // starts at line 6
    const after = `${head('z', 'After')}END:VCARD\r\n`;
    const { cards, errors } = parseVCards(before + big + after);
    expect(cards.map((c) => toContact(c.card).formattedName)).toEqual(['Before', 'After']);
    expect(errors).toEqual([
      {
        code: 'too-many-properties',
        line: 6,
        name: 'Nick Lots',
        limit: 10_000,
        message: 'the card starting at line 6 (“Nick Lots”) has more than 10000 properties; it was not imported',
      },
    ]);
  });

  it('is named by an FN that comes after the limit was reached, and says so without one', () => {
    const late = `BEGIN:VCARD\r\nVERSION:4.0\r\n${'X-A:1\r\n'.repeat(20)}FN:Late Name\r\nEND:VCARD\r\n`;
    expect(parseVCards(late, { maxPropertiesPerCard: 10 }).errors[0]).toMatchObject({ line: 1, name: 'Late Name' });
    const nameless = `BEGIN:VCARD\r\nVERSION:4.0\r\n${'X-A:1\r\n'.repeat(20)}END:VCARD\r\n`;
    const e = parseVCards(nameless, { maxPropertiesPerCard: 10 }).errors[0]!;
    expect(e).toMatchObject({ code: 'too-many-properties', line: 1 });
    expect(e.name).toBeUndefined();
  });
});
