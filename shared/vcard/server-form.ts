/**
 * Shaping a card for a server that accepts less than the standards allow, and keeping what such a
 * server drops. Google's CardDAV takes vCard 3.0 only, rejects a card with neither FN nor N, and
 * ignores CATEGORIES; Cardinal sends what Google takes and keeps the rest on this computer.
 */
import { toContact, displayName, versionOf } from './contact';
import { escapeText, splitEscaped } from './escape';
import { parseVCard } from './parse';
import { serializeVCard } from './serialize';
import type { VCard, VParam, VProperty } from './types';

const upper = (p: VProperty) => p.name.toUpperCase();

/** vCard 4.0 parameters and values in their 3.0 spelling (RFC 6350 Appendix A, in reverse). */
function paramsTo3(params: readonly VParam[]): VParam[] {
  const out: VParam[] = [];
  let pref = false;
  for (const p of params) {
    const name = p.name?.toUpperCase();
    if (name === 'PREF') pref = true;
    else if (name === 'VALUE' && p.values.some((v) => v.toLowerCase() === 'uri' || v.toLowerCase() === 'text')) continue;
    else if (name === 'MEDIATYPE' || name === 'CALSCALE' || name === 'SORT-AS' || name === 'ALTID' || name === 'PID' || name === 'LABEL') continue;
    else out.push(p);
  }
  if (pref) out.push({ name: 'TYPE', values: ['pref'] });
  return out;
}

function propertyTo3(p: VProperty): VProperty | null {
  const name = upper(p);
  if (name === 'KIND' || name === 'GENDER' || name === 'CLIENTPIDMAP' || name === 'XML' || name === 'LANG') return null;
  const params = paramsTo3(p.params);
  if (name === 'TEL' && /^tel:/i.test(p.value)) return { ...p, params, value: p.value.replace(/^tel:/i, '') };
  if ((name === 'PHOTO' || name === 'LOGO') && /^data:/i.test(p.value)) {
    const m = /^data:([^;,]+)?(;base64)?,(.*)$/is.exec(p.value);
    if (m !== null && m[2] !== undefined) {
      const type = (m[1] ?? 'image/jpeg').replace(/^image\//i, '').toUpperCase();
      return { ...p, params: [...params, { name: 'ENCODING', values: ['b'] }, { name: 'TYPE', values: [type] }], value: m[3]! };
    }
  }
  if ((name === 'PHOTO' || name === 'LOGO' || name === 'SOUND' || name === 'KEY') && /^[a-z][a-z0-9+.-]*:/i.test(p.value)) {
    return { ...p, params: [...params, { name: 'VALUE', values: ['uri'] }] };
  }
  return { ...p, params };
}

/**
 * The card as Google's CardDAV will take it: vCard 3.0, with FN and N both present (each made from
 * the other, or from the organisation, e-mail or phone, when missing). Everything else stays.
 */
export function toServerVCard3(text: string): string {
  const card = parseVCard(text);
  const version = versionOf(card);
  let props: VProperty[] = version === '4.0' ? card.properties.flatMap((p) => propertyTo3(p) ?? []) : [...card.properties];
  props = props.map((p) => (upper(p) === 'VERSION' ? { ...p, value: '3.0' } : p));
  if (!props.some((p) => upper(p) === 'VERSION')) props.unshift({ group: null, name: 'VERSION', params: [], value: '3.0' });
  const contact = toContact({ properties: props });
  const fn = props.find((p) => upper(p) === 'FN');
  const shown = displayName(contact);
  if (fn === undefined || fn.value.trim() === '') {
    const value = escapeText(shown === '' ? 'Unnamed' : shown, '3.0');
    props = fn === undefined ? [...props, { group: null, name: 'FN', params: [], value }] : props.map((p) => (p === fn ? { ...p, value } : p));
  }
  const n = props.find((p) => upper(p) === 'N');
  const nEmpty = n === undefined || splitEscaped(n.value, ';').every((s) => s.trim() === '');
  if (nEmpty && contact.organization.name === '') {
    // Family name last word, given names the rest: the common Western reading, editable later.
    const words = (shown === '' ? 'Unnamed' : shown).split(/\s+/).filter((w) => w !== '');
    const family = words.length > 1 ? words[words.length - 1]! : '';
    const given = words.length > 1 ? words.slice(0, -1).join(' ') : (words[0] ?? '');
    const value = `${escapeText(family, '3.0', true)};${escapeText(given, '3.0', true)};;;`;
    props = n === undefined ? [...props, { group: null, name: 'N', params: [], value }] : props.map((p) => (p === n ? { ...p, value } : p));
  } else if (n === undefined) {
    props = [...props, { group: null, name: 'N', params: [], value: ';;;;' }];
  }
  return serializeVCard({ properties: props });
}

/**
 * The server's copy with the properties it does not store (`names`) put back from ours: what the
 * user wrote stays on this computer even though the server dropped it. Properties the server
 * does have are the server's.
 */
export function keepLocalOnly(serverText: string, localText: string, names: readonly string[]): string {
  if (names.length === 0) return serverText;
  let server: VCard;
  let local: VCard;
  try {
    server = parseVCard(serverText);
    local = parseVCard(localText);
  } catch {
    return serverText;
  }
  const wanted = new Set(names.map((n) => n.toUpperCase()));
  const missing = [...wanted].filter((n) => !server.properties.some((p) => upper(p) === n));
  const add = local.properties.filter((p) => missing.includes(upper(p)));
  if (add.length === 0) return serverText;
  return serializeVCard({ properties: [...server.properties, ...add] });
}
