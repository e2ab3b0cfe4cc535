/**
 * The window's groups: each book's group directory, built from the rows' derived group fields
 * (shared/book/derive.ts) by the pure cores in shared/groups, and group actions as store writes
 * (ContactRepo.applyGroupChanges: queued offline edits that sync like any card edit).
 *
 * Each book's storage (CATEGORIES, Apple group cards, vCard 4 group cards) is detected from its
 * cards and remembered in the store (`resolveSetting`); a book with none yet takes what its server
 * expects (Apple form for iCloud and Nextcloud, CATEGORIES elsewhere).
 *
 * Membership is asked three ways: `memberIds` (a group's members in list order: search by group
 * name, any export of "a group", the member actions' toasts), `memberCount` (the sidebar's
 * counts, no member list made) and `holds` (one contact, the bulk bar's ticks); the list filter
 * takes `bits`. Each book's groups are listed once and kept with a membership
 * index (a bit set per group over the list's row slots): the list filter is one bit test per row
 * (`bits`), and an edit that moves a contact in or out of CATEGORIES groups updates both in place
 * (`patch`) instead of listing every group of the book again; anything else about groups (a
 * group card, a label, a UID, a contact a group card names coming or going, a group's name spelled
 * anew in case only) lists that book again.
 * A patch costs the changed rows alone (a sync's batch the same at 50,000 contacts as at 500): a
 * patched group's count comes from the index (`memberCount`, what the sidebar shows) and its
 * members in list order are made from the index's bits only when read.
 */
import { addMembers, createGroup, deleteGroup, removeMembers, renameGroup } from '../../../shared/groups/edits';
import { listGroups, nameKey } from '../../../shared/groups/list';
import { MembershipIndex, type SlotSource } from '../../../shared/groups/membership-index';
import { resolveSetting, type ServerSignals } from '../../../shared/groups/strategy';
import type { LabelAccess, StoredLabel } from '../../../shared/groups/labels';
import type { BookGroupSetting, CardFacts, GroupBook, GroupChange, GroupInfo } from '../../../shared/groups/types';
import { importGroupChanges, type ImportedGroup } from '../../../shared/groups/transfer';
import { foldName, uidKey } from '../../../shared/groups/members';
import { groupNameMatches } from '../../../shared/search/groups';
import type { ContactRepo } from '../db/repo';
import { LOCAL_BOOK_ID, type ContactRow } from '../db/schema';
import type { ContactIndex, GroupRowChange } from './contact-index';

/** Rows are replaced, never changed in place: a row's facts are made once. */
const factsCache = new WeakMap<ContactRow, CardFacts>();

/** What a row says about groups, as the cores read it. Rows written before schema 4 say nothing. */
export function factsOf(r: ContactRow): CardFacts {
  let f = factsCache.get(r);
  if (f === undefined) factsCache.set(r, (f = readFacts(r)));
  return f;
}

function readFacts(r: ContactRow): CardFacts {
  return { id: r.id, uid: r.uid, group: r.groupCard === 'apple' || r.groupCard === 'vcard4' ? r.groupCard : null, name: r.groupName ?? '', members: r.members ?? [], categories: r.categories ?? [] };
}

/** A row that is a group card, not a contact: never a row of the list. */
export const isGroupCard = (r: ContactRow): boolean => r.groupCard === 'apple' || r.groupCard === 'vcard4';

/** One book's groups as listed, kept up to date by `patch`. */
interface BookGroups {
  /** The UI language they are sorted in. */
  readonly locale: string;
  groups: GroupInfo[];
  readonly members: MembershipIndex;
  /** Folded name → the key of the group that holds it (one name, one group). */
  readonly byName: Map<string, string>;
  /** What a contact coming or going may change beyond CATEGORIES: UIDs group cards name, ids labels name. */
  readonly cardUids: ReadonlySet<string>;
  readonly labelIds: ReadonlySet<string>;
}

export class GroupStore {
  private stored = new Map<string, BookGroupSetting>();
  /** Google books' labels (their members are card ids). */
  private labels = new Map<string, readonly StoredLabel[]>();
  /** Google books whose last labels sync the People API refused, and why. */
  private access = new Map<string, LabelAccess>();
  private signals = new Map<string, ServerSignals>();
  private listeners = new Set<() => void>();
  version = 0;
  /** Per groups version of the list: each book's facts (in list order), for actions and the storage. */
  private cache: { version: number; facts: Map<string, CardFacts[]> } | null = null;
  /** Each book's groups and membership index, once listed; patched by row changes, dropped when a patch cannot say. */
  private lists = new Map<string, BookGroups>();
  private readonly slots: SlotSource;

  constructor(
    private readonly repo: ContactRepo,
    private readonly index: ContactIndex,
  ) {
    this.slots = { slotOf: index.slotOf, peek: index.slotPeek, get size() { return index.slotCount; } };
    index.watchGroupRows((changes) => this.rowsChanged(changes));
  }

  static async open(repo: ContactRepo, index: ContactIndex): Promise<GroupStore> {
    const store = new GroupStore(repo, index);
    store.stored = await repo.groupSettings();
    store.labels = await repo.storedLabels();
    store.access = await repo.storedLabelAccess();
    return store;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    const off = this.index.subscribe(listener);
    return () => {
      this.listeners.delete(listener);
      off();
    };
  };

  /** What the window redraws by: the groups' own changes, and the list's (a filter's rows). */
  getVersion = (): string => `${this.index.groupsVersion}:${this.version}`;

  /** `relist`: what the groups are made of changed beyond the rows (labels, a setting, the server). */
  private changed(relist = true): void {
    this.version++;
    this.cache = null;
    if (relist) this.lists.clear();
    for (const l of this.listeners) l();
  }

  /** The labels sync wrote a Google book's labels. */
  setLabels(bookId: string, labels: readonly StoredLabel[], access?: LabelAccess): void {
    // The same labels and access (a labels sync with nothing to do): the groups stay as listed,
    // and nothing that shows them is drawn again.
    if ((access === undefined || access === this.labelAccess(bookId)) && JSON.stringify(labels) === JSON.stringify(this.labels.get(bookId) ?? [])) return;
    this.labels.set(bookId, labels);
    if (access !== undefined) this.access.set(bookId, access);
    this.changed();
  }

  /** Whether Google's People API took the book's sign-in at its last labels sync ('ok' until one says otherwise). */
  labelAccess(bookId: string): LabelAccess {
    return this.access.get(bookId) ?? 'ok';
  }

  /** What the window knows of a book's server (its account's kind and the book's URL). */
  setSignals(bookId: string, signals: ServerSignals): void {
    const old = this.signals.get(bookId);
    if (old?.account === signals.account && old.url === signals.url) return;
    this.signals.set(bookId, signals);
    this.changed();
  }

  private signalsOf(bookId: string): ServerSignals {
    return this.signals.get(bookId) ?? { account: bookId === LOCAL_BOOK_ID ? 'local' : 'carddav' };
  }

  private fresh(): { facts: Map<string, CardFacts[]> } {
    if (this.cache !== null && this.cache.version === this.index.groupsVersion) return this.cache;
    const facts = new Map<string, CardFacts[]>();
    for (const r of this.index.snapshot()) {
      if (r.pending === 'deleted') continue;
      let list = facts.get(r.bookId);
      if (list === undefined) facts.set(r.bookId, (list = []));
      list.push(factsOf(r));
    }
    this.cache = { version: this.index.groupsVersion, facts };
    return this.cache;
  }

  /** A book's facts, read only when iterated (the storage, once decided, needs none). */
  private lazyFacts(bookId: string): Iterable<CardFacts> {
    return { [Symbol.iterator]: () => (this.fresh().facts.get(bookId) ?? [])[Symbol.iterator]() };
  }

  private compareGroups(locale: string): (a: GroupInfo, b: GroupInfo) => number {
    const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
    return (a, b) => collator.compare(a.name, b.name) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }

  /** The book's groups listed from its facts, with their membership index. */
  private listed(bookId: string): BookGroups {
    const known = this.lists.get(bookId);
    if (known !== undefined && known.locale === this.index.locale) return known;
    const locale = this.index.locale;
    const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
    const book = this.book(bookId);
    const groups = listGroups(book, collator.compare);
    const byName = new Map<string, string>();
    // The first group to claim a name holds it: labels, then group cards, then CATEGORIES (list.ts).
    const claimOrder = [...groups].sort((a, b) => claimRank(a) - claimRank(b));
    for (const g of claimOrder) if (!byName.has(foldName(g.name))) byName.set(foldName(g.name), g.key);
    const cardUids = new Set(book.cards.flatMap((c) => (c.group === null ? [] : c.members)));
    const labelIds = new Set((book.labels ?? []).flatMap((l) => l.members));
    const state: BookGroups = { locale, groups, members: MembershipIndex.fromGroups(groups, this.slots), byName, cardUids, labelIds };
    this.lists.set(bookId, state);
    return state;
  }

  /** Books whose cards were walked for their storage and showed none, and none came since that could (`setting`). */
  private undetected = new Set<string>();

  private rowsChanged(changes: readonly GroupRowChange[] | 'all'): void {
    if (changes === 'all') {
      this.lists.clear();
      this.undetected.clear();
      return;
    }
    for (const { now } of changes) if (now !== undefined && (isGroupCard(now) || (now.categories?.length ?? 0) > 0)) this.undetected.delete(now.bookId);
    const byBook = new Map<string, GroupRowChange[]>();
    for (const c of changes) {
      const books = new Set([c.old?.bookId, c.now?.bookId].filter((b): b is string => b !== undefined));
      for (const b of books) {
        let list = byBook.get(b);
        if (list === undefined) byBook.set(b, (list = []));
        list.push(c);
      }
    }
    for (const [b, list] of byBook) if (!this.patch(b, list)) this.lists.delete(b);
  }

  /**
   * Rows' changes applied at once to their book's listed groups, if they only move contacts in or
   * out of CATEGORIES groups (or make some, or empty some); false when the book must be listed
   * again. The work is the changed rows' alone, whatever the book's size: their bits flipped in
   * the membership index, and each touched group made again once with its count from the index and
   * its members in list order read from it only when someone asks (`lazyGroup`). A sync's batch of
   * 500 into 50,000 contacts filtered each touched group's members and made the list's places.
   */
  private patch(bookId: string, changes: readonly GroupRowChange[]): boolean {
    const state = this.lists.get(bookId);
    if (state === undefined) return true; // not listed yet: listed from the rows when asked
    const live = (r: ContactRow | undefined) => (r !== undefined && r.pending !== 'deleted' ? r : undefined);
    const folds = (r: ContactRow | undefined) => new Map((r?.categories ?? []).map((c) => [foldName(c), c] as const).filter(([f]) => f !== ''));
    const seen = new Set<string>();
    /** Per group key: the ids that left it, and those that joined it. */
    const left = new Map<string, string[]>();
    const joined = new Map<string, string[]>();
    /** Names no group holds yet: the group they make, by folded name. */
    const made = new Map<string, { name: string; ids: string[] }>();
    const byKey = new Map(state.groups.map((g) => [g.key, g] as const));
    const groupOf = (key: string | undefined) => (key === undefined ? undefined : byKey.get(key));
    const byCategories = (g: GroupInfo | undefined): g is GroupInfo => g !== undefined && g.card === null && g.labelId === null;
    for (const { old, now } of changes) {
      if ((old !== undefined && isGroupCard(old)) || (now !== undefined && isGroupCard(now))) return false;
      if (old !== undefined && now !== undefined && (old.bookId !== now.bookId || old.uid !== now.uid)) return false;
      const row = now ?? old!;
      if (row.bookId !== bookId || seen.has(row.id)) return false; // moved between books, or twice in one batch
      seen.add(row.id);
      const o = live(old);
      const n = live(now);
      if ((o === undefined) !== (n === undefined) && ((row.uid !== '' && state.cardUids.has(uidKey(row.uid))) || state.labelIds.has(row.id))) return false;
      const before = folds(o);
      const after = folds(n);
      for (const [f, name] of before) {
        // The same group spelled anew ("friends" → "Friends", a case-only rename): its listed
        // name is the spelling of the cards, so the book is listed again.
        if (after.has(f)) {
          if (after.get(f)!.trim() !== name.trim()) return false;
          continue;
        }
        const key = state.byName.get(f);
        // A group card's or label's group may hold the contact another way: listed again.
        if (!byCategories(groupOf(key))) return false;
        let ids = left.get(key!);
        if (ids === undefined) left.set(key!, (ids = []));
        ids.push(row.id);
      }
      for (const [f, name] of after) {
        if (before.has(f)) continue;
        const key = state.byName.get(f);
        if (key === undefined) {
          let m = made.get(f);
          if (m === undefined) made.set(f, (m = { name, ids: [] }));
          m.ids.push(row.id);
          continue;
        }
        if (!byCategories(groupOf(key))) return false;
        let ids = joined.get(key);
        if (ids === undefined) joined.set(key, (ids = []));
        ids.push(row.id);
      }
    }
    if (left.size === 0 && joined.size === 0 && made.size === 0) return true; // no CATEGORIES group touched
    let emptyNames: ReadonlySet<string> | undefined;
    const empty = () => (emptyNames ??= new Set(this.setting(bookId).empty.map(foldName)));
    const touchedKeys = new Set([...left.keys(), ...joined.keys()]);
    // Apply: the bits of the rows that moved (each id at most once a batch: `seen`).
    for (const [key, ids] of left) state.members.remove(key, ids);
    for (const [key, ids] of joined) state.members.add(key, ids.filter((id) => this.index.get(id) !== undefined));
    const touched = new Map<string, GroupInfo>();
    /** CATEGORIES groups whose last member left (and that are not remembered as empty): they go. */
    const gone = new Set<string>();
    for (const key of touchedKeys) {
      const g = groupOf(key)!;
      if (state.members.count(key) === 0 && !empty().has(foldName(g.name))) {
        gone.add(key);
        state.members.drop(key);
        state.byName.delete(foldName(g.name));
      } else touched.set(key, this.lazyGroup(state, { ...baseOf(g), inCategories: g.inCategories || joined.has(key) }));
    }
    // The same group as one that went, under another spelling: listed again (the caller drops this state).
    for (const [f, m] of made) if ([...gone].some((k) => k === nameKey(m.name) || foldName(groupOf(k)!.name) === f)) return false;
    let groups = touched.size === 0 && gone.size === 0 ? state.groups : state.groups.flatMap((g) => (gone.has(g.key) ? [] : [touched.get(g.key) ?? g]));
    if (made.size > 0) {
      const compare = this.compareGroups(state.locale);
      groups = [...groups];
      for (const [f, m] of made) {
        const key = nameKey(m.name);
        state.byName.set(f, key);
        state.members.set(key, m.ids.filter((id) => this.index.get(id) !== undefined));
        const g = this.lazyGroup(state, { key, name: m.name.trim(), card: null, labelId: null, inCategories: true, external: 0 });
        let at = 0;
        while (at < groups.length && compare(groups[at]!, g) < 0) at++;
        groups.splice(at, 0, g);
      }
    }
    state.groups = groups;
    return true;
  }

  /**
   * A CATEGORIES group as its bits in the membership index say now: its count at once
   * (`memberCount`), its members in list order made from a copy of the bits when first read (one
   * bit test per row of the list: the sidebar's counts during a sync read none).
   */
  private lazyGroup(state: BookGroups, base: Omit<GroupInfo, 'memberIds'>): GroupInfo {
    const bits = (state.members.bits(base.key) ?? new Uint32Array(0)).slice();
    let ids: readonly string[] | undefined;
    const g = Object.defineProperty({ ...base }, 'memberIds', { enumerable: true, get: () => (ids ??= this.index.idsOfSlots(bits)) }) as GroupInfo;
    this.counts.set(g, state.members.count(base.key));
    return g;
  }

  /** Patched groups' member counts, known before their members are listed. */
  private counts = new WeakMap<GroupInfo, number>();

  /** How many contacts a group holds (what the sidebar shows), without listing them. */
  memberCount(g: GroupInfo): number {
    return this.counts.get(g) ?? g.memberIds.length;
  }

  /** The book's setting: the remembered one, or what its cards (then its server) say; remembered once decided. */
  setting(bookId: string): BookGroupSetting {
    const stored = this.stored.get(bookId) ?? null;
    // A book whose cards showed no storage, with no card since that could show one: not walked
    // again (each batch of a sync into a book without groups walked every card, twice).
    const cards = this.undetected.has(bookId) ? [] : this.lazyFacts(bookId);
    const next = resolveSetting(stored, cards, this.signalsOf(bookId));
    if (next.decidedBy === 'server') this.undetected.add(bookId);
    if (next !== stored) {
      this.stored.set(bookId, next);
      // Only a choice worth keeping: the cards' or the user's (a server default is worked out again).
      if (next.decidedBy !== 'server' || next.empty.length > 0) void this.repo.saveGroupSetting(bookId, next).catch(() => {});
    }
    return next;
  }

  /** The book as the group cores see it; `vcards` holds the texts an edit patches. */
  book(bookId: string, vcards: ReadonlyMap<string, string> = new Map()): GroupBook {
    return { setting: this.setting(bookId), cards: this.fresh().facts.get(bookId) ?? [], labels: this.labels.get(bookId) ?? [], vcard: (id) => vcards.get(id) };
  }

  /** The book's groups, sorted by name in the UI language. */
  groups(bookId: string): readonly GroupInfo[] {
    return this.listed(bookId).groups;
  }

  group(bookId: string, key: string): GroupInfo | undefined {
    return this.groups(bookId).find((g) => g.key === key);
  }

  /** A book's group's contacts (card ids) in list order, [] for a group that is gone (counts: `memberCount`; one contact: `holds`). */
  memberIds(bookId: string, key: string): readonly string[] {
    return this.group(bookId, key)?.memberIds ?? [];
  }

  /**
   * The list filter's form of the same: the group's bit set over the list's row slots
   * (`ContactIndex.slotOf`), for `ContactIndex.list`'s `{ key, bits }`; empty for a group that is gone.
   */
  bits(bookId: string, key: string): Uint32Array {
    return this.listed(bookId).members.bits(key) ?? new Uint32Array(0);
  }

  /** Whether a book's group holds a contact (one bit test). */
  holds(bookId: string, key: string, contactId: string): boolean {
    return this.listed(bookId).members.has(key, contactId);
  }

  /** The groups of its book a contact is in. */
  groupsOf(contactId: string): GroupInfo[] {
    const row = this.index.get(contactId);
    if (row === undefined) return [];
    const { groups, members } = this.listed(row.bookId);
    return groups.filter((g) => members.has(g.key, contactId));
  }

  /** Contacts of groups whose name the query matches (search by group name). */
  matchingMembers(q: string, bookId: string | null): ReadonlySet<string> {
    const out = new Set<string>();
    const books = bookId === null ? [...this.fresh().facts.keys()] : [bookId];
    for (const b of books) for (const g of this.groups(b)) if (groupNameMatches(g.name, q)) for (const id of g.memberIds) out.add(id);
    return out;
  }

  /** Make the writes an action plans, on the vCards it needs; the list follows once they commit. */
  private async run(bookId: string, need: Iterable<string>, plan: (book: GroupBook) => GroupChange[]): Promise<void> {
    const ids = [...new Set(need)];
    const cards = await this.repo.db.cards.bulkGet(ids);
    const texts = new Map<string, string>();
    cards.forEach((c) => c !== undefined && texts.set(c.id, c.vcard));
    const changes = plan(this.book(bookId, texts));
    if (changes.length === 0) return;
    const { changed, removed } = await this.repo.applyGroupChanges(bookId, changes);
    for (const c of changes) {
      if (c.kind === 'setting') this.stored.set(bookId, c.setting);
      if (c.kind === 'label') {
        const now = this.labels.get(bookId) ?? [];
        const next = now.some((l) => l.id === c.label.id) ? now.map((l) => (l.id === c.label.id ? c.label : l)) : [...now, c.label];
        this.labels.set(bookId, next.filter((l) => !(l.deleted && l.remote === null)));
      }
    }
    this.index.remove(removed);
    this.index.upsert(changed);
    // The rows' changes have patched the groups; a setting or a label means listing them again.
    this.changed(changes.some((c) => c.kind === 'setting' || c.kind === 'label'));
  }

  private needed(bookId: string, key: string, ids: readonly string[] = []): string[] {
    const g = this.group(bookId, key);
    return [...(g?.memberIds ?? []), ...(g?.card === null || g?.card === undefined ? [] : [g.card.id]), ...ids];
  }

  /** A new empty group; returns its key. */
  async create(bookId: string, name: string): Promise<string> {
    let key = '';
    await this.run(bookId, [], (book) => {
      const made = createGroup(book, name, crypto.randomUUID());
      key = made.key;
      return made.changes;
    });
    return key;
  }

  rename(bookId: string, key: string, name: string): Promise<void> {
    return this.run(bookId, this.needed(bookId, key), (book) => renameGroup(book, key, name));
  }

  /** The group goes; its contacts stay. */
  remove(bookId: string, key: string): Promise<void> {
    return this.run(bookId, this.needed(bookId, key), (book) => deleteGroup(book, key));
  }

  /**
   * A file's groups into the book, once its contacts are stored: each joins the book's group of
   * its name, else is made in the book's storage; members are found by UID.
   */
  importGroups(bookId: string, groups: readonly ImportedGroup[]): Promise<void> {
    if (groups.length === 0) return Promise.resolve();
    const uids = new Set(groups.flatMap((g) => g.memberUids.map(uidKey)));
    const names = new Set(groups.map((g) => foldName(g.name)));
    const need: string[] = [];
    for (const f of this.fresh().facts.get(bookId) ?? []) if (f.group === null && uids.has(uidKey(f.uid))) need.push(f.id);
    for (const g of this.groups(bookId)) if (names.has(foldName(g.name))) need.push(...this.needed(bookId, g.key));
    return this.run(bookId, need, (book) => importGroupChanges(book, groups, () => crypto.randomUUID()));
  }

  /** Contacts of other books are left out (a group belongs to one book). */
  addMembers(bookId: string, key: string, ids: readonly string[]): Promise<void> {
    const own = ids.filter((id) => this.index.get(id)?.bookId === bookId);
    return this.run(bookId, this.needed(bookId, key, own), (book) => addMembers(book, key, own, () => crypto.randomUUID()));
  }

  removeMembers(bookId: string, key: string, ids: readonly string[]): Promise<void> {
    const own = ids.filter((id) => this.index.get(id)?.bookId === bookId);
    return this.run(bookId, this.needed(bookId, key, own), (book) => removeMembers(book, key, own));
  }
}

/** A group's fields but its members. */
function baseOf(g: GroupInfo): Omit<GroupInfo, 'memberIds'> {
  return { key: g.key, name: g.name, card: g.card, labelId: g.labelId, inCategories: g.inCategories, external: g.external };
}

/** The order in which groups claim a name (shared/groups/list.ts): labels, group cards, CATEGORIES. */
function claimRank(g: GroupInfo): number {
  return g.labelId !== null ? 0 : g.card !== null ? 1 : 2;
}
