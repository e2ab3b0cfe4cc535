/**
 * Google labels as this computer keeps them. Google's CardDAV carries no groups, so a Google
 * book's groups live in their own records (not in the vCards: renaming a label of 5,000 people
 * must not make 5,000 card uploads). Each record holds what the user sees (name, members by card
 * id, a deletion not yet sent) and the server's side as last synced (`remote`), which is the base of
 * the three-way merge the labels sync makes. The user's edits change only the first part; the sync
 * writes through `applyLabelSync`, inside the store's transaction, so an edit made while a sync
 * runs is kept.
 */

/** The server's side of a label, as the last sync left it. */
export interface LabelRemote {
  /** `contactGroups/…` */
  readonly resourceName: string;
  /** The group's etag as last read; null: this computer changed its members, read them again next time. */
  readonly etag: string | null;
  /** The server's name as last synced. */
  readonly name: string;
  readonly memberCount: number;
  /** The server's members (`people/…`) as last synced. */
  readonly members: readonly string[];
  /** The card ids that were members here when the last sync ended: the local base of the merge. */
  readonly seen: readonly string[];
  /**
   * Cards whose membership this computer is writing, or wrote and has not yet seen in a read of the
   * group (card id → when, and whether it made the card a member). Until a read shows it, the
   * server's answer for them is not taken as a change made there: an answer may have been lost,
   * and Google's reads may lag its writes.
   */
  readonly unsettled: Readonly<Record<string, Unsettled>>;
}

export interface Unsettled {
  readonly at: number;
  readonly member: boolean;
}

export interface StoredLabel {
  /** The local id (the group key is `label:<id>`). */
  readonly id: string;
  readonly name: string;
  /** Card ids of the Google book. */
  readonly members: readonly string[];
  /** Deleted here; the record goes once the server has deleted it too. */
  readonly deleted: boolean;
  /** Null until the label exists on the server. */
  readonly remote: LabelRemote | null;
}

/** A People API person joined to a card of the Google book. */
export interface PersonLink {
  /** `people/c…` */
  readonly resourceName: string;
  /** The person's CONTACT source id: the last segment of its CardDAV href. */
  readonly sourceId: string;
  /** The card it is, once found. */
  readonly contactId: string | null;
  /** Name, e-mail addresses and phone digits, for the fallback match. */
  readonly print: string;
}

/** The labels sync's own state for one Google account. */
export interface PeopleSyncState {
  /** contactGroups.list's sync token, and when the full listing that began its chain ran. */
  readonly groupsToken: string | null;
  readonly groupsFullAt: number | null;
  /** people.connections.list's sync token, and when its full listing ran. */
  readonly peopleToken: string | null;
  readonly peopleFullAt: number | null;
  /** Google's "starred" system group (Cardinal's favourites), as last synced. */
  readonly starred: LabelRemote | null;
}

export const EMPTY_PEOPLE_STATE: PeopleSyncState = { groupsToken: null, groupsFullAt: null, peopleToken: null, peopleFullAt: null, starred: null };

/** What a sync changes for one label. */
export type LabelUpdate =
  /** A label that appeared on the server. */
  | { readonly kind: 'new'; readonly label: StoredLabel }
  /**
   * The server's side replaced; the user's side moved by deltas (members added and removed, the
   * name changed only if it is still `rename.from`), so an edit made meanwhile survives.
   */
  | {
      readonly kind: 'update';
      readonly id: string;
      readonly remote: LabelRemote | null;
      readonly rename?: { readonly from: string; readonly to: string };
      readonly add: readonly string[];
      readonly remove: readonly string[];
      /** A deletion made here that the server refused to take (it changed there): the label stays. */
      readonly undelete?: boolean;
    }
  /** Gone on both sides. Kept instead if the user changed it since `read` (it is then sent again). */
  | { readonly kind: 'purge'; readonly id: string; readonly read: StoredLabel };

export interface LabelSyncWrite {
  readonly labels: readonly LabelUpdate[];
  /** Favourites as the starred group changed them (deltas, as for label members). */
  readonly favourites: { readonly add: readonly string[]; readonly remove: readonly string[] };
  readonly people: { readonly put: readonly PersonLink[]; readonly remove: readonly string[] };
  /** Saved with the rest (null: keep the stored state; a first write that only marks attempts). */
  readonly state: PeopleSyncState | null;
  /** Whether Google let this sign-in use the People API (left out: as it was). */
  readonly access?: LabelAccess;
}

/**
 * Whether the labels sync could use the People API: `ok`, or why not (the sign-in lacks the
 * `contacts` scope: sign in again and allow it; the OAuth client's project has the API off).
 */
export type LabelAccess = 'ok' | 'scope-missing' | 'api-disabled';

/** A write that only says the People API refused this sign-in: nothing else changes. */
export function refusedWrite(access: Exclude<LabelAccess, 'ok'>): LabelSyncWrite {
  return { labels: [], favourites: { add: [], remove: [] }, people: { put: [], remove: [] }, state: null, access };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function userSideSame(a: StoredLabel, b: StoredLabel): boolean {
  return a.name === b.name && a.deleted === b.deleted && sameList([...a.members].sort(), [...b.members].sort());
}

function moved(members: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const gone = new Set(remove);
  const out = members.filter((m) => !gone.has(m));
  const have = new Set(out);
  for (const a of add) {
    if (have.has(a)) continue;
    have.add(a);
    out.push(a);
  }
  return out;
}

/**
 * A sync's write applied to the labels and favourites as they are now (the store calls this in its
 * transaction). Pure: returns the new records; labels not named are unchanged.
 */
export function applyLabelSync(
  labels: readonly StoredLabel[],
  favourites: ReadonlySet<string>,
  write: LabelSyncWrite,
): { labels: StoredLabel[]; favourites: Set<string> } {
  const byId = new Map(labels.map((l) => [l.id, l]));
  for (const u of write.labels) {
    if (u.kind === 'new') {
      if (!byId.has(u.label.id)) byId.set(u.label.id, u.label);
      continue;
    }
    const current = byId.get(u.id);
    if (current === undefined) continue;
    if (u.kind === 'purge') {
      // Changed by the user since the sync read it: keep it, unlinked, so the next sync sends it again.
      if (userSideSame(current, u.read)) byId.delete(u.id);
      else byId.set(u.id, { ...current, remote: null });
      continue;
    }
    byId.set(u.id, {
      ...current,
      name: u.rename !== undefined && current.name === u.rename.from ? u.rename.to : current.name,
      members: moved(current.members, u.add, u.remove),
      deleted: u.undelete === true ? false : current.deleted,
      remote: u.remote,
    });
  }
  const fav = new Set(favourites);
  for (const r of write.favourites.remove) fav.delete(r);
  for (const a of write.favourites.add) fav.add(a);
  return { labels: [...byId.values()], favourites: fav };
}

/** A new label made here (sent by the next sync). */
export function newLabel(id: string, name: string, members: readonly string[] = []): StoredLabel {
  return { id, name, members: [...new Set(members)], deleted: false, remote: null };
}

/** What the labels sync reads of one Google book (the store's answer to `labelsRead`). */
export interface LabelSnapshot {
  readonly state: PeopleSyncState;
  readonly labels: readonly StoredLabel[];
  /** Card ids of the Google book marked as favourites. */
  readonly favourites: readonly string[];
  readonly people: readonly PersonLink[];
}

/** What a labels sync's write answers (the store's `labelsApply`). */
export interface LabelsApplied {
  /** The store's count of row and labels writes after the write ('' before any). */
  readonly written: string;
  /** Nothing else was written since the count the sync gave: these are the write's own changes. */
  readonly followed: boolean;
  /** The favourites the write ticked and unticked. */
  readonly starred: readonly string[];
  readonly unstarred: readonly string[];
}

/** A card of the Google book as the join sees it: id, server href ('' before its first upload), UID. */
export interface LabelCardRef {
  readonly id: string;
  readonly href: string;
  readonly uid: string;
}
