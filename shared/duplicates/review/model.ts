/**
 * The review of one cluster, as plain data for the review screen: per single-valued property
 * its candidate values and the cards each came from; the united multi-valued items (same values
 * joined, with the types, labels and parameters of both); bookkeeping from the card that stays.
 * Every line of every card is in exactly one place here, so `applyMerge` can only drop what the
 * user chose to drop.
 */
import { paramValues, splitEscaped, typesOf, versionOf, type VCard, type VCardVersion, type VProperty } from '../../vcard';
import { inlineUri, transcodeProps } from './transcode';
import { displayText, fieldIdentity, isListKind, itemIdentity, roleOf, SINGLE_FIELDS, type ItemKind, type SingleFieldId } from './kinds';
import { canJoin, joinUnits } from './join';
import { labelOf, nameOf, unitsOf, type Unit } from './units';

export interface MergeSource {
  /** The contact's id in the store. */
  readonly id: string;
  readonly card: VCard;
}

export interface FieldCandidate {
  /** The value as shown (for PHOTO and LOGO, the URI to display). */
  readonly text: string;
  /** The cards that hold this value. */
  readonly from: readonly string[];
  /** Its lines, already in the merged card's version. */
  readonly properties: readonly VProperty[];
}

export interface MergeField {
  readonly field: SingleFieldId;
  readonly candidates: readonly FieldCandidate[];
  /** NOTE: every card's note can be kept, one after the other. */
  readonly canKeepAll: boolean;
}

export interface MergeItem {
  /** Unique within the review; what `MergeChoices.excluded` names. */
  readonly key: string;
  readonly kind: ItemKind;
  /** The property, upper case (`EMAIL`, `X-CUSTOM`). */
  readonly property: string;
  readonly text: string;
  readonly label: string;
  readonly types: readonly string[];
  readonly from: readonly string[];
  readonly properties: readonly VProperty[];
}

/** Where the card that stays had each thing, so the merged card keeps its order. */
export type LayoutSlot =
  | { readonly slot: 'keep'; readonly property: VProperty }
  | { readonly slot: 'field'; readonly field: SingleFieldId }
  | { readonly slot: 'item'; readonly key: string };

export interface MergeReview {
  /** The card that is updated with the result; the others are replaced by it. */
  readonly survivor: string;
  readonly sources: readonly string[];
  readonly version: VCardVersion;
  readonly fields: readonly MergeField[];
  readonly items: readonly MergeItem[];
  readonly layout: readonly LayoutSlot[];
}

export interface ReviewOptions {
  /** The region phone numbers are read in (the OS's), for joining the same number. */
  readonly region: string;
  /** The card that stays; by default the one with the most lines. */
  readonly survivor?: string;
}

interface Building {
  key: string;
  kind: ItemKind;
  identity: string;
  unit: Unit;
  from: string[];
}

function pickSurvivor(sources: readonly MergeSource[], wanted: string | undefined): MergeSource {
  if (wanted !== undefined) {
    const s = sources.find((x) => x.id === wanted);
    if (s === undefined) throw new RangeError(`the card to keep (${wanted}) is not among the cards merged`);
    return s;
  }
  return sources.reduce((best, s) => (s.card.properties.length > best.card.properties.length ? s : best));
}

/** A list property (CATEGORIES: a,b) as one unit per value, so each value is joined or dropped alone. */
function perValue(unit: Unit, kind: ItemKind): Unit[] {
  if (!isListKind(kind)) return [unit];
  if (paramValues(unit.primary, 'ENCODING').length > 0) return [unit];
  const values = splitEscaped(unit.primary.value, ',').filter((v) => v.trim() !== '');
  if (values.length < 2) return [unit];
  return values.map((value) => {
    const primary = { ...unit.primary, value };
    return { primary, props: unit.props.map((p) => (p === unit.primary ? primary : p)) };
  });
}

/** One single-valued property: a candidate per distinct value, with every card that holds it. */
function fieldOf(field: SingleFieldId, bySource: readonly { id: string; units: Unit[] }[], version: VCardVersion): MergeField {
  const candidates: { identity: string; text: string; from: string[]; properties: VProperty[] }[] = [];
  for (const { id, units } of bySource) {
    const primaries = units.map((u) => u.primary);
    const identity = fieldIdentity(field, primaries, version);
    const same = candidates.find((c) => c.identity === identity);
    if (same !== undefined) {
      same.from.push(id);
      continue;
    }
    const text = primaries.map((p) => (field === 'PHOTO' || field === 'LOGO' ? (inlineUri(p) ?? p.value) : displayText(p, version))).join('\n\n');
    candidates.push({ identity, text, from: [id], properties: units.flatMap((u) => [...u.props]) });
  }
  return { field, candidates: candidates.map(({ identity: _identity, ...c }) => c), canKeepAll: field === 'NOTE' };
}

export function buildReview(sources: readonly MergeSource[], options: ReviewOptions): MergeReview {
  if (sources.length < 2) throw new RangeError('a merge needs at least two cards');
  if (new Set(sources.map((s) => s.id)).size !== sources.length) throw new RangeError('a card is listed twice');
  const survivor = pickSurvivor(sources, options.survivor);
  const ordered = [survivor, ...sources.filter((s) => s !== survivor)];
  const version = versionOf(survivor.card);

  const fieldUnits = new Map<SingleFieldId, { id: string; units: Unit[] }[]>();
  const items: Building[] = [];
  const layout: LayoutSlot[] = [];
  let next = 0;

  for (const source of ordered) {
    const isSurvivor = source === survivor;
    const from = versionOf(source.card);
    const perField = new Map<SingleFieldId, Unit[]>();
    for (const raw of unitsOf(source.card)) {
      const props = transcodeProps(raw.props, from, version);
      const converted: Unit = { props, primary: props[raw.props.indexOf(raw.primary)]! };
      const role = roleOf(nameOf(converted));
      if (role.role === 'bookkeeping') {
        if (isSurvivor) for (const p of converted.props) layout.push({ slot: 'keep', property: p });
        continue;
      }
      if (role.role === 'field') {
        const list = perField.get(role.field);
        if (list === undefined) perField.set(role.field, [converted]);
        else list.push(converted);
        if (isSurvivor && list === undefined) layout.push({ slot: 'field', field: role.field });
        continue;
      }
      for (const part of perValue(converted, role.kind)) {
        const identity = itemIdentity(role.kind, part.primary, version, options.region);
        const same = items.find((b) => b.kind === role.kind && b.identity === identity && canJoin(b.unit, part, version));
        if (same !== undefined) {
          same.unit = joinUnits(same.unit, part, version);
          if (!same.from.includes(source.id)) same.from.push(source.id);
          continue;
        }
        const key = `${role.kind}-${next++}`;
        items.push({ key, kind: role.kind, identity, unit: part, from: [source.id] });
        if (isSurvivor) layout.push({ slot: 'item', key });
      }
    }
    for (const [field, units] of perField) {
      const list = fieldUnits.get(field);
      if (list === undefined) fieldUnits.set(field, [{ id: source.id, units }]);
      else list.push({ id: source.id, units });
    }
  }

  const fields = SINGLE_FIELDS.filter((f) => fieldUnits.has(f)).map((f) => fieldOf(f, fieldUnits.get(f)!, version));
  return {
    survivor: survivor.id,
    sources: ordered.map((s) => s.id),
    version,
    fields,
    items: items.map((b) => ({
      key: b.key,
      kind: b.kind,
      property: nameOf(b.unit),
      text: displayText(b.unit.primary, version),
      label: labelOf(b.unit, version),
      types: typesOf(b.unit.primary).filter((t) => t !== 'pref'),
      from: b.from,
      properties: b.unit.props,
    })),
    layout,
  };
}
