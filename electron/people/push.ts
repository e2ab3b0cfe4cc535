/**
 * The labels sync's writes to Google, one label at a time (the client sends one request at a time
 * as well), and what each landed write means for the stored label.
 */
import { foldName, type LabelUpdate } from '../../shared/groups';
import { Conflict, NotFound } from '../dav/errors';
import type { PeopleClient } from './client';
import { NOTHING_DONE, planMembers, settledRemote, type Done, type Join, type MemberPlan } from './merge';
import { changedHere, headOf, type Head, type LabelAction } from './plan';
import { readMembers } from './read';
import type { LabelConflict } from './sync';
import type { ContactGroup } from './types';

export interface PushContext {
  readonly join: Join;
  readonly now: number;
  readonly newId: () => string;
  /** The groups the listing gave (to find a label by name after a 409). */
  readonly listed: ReadonlyMap<string, ContactGroup>;
}

export interface PushOutcome {
  readonly updates: LabelUpdate[];
  readonly created: number;
  readonly renamed: number;
  readonly deleted: number;
  readonly added: number;
  readonly removed: number;
  readonly pulled: number;
  readonly waiting: number;
  readonly conflicts: LabelConflict[];
}

const outcome = (updates: LabelUpdate[], more: Partial<Omit<PushOutcome, 'updates'>> = {}): PushOutcome => ({
  updates,
  created: 0,
  renamed: 0,
  deleted: 0,
  added: 0,
  removed: 0,
  pulled: 0,
  waiting: 0,
  conflicts: [],
  ...more,
});

/**
 * A plan's membership writes, what Google took of them, and the group read right after (Google's
 * reads of a group may lag its writes; what the read shows is settled, the rest stays marked).
 */
export async function pushMembers(client: PeopleClient, resourceName: string, plan: MemberPlan, join: Join): Promise<Done & { notFound: number }> {
  if (plan.adding.length + plan.removing.length === 0) return { ...NOTHING_DONE, notFound: 0 };
  const res = await client.modifyMembers(
    resourceName,
    plan.adding.map((a) => a.resourceName),
    plan.removing.map((r) => r.resourceName),
  );
  const notFound = new Set(res.notFound);
  const refused = new Set(res.cannotRemoveLast);
  const added = new Set(plan.adding.filter((a) => !notFound.has(a.resourceName)).map((a) => a.contactId));
  const removed = new Set(plan.removing.filter((r) => !notFound.has(r.resourceName) && !refused.has(r.resourceName)).map((r) => r.contactId));
  const read = await readMembers(client, resourceName, plan.remoteNames.length + added.size);
  const after =
    read === null || !read.complete
      ? null
      : { etag: read.group.etag ?? null, names: read.members ?? [], cards: new Set((read.members ?? []).map((n) => join.contactOf(n)).filter((c): c is string => c !== null)) };
  return { added, removed, kept: new Set(plan.removing.filter((r) => refused.has(r.resourceName)).map((r) => r.contactId)), after, notFound: notFound.size };
}

function counts(plan: MemberPlan, done: Done & { notFound: number }): Partial<PushOutcome> {
  return { added: done.added.size, removed: done.removed.size, pulled: plan.addLocal.length + plan.removeLocal.length, waiting: plan.waiting.length + done.notFound };
}

export async function pushLabel(client: PeopleClient, a: LabelAction, ctx: PushContext): Promise<PushOutcome> {
  switch (a.kind) {
    case 'purge':
      return outcome([{ kind: 'purge', id: a.label.id, read: a.label }]);
    case 'delete':
      try {
        await client.deleteGroup(a.base.resourceName);
      } catch (e) {
        if (!(e instanceof NotFound)) throw e; // already gone: what was wanted
      }
      return outcome([{ kind: 'purge', id: a.label.id, read: a.label }], { deleted: 1 });
    case 'new': {
      const label = { id: ctx.newId(), name: a.head.name, members: [...a.members.merged], deleted: false, remote: settledRemote(null, a.head, a.members, NOTHING_DONE, ctx.now) };
      return outcome([{ kind: 'new', label }], { pulled: a.members.merged.size });
    }
    case 'create':
      return create(client, a.label, a.restored, ctx);
    case 'merge':
      return merge(client, a, ctx);
  }
}

async function create(client: PeopleClient, label: Extract<LabelAction, { kind: 'create' }>['label'], restored: boolean, ctx: PushContext): Promise<PushOutcome> {
  const { join, now } = ctx;
  let head: Head;
  let remoteMembers: string[] = [];
  let complete = true;
  let created = 1;
  try {
    head = headOf(await client.createGroup(label.name));
  } catch (e) {
    if (!(e instanceof Conflict)) throw e;
    // The name is taken: a label made here whose answer was lost, or one made elsewhere meanwhile. Join it.
    const found = await findByName(client, ctx.listed, label.name);
    if (found === null) throw e;
    const now2 = await readMembers(client, found.resourceName, found.memberCount ?? 0);
    if (now2 === null) throw e;
    head = headOf(now2.group);
    remoteMembers = now2.members ?? [];
    complete = now2.complete;
    created = 0;
  }
  const plan = planMembers({ local: label.members, base: null, remote: remoteMembers, complete, join, now });
  const done = await pushMembers(client, head.resourceName, plan, join);
  const conflicts: LabelConflict[] = restored ? [{ kind: 'changed-here-deleted-there', label: label.name }] : [];
  const update: LabelUpdate = { kind: 'update', id: label.id, remote: settledRemote(null, head, plan, done, now), add: plan.addLocal, remove: plan.removeLocal };
  return outcome([update], { created, conflicts, ...counts(plan, done) });
}

async function findByName(client: PeopleClient, listed: ReadonlyMap<string, ContactGroup>, name: string): Promise<ContactGroup | null> {
  const match = (g: ContactGroup) => g.groupType === 'USER_CONTACT_GROUP' && g.metadata?.deleted !== true && foldName(g.name ?? '') === foldName(name);
  const here = [...listed.values()].find(match);
  if (here !== undefined) return here;
  return (await client.listGroups(null)).items.find(match) ?? null;
}

async function merge(client: PeopleClient, a: Extract<LabelAction, { kind: 'merge' }>, ctx: PushContext): Promise<PushOutcome> {
  const conflicts: LabelConflict[] = [];
  let head = a.head;
  let rename: { from: string; to: string } | undefined;
  let renamed = 0;
  if (a.undelete) conflicts.push({ kind: 'deleted-here-changed-there', label: a.label.name });
  try {
    if (a.name.kind === 'push') {
      try {
        head = headOf(await client.renameGroup(head.resourceName, a.label.name), a.base);
        renamed = 1;
        if (a.name.conflict) conflicts.push({ kind: 'renamed-both', label: a.label.name, theirs: a.head.name });
      } catch (e) {
        if (!(e instanceof Conflict)) throw e;
        conflicts.push({ kind: 'name-taken', label: a.head.name, refused: a.label.name });
        rename = { from: a.label.name, to: a.head.name };
      }
    } else if (a.name.kind === 'pull') rename = { from: a.label.name, to: head.name };
    const done = await pushMembers(client, head.resourceName, a.members, ctx.join);
    const update: LabelUpdate = {
      kind: 'update',
      id: a.label.id,
      remote: settledRemote(a.base, head, a.members, done, ctx.now),
      ...(rename !== undefined ? { rename } : {}),
      add: a.members.addLocal,
      remove: a.members.removeLocal,
      ...(a.undelete ? { undelete: true } : {}),
    };
    return outcome([update], { renamed, conflicts, ...counts(a.members, done) });
  } catch (e) {
    if (!(e instanceof NotFound)) throw e;
    // Deleted there while this ran: gone here too, unless changed here (then made again next time).
    if (a.undelete || !changedHere(a.label)) return outcome([{ kind: 'purge', id: a.label.id, read: a.label }]);
    return outcome([{ kind: 'update', id: a.label.id, remote: null, add: [], remove: [] }], { conflicts: [{ kind: 'changed-here-deleted-there', label: a.label.name }] });
  }
}
