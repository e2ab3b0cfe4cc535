/**
 * One labels sync of one Google account, after its CardDAV run: read (people, groups, the members
 * of groups that moved), plan (a three-way merge per label and for the favourites against
 * "starred"), mark the writes about to go out, write to Google one at a time, save in one store
 * write. Every read comes before any write, so a failed read changes nothing. A failed write keeps
 * what landed; the sync tokens then stay where they were, so the next run reads the same changes
 * again and makes the writes that did not go out. Nothing the user did here is dropped: an edit
 * waits until Google has it.
 */
import { randomUUID } from 'node:crypto';
import { EMPTY_PEOPLE_STATE, refusedWrite, type LabelSyncWrite, type LabelUpdate, type PeopleSyncState, type PersonLink } from '../../shared/groups';
import type { PeopleClient } from './client';
import { PeopleRefused } from './errors';
import { markUnsettled, NOTHING_DONE, planMembers, settledRemote, type Done, type MemberPlan } from './merge';
import { planLabels, type LabelAction } from './plan';
import { pushLabel, pushMembers, type PushOutcome } from './push';
import { joined, listing, membersMoved, readMembers, updatedLinks, type GroupNow } from './read';
import type { LabelSnapshot, LabelStore } from './store';
import { STARRED, type ContactGroup } from './types';

export interface LabelSyncOptions {
  readonly client: PeopleClient;
  readonly store: LabelStore;
  readonly now?: () => number;
  readonly newId?: () => string;
  readonly log?: (line: string) => void;
}

export type LabelConflict =
  /** Renamed on both sides: this computer's name was sent. */
  | { readonly kind: 'renamed-both'; readonly label: string; readonly theirs: string }
  /** Deleted here, changed there: the label stays. */
  | { readonly kind: 'deleted-here-changed-there'; readonly label: string }
  /** Changed here, deleted there: made again. */
  | { readonly kind: 'changed-here-deleted-there'; readonly label: string }
  /** Google refused the name (another label has it): the server's name is back here. */
  | { readonly kind: 'name-taken'; readonly label: string; readonly refused: string };

export interface LabelSyncReport {
  readonly full: { readonly people: boolean; readonly groups: boolean };
  /** Groups whose members were read. */
  readonly read: number;
  readonly created: number;
  readonly renamed: number;
  readonly deleted: number;
  /** Memberships Google took from this computer (favourites included). */
  readonly added: number;
  readonly removed: number;
  /** Memberships this computer took from the server. */
  readonly pulled: number;
  /** Members Google has no person for yet, or did not find: sent again later. */
  readonly waiting: number;
  /** People no card of the book could be joined to. */
  readonly unmatched: number;
  readonly conflicts: readonly LabelConflict[];
}

/**
 * One labels sync. A refusal of the People API (no `contacts` scope on this sign-in, the API off
 * for the client's project) is kept in the store, so the window can say why labels do not sync
 * and what to do; the next sync that goes through clears it.
 */
export async function syncLabels(opts: LabelSyncOptions): Promise<LabelSyncReport> {
  try {
    return await syncLabelsOnce(opts);
  } catch (e) {
    if (e instanceof PeopleRefused) await opts.store.apply(refusedWrite(e.refusal));
    throw e;
  }
}

async function syncLabelsOnce(opts: LabelSyncOptions): Promise<LabelSyncReport> {
  const now = (opts.now ?? Date.now)();
  const newId = opts.newId ?? randomUUID;
  const log = opts.log ?? (() => {});
  const { client, store } = opts;

  // Read.
  const snapshot = await store.read();
  const state = snapshot.state ?? EMPTY_PEOPLE_STATE;
  const cards = await store.cards();
  const people = await listing((t) => client.listPeople(t), state.peopleToken, state.peopleFullAt, now);
  const links = updatedLinks(snapshot.people, people);
  const { links: joinedLinks, join } = await joined(links.links, cards, (ids) => store.vcards(ids));
  const groups = await listing((t) => client.listGroups(t), state.groupsToken, state.groupsFullAt, now);
  const listed = new Map(groups.items.map((g) => [g.resourceName, g]));
  const read = await readChangedGroups(client, snapshot, listed, groups.full);
  log(`labels: ${people.full ? 'full' : 'incremental'} people listing (${people.items.length}), ${groups.full ? 'full' : 'incremental'} group listing (${groups.items.length}), ${read.size} member lists read`);

  // Plan, and mark what is about to be written (a lost answer must not read as the server's change).
  const starredRead = read.get(STARRED);
  const starred = planMembers({ local: snapshot.favourites, base: state.starred, remote: starredRead?.members ?? (state.starred === null ? [] : null), complete: starredRead?.complete ?? true, join, now });
  const actions = marked(planLabels({ labels: snapshot.labels, listed, full: groups.full, read, join, now }), now);
  const starredMarks = state.starred !== null && writing(starred).length > 0;
  const starredBase = starredMarks ? markUnsettled(state.starred!, writing(starred), now) : state.starred;
  await saveAttempts(store, actions, starredMarks ? { ...state, starred: starredBase } : null);

  // Write, one at a time; a failure stops the writes, and what landed is still saved.
  const outcomes: PushOutcome[] = [];
  let starredDone: Done & { notFound: number } = { ...NOTHING_DONE, notFound: 0 };
  let failure: unknown = null;
  try {
    for (const a of actions) outcomes.push(await pushLabel(client, a, { join, now, newId, listed }));
    starredDone = await pushMembers(client, STARRED, starred, join);
  } catch (e) {
    failure = e;
  }

  // Save.
  const starredGroup = starredRead?.group ?? listed.get(STARRED);
  const starredHead = { resourceName: STARRED, etag: starredGroup?.etag ?? state.starred?.etag ?? null, name: 'starred', memberCount: starredGroup?.memberCount ?? state.starred?.memberCount ?? 0 };
  const failed = failure !== null;
  const write: LabelSyncWrite = {
    labels: outcomes.flatMap((o) => o.updates),
    favourites: { add: starred.addLocal, remove: starred.removeLocal },
    people: { put: changedLinks(snapshot.people, joinedLinks), remove: links.removed },
    state: {
      groupsToken: failed ? state.groupsToken : groups.token,
      groupsFullAt: failed ? state.groupsFullAt : groups.fullAt,
      peopleToken: failed ? state.peopleToken : people.token,
      peopleFullAt: failed ? state.peopleFullAt : people.fullAt,
      starred: settledRemote(starredBase, starredHead, starred, starredDone, now),
    },
    // Every read went through: the API takes this sign-in (a refused write says so below).
    ...(failure instanceof PeopleRefused ? {} : { access: 'ok' as const }),
  };
  await store.apply(write);
  const report = summarize(people.full, groups.full, read.size, outcomes, starred, starredDone, joinedLinks.filter((l) => l.contactId === null).length);
  log(`labels: ${report.created} made, ${report.renamed} renamed, ${report.deleted} deleted, ${report.added} memberships sent, ${report.removed} removed, ${report.pulled} taken from Google, ${report.waiting} waiting${failed ? '; stopped by a failure' : ''}`);
  if (failed) throw failure;
  return report;
}

/** The members of every group that moved, of groups new on the server, and of "starred". */
async function readChangedGroups(client: PeopleClient, snapshot: LabelSnapshot, listed: ReadonlyMap<string, ContactGroup>, full: boolean): Promise<Map<string, GroupNow | null>> {
  const out = new Map<string, GroupNow | null>();
  const known = new Set<string>();
  for (const l of snapshot.labels) {
    const base = l.remote;
    if (base === null) continue;
    known.add(base.resourceName);
    const entry = listed.get(base.resourceName);
    if (entry?.metadata?.deleted === true || (full && entry === undefined)) continue;
    if (membersMoved(base, entry)) out.set(base.resourceName, await readMembers(client, base.resourceName, entry?.memberCount ?? base.memberCount));
  }
  for (const g of listed.values()) {
    if (known.has(g.resourceName) || g.metadata?.deleted === true || g.groupType !== 'USER_CONTACT_GROUP') continue;
    out.set(g.resourceName, await readMembers(client, g.resourceName, g.memberCount ?? 0));
  }
  const starred = snapshot.state?.starred ?? null;
  const entry = listed.get(STARRED);
  if (membersMoved(starred, entry)) out.set(STARRED, await readMembers(client, STARRED, entry?.memberCount ?? starred?.memberCount ?? 0));
  return out;
}

/** The membership writes a plan will make. */
const writing = (plan: MemberPlan): { contactId: string; member: boolean }[] => [
  ...plan.adding.map((a) => ({ contactId: a.contactId, member: true })),
  ...plan.removing.map((r) => ({ contactId: r.contactId, member: false })),
];

/** Merges whose bases carry the marks of the writes about to go out. */
function marked(actions: LabelAction[], now: number): LabelAction[] {
  return actions.map((a) => (a.kind === 'merge' && writing(a.members).length > 0 ? { ...a, base: markUnsettled(a.base, writing(a.members), now) } : a));
}

/** Saved before any write goes out: the marked bases (an adopted label is linked to its group now). */
async function saveAttempts(store: LabelStore, actions: readonly LabelAction[], state: PeopleSyncState | null): Promise<void> {
  const updates: LabelUpdate[] = actions.flatMap((a): LabelUpdate[] =>
    a.kind === 'merge' && (writing(a.members).length > 0 || a.label.remote === null) ? [{ kind: 'update', id: a.label.id, remote: a.base, add: [], remove: [] }] : [],
  );
  if (updates.length === 0 && state === null) return;
  await store.apply({ labels: updates, favourites: { add: [], remove: [] }, people: { put: [], remove: [] }, state });
}

function changedLinks(before: readonly PersonLink[], after: readonly PersonLink[]): PersonLink[] {
  const old = new Map(before.map((l) => [l.resourceName, l]));
  return after.filter((l) => {
    const o = old.get(l.resourceName);
    return o === undefined || o.contactId !== l.contactId || o.sourceId !== l.sourceId || o.print !== l.print;
  });
}

function summarize(peopleFull: boolean, groupsFull: boolean, read: number, outcomes: readonly PushOutcome[], starred: MemberPlan, starredDone: Done & { notFound: number }, unmatched: number): LabelSyncReport {
  const sum = (f: (o: PushOutcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
  return {
    full: { people: peopleFull, groups: groupsFull },
    read,
    created: sum((o) => o.created),
    renamed: sum((o) => o.renamed),
    deleted: sum((o) => o.deleted),
    added: sum((o) => o.added) + starredDone.added.size,
    removed: sum((o) => o.removed) + starredDone.removed.size,
    pulled: sum((o) => o.pulled) + starred.addLocal.length + starred.removeLocal.length,
    waiting: sum((o) => o.waiting) + starred.waiting.length + starredDone.notFound,
    unmatched,
    conflicts: outcomes.flatMap((o) => o.conflicts),
  };
}
