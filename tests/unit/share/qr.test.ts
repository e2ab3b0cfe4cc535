import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrMatrix, qrPayload, qrSvg, QR_MAX_BYTES, QUIET_ZONE } from '../../../shared/share';
import { parseVCard, toContact } from '../../../shared/vcard';

/** The code as RGBA pixels, 4 px a module, with its quiet zone: what a camera would see, for jsQR. */
function pixels(text: string): { data: Uint8ClampedArray; width: number } {
  const m = qrMatrix(text);
  const scale = 4;
  const width = (m.size + 2 * QUIET_ZONE) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (!m.dark(r, c)) continue;
      for (let y = 0; y < scale; y++) {
        for (let x = 0; x < scale; x++) {
          const at = (((r + QUIET_ZONE) * scale + y) * width + (c + QUIET_ZONE) * scale + x) * 4;
          data[at] = data[at + 1] = data[at + 2] = 0;
        }
      }
    }
  }
  return { data, width };
}

function decode(text: string): string {
  const { data, width } = pixels(text);
  const found = jsQR(data, width, width);
  expect(found).not.toBeNull();
  return new TextDecoder().decode(Uint8Array.from(found!.binaryData));
}

const photo = `PHOTO;ENCODING=b;TYPE=JPEG:${'A'.repeat(4000)}`;
const grace = parseVCard(
  [
    'BEGIN:VCARD',
    'VERSION:4.0',
    'UID:urn:uuid:0f6a',
    'FN:Grace Hopper',
    'N:Hopper;Grace;Brewster;Rear Adm.;',
    'ORG:US Navy;Computing',
    'TITLE:Rear Admiral',
    'TEL;TYPE=cell;PREF=1:+1 202 555 0100',
    'TEL;TYPE=work:+1 202 555 0101',
    'EMAIL;TYPE=work:grace@navy.example',
    'item1.EMAIL:grace@home.example',
    'item1.X-ABLabel:Private',
    'ADR;TYPE=work:;;3801 Nebraska Ave NW;Washington;DC;20016;USA',
    'URL:https://example.org/grace',
    photo,
    'NOTE:Wrote the first compiler.',
    'BDAY:19061209',
    'IMPP:xmpp:grace@jabber.example',
    'X-SOCIALPROFILE:https://example.org/@grace',
    'END:VCARD',
    '',
  ].join('\r\n'),
);

describe('sharing a contact as a QR code', () => {
  const payload = qrPayload(grace)!;

  it('carries the name, organisation, phones, e-mails, address and web site as a vCard 3.0', () => {
    const c = toContact(parseVCard(payload.text));
    expect(c).toMatchObject({
      version: '3.0',
      formattedName: 'Grace Hopper',
      name: { family: 'Hopper', given: 'Grace', additional: 'Brewster', prefix: 'Rear Adm.' },
      organization: { name: 'US Navy', units: ['Computing'] },
      title: 'Rear Admiral',
      photo: null,
      note: '',
    });
    expect(c.phones.map((p) => [p.value, p.types, p.pref])).toEqual([
      ['+1 202 555 0100', ['cell'], true],
      ['+1 202 555 0101', ['work'], false],
    ]);
    expect(c.emails.map((e) => e.value)).toEqual(['grace@navy.example', 'grace@home.example']);
    expect(c.addresses[0]).toMatchObject({ street: '3801 Nebraska Ave NW', locality: 'Washington', country: 'USA' });
    expect(c.urls.map((u) => u.value)).toEqual(['https://example.org/grace']);
  });

  it('a contact with no name is named in the code by its number (FN is required in 3.0; it was empty)', () => {
    const q = qrPayload(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:n\r\nTEL:+1 202 555 0100\r\nEND:VCARD\r\n'))!;
    expect(toContact(parseVCard(q.text)).formattedName).toBe('+1 202 555 0100');
    const named = qrPayload(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:m\r\nN:Lovelace;Ada;;;\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n'))!;
    expect(toContact(parseVCard(named.text)).formattedName).toBe('Ada Lovelace');
  });

  it('says what it leaves out', () => {
    expect(payload.dropped).toEqual(['photo', 'note', 'birthday', 'ims', 'labels', 'other-properties']);
    expect(payload.bytes).toBeLessThan(400);
  });

  it('renders a code that a QR decoder reads back as exactly that vCard', () => {
    const image = qrSvg(payload.text, 'QR code: Grace Hopper');
    expect(decode(payload.text)).toBe(payload.text);
    expect(toContact(parseVCard(decode(payload.text))).phones[0]?.value).toBe('+1 202 555 0100');
    expect(image.matrix.size).toBe(image.matrix.version * 4 + 17);
  });

  it('reads back names in any script (UTF-8 in byte mode)', () => {
    const card = parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:مریم میرزاخانی\r\nN:میرزاخانی;مریم;;;\r\nTEL:+98 21 1234 5678\r\nORG:东京大学\r\nEND:VCARD\r\n');
    const p = qrPayload(card)!;
    expect(toContact(parseVCard(decode(p.text)))).toMatchObject({ formattedName: 'مریم میرزاخانی', organization: { name: '东京大学' } });
  });

  it('makes an SVG with no script or style, usable as an <img> data: URL under the strict CSP', () => {
    const image = qrSvg(payload.text, 'QR <code> & "Grace"');
    expect(image.svg).not.toMatch(/<script|style=|<style|on\w+=/i);
    expect(image.svg).toContain('<title>QR &lt;code&gt; &amp; "Grace"</title>');
    expect(image.dataUrl.startsWith('data:image/svg+xml;charset=utf-8,%3Csvg')).toBe(true);
    expect(decodeURIComponent(image.dataUrl.slice(image.dataUrl.indexOf(',') + 1))).toBe(image.svg);
  });

  it('drops the least needed items when a contact has too much to scan, and says which', () => {
    const lines = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Busy Person', 'N:Person;Busy;;;'];
    for (let i = 0; i < 6; i++) lines.push(`ADR;TYPE=work:;;${i} Long Street Name Avenue Building ${'x'.repeat(60)};Springfield;ST;12345;Country`);
    for (let i = 0; i < 4; i++) lines.push(`URL:https://example.org/${'p'.repeat(60)}/${i}`);
    for (let i = 0; i < 5; i++) lines.push(`TEL:+1 555 010${i}`);
    const p = qrPayload(parseVCard([...lines, 'END:VCARD', ''].join('\r\n')))!;
    expect(p.bytes).toBeLessThanOrEqual(QR_MAX_BYTES);
    expect(p.dropped).toEqual(['some-addresses']);
    const c = toContact(parseVCard(p.text));
    expect([c.addresses.length, c.urls.length, c.phones.length]).toEqual([1, 4, 5]);
    expect(decode(p.text)).toBe(p.text);
  });

  it('gives nothing when even the name does not fit', () => {
    expect(qrPayload(parseVCard(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${'N'.repeat(2000)}\r\nEND:VCARD\r\n`))).toBeNull();
  });
});
