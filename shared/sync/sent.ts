/**
 * The texts an edit has been sent as, while no answer to them was seen. Each may have landed on the
 * server (an answer lost, the app killed before it was stored): what the server then holds is our
 * own write, never another client's change to merge against or a conflict with ourselves.
 */

/**
 * A new text about to be sent: the one sent before it (whose answer was never seen, or the card
 * would no longer be marked) may have landed, and is kept among the earlier ones.
 */
export function sentEarlierThan(card: { sentVcard?: string; sentEarlier?: readonly string[] } | undefined, vcard: string | undefined): string[] | undefined {
  if (card?.sentVcard === undefined || vcard === undefined || card.sentVcard === vcard) return card?.sentEarlier === undefined ? undefined : [...card.sentEarlier];
  return [card.sentVcard, ...(card.sentEarlier ?? []).filter((t) => t !== card.sentVcard && t !== vcard)].slice(0, 4);
}

