/**
 * What the labels sync will do with each label, decided from what this computer holds and what
 * the server holds now (reads done). An edit against a deletion keeps the edit, as the card sync
 * does: a label deleted here but changed there comes back; one changed here but deleted there is
 * made again.
 */
import { foldName, type LabelRemote, type StoredLabel } from '../../shared/groups';
import { planMembers, planName, type Join, type MemberPlan, type NamePlan } from './merge';
import type { GroupNow } from './read';
import type { ContactGroup } from './types';

export interface Head {
  readonly resourceName: string;
  readonly etag: string | null;
  readonly name: string;
  readonly memberCount: number;
}

export type LabelAction =
  /** Gone on both sides (or never sent and deleted here). */
  | { readonly kind: 'purge'; readonly label: StoredLabel }
  /** Not on the server (new here, or deleted there while changed here): make it, then its members. */
  | { readonly kind: 'create'; readonly label: StoredLabel; readonly restored: boolean }
  /** Deleted here, unchanged there: delete it there. */
  | { readonly kind: 'delete'; readonly label: StoredLabel; readonly base: LabelRemote }
  /** On both sides: name and members merged. */
  | {
      readonly kind: 'merge';
      readonly label: StoredLabel;
      readonly base: LabelRemote;
      readonly head: Head;
      readonly name: NamePlan;
      readonly members: MemberPlan;
      /** Deleted here but changed there: it stays. */
      readonly undelete: boolean;
    }
  /** New on the server. */
  | { readonly kind: 'new'; readonly head: Head; readonly members: MemberPlan };

export function headOf(g: ContactGroup, fallback?: LabelRemote): Head {
  return {
    resourceName: g.resourceName,
    etag: g.etag ?? null,
    name: g.name ?? g.formattedName ?? fallback?.name ?? '',
    memberCount: g.memberCount ?? fallback?.memberCount ?? 0,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const s = new Set(a);
  return s.size === new Set(b).size && b.every((x) => s.has(x));
};

/** The user changed the label since the last sync (name or members). */
export function changedHere(l: StoredLabel): boolean {
  return l.remote !== null && (l.name !== l.remote.name || !sameSet(l.members, l.remote.seen));
}

export interface PlanInput {
  readonly labels: readonly StoredLabel[];
  /** Every group of the listing (changed ones, or all after a full listing), by resource name. */
  readonly listed: ReadonlyMap<string, ContactGroup>;
  readonly full: boolean;
  /** Members read, by resource name (null: the group is gone). */
  readonly read: ReadonlyMap<string, GroupNow | null>;
  readonly join: Join;
  readonly now: number;
}

export function planLabels(input: PlanInput): LabelAction[] {
  const { listed, read, join, now } = input;
  const actions: LabelAction[] = [];
  const known = new Set(input.labels.flatMap((l) => (l.remote === null ? [] : [l.remote.resourceName])));
  const goneThere = (base: LabelRemote): boolean => {
    const entry = listed.get(base.resourceName);
    return entry?.metadata?.deleted === true || (input.full && entry === undefined) || read.get(base.resourceName) === null;
  };
  /**
   * Labels made here, not sent yet, by name: a label of that name new on the server is this one.
   * So is a label deleted there but changed here (it would be made again): when the server has a
   * new label of its name (made there again), the two are one label, not two of one name.
   */
  const unsent = new Map(input.labels.filter((l) => l.remote === null && !l.deleted).map((l) => [foldName(l.name), l]));
  for (const l of input.labels) {
    if (l.remote === null || l.deleted || !changedHere(l) || !goneThere(l.remote)) continue;
    if (!unsent.has(foldName(l.name))) unsent.set(foldName(l.name), l);
  }
  const adopted = new Set<string>();

  for (const g of listed.values()) {
    if (known.has(g.resourceName) || g.metadata?.deleted === true || g.groupType !== 'USER_CONTACT_GROUP') continue;
    const now2 = read.get(g.resourceName);
    if (now2 === null || now2 === undefined) continue;
    const head = headOf(now2.group);
    const mine = unsent.get(foldName(head.name));
    if (mine !== undefined) {
      // Made here and there under one name (or made here, sent, and its answer lost): one label.
      adopted.add(mine.id);
      const base: LabelRemote = { resourceName: head.resourceName, etag: head.etag, name: head.name, memberCount: head.memberCount, members: [], seen: [], unsettled: {} };
      actions.push({ kind: 'merge', label: mine, base, head, name: planName(mine.name, head.name, head.name), members: planMembers({ local: mine.members, base, remote: now2.members, complete: now2.complete, join, now }), undelete: false });
      continue;
    }
    actions.push({ kind: 'new', head, members: planMembers({ local: [], base: null, remote: now2.members, complete: now2.complete, join, now }) });
  }

  for (const l of input.labels) {
    if (adopted.has(l.id)) continue;
    const base = l.remote;
    if (base === null) {
      actions.push(l.deleted ? { kind: 'purge', label: l } : { kind: 'create', label: l, restored: false });
      continue;
    }
    const entry = listed.get(base.resourceName);
    const fetchedNow = read.get(base.resourceName);
    if (goneThere(base) || fetchedNow === null) {
      if (!l.deleted && changedHere(l)) actions.push({ kind: 'create', label: l, restored: true });
      else actions.push({ kind: 'purge', label: l });
      continue;
    }
    const fetched = fetchedNow;
    const head = fetched !== undefined ? headOf(fetched.group, base) : entry !== undefined ? headOf(entry, base) : { resourceName: base.resourceName, etag: base.etag, name: base.name, memberCount: base.memberCount };
    const members = planMembers({ local: l.members, base, remote: fetched?.members ?? null, complete: fetched?.complete ?? true, join, now });
    const changedThere = head.name !== base.name || members.addLocal.length > 0 || members.removeLocal.length > 0;
    if (l.deleted && !changedThere) {
      actions.push({ kind: 'delete', label: l, base });
      continue;
    }
    actions.push({ kind: 'merge', label: l, base, head, name: planName(l.name, base.name, head.name), members, undelete: l.deleted });
  }
  return actions;
}
