/**
 * What the window shows as one contact is exported, printed and shared as one. A linked contact
 * (cards of several books, store/links.ts) is one row in the list and one view with every card:
 * an export of all contacts or of the selection, a print and a share take it as one card that
 * holds what its cards hold (the union the duplicates review would merge by default: the shown
 * card's name and single values, every e-mail, number, address and group of each, every note),
 * named as the list names it, a favourite if any of its cards is. A book's or a group's export
 * holds one card of a link at most (a link joins books), so it stays that book's cards as stored.
 * A group card in the same export that names one of the link's other cards as a member names the
 * one card instead (its UID is the shown card's), so no member reference points at nothing.
 */
import { applyMerge, buildReview } from '../../../../shared/duplicates/review';
import { memberKey, memberValue, uidKey } from '../../../../shared/groups/members';
import { cardUid, parseVCard, serializeVCard, type VProperty } from '../../../../shared/vcard';
import type { LiveLink } from '../../store/links';
import type { ExportCardInput } from './export-run';

/** One card of a link's cards: the shown card's (`primary`) single values, every item of each. */
export function linkedCard(cards: readonly { readonly id: string; readonly vcard: string }[], primary: string, region: string): string {
  if (cards.length === 1) return cards[0]!.vcard;
  const sources = cards.map((c) => ({ id: c.id, card: parseVCard(c.vcard) }));
  const survivor = sources.some((s) => s.id === primary) ? primary : sources[0]!.id;
  return applyMerge(buildReview(sources, { region, survivor })).vcard;
}

/** Ids with every card of a selected link (after the selected one): what the selection shows. */
export function withLinkedCards(ids: readonly string[], linkOf: (id: string) => LiveLink | null): string[] {
  const out = new Set<string>();
  for (const id of ids) {
    out.add(id);
    for (const m of linkOf(id)?.members ?? []) out.add(m);
  }
  return [...out];
}

/**
 * The ids among these that belong to a link, each with its link and the link's shown card: what
 * a print worker, which reads the cards itself, needs to make each link one card (`asShown`).
 */
export function linkEntries(ids: readonly string[], linkOf: (id: string) => LiveLink | null): (readonly [id: string, link: string, primary: string])[] {
  return ids.flatMap((id) => {
    const link = linkOf(id);
    return link === null ? [] : [[id, link.id, link.primary] as const];
  });
}

/** How many contacts these ids are as the list shows them (a link's cards once). */
export function countAsShown(ids: readonly string[], linkOf: (id: string) => LiveLink | null): number {
  const seen = new Set<string>();
  let n = 0;
  for (const id of ids) {
    const link = linkOf(id);
    if (link === null) n++;
    else if (!seen.has(link.id)) {
      seen.add(link.id);
      n++;
    }
  }
  return n;
}

/**
 * Entries (in list order) with each link's cards among them as one entry, in the place of its
 * shown card (else of its first card there). Entries of no link, and group cards, as they are.
 */
export function asShown(entries: readonly ExportCardInput[], linkOf: (id: string) => LiveLink | null, region: string): ExportCardInput[] {
  const byLink = new Map<string, ExportCardInput[]>();
  for (const e of entries) {
    const link = linkOf(e.id);
    if (link !== null) byLink.set(link.id, [...(byLink.get(link.id) ?? []), e]);
  }
  if (![...byLink.values()].some((m) => m.length > 1)) return [...entries];
  // The UIDs of the cards folded into another, each to the UID of the card that holds them now.
  const folded = new Map<string, string>();
  for (const members of byLink.values()) {
    if (members.length < 2) continue;
    const primary = linkOf(members[0]!.id)?.primary;
    const at = members.find((m) => m.id === primary) ?? members[0]!;
    const kept = cardUid(at.vcard);
    if (kept === undefined) continue;
    for (const m of members) {
      const uid = m === at ? undefined : cardUid(m.vcard);
      if (uid !== undefined && uidKey(uid) !== uidKey(kept)) folded.set(uidKey(uid), kept);
    }
  }
  const out: ExportCardInput[] = [];
  for (const e of entries) {
    const link = linkOf(e.id);
    const members = link === null ? undefined : byLink.get(link.id);
    if (link === null || members === undefined || members.length < 2) {
      out.push(folded.size > 0 && isGroupCard(e.vcard) ? { ...e, vcard: membersRenamed(e.vcard, folded) } : e);
      continue;
    }
    const at = members.find((m) => m.id === link.primary) ?? members[0]!;
    if (e !== at) continue;
    const ordered = [at, ...members.filter((m) => m !== at)];
    out.push({ id: at.id, vcard: linkedCard(ordered, at.id, region), favorite: members.some((m) => m.favorite), name: at.name });
  }
  return out;
}

const MEMBER_NAMES = new Set(['MEMBER', 'X-ADDRESSBOOKSERVER-MEMBER']);

function isGroupCard(vcard: string): boolean {
  return /^(?:[\w-]+\.)?(?:KIND|X-ADDRESSBOOKSERVER-KIND):\s*group\s*$/im.test(vcard);
}

/** A group card whose members folded into a linked card name that card, once. */
function membersRenamed(vcard: string, folded: ReadonlyMap<string, string>): string {
  let card;
  try {
    card = parseVCard(vcard);
  } catch {
    return vcard;
  }
  const named = new Set<string>();
  const properties: VProperty[] = [];
  let changed = false;
  for (const p of card.properties) {
    if (!MEMBER_NAMES.has(p.name.toUpperCase())) {
      properties.push(p);
      continue;
    }
    const to = folded.get(memberKey(p.value));
    const value = to === undefined ? p.value : memberValue(to);
    const key = `${p.name.toUpperCase()}:${memberKey(value)}`;
    if (to !== undefined) changed = true;
    if (named.has(key)) continue;
    named.add(key);
    properties.push(to === undefined ? p : { ...p, value });
  }
  return changed ? serializeVCard({ properties }) : vcard;
}
