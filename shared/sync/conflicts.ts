/**
 * An open conflict through later edits: the user may change a card that waits for a decision, and
 * then "this computer's side" of each conflict is what the card holds now, not what it held when
 * the conflict was found (settling it with the old lines would bring a stale value back, beside
 * the new one).
 */
import { parseVCard, propertyLine, type MergeConflict, type VProperty } from '../vcard';

/** Lines that go with a grouped property (Apple's labels). */
const COMPANIONS = /^X-AB(LABEL|ADR)$/i;

/** The lines of one property in a card, with the lines that go with each (its group's labels). */
function propertyLines(props: readonly VProperty[], property: string): string[] {
  const own = props.filter((p) => p.name.toUpperCase() === property.toUpperCase());
  const groups = new Set(own.map((p) => p.group?.toLowerCase()).filter((g) => g !== undefined));
  return props.filter((p) => own.includes(p) || (p.group !== null && groups.has(p.group.toLowerCase()) && COMPANIONS.test(p.name))).map(propertyLine);
}

/**
 * Each conflict's local side, read again from the card as it is now (`vcard`), after an edit of
 * the card as it was (`before`). A conflict is about one value of its property: where the edit
 * left that value as it was, the conflict stays as it is; where it changed it, the local side is
 * what the edit wrote instead. The property's other values are no part of it: settling the
 * conflict with the server's side must not take away another e-mail address or phone number of
 * the card (a merge adds some while a conflict on the first is open).
 */
export function withLocalLines(conflicts: readonly MergeConflict[], vcard: string, before?: string): MergeConflict[] {
  let props: readonly VProperty[];
  let earlier: readonly VProperty[] | null;
  try {
    props = parseVCard(vcard).properties;
    earlier = before === undefined ? null : parseVCard(before).properties;
  } catch {
    return [...conflicts];
  }
  return conflicts.map((c) => {
    const now = propertyLines(props, c.property);
    if (earlier === null) return { ...c, local: now.length === 0 ? null : now };
    const left = [...now];
    const take = (line: string) => {
      const at = left.indexOf(line);
      if (at < 0) return false;
      left.splice(at, 1);
      return true;
    };
    // The conflict's value still there, untouched: the conflict is unchanged.
    const kept = (c.local ?? []).filter(take);
    if (c.local !== null && kept.length === c.local.length) return { ...c };
    // Changed or removed: what the edit wrote instead, beside what is left of it.
    const then = propertyLines(earlier, c.property);
    const written = left.filter((l) => {
      const at = then.indexOf(l);
      if (at < 0) return true;
      then.splice(at, 1);
      return false;
    });
    const lines = [...kept, ...written];
    return { ...c, local: lines.length === 0 ? null : lines };
  });
}
