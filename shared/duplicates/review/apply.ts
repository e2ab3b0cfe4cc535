/**
 * The merged card from a review and the user's choices. The card that stays keeps its order and
 * bookkeeping; each chosen value stands where its property stood, new lines go after the last of
 * their kind; groups from different cards that share a name (`item1`) are renamed apart. Nothing
 * leaves the merged card except the candidates not chosen and the items the user excluded.
 */
import { propertyLine, serializeVCard, type VCard, type VProperty } from '../../vcard';
import { isListKind, type SingleFieldId } from './kinds';
import type { MergeField, MergeItem, MergeReview } from './model';
import { escapeTextFor, withEscapedValue } from './transcode';

/** A candidate's index, or (where `canKeepAll`) every candidate. */
export type FieldChoice = number | 'all';

export interface MergeChoices {
  readonly fields: Readonly<Partial<Record<SingleFieldId, FieldChoice>>>;
  /** Keys of items (`MergeItem.key`) the user chose to leave out. */
  readonly excluded: readonly string[];
}

export interface MergeOutcome {
  readonly card: VCard;
  readonly vcard: string;
  /** The contact to update with `vcard` (on its server too). */
  readonly survivor: string;
  /** The contacts the merged card replaces, to delete (within one book) once it is saved. */
  readonly replaces: readonly string[];
}

/** The survivor's value for every field; every note kept; every item kept. */
export function defaultChoices(review: MergeReview): MergeChoices {
  const fields: Partial<Record<SingleFieldId, FieldChoice>> = {};
  for (const f of review.fields) {
    const own = f.candidates.findIndex((c) => c.from.includes(review.survivor));
    fields[f.field] = f.canKeepAll && f.candidates.length > 1 ? 'all' : Math.max(0, own);
  }
  return { fields, excluded: [] };
}

interface Block {
  readonly name: string;
  props: VProperty[];
}

function chosenProps(field: MergeField, choice: FieldChoice, review: MergeReview): VProperty[] {
  if (choice === 'all') {
    if (!field.canKeepAll) throw new RangeError(`${field.field} holds one value: choose one of its candidates`);
    const [first, ...rest] = field.candidates;
    if (first === undefined || rest.length === 0 || first.properties.length !== 1) return field.candidates.flatMap((c) => [...c.properties]);
    const text = field.candidates.map((c) => c.text).join('\n\n');
    return [withEscapedValue(first.properties[0]!, escapeTextFor(text, review.version), review.version)];
  }
  const candidate = field.candidates[choice];
  if (!Number.isInteger(choice) || candidate === undefined) throw new RangeError(`${field.field} has no candidate ${choice}`);
  return [...candidate.properties];
}

function insertByName(blocks: Block[], block: Block): void {
  let at = -1;
  for (let i = 0; i < blocks.length; i++) if (blocks[i]!.name === block.name) at = i;
  blocks.splice(at < 0 ? blocks.length : at + 1, 0, block);
}

/** Units from different cards may both be `item1`: later ones get a free name. */
function renameClashingGroups(blocks: readonly Block[]): VProperty[] {
  const used = new Set(blocks.flatMap((b) => b.props.map((p) => p.group?.toLowerCase()).filter((g) => g !== undefined)));
  const taken = new Set<string>();
  let next = 1;
  const out: VProperty[] = [];
  for (const block of blocks) {
    const groups = [...new Set(block.props.map((p) => p.group?.toLowerCase()).filter((g) => g !== undefined))];
    const renamed = new Map<string, string>();
    for (const g of groups) {
      if (!taken.has(g)) {
        taken.add(g);
        continue;
      }
      while (used.has(`item${next}`) || taken.has(`item${next}`)) next++;
      renamed.set(g, `item${next}`);
      taken.add(`item${next}`);
    }
    for (const p of block.props) {
      const to = p.group === null ? undefined : renamed.get(p.group.toLowerCase());
      out.push(to === undefined ? p : { ...p, group: to });
    }
  }
  return out;
}

export function applyMerge(review: MergeReview, choices: MergeChoices = defaultChoices(review)): MergeOutcome {
  const excluded = new Set(choices.excluded);
  const fields = new Map(review.fields.map((f) => [f.field, f]));
  const items = new Map(review.items.map((i) => [i.key, i]));
  const defaults = defaultChoices(review).fields;
  const blocks: Block[] = [];
  const lists = new Map<string, Block>();

  const fieldBlock = (f: MergeField): Block => ({ name: f.field, props: chosenProps(f, choices.fields[f.field] ?? defaults[f.field]!, review) });
  const itemBlock = (item: MergeItem): Block | null => {
    if (excluded.has(item.key)) return null;
    if (!isListKind(item.kind) || item.properties.length !== 1) return { name: item.property, props: [...item.properties] };
    // One CATEGORIES (or NICKNAME) line per distinct set of parameters, its values united.
    const [prop] = item.properties as [VProperty];
    const signature = propertyLine({ ...prop, group: null, value: '' });
    const list = lists.get(signature);
    if (list === undefined) {
      const block = { name: item.property, props: [prop] };
      lists.set(signature, block);
      return block;
    }
    list.props = [{ ...list.props[0]!, value: `${list.props[0]!.value},${prop.value}` }];
    return null;
  };

  const placed = new Set<string>();
  for (const slot of review.layout) {
    if (slot.slot === 'keep') blocks.push({ name: slot.property.name.toUpperCase(), props: [slot.property] });
    else if (slot.slot === 'field') {
      blocks.push(fieldBlock(fields.get(slot.field)!));
      placed.add(slot.field);
    } else {
      const block = itemBlock(items.get(slot.key)!);
      if (block !== null) blocks.push(block);
      placed.add(slot.key);
    }
  }
  for (const f of review.fields) if (!placed.has(f.field)) insertByName(blocks, fieldBlock(f));
  for (const item of review.items) {
    if (placed.has(item.key)) continue;
    const block = itemBlock(item);
    if (block !== null) insertByName(blocks, block);
  }
  for (const key of excluded) if (!items.has(key)) throw new RangeError(`no item ${key} in this review`);

  const properties = renameClashingGroups(blocks.filter((b) => b.props.length > 0));
  if (!properties.some((p) => p.name.toUpperCase() === 'VERSION')) properties.unshift({ group: null, name: 'VERSION', params: [], value: review.version });
  const card: VCard = { properties };
  return { card, vcard: serializeVCard(card), survivor: review.survivor, replaces: review.sources.filter((id) => id !== review.survivor) };
}
