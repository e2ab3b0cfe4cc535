/**
 * Inline photos checked before they are exported. A photo whose base64 cannot be decoded (stray
 * characters, a cut-off end) is left out of the file, and the export summary names the contacts:
 * passing it on would hand every app that reads the file a photo it cannot show, under a name
 * that says the card is fine. What a strict reader trips over but is plainly the same data is
 * repaired: whitespace, the URL-safe alphabet (`-_`), missing `=` padding. Photos given as a link
 * or as a non-base64 `data:` URI are not ours to judge and stay as they are.
 */
import { hasParam, parseVCard, serializeVCard, unescapeText, versionOf, type VCard, type VProperty } from '../vcard';

const DATA_BASE64 = /^(data:[^,]*;base64,)(.*)$/is;
const ALPHABET = /^[A-Za-z0-9+/]*$/;

/** The base64 text a payload stands for, repaired; null when it does not decode to any bytes. */
export function repairedBase64(payload: string): string | null {
  let b = payload.replace(/\s+/g, '');
  if (/[-_]/.test(b) && !/[+/]/.test(b)) b = b.replace(/-/g, '+').replace(/_/g, '/');
  b = b.replace(/=+$/, '');
  if (b.length === 0 || b.length % 4 === 1 || !ALPHABET.test(b)) return null;
  return b + '='.repeat((4 - (b.length % 4)) % 4);
}

type Checked = { kind: 'kept' } | { kind: 'repaired'; prop: VProperty } | { kind: 'broken' };

function checkPhoto(p: VProperty, card: VCard): Checked {
  let value = p.value.replace(/\s+/g, '');
  if (value.indexOf('\\') >= 0) value = unescapeText(value, versionOf(card));
  const data = DATA_BASE64.exec(value);
  const inline = data === null && (hasParam(p, 'ENCODING', 'B') || hasParam(p, 'ENCODING', 'BASE64'));
  if (data === null && !inline) return { kind: 'kept' };
  const payload = data === null ? value : data[2]!;
  const fixed = repairedBase64(payload);
  if (fixed === null) return { kind: 'broken' };
  if (fixed === payload) return { kind: 'kept' }; // whitespace and escapes decode the same
  return { kind: 'repaired', prop: { ...p, value: data === null ? fixed : `${data[1]}${fixed}` } };
}

export interface CheckedPhotos {
  /** The card's text: the same string when nothing needed doing. */
  readonly vcard: string;
  /** Photos left out because they do not decode. */
  readonly dropped: number;
}

/** A stored card with its inline photos checked: the broken ones left out, the rest repaired where needed. */
export function checkPhotos(vcard: string): CheckedPhotos {
  if (!/PHOTO/i.test(vcard)) return { vcard, dropped: 0 };
  const card = parseVCard(vcard);
  let dropped = 0;
  let changed = false;
  const properties: VProperty[] = [];
  for (const p of card.properties) {
    if (p.name.toUpperCase() !== 'PHOTO') {
      properties.push(p);
      continue;
    }
    const c = checkPhoto(p, card);
    if (c.kind === 'kept') properties.push(p);
    else if (c.kind === 'repaired') {
      properties.push(c.prop);
      changed = true;
    } else {
      dropped++;
      changed = true;
    }
  }
  return changed ? { vcard: serializeVCard({ properties }), dropped } : { vcard, dropped: 0 };
}
