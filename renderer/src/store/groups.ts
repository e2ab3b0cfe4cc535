/**
 * The window's groups: each book's group directory, built from the rows' derived group fields
 * (shared/book/derive.ts) by the pure cores in shared/groups, and group actions as store writes
 * (ContactRepo.applyGroupChanges: queued offline edits that sync like any card edit).
 *
 * Each book's storage (CATEGORIES, Apple group cards, vCard 4 group cards) is detected from its
 * cards and remembered in the store (`resolveSetting`); a book with none yet takes what its server
 * expects (Apple form for iCloud and Nextcloud, CATEGORIES elsewhere).
 *
 * `memberIds` is the one membership query: the list filter, the sidebar counts, search and any
 * export of "a group" all ask it.
 */
import { addMembers, createGroup, deleteGroup, removeMembers, renameGroup } from '../../../shared/groups/edits';
import { listGroups } from '../../../shared/groups/list';
import { resolveSetting, type ServerSignals } from '../../../shared/groups/strategy';
import type { LabelAccess, StoredLabel } from '../../../shared/groups/labels';
import type { BookGroupSetting, CardFacts, GroupBook, GroupChange, GroupInfo } from '../../../shared/groups/types';
import { importGroupChanges, type ImportedGroup } from '../../../shared/groups/transfer';
import { foldName, uidKey } from '../../../shared/groups/members';
import { groupNameMatches } from '../../../shared/search/groups';
import type { ContactRepo } from '../db/repo';
import { LOCAL_BOOK_ID, type ContactRow } from '../db/schema';
import type { ContactIndex } from './contact-index';

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

export class GroupStore {
  private stored = new Map<string, BookGroupSetting>();
  /** Google books' labels (their members are card ids). */
  private labels = new Map<string, readonly StoredLabel[]>();
  /** Google books whose last labels sync the People API refused, and why. */
  private access = new Map<string, LabelAccess>();
  private signals = new Map<string, ServerSignals>();
  private listeners = new Set<() => void>();
  version = 0;
  /** Per groups version of the list: each book's facts (in list order) and, when asked, its groups. */
  private cache: { version: number; facts: Map<string, CardFacts[]>; groups: Map<string, GroupInfo[]> } | null = null;

  constructor(
    private readonly repo: ContactRepo,
    private readonly index: ContactIndex,
  ) {}

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

  private changed(): void {
    this.version++;
    this.cache = null;
    for (const l of this.listeners) l();
  }

  /** The labels sync wrote a Google book's labels. */
  setLabels(bookId: string, labels: readonly StoredLabel[], access?: LabelAccess): void {
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

  private fresh(): { facts: Map<string, CardFacts[]>; groups: Map<string, GroupInfo[]> } {
    if (this.cache !== null && this.cache.version === this.index.groupsVersion) return this.cache;
    const facts = new Map<string, CardFacts[]>();
    for (const r of this.index.snapshot()) {
      if (r.pending === 'deleted') continue;
      let list = facts.get(r.bookId);
      if (list === undefined) facts.set(r.bookId, (list = []));
      list.push(factsOf(r));
    }
    this.cache = { version: this.index.groupsVersion, facts, groups: new Map() };
    return this.cache;
  }

  /** The book's setting: the remembered one, or what its cards (then its server) say; remembered once decided. */
  setting(bookId: string): BookGroupSetting {
    const stored = this.stored.get(bookId) ?? null;
    const next = resolveSetting(stored, this.fresh().facts.get(bookId) ?? [], this.signalsOf(bookId));
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
    const cache = this.fresh();
    let list = cache.groups.get(bookId);
    if (list === undefined) {
      const collator = new Intl.Collator(this.index.locale, { sensitivity: 'base', numeric: true });
      list = listGroups(this.book(bookId), collator.compare);
      cache.groups.set(bookId, list);
    }
    return list;
  }

  group(bookId: string, key: string): GroupInfo | undefined {
    return this.groups(bookId).find((g) => g.key === key);
  }

  /** The one membership query: the contacts (card ids) in a book's group, [] for a group that is gone. */
  memberIds(bookId: string, key: string): readonly string[] {
    return this.group(bookId, key)?.memberIds ?? [];
  }

  /** The groups of its book a contact is in. */
  groupsOf(contactId: string): GroupInfo[] {
    const row = this.index.get(contactId);
    if (row === undefined) return [];
    return this.groups(row.bookId).filter((g) => g.memberIds.includes(contactId));
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
    this.changed();
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
