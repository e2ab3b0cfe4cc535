/**
 * The three-way merge of one label's members (and of the favourites against "starred"), in card
 * ids. Base: the cards that were members here when the last sync ended (`seen`). Local: the
 * members now. Remote: the server's members now, joined to cards. For each card, a side that
 * changed wins; both cannot have changed differently, since membership is yes or no. What the
 * server cannot be asked about (a card Google has no person for yet, a member list cut short)
 * counts as unchanged there, never as a removal.
 */
import type { LabelRemote, Unsettled } from '../../shared/groups';

/** The join between people and the Google book's cards. */
export interface Join {
  contactOf(resourceName: string): string | null;
  personOf(contactId: string): string | null;
}

/** How long this computer's own writes are trusted over the server's reads ("several minutes" of propagation). */
export const SETTLE_MS = 15 * 60_000;

export interface MemberPlan {
  /** The members here after the merge. */
  readonly merged: ReadonlySet<string>;
  /** What the merge changes here. */
  readonly addLocal: string[];
  readonly removeLocal: string[];
  /** What goes to the server, by card and by person. */
  readonly adding: { contactId: string; resourceName: string }[];
  readonly removing: { contactId: string; resourceName: string }[];
  /** Members here Google has no person for yet (a card not uploaded): sent when it has. */
  readonly waiting: string[];
  /** The server's members as read (names), and their cards. */
  readonly remoteNames: readonly string[];
  readonly remoteCards: ReadonlySet<string>;
  /** The members were read in this sync (not taken from the base). */
  readonly fresh: boolean;
}

export interface MemberInput {
  readonly local: readonly string[];
  readonly base: LabelRemote | null;
  /** The server's member names now; null when unchanged since the base (its etag is the same). */
  readonly remote: readonly string[] | null;
  /** The names are the whole list (memberCount matched). */
  readonly complete: boolean;
  readonly join: Join;
  readonly now: number;
}

export function planMembers(input: MemberInput): MemberPlan {
  const { base, join, now } = input;
  const remoteNames = input.remote ?? base?.members ?? [];
  const complete = input.remote === null || input.complete;
  const nameOf = new Map<string, string>();
  for (const rn of remoteNames) {
    const c = join.contactOf(rn);
    if (c !== null && !nameOf.has(c)) nameOf.set(c, rn);
  }
  const R = new Set(nameOf.keys());
  const L = new Set(input.local);
  const seen = new Set(base?.seen ?? []);
  const unsettled = new Set(live(base?.unsettled ?? {}, now).map(([c]) => c));

  const merged = new Set<string>();
  const addLocal: string[] = [];
  const removeLocal: string[] = [];
  const adding: { contactId: string; resourceName: string }[] = [];
  const removing: { contactId: string; resourceName: string }[] = [];
  const waiting: string[] = [];
  for (const c of new Set([...L, ...R, ...seen, ...unsettled])) {
    const r0 = R.has(c);
    // This computer's recent writes: the server's answer may not show them yet, so it is no change there.
    const b = unsettled.has(c) ? r0 : seen.has(c);
    // Unknown there (no person for the card, or a list cut short): unchanged there.
    const known = r0 || (complete && join.personOf(c) !== null);
    const r = known ? r0 : b;
    const l = L.has(c);
    const m = l !== b ? l : r;
    if (m) merged.add(c);
    if (m && !l) addLocal.push(c);
    if (!m && l) removeLocal.push(c);
    if (m && !r0) {
      const rn = join.personOf(c);
      if (rn === null) waiting.push(c);
      else adding.push({ contactId: c, resourceName: rn });
    }
    if (!m && r0) removing.push({ contactId: c, resourceName: nameOf.get(c)! });
  }
  return { merged, addLocal, removeLocal, adding, removing, waiting, remoteNames, remoteCards: R, fresh: input.remote !== null };
}

/** Marks still within the time a write may take to show. */
function live(marks: Readonly<Record<string, Unsettled>>, now: number): [string, Unsettled][] {
  return Object.entries(marks).filter(([, u]) => now - u.at < SETTLE_MS);
}

/** What of a plan's writes Google took (card ids), and the group as read right after them. */
export interface Done {
  readonly added: ReadonlySet<string>;
  readonly removed: ReadonlySet<string>;
  /** Removals Google refused (a contact's last group): the server's membership stands. */
  readonly kept: ReadonlySet<string>;
  /** The group read after the writes, with its members joined to cards; null when not read. */
  readonly after: { readonly etag: string | null; readonly names: readonly string[]; readonly cards: ReadonlySet<string> } | null;
}

export const NOTHING_DONE: Done = { added: new Set(), removed: new Set(), kept: new Set(), after: null };

/**
 * The server's side after the plan's writes. `seen` (the next merge's base here) holds the
 * server's members this computer has had too, so a removal that did not go out is made again next
 * time and an addition that did not is sent again. A write the read after it shows is settled; one
 * it does not show yet stays marked (`unsettled`) until a read does or its time is up.
 */
export function settledRemote(prior: LabelRemote | null, head: { resourceName: string; etag: string | null; name: string; memberCount: number }, plan: MemberPlan, done: Done, now: number): LabelRemote {
  const names = new Set(plan.remoteNames);
  for (const a of plan.adding) if (done.added.has(a.contactId)) names.add(a.resourceName);
  for (const r of plan.removing) if (done.removed.has(r.contactId)) names.delete(r.resourceName);
  const seen = new Set(plan.remoteCards);
  for (const a of done.added) seen.add(a);
  for (const r of [...done.removed, ...done.kept]) seen.delete(r);

  const unsettled: Record<string, Unsettled> = {};
  for (const [c, u] of live(prior?.unsettled ?? {}, now)) {
    // A read of this sync showed the write: settled.
    if (plan.fresh && plan.remoteCards.has(c) === u.member) continue;
    unsettled[c] = u;
  }
  const wrote: [string, boolean][] = [...[...done.added].map((c) => [c, true] as [string, boolean]), ...[...done.removed].map((c) => [c, false] as [string, boolean])];
  for (const [c, member] of wrote) {
    if (done.after !== null && done.after.cards.has(c) === member) delete unsettled[c];
    else unsettled[c] = { at: now, member };
  }
  const after = done.after;
  const final = after !== null ? new Set(after.names) : names;
  return {
    resourceName: head.resourceName,
    // Read after the writes: that etag; written but not read: stale, read the members next time.
    etag: after !== null ? after.etag : wrote.length > 0 ? null : head.etag,
    name: head.name,
    memberCount: final.size,
    members: [...final],
    seen: [...seen],
    unsettled,
  };
}

/** The same base with these cards marked as being written now (saved before the writes go out). */
export function markUnsettled(remote: LabelRemote, writes: Iterable<{ contactId: string; member: boolean }>, now: number): LabelRemote {
  const unsettled = { ...remote.unsettled };
  for (const w of writes) unsettled[w.contactId] = { at: now, member: w.member };
  return { ...remote, unsettled };
}

export type NamePlan =
  | { readonly kind: 'same' }
  /** Send the local name (conflict: the server's was changed too, and is replaced). */
  | { readonly kind: 'push'; readonly conflict: boolean }
  /** Take the server's. */
  | { readonly kind: 'pull' };

export function planName(local: string, base: string, remote: string): NamePlan {
  if (local === remote) return { kind: 'same' };
  if (local === base) return { kind: 'pull' };
  return { kind: 'push', conflict: remote !== base };
}
