/**
 * An open conflict through later edits: the user may change a card that waits for a decision, and
 * then "this computer's side" of each conflict is what the card holds now, not what it held when
 * the conflict was found (settling it with the old lines would bring a stale value back, beside
 * the new one).
 */
import { parseVCard, propertyLine, type MergeConflict, type VProperty } from '../vcard';

/** Lines that go with a grouped property (Apple's labels). */
const COMPANIONS = /^X-AB(LABEL|ADR)$/i;

/** Each conflict's local side, read again from the card as it is now. */
export function withLocalLines(conflicts: readonly MergeConflict[], vcard: string): MergeConflict[] {
  let props: readonly VProperty[];
  try {
    props = parseVCard(vcard).properties;
  } catch {
    return [...conflicts];
  }
  return conflicts.map((c) => {
    const own = props.filter((p) => p.name.toUpperCase() === c.property.toUpperCase());
    const groups = new Set(own.map((p) => p.group?.toLowerCase()).filter((g) => g !== undefined));
    const lines = props.filter((p) => own.includes(p) || (p.group !== null && groups.has(p.group.toLowerCase()) && COMPANIONS.test(p.name))).map(propertyLine);
    return { ...c, local: lines.length === 0 ? null : lines };
  });
}
