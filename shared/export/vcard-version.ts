/**
 * vCard 3.0 ↔ 4.0 (and 2.1 → either), property by property, for export. What the target version
 * spells differently is rewritten (RFC 6350 Appendix A and its reverse): VERSION; inline photos as
 * `data:` URIs (4.0) or `ENCODING=b;TYPE=` (3.0); `PREF=1` ↔ `TYPE=pref`; ANNIVERSARY ↔
 * X-ANNIVERSARY and GENDER ↔ X-GENDER; KIND/MEMBER ↔ Apple's X-ADDRESSBOOKSERVER-KIND/-MEMBER;
 * RELATED ↔ X-ABRELATEDNAMES; dates in each version's form (year-less `--MMDD`, Apple's
 * omit-year marker resolved); SORT-STRING ↔ N's SORT-AS; LABEL ↔ ADR's LABEL parameter; GEO;
 * `tel:` URIs. 2.1's bare types, quoted-printable and charsets are decoded first. Everything else
 * (unknown and X- properties, groups, X-ABLabel) is kept as it was. A card already in the target
 * version is returned as it is, with only FN (and, for 3.0, N) added when missing.
 */
import {
  displayName,
  escapeText,
  formatDate,
  listValue,
  paramValues,
  parseDate,
  telNumber,
  telUriOf,
  structuredValue,
  textValue,
  toContact,
  typesOf,
  versionOf,
  type VCard,
  type VParam,
  type VProperty,
} from '../vcard';

export type VCardTarget = '3.0' | '4.0';

const up = (p: VProperty) => p.name.toUpperCase();
const named = (p: VParam, name: string) => p.name?.toUpperCase() === name;
const BINARY = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
const STRUCTURED = new Set(['N', 'ADR', 'ORG', 'GENDER']);
const LISTS = new Set(['CATEGORIES', 'NICKNAME']);

/** RFC 6868 parameter escapes: ^n newline, ^' double quote, ^^ caret. */
const encodeParam = (text: string) => text.replace(/\^/g, '^^').replace(/\r\n|\r|\n/g, '^n').replace(/"/g, "^'");
const decodeParam = (text: string) => text.replace(/\^(\^|n|')/g, (_, c: string) => (c === 'n' ? '\n' : c === "'" ? '"' : '^'));

/** A 2.1 property in 3.0 spelling: bare types as TYPE=, quoted-printable and CHARSET decoded, 3.0 escaping. */
function from21(p: VProperty): VProperty {
  const name = up(p);
  const base64 = p.params.some((x) => (x.name === null && /^base64$/i.test(x.values[0] ?? '')) || (named(x, 'ENCODING') && /^(base64|b)$/i.test(x.values[0] ?? '')));
  const types = typesOf(p);
  const kept = p.params.filter((x) => x.name !== null && !named(x, 'TYPE') && !named(x, 'ENCODING') && !named(x, 'CHARSET'));
  const params: VParam[] = [...(types.length > 0 ? [{ name: 'TYPE', values: types }] : []), ...kept, ...(base64 ? [{ name: 'ENCODING', values: ['b'] }] : [])];
  let value: string;
  if (base64) value = p.value.replace(/\s+/g, '');
  else if (STRUCTURED.has(name)) value = structuredValue(p, '2.1').map((c) => escapeText(c, '3.0', true)).join(';');
  else if (LISTS.has(name)) value = listValue(p, '2.1').map((c) => escapeText(c, '3.0')).join(',');
  else if (name === 'AGENT' || name === 'VERSION') value = p.value;
  else value = escapeText(textValue(p, '2.1'), '3.0');
  return { ...p, params, value };
}

const MEDIA: Readonly<Record<string, string>> = { PHOTO: 'image', LOGO: 'image', SOUND: 'audio', KEY: 'application' };

function mediaType(prop: string, type: string | undefined): string {
  const t = (type ?? '').toLowerCase();
  if (t.includes('/')) return t;
  if (prop === 'KEY') return t === 'pgp' ? 'application/pgp-keys' : t === 'x509' ? 'application/pkix-cert' : `application/${t || 'octet-stream'}`;
  return `${MEDIA[prop]}/${t === 'jpg' || t === '' ? 'jpeg' : t}`;
}

function dateValue(p: VProperty, version: VCardTarget | '2.1', to: VCardTarget): { value: string; text: boolean } {
  const d = parseDate(textValue(p, version === '2.1' ? '3.0' : version), paramValues(p, 'X-APPLE-OMIT-YEAR')[0]);
  return { value: formatDate(d, to), text: d.text !== undefined };
}

const GENDER_LETTER: Readonly<Record<string, string>> = { m: 'M', male: 'M', f: 'F', female: 'F', o: 'O', other: 'O', n: 'N', none: 'N', u: 'U', unknown: 'U' };

function prefToType(params: readonly VParam[]): VParam[] {
  const pref = params.some((x) => named(x, 'PREF'));
  const rest = params.filter((x) => !named(x, 'PREF'));
  if (!pref) return rest;
  const typeAt = rest.findIndex((x) => named(x, 'TYPE'));
  if (typeAt < 0) return [...rest, { name: 'TYPE', values: ['pref'] }];
  return rest.map((x, i) => (i === typeAt ? { ...x, values: [...x.values, 'pref'] } : x));
}

function typePrefToPref(params: readonly VParam[]): VParam[] {
  let pref = false;
  const out: VParam[] = [];
  for (const x of params) {
    if (!named(x, 'TYPE')) out.push(x);
    else {
      const values = x.values.flatMap((v) => v.split(',')).filter((v) => (v.toLowerCase() === 'pref' ? ((pref = true), false) : true));
      if (values.length > 0) out.push({ ...x, values });
    }
  }
  return pref ? [...out, { name: 'PREF', values: ['1'] }] : out;
}

/** Parameters 4.0 has and 3.0 does not; dropped on the way down (SORT-AS and LABEL are moved, not dropped). */
const ONLY_4 = new Set(['ALTID', 'PID', 'MEDIATYPE', 'CALSCALE', 'SORT-AS', 'LABEL', 'GEO', 'TZ', 'INDEX', 'LEVEL']);

function to4(p: VProperty, from: '3.0' | '2.1'): VProperty[] {
  const name = up(p);
  let params = typePrefToPref(p.params.filter((x) => !named(x, 'CHARSET')));
  if (BINARY.has(name)) {
    const inline = params.some((x) => named(x, 'ENCODING'));
    params = params.filter((x) => !named(x, 'VALUE'));
    if (inline) {
      const type = paramValues(p, 'TYPE')[0];
      const rest = params.filter((x) => !named(x, 'ENCODING') && !named(x, 'TYPE'));
      return [{ ...p, params: rest, value: `data:${mediaType(name, type)};base64,${p.value.replace(/\s+/g, '')}` }];
    }
    return [{ ...p, params }];
  }
  switch (name) {
    case 'VERSION':
      return [{ ...p, value: '4.0' }];
    case 'NAME':
    case 'PROFILE':
    case 'MAILER':
      return []; // removed in 4.0 (RFC 6350 Appendix A); none carries the contact's data
    case 'BDAY':
    case 'ANNIVERSARY':
    case 'X-ANNIVERSARY': {
      const d = dateValue(p, from, '4.0');
      const kept = params.filter((x) => !named(x, 'X-APPLE-OMIT-YEAR') && !named(x, 'VALUE'));
      return [{ ...p, name: name === 'BDAY' ? p.name : 'ANNIVERSARY', params: d.text ? [...kept, { name: 'VALUE', values: ['text'] }] : kept, value: d.value }];
    }
    case 'X-GENDER': {
      const text = textValue(p, '3.0').trim();
      const letter = GENDER_LETTER[text.toLowerCase()];
      return [{ ...p, name: 'GENDER', params, value: letter ?? `;${escapeText(text, '4.0', true)}` }];
    }
    case 'X-ADDRESSBOOKSERVER-KIND':
      return [{ ...p, name: 'KIND', params, value: p.value.toLowerCase() }];
    case 'X-ADDRESSBOOKSERVER-MEMBER':
      return [{ ...p, name: 'MEMBER', params }];
    case 'X-ABRELATEDNAMES':
      return [{ ...p, name: 'RELATED', params: [...params, { name: 'VALUE', values: ['text'] }] }];
    case 'GEO': {
      const [lat, lon] = p.value.split(';');
      return [{ ...p, params, value: lon === undefined ? p.value : `geo:${lat!.trim()},${lon.trim()}` }];
    }
    default:
      return [{ ...p, params }];
  }
}

function to3(p: VProperty): VProperty[] {
  const name = up(p);
  const params = prefToType(p.params.filter((x) => x.name === null || !ONLY_4.has(x.name.toUpperCase())));
  if (BINARY.has(name)) {
    const m = /^data:([^;,]+)?(;base64)?,(.*)$/is.exec(p.value);
    const plain = params.filter((x) => !named(x, 'VALUE'));
    if (m !== null && m[2] !== undefined) {
      const mime = m[1] ?? paramValues(p, 'MEDIATYPE')[0] ?? 'image/jpeg';
      const type = mime.replace(/^[a-z]+\//i, '').replace(/^pgp-keys$/i, 'PGP').toUpperCase();
      return [{ ...p, params: [...plain, { name: 'ENCODING', values: ['b'] }, { name: 'TYPE', values: [type] }], value: m[3]! }];
    }
    return [{ ...p, params: [...plain, { name: 'VALUE', values: ['uri'] }] }];
  }
  switch (name) {
    case 'VERSION':
      return [{ ...p, value: '3.0' }];
    case 'CLIENTPIDMAP':
    case 'XML':
      return []; // identifiers of 4.0's sync model and embedded XML: meaningless to a 3.0 reader
    case 'BDAY':
    case 'ANNIVERSARY': {
      const d = dateValue(p, '4.0', '3.0');
      return [{ ...p, name: name === 'BDAY' ? p.name : 'X-ANNIVERSARY', params: params.filter((x) => !named(x, 'VALUE')), value: d.value }];
    }
    case 'GENDER': {
      const [sex = '', identity = ''] = structuredValue(p, '4.0');
      return [{ ...p, name: 'X-GENDER', params, value: escapeText(sex !== '' ? sex : identity, '3.0') }];
    }
    case 'KIND':
      return /^individual$/i.test(p.value.trim()) ? [] : [{ ...p, name: 'X-ADDRESSBOOKSERVER-KIND', params, value: p.value.toLowerCase() }];
    case 'MEMBER':
      return [{ ...p, name: 'X-ADDRESSBOOKSERVER-MEMBER', params }];
    case 'RELATED':
      return [{ ...p, name: 'X-ABRELATEDNAMES', params: params.filter((x) => !named(x, 'VALUE')) }];
    case 'TEL': {
      // 3.0 has no tel: URIs: the number as people write it (`tel:+1-555-0100;ext=12` → `+1-555-0100 ext. 12`).
      const uri = telUriOf(p);
      return [{ ...p, params: params.filter((x) => !named(x, 'VALUE')), value: uri === null ? p.value : escapeText(telNumber(uri), '3.0') }];
    }
    case 'GEO': {
      const m = /^geo:([^,;]+),([^,;]+)/i.exec(p.value);
      return [{ ...p, params, value: m === null ? p.value : `${m[1]};${m[2]}` }];
    }
    case 'N': {
      const sortAs = paramValues(p, 'SORT-AS');
      // SORT-AS="Mann,James" sorts by two components (RFC 6350 §5.9): one string "Mann, James" in 3.0.
      const sortString = sortAs.flatMap((v) => v.split(',')).map((v) => decodeParam(v).trim()).join(', ');
      return sortAs.length === 0 ? [{ ...p, params }] : [{ ...p, params }, { group: p.group, name: 'SORT-STRING', params: [], value: escapeText(sortString, '3.0') }];
    }
    case 'ADR': {
      const label = paramValues(p, 'LABEL')[0];
      if (label === undefined) return [{ ...p, params }];
      const types = params.filter((x) => named(x, 'TYPE'));
      return [{ ...p, params }, { group: p.group, name: 'LABEL', params: types, value: escapeText(decodeParam(label), '3.0') }];
    }
    default:
      return [{ ...p, params }];
  }
}

/** 2.1 → 3.0 needs only the decoding above and 3.0's date form. */
function dateIn3(p: VProperty): VProperty {
  return up(p) === 'BDAY' ? { ...p, params: p.params.filter((x) => !named(x, 'VALUE')), value: dateValue(p, '3.0', '3.0').value } : p;
}

/** 3.0's LABEL goes onto the ADR of the same type as its LABEL parameter; SORT-STRING onto N's SORT-AS. */
function fold3Into4(props: VProperty[]): VProperty[] {
  const out = [...props];
  for (let i = out.length - 1; i >= 0; i--) {
    const p = out[i]!;
    if (up(p) === 'LABEL') {
      const types = typesOf(p).join(',');
      const adr = out.findIndex((a) => up(a) === 'ADR' && !a.params.some((x) => named(x, 'LABEL')) && (types === '' || typesOf(a).join(',') === types));
      if (adr >= 0) {
        const a = out[adr]!;
        out[adr] = { ...a, params: [...a.params, { name: 'LABEL', values: [encodeParam(textValue(p, '3.0'))] }] };
        out.splice(i, 1);
      }
    } else if (up(p) === 'SORT-STRING') {
      const n = out.findIndex((a) => up(a) === 'N');
      if (n >= 0) {
        const a = out[n]!;
        // "Hopper, Grace" files by family name, then given name: SORT-AS's components.
        const components = textValue(p, '3.0').split(/\s*,\s*/).map(encodeParam);
        out[n] = { ...a, params: [...a.params.filter((x) => !named(x, 'SORT-AS')), { name: 'SORT-AS', values: [components.join(',')], quoted: true }] };
        out.splice(i, 1);
      }
    }
  }
  return out;
}

/** FN is required in both versions, N in 3.0 (RFC 2426 §3.1): made from what the card has when missing. */
function withRequired(props: VProperty[], to: VCardTarget): VProperty[] {
  const out = [...props];
  const fn = out.findIndex((p) => up(p) === 'FN');
  if (fn < 0 || out[fn]!.value.trim() === '') {
    // The name a list would show; a phone given as a 4.0 tel: URI is shown as the number.
    const shown = displayName(toContact({ properties: out })).replace(/^tel:/i, '') || 'Unnamed';
    const prop: VProperty = { group: null, name: 'FN', params: [], value: escapeText(shown, to) };
    if (fn < 0) out.splice(Math.min(1, out.length), 0, prop);
    else out[fn] = prop;
  }
  if (to === '3.0' && !out.some((p) => up(p) === 'N')) out.splice(out.findIndex((p) => up(p) === 'FN') + 1, 0, { group: null, name: 'N', params: [], value: ';;;;' });
  if (!out.some((p) => up(p) === 'VERSION')) out.unshift({ group: null, name: 'VERSION', params: [], value: to });
  return out;
}

/** The card in the target version. */
export function convertVCard(card: VCard, to: VCardTarget): VCard {
  const from = versionOf(card);
  if (from === to) return { properties: withRequired([...card.properties], to) };
  const source = from === '2.1' ? card.properties.map(from21) : card.properties;
  const converted =
    to === '4.0'
      ? fold3Into4(source.flatMap((p) => to4(p, from === '2.1' ? '2.1' : '3.0')))
      : from === '2.1'
        ? source.map(dateIn3)
        : source.flatMap(to3);
  const versioned = converted.some((p) => up(p) === 'VERSION') ? converted : [{ group: null, name: 'VERSION', params: [], value: to }, ...converted];
  return { properties: withRequired(versioned.map((p) => (up(p) === 'VERSION' ? { ...p, value: to } : p)), to) };
}
