/**
 * The labels sync's reads: the people (to join them to cards) and the groups, each incrementally
 * by its sync token while Google still takes it (7 days after the full listing that began it),
 * else in full; then the members of the groups whose etag or member count moved.
 */
import type { LabelRemote, PersonLink } from '../../shared/groups';
import { NotFound } from '../dav/errors';
import type { PeopleClient } from './client';
import { ExpiredSyncToken } from './errors';
import { cardsByContactId, hexOfResourceName, hrefContactId, joinPeople, linkOf, resourceNameOfHex, cardPrint, type CardRef } from './identity';
import type { Join } from './merge';
import type { ContactGroup, Person } from './types';

/** Google: "Sync tokens expire 7 days after the full sync." A full listing an hour before that. */
export const TOKEN_LIFE_MS = 7 * 24 * 3600_000 - 3600_000;

export interface Listed<T> {
  readonly items: T[];
  readonly token: string | null;
  /** A full listing (no token, or the token was refused). */
  readonly full: boolean;
  /** When the full listing of this token's chain ran. */
  readonly fullAt: number;
}

/** A listing by token when it is fresh enough, else (or when Google refuses it) a full one. */
export async function listing<T>(
  list: (token: string | null) => Promise<{ items: T[]; syncToken: string | null }>,
  token: string | null,
  fullAt: number | null,
  now: number,
): Promise<Listed<T>> {
  if (token !== null && fullAt !== null && now - fullAt < TOKEN_LIFE_MS) {
    try {
      const r = await list(token);
      return { items: r.items, token: r.syncToken, full: false, fullAt };
    } catch (e) {
      if (!(e instanceof ExpiredSyncToken)) throw e;
    }
  }
  const r = await list(null);
  return { items: r.items, token: r.syncToken, full: true, fullAt: now };
}

/** The people links after a listing: a full one replaces them, changes update them. */
export function updatedLinks(previous: readonly PersonLink[], listed: Listed<Person>): { links: PersonLink[]; removed: string[] } {
  const byName = new Map(previous.map((l) => [l.resourceName, l]));
  const removed = new Set<string>();
  if (listed.full) {
    const next = new Map<string, PersonLink>();
    for (const p of listed.items) if (p.metadata?.deleted !== true) next.set(p.resourceName, linkOf(p, byName.get(p.resourceName)));
    for (const n of byName.keys()) if (!next.has(n)) removed.add(n);
    return { links: [...next.values()], removed: [...removed] };
  }
  for (const p of listed.items) {
    for (const old of p.metadata?.previousResourceNames ?? []) if (byName.delete(old)) removed.add(old);
    if (p.metadata?.deleted === true) {
      if (byName.delete(p.resourceName)) removed.add(p.resourceName);
      continue;
    }
    byName.set(p.resourceName, linkOf(p, byName.get(p.resourceName)));
    removed.delete(p.resourceName);
  }
  return { links: [...byName.values()], removed: [...removed] };
}

/** Each list of cards' hrefs by card id, made once (the labels sync keeps the cards it read between runs). */
const hrefsOfCards = new WeakMap<readonly CardRef[], ReadonlyMap<string, string>>();
function hrefsOf(cards: readonly CardRef[]): ReadonlyMap<string, string> {
  let made = hrefsOfCards.get(cards);
  if (made === undefined) {
    made = new Map(cards.filter((c) => c.href !== '').map((c) => [c.id, c.href]));
    hrefsOfCards.set(cards, made);
  }
  return made;
}

/** The people joined to cards, and the join the merges use. */
export async function joined(links: readonly PersonLink[], cards: readonly CardRef[], vcards: (ids: readonly string[]) => Promise<ReadonlyMap<string, string>>): Promise<{ links: PersonLink[]; join: Join }> {
  const next = await joinPeople(links, cards, async (ids) => new Map([...(await vcards(ids))].map(([id, v]) => [id, cardPrint(v)])));
  const byContactId = cardsByContactId(cards);
  const cardOf = new Map<string, string>();
  const personOf = new Map<string, string>();
  for (const l of next) {
    if (l.contactId === null) continue;
    cardOf.set(l.resourceName, l.contactId);
    if (!personOf.has(l.contactId)) personOf.set(l.contactId, l.resourceName);
  }
  const hrefOf = hrefsOf(cards);
  const join: Join = {
    // A member the listing has not shown yet (Google's reads lag): its decimal name, if a card has that id.
    contactOf: (rn) => cardOf.get(rn) ?? byContactId.get(hexOfResourceName(rn) ?? '') ?? null,
    personOf: (c) => {
      const known = personOf.get(c);
      if (known !== undefined) return known;
      const href = hrefOf.get(c);
      const derived = href === undefined ? null : resourceNameOfHex(hrefContactId(href));
      // Only a name no listed person holds: two cards must never claim one person.
      return derived !== null && !cardOf.has(derived) ? derived : null;
    },
  };
  return { links: next, join };
}

/** What the server holds of a group now: its head, and its members when they were read. */
export interface GroupNow {
  readonly group: ContactGroup;
  /** Member names, read because the group changed; null: unchanged since the base. */
  readonly members: string[] | null;
  readonly complete: boolean;
}

/** Whether a group's members must be read again: its etag or count moved, or this computer wrote them. */
export function membersMoved(base: LabelRemote | null, listed: ContactGroup | undefined): boolean {
  if (base === null || base.etag === null) return true;
  if (listed === undefined) return false;
  return (listed.etag ?? null) !== base.etag || (listed.memberCount ?? 0) !== base.memberCount;
}

/**
 * A group's members, asking for as many as it holds; if Google gives fewer than its count (a cap
 * on maxMembers), the list is marked incomplete and no removal is read from it. Null: the group is gone.
 */
export async function readMembers(client: PeopleClient, resourceName: string, expected: number): Promise<GroupNow | null> {
  try {
    let g = await client.getGroup(resourceName, Math.max(expected, 1) + 50);
    const count = g.memberCount ?? 0;
    if ((g.memberResourceNames ?? []).length < count) g = await client.getGroup(resourceName, count);
    const names = g.memberResourceNames ?? [];
    return { group: g, members: names, complete: names.length >= (g.memberCount ?? 0) };
  } catch (e) {
    if (e instanceof NotFound) return null;
    throw e;
  }
}
