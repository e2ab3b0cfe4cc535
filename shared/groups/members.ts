/**
 * How group cards name their members: `urn:uuid:` and the member's UID (RFC 6350 §6.6.5; Apple's
 * X-ADDRESSBOOKSERVER-MEMBER the same). A vCard 4 UID may itself be `urn:uuid:…`, a vCard 3 one a
 * bare UUID or any text; both sides are compared as keys with the prefix off and case folded
 * (UUIDs are case-insensitive, and Apple writes them in capitals).
 */

const URN_UUID = /^urn:uuid:/i;

/** The key a card's UID is known by in member lists. */
export function uidKey(uid: string): string {
  return uid.trim().replace(URN_UUID, '').toLowerCase();
}

/**
 * The key of a member reference. `urn:uuid:X` → X (folded); any other URI (a mailto: list entry,
 * RFC 6350's own example) stays as written, folded, so it survives edits and matches no UID.
 */
export function memberKey(value: string): string {
  const v = value.trim();
  return URN_UUID.test(v) ? v.replace(URN_UUID, '').toLowerCase() : v.toLowerCase();
}

/** The member reference to write for a card with this UID. */
export function memberValue(uid: string): string {
  const v = uid.trim();
  return URN_UUID.test(v) ? v : `urn:uuid:${v}`;
}

/** Group names are compared without case and surrounding space ("Family" and "family " are one group). */
export function foldName(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}
