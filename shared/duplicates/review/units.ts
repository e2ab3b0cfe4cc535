/**
 * A card as units: a property together with the lines of its group (`item1.EMAIL` with
 * `item1.X-ABLabel`, Apple's `item2.ADR` with `item2.X-ABADR`), which travel and are chosen
 * together. Ungrouped properties are units of one line. The same cut as the core's merge.
 */
import { labelText, textValue, type VCardVersion, type VCard, type VProperty } from '../../vcard';

export interface Unit {
  /** The property the unit is about (the first line that is not a label or Apple companion). */
  readonly primary: VProperty;
  /** Every line of the unit, primary included, in card order. */
  readonly props: readonly VProperty[];
}

const COMPANION = /^X-AB(LABEL|ADR)$/i;

export function unitsOf(card: VCard): Unit[] {
  const groups = new Map<string, VProperty[]>();
  const lists: VProperty[][] = [];
  for (const p of card.properties) {
    const g = p.group?.toLowerCase();
    let list = g === undefined ? undefined : groups.get(g);
    if (list === undefined) {
      list = [];
      lists.push(list);
      if (g !== undefined) groups.set(g, list);
    }
    list.push(p);
  }
  return lists.map((props) => ({ primary: props.find((p) => !COMPANION.test(p.name)) ?? props[0]!, props }));
}

export const nameOf = (u: Unit): string => u.primary.name.toUpperCase();

/** The unit's custom label (`X-ABLabel`, Apple's `_$!<Home>!$_` unwrapped), '' for none. */
export function labelOf(u: Unit, version: VCardVersion): string {
  const label = u.props.find((p) => p !== u.primary && p.name.toUpperCase() === 'X-ABLABEL');
  return label === undefined ? '' : labelText(textValue(label, version));
}

/** The same unit with every line in one group (or none). */
export function inGroup(props: readonly VProperty[], group: string | null): VProperty[] {
  return props.map((p) => (p.group === group ? p : { ...p, group }));
}
