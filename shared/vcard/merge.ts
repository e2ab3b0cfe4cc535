/**
 * Three-way merge by property. Cards are compared by content, not bytes: servers re-serialise
 * (Radicale), re-order, change parameter case and renumber `itemN` groups (Google), so each
 * property, together with the lines of its group (`item1.EMAIL` + `item1.X-ABLabel`), becomes one
 * unit whose key ignores the group's name, parameter order and spelling, and escaping.
 *
 * For every unit of the base we find what each side did (kept it, removed it, or changed it into
 * another unit of the same kind). Changes to different units combine; both sides changing the same
 * unit differently is a conflict: the merged card keeps the local value and the conflict carries
 * both, so nothing is lost until someone decides. An edit against a delete keeps the edit.
 */
import { parseContentLine } from './parse';
import { propertyLine } from './serialize';
import { transferDecoded, unescapeText } from './escape';
import { versionOf } from './contact';
import type { VCard, VCardVersion, VParam, VProperty } from './types';

export interface MergeConflict {
  /** The property name of the unit (`FN`, `EMAIL`, ...). */
  readonly property: string;
  /** Content lines of each side; null where that side has no such unit (never had, or deleted it). */
  readonly base: readonly string[] | null;
  readonly local: readonly string[] | null;
  readonly remote: readonly string[] | null;
}

export interface MergeResult {
  readonly card: VCard;
  readonly conflicts: readonly MergeConflict[];
}

interface Unit {
  kind: string;
  key: string;
  props: VProperty[];
}

const COMPANIONS = /^X-AB(LABEL|ADR)$/i;
/**
 * Properties a card has at most once, or that the contact view and the servers' models hold once
 * (TITLE, ROLE and ORG may repeat in RFC 6350, but the editor shows the first and a Workspace
 * entry stores one; likewise the 3.0 anniversary and the phonetic name): "Keep both" is never
 * offered for them (it would leave a line the editor hides), and two different additions of these conflict rather than both being kept.
 */
const SINGLE = new Set([
  'FN', 'N', 'BDAY', 'ANNIVERSARY', 'X-ANNIVERSARY', 'GENDER', 'KIND', 'UID', 'PHOTO', 'VERSION', 'TITLE', 'ROLE', 'ORG',
  // the editor's one phonetic name: "Keep both" would leave a line it does not show
  'X-PHONETIC-FIRST-NAME', 'X-PHONETIC-MIDDLE-NAME', 'X-PHONETIC-LAST-NAME',
]);
/** Bookkeeping every writer touches; never a conflict: the remote's wins when both changed. */
const NOISE = new Set(['REV', 'PRODID', 'X-IRMC-LUID']);

/**
 * A property's parameters as its key holds them: ENCODING, CHARSET and a bare QUOTED-PRINTABLE
 * left out (the key holds the decoded value), every value `NAME=value` (a bare one as TYPE, a
 * comma list as its values), upper-cased names, lower-cased values, sorted.
 */
function normalizedParams(params: readonly VParam[]): string {
  const parts: string[] = [];
  for (const x of params) {
    if (x.name !== null ? /^(ENCODING|CHARSET)$/i.test(x.name) : /^QUOTED-PRINTABLE$/i.test(x.values[0] ?? '')) continue;
    const name = (x.name ?? 'TYPE').toUpperCase();
    for (const v of x.values) {
      if (v.indexOf(',') < 0) parts.push(`${name}=${v.toLowerCase()}`);
      else for (const w of v.split(',')) parts.push(`${name}=${w.toLowerCase()}`);
    }
  }
  return parts.length === 1 ? parts[0]! : parts.sort().join(';');
}

/**
 * normalizedParams by parameter list: the parser gives every property of a common head (`TEL;TYPE=cell`)
 * the same frozen list, so 10,000 such properties make the string once, not 10,000 times.
 */
const PARAMS_KEYS = new WeakMap<readonly VParam[], string>();

function normalizedLine(p: VProperty, version: VCardVersion): string {
  // Most properties have no parameter: nothing to sort, and no transfer encoding to undo.
  if (p.params.length === 0) return `${p.name.toUpperCase()};:${unescapeText(p.value, version)}`;
  let params = PARAMS_KEYS.get(p.params);
  if (params === undefined) {
    params = normalizedParams(p.params);
    if (Object.isFrozen(p.params) && p.params.every((x) => Object.isFrozen(x) && Object.isFrozen(x.values))) PARAMS_KEYS.set(p.params, params);
  }
  return `${p.name.toUpperCase()};${params}:${unescapeText(transferDecoded(p), version)}`;
}

function unitsOf(card: VCard): Unit[] {
  const version = versionOf(card);
  const byGroup = new Map<string, Unit>();
  const units: Unit[] = [];
  for (const p of card.properties) {
    const g = p.group?.toLowerCase();
    let unit = g === undefined ? undefined : byGroup.get(g);
    if (unit === undefined) {
      unit = { kind: '', key: '', props: [] };
      units.push(unit);
      if (g !== undefined) byGroup.set(g, unit);
    }
    unit.props.push(p);
  }
  for (const u of units) {
    if (u.props.length === 1) {
      // The common unit, one property: no list of lines to make and sort.
      // Its key is its line alone: a line starts with the kind, and no other key starts with the
      // kind and a `;` (a unit of several lines has a line break after its kind).
      const p = u.props[0]!;
      u.kind = p.name.toUpperCase();
      u.key = normalizedLine(p, version);
      continue;
    }
    const primary = u.props.find((p) => !COMPANIONS.test(p.name)) ?? u.props[0]!;
    u.kind = primary.name.toUpperCase();
    u.key = `${u.kind}\n${u.props.map((p) => normalizedLine(p, version)).sort().join('\n')}`;
  }
  return units;
}

type Action = { type: 'keep' } | { type: 'remove' } | { type: 'change'; to: Unit };
const KEEP: Action = Object.freeze({ type: 'keep' });
const REMOVE: Action = Object.freeze({ type: 'remove' });

/**
 * Units of one side by a string (key or kind), each list in the side's order, consumed from the
 * front: the first unconsumed unit for a string in amortised constant time, so matching n units
 * is linear, not quadratic.
 */
class Queues {
  /**
   * Each string's unit when it has one (most keys), else its units and the index of the first
   * one not known to be taken: one lookup a call, and no list made for a string of one unit.
   */
  private readonly lists = new Map<string, Unit | { units: Unit[]; head: number }>();
  constructor(
    units: readonly Unit[],
    by: (u: Unit) => string,
    private readonly taken: (u: Unit) => boolean,
  ) {
    for (const u of units) {
      const k = by(u);
      const list = this.lists.get(k);
      if (list === undefined) this.lists.set(k, u);
      else if ('units' in list) list.units.push(u);
      else this.lists.set(k, { units: [list, u], head: 0 });
    }
  }
  /** The first unit for `k` not taken yet, or undefined. */
  first(k: string): Unit | undefined {
    const list = this.lists.get(k);
    if (list === undefined) return undefined;
    if (!('units' in list)) return this.taken(list) ? undefined : list;
    const { units } = list;
    let h = list.head;
    while (h < units.length && this.taken(units[h]!)) h++;
    list.head = h;
    return units[h];
  }
}

/** What one side did to each base unit, and which of its units are new. */
function diff(base: Unit[], side: Unit[]): { actions: Map<Unit, Action>; origin: Map<Unit, Unit | null> } {
  const actions = new Map<Unit, Action>();
  const origin = new Map<Unit, Unit | null>();
  const unmatchedSide = new Set(side);
  const taken = (u: Unit) => !unmatchedSide.has(u);
  const byKey = new Queues(side, (u) => u.key, taken);
  const removed: Unit[] = [];
  for (const b of base) {
    const match = byKey.first(b.key);
    if (match !== undefined) {
      unmatchedSide.delete(match);
      actions.set(b, KEEP);
      origin.set(match, b);
    } else removed.push(b);
  }
  // Pair removed and added units of the same kind, in order, as changes (none to pair when
  // nothing was removed or nothing added: the queues are not even made).
  if (removed.length > 0) {
    const byKind = unmatchedSide.size > 0 ? new Queues([...unmatchedSide], (u) => u.kind, taken) : null;
    for (const b of removed) {
      const to = byKind?.first(b.kind);
      if (to !== undefined) {
        unmatchedSide.delete(to);
        actions.set(b, { type: 'change', to });
        origin.set(to, b);
      } else actions.set(b, REMOVE);
    }
  }
  for (const s of unmatchedSide) origin.set(s, null);
  return { actions, origin };
}

/**
 * Units inserted into the merged list after the last unit of their kind (at the end when there is
 * none), later ones after earlier ones of the same kind: collected, then placed in one pass.
 */
class Insertions {
  private readonly lastOfKind = new Map<string, number>();
  private readonly after = new Map<number, Unit[]>();
  private readonly tail = new Map<string, Unit[]>();
  constructor(private readonly out: Unit[]) {
    out.forEach((u, i) => this.lastOfKind.set(u.kind, i));
  }
  add(unit: Unit): void {
    const at = this.lastOfKind.get(unit.kind);
    const [map, k] = at === undefined ? [this.tail, unit.kind] : [this.after, at];
    const list = (map as Map<unknown, Unit[]>).get(k);
    if (list === undefined) (map as Map<unknown, Unit[]>).set(k, [unit]);
    else list.push(unit);
  }
  result(): Unit[] {
    const all: Unit[] = [];
    this.out.forEach((u, i) => {
      all.push(u);
      for (const x of this.after.get(i) ?? []) all.push(x);
    });
    for (const list of this.tail.values()) for (const x of list) all.push(x);
    return all;
  }
}

const lines = (u: Unit | null | undefined): string[] | null => (u == null ? null : u.props.map(propertyLine));

/** Units of a card whose units were made already (the same card passed as two sides): the same keys, new units. */
const copyUnits = (units: readonly Unit[]): Unit[] => units.map((u) => ({ kind: u.kind, key: u.key, props: u.props }));

export function merge(base: VCard, local: VCard, remote: VCard): MergeResult {
  const baseUnits = unitsOf(base);
  const localUnits = local === base ? copyUnits(baseUnits) : unitsOf(local);
  const remoteUnits = remote === base ? copyUnits(baseUnits) : remote === local ? copyUnits(localUnits) : unitsOf(remote);
  const L = diff(baseUnits, localUnits);
  const R = diff(baseUnits, remoteUnits);
  const conflicts: MergeConflict[] = [];
  const out: Unit[] = [];

  const conflict = (kind: string, b: Unit | null, l: Unit | null, r: Unit | null): void => {
    conflicts.push({ property: kind, base: lines(b), local: lines(l), remote: lines(r) });
  };

  for (const lu of localUnits) {
    const b = L.origin.get(lu) ?? null;
    if (b === null) {
      out.push(lu); // added locally
      continue;
    }
    const la = L.actions.get(b)!;
    const ra = R.actions.get(b)!;
    if (la.type === 'keep') {
      if (ra.type === 'keep') out.push(lu);
      else if (ra.type === 'change') out.push(ra.to);
      // removed remotely and untouched locally: drop it
    } else if (la.type === 'change') {
      if (ra.type === 'keep') out.push(lu);
      else if (ra.type === 'change') {
        out.push(lu);
        if (ra.to.key !== lu.key && !NOISE.has(lu.kind)) conflict(lu.kind, b, lu, ra.to);
        else if (NOISE.has(lu.kind)) out[out.length - 1] = ra.to;
      } else {
        out.push(lu); // edited here, deleted there: keep the edit, let the user decide
        if (!NOISE.has(lu.kind)) conflict(lu.kind, b, lu, null);
      }
    }
  }
  // Base units deleted locally but changed remotely come back, with a conflict.
  const inserted = new Insertions(out);
  for (const b of baseUnits) {
    const la = L.actions.get(b)!;
    const ra = R.actions.get(b)!;
    if (la.type === 'remove' && ra.type === 'change') {
      inserted.add(ra.to);
      if (!NOISE.has(b.kind)) conflict(b.kind, b, null, ra.to);
    }
  }
  // Units added remotely. Only the local side's own additions can duplicate or contradict them.
  const localAdded = localUnits.filter((u) => L.origin.get(u) === null);
  const matched = new Set<Unit>();
  const addedByKey = new Queues(localAdded, (u) => u.key, (u) => matched.has(u));
  const addedByKind = new Queues(localAdded, (u) => u.kind, (u) => matched.has(u));
  for (const ru of remoteUnits) {
    if (R.origin.get(ru) !== null) continue;
    const same = addedByKey.first(ru.key);
    if (same !== undefined) {
      matched.add(same); // both added the same thing
      continue;
    }
    const rival = addedByKind.first(ru.kind);
    if (SINGLE.has(ru.kind) && rival !== undefined) {
      if (!NOISE.has(ru.kind)) conflict(ru.kind, null, rival, ru);
      continue;
    }
    inserted.add(ru);
  }
  return { card: { properties: renameClashingGroups(inserted.result()) }, conflicts };
}

/** Units from two sides may use the same `itemN`; give later ones a free name. */
function renameClashingGroups(units: Unit[]): VProperty[] {
  const used = new Set<string>();
  for (const u of units) for (const p of u.props) if (p.group !== null) used.add(p.group.toLowerCase());
  const taken = new Set<string>();
  let next = 1;
  const props: VProperty[] = [];
  for (const u of units) {
    const g = u.props[0]!.group;
    if (g === null || u.props.some((p) => p.group === null)) {
      for (const p of u.props) props.push(p);
      continue;
    }
    let name = g;
    if (taken.has(g.toLowerCase())) {
      while (used.has(`item${next}`) || taken.has(`item${next}`)) next++;
      name = `item${next}`;
    }
    taken.add(name.toLowerCase());
    for (const p of u.props) props.push({ ...p, group: name });
  }
  return props;
}

/** Resolve one conflict by choosing a side's lines (or both, for multi-value properties). */
export function conflictKey(c: MergeConflict): string {
  return `${c.property}\n${(c.base ?? []).join('\n')}`;
}

/** What the user chose for one conflict: this computer's lines, the server's, or both. */
export type ConflictChoice = 'local' | 'remote' | 'both';

/** Whether keeping both sides makes sense (properties a card has many of). */
export function canKeepBoth(c: MergeConflict): boolean {
  return !SINGLE.has(c.property.toUpperCase()) && c.local !== null && c.remote !== null;
}

/**
 * Settle conflicts on the merged card (which holds the local side of each): the local lines are
 * replaced, where they stood, by the chosen side's lines (or by both). Lines are the content lines
 * the conflict recorded, matched exactly.
 */
export function resolveConflicts(merged: VCard, conflicts: readonly MergeConflict[], choices: readonly ConflictChoice[]): VCard {
  let props = [...merged.properties];
  conflicts.forEach((c, i) => {
    const choice = choices[i] ?? 'local';
    const local = c.local ?? [];
    const chosen = choice === 'local' ? local : choice === 'remote' ? (c.remote ?? []) : [...local, ...(c.remote ?? []).filter((l) => !local.includes(l))];
    const remaining = [...local];
    let at = -1;
    const kept: VProperty[] = [];
    for (const p of props) {
      const k = remaining.indexOf(propertyLine(p));
      if (k >= 0) {
        remaining.splice(k, 1);
        if (at < 0) at = kept.length;
        continue;
      }
      kept.push(p);
    }
    const endAt = kept.length > 0 && kept[kept.length - 1]!.name.toUpperCase() === 'END' ? kept.length - 1 : kept.length;
    const insert = chosen.map((l) => parseContentLine(l)).filter((p): p is VProperty => p !== null);
    kept.splice(at < 0 ? endAt : at, 0, ...insert);
    props = kept;
  });
  return { properties: props };
}
