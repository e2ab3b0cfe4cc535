/**
 * Moving a property into a card of another vCard version, meaning kept: a 2.1 card's
 * quoted-printable note, bare `TEL;HOME;VOICE` types and literal backslashes become 3.0's
 * escapes and `TYPE=` lists; 3.0's `TYPE=pref` becomes 4.0's `PREF=1`; inline photos become
 * `data:` URIs in 4.0 and `ENCODING=b` in 3.0. The core writes values with these same rules
 * (`escapeText`, `encodeQuotedPrintable`, `photoProperty`); this only chooses which to apply.
 */
import {
  encodeQuotedPrintable,
  escapeText,
  isAscii,
  listValue,
  paramValues,
  photoProperty,
  structuredValue,
  textValue,
  transferDecoded,
  type VCardVersion,
  type VParam,
  type VProperty,
} from '../../vcard';

const STRUCTURED = new Set(['N', 'ADR', 'ORG', 'GENDER', 'CLIENTPIDMAP']);
const LISTS = new Set(['CATEGORIES', 'NICKNAME']);
/** Properties the core reads as one text value; anything else keeps its separators as written. */
const TEXT = new Set([
  'FN', 'NOTE', 'TITLE', 'ROLE', 'EMAIL', 'TEL', 'URL', 'LABEL', 'IMPP', 'RELATED', 'BDAY', 'ANNIVERSARY', 'TZ', 'GEO', 'KIND',
  'UID', 'PRODID', 'REV', 'SORT-STRING', 'MAILER', 'LANG', 'SOURCE', 'NAME', 'FBURL', 'CALURI', 'CALADRURI', 'MEMBER',
  'X-ABLABEL', 'X-ABRELATEDNAMES', 'X-ABDATE', 'X-ANNIVERSARY', 'X-PHONETIC-FIRST-NAME', 'X-PHONETIC-MIDDLE-NAME',
  'X-PHONETIC-LAST-NAME', 'X-AIM', 'X-ICQ', 'X-JABBER', 'X-MSN', 'X-YAHOO', 'X-SKYPE', 'X-SKYPE-USERNAME', 'X-QQ', 'X-GTALK',
  'X-GOOGLE-TALK', 'X-GADUGADU', 'X-SIP', 'X-MS-IMADDRESS',
]);
const TRANSFER_BARE = /^(QUOTED-PRINTABLE|BASE64|8BIT|7BIT|B)$/i;
const BINARY = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);

/** A text written for a version: 2.1 wants CHARSET for non-ASCII and quoted-printable for newlines. */
export function encodedFor(escaped: string, version: VCardVersion): { value: string; params: VParam[] } {
  if (version !== '2.1') return { value: escaped, params: [] };
  if (/[\r\n]/.test(escaped)) {
    return {
      value: encodeQuotedPrintable(escaped),
      params: [
        { name: 'CHARSET', values: ['UTF-8'] },
        { name: 'ENCODING', values: ['QUOTED-PRINTABLE'] },
      ],
    };
  }
  return { value: escaped, params: isAscii(escaped) ? [] : [{ name: 'CHARSET', values: ['UTF-8'] }] };
}

/** A property's parameters without its transfer encoding (ENCODING, CHARSET, bare QUOTED-PRINTABLE). */
export function withoutTransfer(params: readonly VParam[]): VParam[] {
  return params.filter((p) => (p.name === null ? !TRANSFER_BARE.test(p.values[0] ?? '') : !/^(ENCODING|CHARSET)$/i.test(p.name)));
}

/** The property with a new text (already escaped for `version`), transfer parameters redone. */
export function withEscapedValue(prop: VProperty, escaped: string, version: VCardVersion): VProperty {
  const enc = encodedFor(escaped, version);
  return { ...prop, params: [...withoutTransfer(prop.params), ...enc.params], value: enc.value };
}

/**
 * A text value escaped for a version. The core reads 2.1 with the 3.0 escapes (as Android writes
 * them, see shared/vcard/escape.ts), so 2.1 text is escaped alike; its line breaks stay raw and
 * become quoted-printable (encodedFor).
 */
export function escapeTextFor(text: string, version: VCardVersion): string {
  return escapeText(text, version);
}

/**
 * Escapes of an unknown property, re-spelled for another version. 2.1, 3.0 and 4.0 are read with
 * the same escapes; only a raw line break (from a 2.1 quoted-printable value) becomes `\n` in 3.0/4.0.
 */
function respell(raw: string, from: VCardVersion, to: VCardVersion): string {
  if (from !== '2.1' || to === '2.1') return raw;
  return raw.replace(/\r\n|\r|\n/g, '\\n');
}

function escapedValue(prop: VProperty, from: VCardVersion, to: VCardVersion): string {
  const name = prop.name.toUpperCase();
  if (STRUCTURED.has(name)) return structuredValue(prop, from).map((c) => escapeText(c, to, true).replace(/\\,/g, ',')).join(';');
  if (LISTS.has(name)) return listValue(prop, from).map((v) => escapeText(v, to)).join(',');
  if (TEXT.has(name)) return escapeTextFor(textValue(prop, from), to);
  return respell(transferDecoded(prop), from, to);
}

function isPref(v: string): boolean {
  return v.toLowerCase() === 'pref';
}

/** Parameters for another version: bare 2.1 types into TYPE=, pref between TYPE and PREF. */
function convertParams(params: readonly VParam[], to: VCardVersion): VParam[] {
  const out: VParam[] = [];
  const bare: string[] = [];
  let pref = false;
  for (const p of withoutTransfer(params)) {
    const name = p.name?.toUpperCase() ?? null;
    if (name === null && to !== '2.1') bare.push(...p.values);
    else if (name === 'PREF' && to !== '4.0') pref = true;
    else if (name === 'TYPE' && to === '4.0' && p.values.some(isPref)) {
      pref = true;
      const rest = p.values.filter((v) => !isPref(v));
      if (rest.length > 0) out.push({ ...p, values: rest });
    } else out.push(p);
  }
  const types = bare.filter((v) => !(to === '4.0' && isPref(v)));
  if (to === '4.0' && bare.some(isPref)) pref = true;
  if (pref && to !== '4.0') types.push('pref');
  if (types.length > 0) {
    const at = out.findIndex((p) => p.name?.toUpperCase() === 'TYPE');
    if (at >= 0) out[at] = { ...out[at]!, values: [...out[at]!.values, ...types] };
    else out.unshift({ name: 'TYPE', values: types });
  }
  if (pref && to === '4.0' && !out.some((p) => p.name?.toUpperCase() === 'PREF')) out.push({ name: 'PREF', values: ['1'] });
  return out;
}

const MEDIA: Readonly<Record<string, string>> = { PHOTO: 'image', LOGO: 'image', SOUND: 'audio', KEY: 'application' };

/** An inline (base64) photo, logo, sound or key as a data: URI; null for a link or plain text. */
export function inlineUri(prop: VProperty): string | null {
  const value = prop.value.replace(/\s+/g, '');
  if (/^data:[^,]*;base64,/i.test(value)) return value;
  const encoding = paramValues(prop, 'ENCODING')[0] ?? prop.params.find((p) => p.name === null && /^(B|BASE64)$/i.test(p.values[0] ?? ''))?.values[0];
  if (encoding === undefined || !/^(B|BASE64)$/i.test(encoding)) return null;
  const type = (paramValues(prop, 'TYPE')[0] ?? prop.params.find((p) => p.name === null && !TRANSFER_BARE.test(p.values[0] ?? ''))?.values[0] ?? 'jpeg').toLowerCase();
  const mime = type.includes('/') ? type : `${MEDIA[prop.name.toUpperCase()] ?? 'application'}/${type === 'jpg' ? 'jpeg' : type}`;
  return `data:${mime};base64,${value}`;
}

function transcodeInline(prop: VProperty, uri: string, to: VCardVersion): VProperty {
  const made = photoProperty(uri, to);
  const madeNames = new Set(made.params.map((p) => p.name?.toUpperCase()));
  const kept = withoutTransfer(prop.params).filter((p) => p.name !== null && p.name.toUpperCase() !== 'TYPE' && p.name.toUpperCase() !== 'VALUE' && !madeNames.has(p.name.toUpperCase()));
  return { group: prop.group, name: prop.name, params: [...made.params, ...kept], value: made.value };
}

export function transcodeProperty(prop: VProperty, from: VCardVersion, to: VCardVersion): VProperty {
  if (from === to) return prop;
  const inline = BINARY.has(prop.name.toUpperCase()) ? inlineUri(prop) : null;
  if (inline !== null) return transcodeInline(prop, inline, to);
  return withEscapedValue({ ...prop, params: convertParams(prop.params, to) }, escapedValue(prop, from, to), to);
}

export function transcodeProps(props: readonly VProperty[], from: VCardVersion, to: VCardVersion): VProperty[] {
  return props.map((p) => transcodeProperty(p, from, to));
}
