/**
 * Joining two units that hold the same value (`John@Example.com` and `john@example.com`, or one
 * number written two ways): the first's value and spelling stay; the types of both are united,
 * parameters only the other had are added, and so are its companion lines (its label, when the
 * first has none). Two values that describe themselves differently (two labels, two LANGUAGE
 * parameters) are not joined, so neither description is lost: both stay for the user to see.
 */
import { typesOf, type VCardVersion, type VParam, type VProperty } from '../../vcard';
import { inGroup, labelOf, type Unit } from './units';

/** Parameters that say nothing about what the value is, or are united instead (TYPE, PREF). */
const NOT_DESCRIBING = /^(TYPE|PREF|VALUE|ENCODING|CHARSET|PID)$/i;

function describing(p: VProperty): Map<string, string> {
  const out = new Map<string, string>();
  for (const x of p.params) {
    if (x.name === null || NOT_DESCRIBING.test(x.name)) continue;
    const name = x.name.toUpperCase();
    out.set(name, [out.get(name) ?? '', ...x.values.map((v) => v.toLowerCase())].filter((v) => v !== '').sort().join(','));
  }
  return out;
}

export function canJoin(a: Unit, b: Unit, version: VCardVersion): boolean {
  const la = labelOf(a, version);
  const lb = labelOf(b, version);
  if (la !== '' && lb !== '' && la !== lb) return false;
  const db = describing(b.primary);
  for (const [name, values] of describing(a.primary)) {
    const other = db.get(name);
    if (other !== undefined && other !== values) return false;
  }
  return true;
}

function unitedParams(base: VProperty, other: VProperty): VParam[] {
  const params = [...base.params];
  const have = new Set(typesOf(base));
  const more = typesOf(other).filter((t) => !have.has(t));
  if (more.length > 0) {
    const typeAt = params.findIndex((p) => p.name?.toUpperCase() === 'TYPE');
    const bare = params.some((p) => p.name === null);
    if (typeAt >= 0) params[typeAt] = { ...params[typeAt]!, values: [...params[typeAt]!.values, ...more] };
    else if (bare) params.push(...more.map((t): VParam => ({ name: null, values: [t.toUpperCase()] })));
    else params.push({ name: 'TYPE', values: more });
  }
  const names = new Set(params.map((p) => p.name?.toUpperCase()));
  for (const p of other.params) {
    if (p.name === null || /^(TYPE|VALUE|ENCODING|CHARSET)$/i.test(p.name) || names.has(p.name.toUpperCase())) continue;
    params.push(p);
    names.add(p.name.toUpperCase());
  }
  return params;
}

const lineKey = (p: VProperty): string => `${p.name.toUpperCase()}:${p.value}`;
const isLabel = (p: VProperty): boolean => p.name.toUpperCase() === 'X-ABLABEL';

export function joinUnits(base: Unit, other: Unit, version: VCardVersion): Unit {
  const primary: VProperty = { ...base.primary, params: unitedParams(base.primary, other.primary) };
  const props = base.props.map((p) => (p === base.primary ? primary : p));
  const seen = new Set(base.props.map(lineKey));
  const labelled = labelOf(base, version) !== '';
  const extra = other.props.filter((p) => p !== other.primary && !seen.has(lineKey(p)) && !(labelled && isLabel(p)));
  if (extra.length === 0) return { primary, props };
  // The other's companions join the first's group (or lend it theirs, when the first had none).
  const grouped = inGroup([...props, ...extra], base.primary.group ?? other.primary.group);
  return { primary: grouped[props.indexOf(primary)]!, props: grouped };
}
