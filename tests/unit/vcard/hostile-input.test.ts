/**
 * The defects the fuzz harness (tests/fuzz) found in the vCard core, one scenario each (issue 16).
 * The slow paths among them (quadratic soft breaks, CATEGORIES, merge, applyEdit, legacy lines,
 * nested XML declarations) are shown by `npm run bench -- vcard`'s complexity rows, never timed here.
 */
import { describe, expect, it } from 'vitest';
import { deriveListFields } from '../../../shared/book/derive';
import {
  applyEdit,
  displayName,
  parseVCard,
  parseVCards,
  serializeVCard,
  serializeVCards,
  toContact,
  toServerVCard3,
  type VCard,
} from '../../../shared/vcard';
import { decodeQuotedPrintable } from '../../../shared/vcard/escape';
import { importCards } from '../../../renderer/src/workers/import-cards';
import { importedCard } from '../../../renderer/src/workers/imported-cards';
import { fixture } from './fixtures';

const card = (...lines: string[]) => `BEGIN:VCARD\r\n${lines.join('\r\n')}\r\nEND:VCARD\r\n`;
const again = (c: VCard) => parseVCard(serializeVCard(c));
const utf16 = (text: string, le: boolean): Uint8Array => {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2 + (le ? 0 : 1)] = text.charCodeAt(i) & 0xff;
    out[i * 2 + (le ? 1 : 0)] = text.charCodeAt(i) >> 8;
  }
  return out;
};

describe('huge lists', () => {
  it('reads NICKNAME with 130,000 comma-separated values without a RangeError', () => {
    const c = toContact(parseVCard(card('VERSION:3.0', `NICKNAME:${Array.from({ length: 130_000 }, (_, i) => `n${i}`).join(',')}`)));
    expect(c.nicknames).toHaveLength(130_000);
    expect(c.nicknames[129_999]).toBe('n129999');
  });

  it('reads a PREF list of 130,000 values without a RangeError', () => {
    const c = toContact(parseVCard(card('VERSION:4.0', `EMAIL;PREF=${Array.from({ length: 130_000 }, () => '1').join(',')}:a@example.org`)));
    expect(c.emails[0]).toMatchObject({ value: 'a@example.org', pref: true });
  });

  it('imports the other cards of a file when one card cannot be read, and names its line', () => {
    const text = card('VERSION:3.0', 'FN:One') + card('VERSION:3.0', 'FN:Two') + card('VERSION:3.0', 'FN:Three');
    let n = 0;
    const result = importCards(new TextEncoder().encode(text), (c, line) => {
      n++;
      if (n === 2) throw new RangeError('Maximum call stack size exceeded');
      return importedCard(c, line);
    });
    expect(result.cards.map((c) => c.fields.displayName)).toEqual(['One', 'Three']);
    expect(result.errors).toEqual([expect.objectContaining({ line: 5, message: expect.stringContaining('Maximum call stack size exceeded') })]);
  });
});

describe('a property with a huge number of parameters', () => {
  // The fuzz run's slowest inputs: `EMAIL;TYPE=` then 10⁵–10⁶ `;` (one object per empty parameter,
  // read, viewed and written again: 112–404 ms of CPU a card under 1 MB).
  it('refuses the card by its line with a typed error, and keeps the cards around it', () => {
    const text = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Before\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many\r\nEMAIL;TYPE=${';'.repeat(200_000)}:a@example.org\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:After\r\nEND:VCARD\r\n`;
    const r = parseVCards(text);
    expect(r.cards.map((c) => c.card.properties.find((p) => p.name === 'FN')?.value)).toEqual(['Before', 'After']);
    expect(r.errors).toMatchObject([{ code: 'too-many-parameters', line: 8 }]);
  });

  it('reads a property at the limit, its empty parameters kept as written', () => {
    const head = ';'.repeat(999);
    const r = parseVCards(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Edge\r\nEMAIL${head}:a@example.org\r\nEND:VCARD\r\n`);
    expect(r.errors).toEqual([]);
    expect(r.cards[0]!.card.properties.find((p) => p.name === 'EMAIL')!.params).toHaveLength(999);
  });
});

describe('the list fields of a card of huge lists', () => {
  it('gives each of 300,000 nicknames its own search segment and detail, in order, between the name and the groups', () => {
    const nicks = Array.from({ length: 300_000 }, (_, i) => `Nick${i % 7 === 0 ? ' ' : ''}${i}`);
    const note = `Note ${'x'.repeat(300)}`;
    const c = parseVCard(card('VERSION:3.0', 'FN:Ada Lovelace', `NICKNAME:${nicks.join(',')}, ,Last`, 'CATEGORIES:Team A,Team B', `NOTE:${note}`));
    const fields = deriveListFields(c);
    const all = [...nicks, 'Last'];
    expect(fields.search).toBe(`\u0001ada lovelace${all.map((n) => `\u0002${n.toLowerCase()}`).join('')}\u0007team a\u0007team b\u000f${note.toLowerCase()}`);
    expect(fields.details).toBe(`${all.map((n) => `\u0002${n}`).join('')}\u0007Team A\u0007Team B\u000f${note.slice(0, 200)}`);
  });

  it('gives each of 300,000 plain nicknames and 1,000 groups their own segments, as it does a few', () => {
    const nicks = Array.from({ length: 300_000 }, (_, i) => `Nick${i}`);
    const groups = Array.from({ length: 1_000 }, (_, i) => (i === 500 ? 'Zoë Group' : `Group ${i}`));
    const fields = deriveListFields(parseVCard(card('VERSION:3.0', 'FN:Ada', `NICKNAME:${nicks.join(',')}`, `CATEGORIES:${groups.join(',')}`)));
    expect(fields.search).toBe(`\u0001ada${nicks.map((n) => `\u0002${n.toLowerCase()}`).join('')}${groups.map((g) => `\u0007${g === 'Zoë Group' ? 'zoe group' : g.toLowerCase()}`).join('')}`);
    expect(fields.details).toBe(`${nicks.map((n) => `\u0002${n}`).join('')}${groups.map((g) => `\u0007${g}`).join('')}`);
  });
});

describe('an empty BEGIN or END value and a stray line', () => {
  it('never makes a card marker of BEGIN: and VCARD split by a lone CR, so the card reads back as one card', () => {
    const text = 'BEGIN:VCARD\nVERSION:2.1\nN:parent\nBEGIN:\rVCARD\nVERSION:2.1\nN:nested\nEND:VCARD\n';
    const parsed = parseVCards(text);
    expect(parsed.cards).toHaveLength(1);
    const c = parsed.cards[0]!.card;
    const back = parseVCards(serializeVCard(c));
    expect(back.errors).toEqual([]);
    expect(back.cards.map((x) => x.card.properties)).toEqual([c.properties]);
    expect(c.properties.find((p) => p.name === 'BEGIN')!.value).toBe('\\nVCARD');
  });
});

describe('a value of many joined lines', () => {
  it('keeps every code unit of 200,000 stray lines: a leading U+FEFF, pairs and lone surrogates', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => ['\ufeffbom', 'pair 😀', 'lone \ud800', 'low \udc00 end', 'plain'][i % 5]!);
    const c = parseVCard(card('VERSION:2.1', 'FN:X', 'NOTE:start', lines.join('\r\n')));
    expect(c.properties.find((p) => p.name === 'NOTE')!.value).toBe(['start', ...lines].join('\\n'));
  });
});

describe('quoted-printable soft breaks and card markers', () => {
  it('keeps the card when a quoted-printable value ends in = right before END:VCARD', () => {
    const r = parseVCards(card('VERSION:2.1', 'FN:Ann', 'NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9=') + card('VERSION:2.1', 'FN:Bob'));
    expect(r.errors).toEqual([]);
    expect(r.cards.map((c) => toContact(c.card).formattedName)).toEqual(['Ann', 'Bob']);
    expect(toContact(r.cards[0]!.card).note).toBe('café');
  });

  it('never joins BEGIN:VCARD to a soft break above it', () => {
    const r = parseVCards('BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;QUOTED-PRINTABLE:a=\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Inner\r\nEND:VCARD\r\nEND:VCARD\r\n');
    expect(r.cards).toHaveLength(2);
    const [inner, outer] = r.cards.map((c) => toContact(c.card));
    expect(inner!.formattedName).toBe('Inner');
    expect(outer!.note).toBe('a');
  });
});

describe('non-ASCII text inside a quoted-printable value', () => {
  it('keeps each character as UTF-8, as TextEncoder writes it: pairs, lone surrogates as U+FFFD, a high surrogate taking the unit after it', () => {
    const raw = 'é张😀\udc00x\ud800=41=41\ud800';
    expect([...decodeQuotedPrintable(raw)]).toEqual([
      ...new TextEncoder().encode('é张😀\ufffd'), // é, 张, 😀, then a lone low surrogate
      0x78, // x
      ...new TextEncoder().encode('\ufffd='), // a high surrogate and the = it takes with it
      0x34, 0x31, // so 41 is text
      0x41, // =41
      ...new TextEncoder().encode('\ufffd'), // a high surrogate at the end
    ]);
  });

  it('reads 280,000 such characters in a NOTE (a misread UTF-16 file)', () => {
    const text = '乏呅㭅'.repeat(93_000);
    const c = parseVCard(card('VERSION:2.1', `NOTE;ENCODING=QUOTED-PRINTABLE:${text}`));
    expect(toContact(c).note).toBe(text);
  });
});

describe('UTF-16 without a byte-order mark', () => {
  const text = card('VERSION:3.0', 'FN:Zoë Ünal', 'N:Ünal;Zoë;;;');
  it.each([
    ['little-endian', true],
    ['big-endian', false],
  ])('reads %s UTF-16 with no BOM', (_name, le) => {
    const r = parseVCards(utf16(text, le));
    expect(r.errors).toEqual([]);
    expect(r.cards.map((c) => toContact(c.card).formattedName)).toEqual(['Zoë Ünal']);
  });
});

describe('photo URIs', () => {
  it('does not double the data: prefix when an inline photo already is a data: URI', () => {
    const c = toContact(parseVCard(card('VERSION:3.0', 'FN:x', 'PHOTO;ENCODING=b;TYPE=png:data:image/png;base64,iVBORw0KGgo=')));
    expect(c.photo?.uri).toBe('data:image/png;base64,iVBORw0KGgo=');
  });

  it('unescapes a vCard 4.0 data: URI written with \\; and \\,', () => {
    const c = toContact(parseVCard(card('VERSION:4.0', 'FN:x', 'PHOTO:data:image/jpeg\\;base64\\,/9j/4AAQ')));
    expect(c.photo?.uri).toBe('data:image/jpeg;base64,/9j/4AAQ');
  });
});

describe('stray lines (no colon) joined to the value above', () => {
  it('joins a stray line in vCard 2.1 as a line break, not a literal \\n', () => {
    const c = toContact(parseVCard(card('VERSION:2.1', 'FN:x', 'NOTE:first', 'second line')));
    expect(c.note).toBe('first\nsecond line');
  });

  it('joins a stray line in a quoted-printable value as a line break', () => {
    const c = toContact(parseVCard(card('VERSION:2.1', 'FN:x', 'NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9', 'second')));
    expect(c.note).toBe('café\nsecond');
  });

  it('gives an empty value the stray line as it is (the family name is not "\\n")', () => {
    const c = toContact(parseVCard(card('VERSION:2.1', 'FN:x', 'N:', 'Doe;John;;;')));
    expect(c.name).toMatchObject({ family: 'Doe', given: 'John' });
  });
});

describe('a line without a colon after a property that holds no line break, and a nested card', () => {
  const enc = (text: string) => new TextEncoder().encode(text);
  // The stranger's card: a broken FN line, then a card nested in it.
  const broken = [
    'BEGIN:VCARD', 'VERSION:3.0', 'N:;;;;', 'FN Broken no colon', 'EMAIL:bea@example.org',
    'BEGIN:VCARD', 'VERSION:3.0', 'FN:Nested Person', 'END:VCARD',
    'END:VCARD', '',
  ].join('\r\n');

  it('leaves the line out of the name (no "\\nFN Broken no colon" as the family name), imports the nested card as its own, and says so', () => {
    const r = importCards(enc(broken));
    expect(r.cards.map((c) => c.fields.displayName).sort()).toEqual(['Nested Person', 'bea@example.org']);
    const outer = r.cards.find((c) => c.line === 1)!;
    expect(outer.vcard).not.toContain('Broken');
    expect(toContact(parseVCard(outer.vcard)).name.suffix).toBe('');
    expect(r.stray).toEqual({ cards: 1, lines: [{ line: 4, repair: 'left-out', text: 'FN Broken no colon' }], more: 0 });
    expect(r.errors).toEqual([]);
  });

  it.each([
    ['VERSION', 'VERSION:3.0'],
    ['UID', 'UID:u1'],
    ['FN', 'FN:Ann Lee'],
    ['a number', 'TEL:+1 202 555 0100'],
  ])('does not join it to %s', (_, line) => {
    const c = parseVCards(card('VERSION:3.0', 'FN:Ann Lee', line, 'garbage here')).cards[0]!;
    expect(serializeVCard(c.card)).not.toContain('garbage');
    expect(c.warnings).toEqual([expect.objectContaining({ code: 'bad-line', line: 5, repair: 'left-out', text: 'garbage here' })]);
  });

  it('still joins it to a note (a writer that forgot to fold), and says it was joined', () => {
    const c = parseVCards(card('VERSION:3.0', 'FN:Ann Lee', 'NOTE:first', 'second')).cards[0]!;
    expect(toContact(c.card).note).toBe('first\nsecond');
    expect(c.warnings).toEqual([expect.objectContaining({ line: 5, repair: 'joined', text: 'second' })]);
  });

  it('reads a card nested right after an empty FN as a card of its own, not as the FN’s value', () => {
    const r = importCards(enc(card('VERSION:3.0', 'N:Lee;Ann;;;', 'FN:', 'BEGIN:VCARD', 'VERSION:3.0', 'FN:Inner', 'END:VCARD')));
    expect(r.cards.map((c) => c.fields.displayName).sort()).toEqual(['Ann Lee', 'Inner']);
  });

  it('a card left with nothing once its broken lines are out is not imported, and is said by its line', () => {
    const r = importCards(enc(['BEGIN:VCARD', 'VERSION:3.0', 'FN Broken no colon', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:3.0', 'FN:Ann', 'END:VCARD', ''].join('\r\n')));
    expect(r.cards.map((c) => c.fields.displayName)).toEqual(['Ann']);
    expect(r.errors).toEqual([expect.objectContaining({ code: 'nothing-left', line: 1 })]);
  });

  it('lists the first 20 such lines of a file and counts the rest', () => {
    const notes = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const r = importCards(enc(card('VERSION:3.0', 'FN:Ann', 'NOTE:start', ...notes)));
    expect(r.stray).toMatchObject({ cards: 1, more: 10 });
    expect(r.stray!.lines).toHaveLength(20);
    expect(toContact(parseVCard(r.cards[0]!.vcard)).note.split('\n')).toHaveLength(31);
  });
});

describe('round trips of malformed input', () => {
  it('writes a quoted-printable value ending in a soft break, with a quoted colon in its head, so the next line stays its own', () => {
    const c = parseVCard(card('VERSION:2.1', 'NOTE;X-A="a:b";ENCODING=QUOTED-PRINTABLE:abc=', '', 'TEL:123'));
    expect(c.properties.map((p) => p.name)).toEqual(['VERSION', 'NOTE', 'TEL']);
    expect(again(c)).toEqual(c);
  });

  it('keeps a whitespace-only bare parameter through a round trip', () => {
    const c = parseVCard(card('VERSION:2.1', 'TEL;  ;HOME:123'));
    expect(again(c)).toEqual(c);
  });

  it('keeps an empty parameter: TEL;;HOME is written back as read', () => {
    const c = parseVCard(card('VERSION:2.1', 'TEL;;HOME:123'));
    expect(serializeVCard(c)).toContain('TEL;;HOME:123\r\n');
    expect(again(c)).toEqual(c);
  });

  it('refuses a card whose joined value passes the line limit, rather than accept what cannot be read back', () => {
    const limits = { maxLineLength: 60 };
    const r = parseVCards(card('VERSION:2.1', `NOTE:${'a'.repeat(40)}`, 'b'.repeat(40)), limits);
    expect(r.errors).toEqual([expect.objectContaining({ code: 'line-too-long' })]);
    for (const c of r.cards) expect(parseVCards(serializeVCards([c.card]), limits).errors).toEqual([]);
  });

  it('records quoting per value: X-A="a",b is written back as read', () => {
    const c = parseVCard(card('VERSION:3.0', 'EMAIL;X-A="a",b:x@example.org'));
    expect(serializeVCard(c)).toContain('EMAIL;X-A="a",b:x@example.org\r\n');
    expect(again(c)).toEqual(c);
  });

  it('reads a line whose only colons are inside quotes as a content line, so a joined value never changes what the line above is', () => {
    const c = parseVCard(card('VERSION:2.1', 'UID;X-P=\\,n":;', '\u0000;" '));
    expect(again(c)).toEqual(c);
  });
});

describe('CJK names without FN', () => {
  const cjk = card('VERSION:3.0', 'N:张;三;;;');
  it('shows 张三, family name first, in the view, the list and the FN uploaded to Google', () => {
    const c = parseVCard(cjk);
    expect(displayName(toContact(c))).toBe('张三');
    expect(deriveListFields(c).displayName).toBe('张三');
    expect(toServerVCard3(cjk)).toContain('\r\nFN:张三\r\n');
  });
});

describe("vCard 2.1 backslash escapes, as real exporters write them", () => {
  it("reads Android's \\n in a 2.1 ADR as a line break", () => {
    const { cards } = parseVCards(fixture('cozy__cozy-vcard/test__android-full.vcf'));
    const streets = cards.flatMap((c) => toContact(c.card).addresses.map((a) => a.street));
    expect(streets).toContain('678 Plain Home Address\nAll one field 354\nBridgeport CT 06');
  });

  it("reads \\, in a 2.1 quoted-printable LABEL as a comma", () => {
    const { cards } = parseVCards(fixture('stalwartlabs__calcard/resources__vcard__001.vcf'));
    const label = cards[0]!.card.properties.find((p) => p.name === 'LABEL')!;
    const c = toContact({ properties: [{ group: null, name: 'VERSION', params: [], value: '2.1' }, { ...label, name: 'NOTE' }] });
    expect(c.note).toContain('Baytown, LA 30314');
    expect(c.note).not.toContain('\\,');
  });

  it("reads Android's own 2.1 backslash test card as Android does", () => {
    const c = toContact(parseVCards(fixture('CyanogenMod__android_frameworks_opt_vcard/tests__res__raw__v21_backslash.vcf')).cards[0]!.card);
    expect(c.name).toEqual({ family: '', given: 'A;B\\', additional: 'C\\;', prefix: 'D', suffix: ':E' });
  });

  it('writes a 2.1 text with a backslash, a comma and a line break so it reads back the same', () => {
    const c = parseVCard(card('VERSION:2.1', 'FN:x'));
    const before = toContact(c);
    const edited = applyEdit(c, before, { ...before, note: 'C:\\new, folder\nline two', nicknames: ['a,b', 'c'] });
    expect(toContact(again(edited))).toMatchObject({ note: 'C:\\new, folder\nline two', nicknames: ['a,b', 'c'] });
  });

  it('writes an edited 2.1 address as an address (not its parts joined by line breaks)', () => {
    const c = parseVCard(card('VERSION:2.1', 'FN:x', 'ADR;HOME:;;1 Main St;Town;;12345;Land'));
    const before = toContact(c);
    const after = { ...before, addresses: [{ ...before.addresses[0]!, street: '2 Main St' }] };
    expect(toContact(again(applyEdit(c, before, after))).addresses[0]).toMatchObject({ street: '2 Main St', locality: 'Town', postalCode: '12345', country: 'Land' });
  });
});

describe('a quoted-printable line joined to a value that is not', () => {
  it('keeps no raw CRLF from its soft breaks, so the card reads back the same', () => {
    const c = parseVCard(card('VERSION:2.1', 'NOTE:x', 'LA\u0000BEL;ENCODING=QUOTED-PRINTABLE:42 Plantation St.=0D=0A=', 'Baytown'));
    expect(c.properties[1]!.value).not.toContain('\r');
    expect(again(c)).toEqual(c);
  });
});

describe('a long quoted-printable line ending in a soft break', () => {
  it('is written with its blank line even when folding cuts its head, so the next property stays its own', () => {
    const c = parseVCard(card('VERSION:2.1', `NOTE;X-P=${'x'.repeat(51)};ENCODING=QUOTED-PRINTABLE:abc=`, '', 'FN:Ann'));
    expect(c.properties.map((p) => p.name)).toEqual(['VERSION', 'NOTE', 'FN']);
    expect(again(c)).toEqual(c);
  });
});
