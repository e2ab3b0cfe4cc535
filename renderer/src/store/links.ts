/**
 * Linked contacts: cards in different address books that the user said are one person (from a
 * cross-book group of the Duplicates dialog), shown as one row. A link is this computer's, not a
 * server's: it lives in the store's meta table as `link:<id>` records (members by contact id, and
 * the one whose name the list shows), written in their own transaction; linking, unlinking or
 * choosing the name changes no card, so nothing goes to any server.
 *
 * A link is read against the list as it is (`liveLink`): members deleted (by the user, by a sync,
 * with their account) simply drop out, and a link with one member left is no link. The records
 * are tidied when the store opens (`prune`: members gone from the store, and not in the trash,
 * leave their link). A deleted card that comes back with its id (the ten-second undo, a restore
 * from the trash, also after a restart) is linked again; one restored into another book because
 * its own is gone leaves its link (`leave`).
 *
 * In a view the link shows one row (`collapseLinked`): its chosen card if the view shows it, else
 * the first member the view shows (in a book's view, that book's card). A search that matches any
 * of its cards finds it; the count counts it once.
 */
import type { ContactRepo } from '../db/repo';
import type { CardinalDB, ContactRow } from '../db/schema';
import type { ContactIndex, ListResult } from './contact-index';

/** A link as stored. */
export interface LinkRecord {
  readonly id: string;
  readonly members: readonly string[];
  /** The card whose name (and place in the order) the list shows. */
  readonly primary: string;
  readonly at: number;
}

/** A link as it stands now: its members still in the list, in their order, and the one shown. */
export interface LiveLink {
  readonly id: string;
  readonly members: readonly string[];
  readonly primary: string;
}

export const LINK_KEY_PREFIX = 'link:';

/** Whether a row is a contact in the list (not a deletion waiting for its server, not a group card). */
const listed = (r: ContactRow | undefined): r is ContactRow => r !== undefined && r.pending !== 'deleted' && r.groupCard !== 'apple' && r.groupCard !== 'vcard4';

/** A stored link against the list: null when fewer than two of its cards are left. */
export function liveLink(rec: LinkRecord, get: (id: string) => ContactRow | undefined): LiveLink | null {
  const members = rec.members.filter((id) => listed(get(id)));
  if (members.length < 2) return null;
  return { id: rec.id, members, primary: members.includes(rec.primary) ? rec.primary : members[0]! };
}

/**
 * Favourites of a linked contact are the person's: it is a favourite when any of its cards is
 * (the star in the list and its view; the Favourites view lists it by a starred card), and
 * starring or unstarring it does every card (`favoriteTargets`), so each book's view, and a
 * Google book's starred contacts, say the same.
 */
export function isFavorite(id: string, linkOf: (id: string) => LiveLink | null, get: (id: string) => ContactRow | undefined): boolean {
  if (get(id)?.favorite === 1) return true;
  return linkOf(id)?.members.some((m) => get(m)?.favorite === 1) ?? false;
}

/** The contacts a (un)star of these takes: each, and every card of its link. */
export function favoriteTargets(ids: readonly string[], linkOf: (id: string) => LiveLink | null): string[] {
  return [...new Set(ids.flatMap((id) => [id, ...(linkOf(id)?.members ?? [])]))];
}

/**
 * Inside a write transaction with the meta table: the card `from` is the card `to` under another
 * id (a lost create's copy, which goes), so in its link `to` takes its place; if `to` is in a link
 * already, `from` only leaves its own. Returns whether any record changed.
 */
export async function moveLinkMember(db: CardinalDB, from: string, to: string): Promise<boolean> {
  const rows = await db.meta.where('key').startsWith(LINK_KEY_PREFIX).toArray();
  const records = rows.map((r) => r.value as LinkRecord).filter((r) => Array.isArray(r?.members));
  const holder = records.find((r) => r.members.includes(from));
  if (holder === undefined) return false;
  const taken = records.some((r) => r !== holder && r.members.includes(to));
  const members = [...new Set(holder.members.flatMap((m) => (m !== from ? [m] : taken ? [] : [to])))];
  if (members.length < 2) await db.meta.delete(LINK_KEY_PREFIX + holder.id);
  else {
    const primary = holder.primary === from ? (taken ? members[0]! : to) : holder.primary;
    await db.meta.put({ key: LINK_KEY_PREFIX + holder.id, value: { ...holder, members, primary } satisfies LinkRecord });
  }
  return true;
}

/** Why a link cannot be made. */
export class CannotLink extends Error {
  override name = 'CannotLink';
}

/**
 * The records after linking `ids` (shown by `primary`): a link of any of them is joined into the
 * new one (a contact is in one link at most). Returns the new record and the ids of those it replaces.
 */
export function joinLinks(existing: readonly LinkRecord[], ids: readonly string[], primary: string, id: string, at: number, bookOf: (id: string) => string | undefined): { record: LinkRecord; replaces: string[] } {
  const replaced = existing.filter((l) => l.members.some((m) => ids.includes(m)));
  if (ids.some((m) => bookOf(m) === undefined)) throw new CannotLink('A contact to link is gone.');
  // Cards of a joined link that are gone meanwhile are left out.
  const members = [...new Set([...ids, ...replaced.flatMap((l) => l.members)])].filter((m) => bookOf(m) !== undefined);
  if (members.length < 2) throw new CannotLink('A link needs two contacts.');
  const books = new Set(members.map(bookOf));
  if (books.size < 2) throw new CannotLink('Contacts of one address book are merged, not linked.');
  return { record: { id, members, primary: members.includes(primary) ? primary : members[0]!, at }, replaces: replaced.map((l) => l.id) };
}

/** For one view (its whole list, no query): each link's row shown, and the rows it hides. */
interface ViewLinks {
  /** The whole list these are of. */
  readonly whole: ListResult;
  /** Hidden member id → its row, its position in the whole list, and the id of the row shown for its link. */
  readonly hidden: Map<string, { row: ContactRow; at: number; show: string }>;
  /** Shown row id → its row and section letter, for a search that found only a hidden member. */
  readonly shown: Map<string, { row: ContactRow; section: string }>;
}

type Compare = (a: ContactRow, b: ContactRow) => number;

/** The first position of sorted `rows` not before `r`. */
function lowerBound(rows: readonly ContactRow[], r: ContactRow, compare: Compare): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(rows[mid]!, r) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where row `r` is in sorted `rows` (the list's order, ties by id), or -1. */
function positionIn(rows: readonly ContactRow[], r: ContactRow, compare: Compare): number {
  const at = lowerBound(rows, r, compare);
  return rows[at]?.id === r.id ? at : -1;
}

/**
 * How to find rows in sorted `rows`, `lookups` of them: a binary search each (a few collator
 * compares) for a few, one map of the rows' positions when there are many (10,000 links in a list
 * of 50,000: 20,000 binary searches took twice the map's time, `npm run bench -- links`).
 */
function locator(rows: readonly ContactRow[], lookups: number, compare: Compare): (r: ContactRow) => number {
  // A compare and a map entry cost about the same (a collator's sort keys against a string hash).
  if (lookups * Math.log2(rows.length + 1) < 2 * rows.length) return (r) => positionIn(rows, r, compare);
  const at = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) at.set(rows[i]!.id, i);
  return (r) => at.get(r.id) ?? -1;
}

/**
 * Which rows of a view's whole list (sorted by `compare`) the links hide, and which row each link
 * shows there: its chosen card if the view has it, else the first member the view has. A binary
 * search per member, so the cost is the links', not the list's.
 */
export function viewLinks(whole: ListResult, links: Iterable<LiveLink>, get: (id: string) => ContactRow | undefined, compare: Compare): ViewLinks {
  const hidden = new Map<string, { row: ContactRow; at: number; show: string }>();
  const shown = new Map<string, { row: ContactRow; section: string }>();
  const all = [...links];
  const find = locator(whole.rows, all.reduce((n, l) => n + l.members.length, 0), compare);
  for (const link of all) {
    const visible: { id: string; row: ContactRow; at: number }[] = [];
    for (const id of link.members) {
      const row = get(id);
      const at = row === undefined ? -1 : find(row);
      if (at >= 0) visible.push({ id, row: whole.rows[at]!, at });
    }
    if (visible.length < 2) continue;
    const show = visible.find((v) => v.id === link.primary) ?? visible[0]!;
    shown.set(show.id, { row: show.row, section: whole.sections[show.at]! });
    for (const v of visible) if (v !== show) hidden.set(v.id, { row: v.row, at: v.at, show: show.id });
  }
  return { whole, hidden, shown };
}

/**
 * A view's rows with each link shown once: its hidden members left out, and its shown row put in
 * (in list order) where a search found only a hidden member. `result` is in the list's order (a
 * subset of the view's whole list); the cost is a binary search per hidden member and one copy.
 */
export function collapseLinked(result: ListResult, view: ViewLinks, compare: Compare): ListResult {
  if (view.hidden.size === 0) return result;
  const drop: number[] = [];
  const wanted = new Set<string>();
  const find = result === view.whole ? null : locator(result.rows, view.hidden.size * 2, compare);
  for (const h of view.hidden.values()) {
    // The whole list itself (no query): the positions are known.
    const at = find === null ? h.at : find(h.row);
    if (at < 0) continue;
    drop.push(at);
    wanted.add(h.show);
  }
  if (drop.length === 0) return result;
  drop.sort((a, b) => a - b);
  // Shown rows the search did not find itself: put in where they belong.
  const inserts: { at: number; row: ContactRow; section: string }[] = [];
  for (const id of wanted) {
    const s = view.shown.get(id)!;
    if (find !== null && find(s.row) < 0) inserts.push({ at: lowerBound(result.rows, s.row, compare), row: s.row, section: s.section });
  }
  inserts.sort((a, b) => a.at - b.at || compare(a.row, b.row));
  const rows: ContactRow[] = [];
  const sections: string[] = [];
  let k = 0;
  let d = 0;
  for (let i = 0; i < result.rows.length; i++) {
    while (k < inserts.length && inserts[k]!.at === i) {
      rows.push(inserts[k]!.row);
      sections.push(inserts[k++]!.section);
    }
    if (drop[d] === i) {
      d++;
      continue;
    }
    rows.push(result.rows[i]!);
    sections.push(result.sections[i]!);
  }
  for (; k < inserts.length; k++) {
    rows.push(inserts[k]!.row);
    sections.push(inserts[k]!.section);
  }
  return { rows, sections };
}

/**
 * Items about contacts (a birthday each) with each link's alike items once: of two cards of one
 * link saying the same (`same`: the same day), the shown card's is kept, in its place.
 */
export function oncePerLink<T extends { readonly row: ContactRow }>(items: readonly T[], linkOf: (id: string) => LiveLink | null, same: (item: T) => string): T[] {
  const at = new Map<string, number>();
  const out: T[] = [];
  for (const item of items) {
    const link = linkOf(item.row.id);
    if (link === null) {
      out.push(item);
      continue;
    }
    const key = `${link.id}\u0000${same(item)}`;
    const seen = at.get(key);
    if (seen === undefined) {
      at.set(key, out.length);
      out.push(item);
    } else if (item.row.id === link.primary) out[seen] = item;
  }
  return out;
}

/** The links in memory, kept with their records; React reads it through `subscribe`/`getVersion`. */
export class LinkStore {
  private records = new Map<string, LinkRecord>();
  /** Contact id → the id of its link. */
  private ofContact = new Map<string, string>();
  private listeners = new Set<() => void>();
  version = 0;
  private live: { indexVersion: number; version: number; links: Map<string, LiveLink | null> } | null = null;
  private views = new WeakMap<ListResult, { indexVersion: number; version: number; view: ViewLinks }>();
  private results = new WeakMap<ListResult, { indexVersion: number; version: number; out: ListResult }>();

  /** The list's order (both rows must be in the list). */
  private compare = (a: ContactRow, b: ContactRow): number => this.index.compareIds(a.id, b.id);

  private constructor(
    private readonly repo: ContactRepo,
    private readonly index: ContactIndex,
  ) {}

  /** Read the links (and tidy those whose cards are gone from the store). */
  static async open(repo: ContactRepo, index: ContactIndex): Promise<LinkStore> {
    const store = new LinkStore(repo, index);
    await store.prune();
    return store;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private set(records: Iterable<LinkRecord>): void {
    this.records = new Map([...records].map((r) => [r.id, r]));
    this.ofContact = new Map([...this.records.values()].flatMap((r) => r.members.map((m) => [m, r.id] as const)));
    this.version++;
    for (const l of this.listeners) l();
  }

  private async readAll(): Promise<LinkRecord[]> {
    const rows = await this.repo.db.meta.where('key').startsWith(LINK_KEY_PREFIX).toArray();
    return rows.map((r) => r.value as LinkRecord).filter((r) => Array.isArray(r?.members));
  }

  /**
   * Members no longer in the store leave their links; a link left with one member goes. A member
   * in the trash (its book still here) stays in its record, so a restore from the trash links it
   * again after a restart too; once it is out of the trash for good, the next start drops it.
   */
  async prune(): Promise<void> {
    const { db } = this.repo;
    const kept = await db.transaction('rw', [db.meta, db.contacts, db.trash, db.books], async () => {
      const all = await this.readAll();
      const ids = [...new Set(all.flatMap((r) => r.members))];
      const rows = await db.contacts.bulkGet(ids);
      const present = new Set(rows.filter((r) => r !== undefined).map((r) => r.id));
      const absent = ids.filter((id) => !present.has(id));
      if (absent.length > 0) {
        const books = new Set((await db.books.toCollection().primaryKeys()) as string[]);
        for (const t of await db.trash.bulkGet(absent)) if (t !== undefined && books.has(t.bookId)) present.add(t.id);
      }
      const out: LinkRecord[] = [];
      for (const rec of all) {
        const members = rec.members.filter((m) => present.has(m));
        if (members.length === rec.members.length) out.push(rec);
        else if (members.length < 2) await db.meta.delete(LINK_KEY_PREFIX + rec.id);
        else {
          const next = { ...rec, members, primary: members.includes(rec.primary) ? rec.primary : members[0]! };
          await db.meta.put({ key: LINK_KEY_PREFIX + rec.id, value: next });
          out.push(next);
        }
      }
      return out;
    });
    this.set(kept);
  }

  /** Read the records again (a sync's write moved a member: `moveLinkMember`). */
  async reload(): Promise<void> {
    this.set(await this.readAll());
  }

  /** Every stored link (for tests and the report). */
  all(): LinkRecord[] {
    return [...this.records.values()];
  }

  /** The link a contact is in, as it stands (null: none, or its other cards are gone). */
  linkOf = (contactId: string): LiveLink | null => {
    const linkId = this.ofContact.get(contactId);
    if (linkId === undefined) return null;
    if (this.live === null || this.live.indexVersion !== this.index.version || this.live.version !== this.version) this.live = { indexVersion: this.index.version, version: this.version, links: new Map() };
    const known = this.live.links.get(linkId);
    if (known !== undefined) return known;
    const link = liveLink(this.records.get(linkId)!, (id) => this.index.get(id));
    this.live.links.set(linkId, link);
    return link;
  };

  /** Whether there is any link at all (the list's fast way round). */
  get empty(): boolean {
    return this.records.size === 0;
  }

  /** A view's rows with each link once (`whole`: the view's list without the query). */
  collapse(result: ListResult, whole: ListResult): ListResult {
    if (this.records.size === 0) return result;
    const stamp = { indexVersion: this.index.version, version: this.version };
    const done = this.results.get(result);
    if (done !== undefined && done.indexVersion === stamp.indexVersion && done.version === stamp.version) return done.out;
    let known = this.views.get(whole);
    if (known === undefined || known.indexVersion !== stamp.indexVersion || known.version !== stamp.version) {
      const live = [...this.records.values()].flatMap((r) => this.linkOf(r.members[0]!) ?? []);
      known = { ...stamp, view: viewLinks(whole, live, (id) => this.index.get(id), this.compare) };
      this.views.set(whole, known);
    }
    const out = collapseLinked(result, known.view, this.compare);
    this.results.set(result, { ...stamp, out });
    return out;
  }

  /** Link these contacts as one (shown by `primary`); any link one of them was in joins it. Returns the records it replaced, for an undo. */
  async link(ids: readonly string[], primary: string): Promise<{ record: LinkRecord; replaced: LinkRecord[] }> {
    const { db } = this.repo;
    const done = await db.transaction('rw', db.meta, db.contacts, async () => {
      const all = await this.readAll();
      const rows = await db.contacts.bulkGet([...new Set([...ids, ...all.filter((l) => l.members.some((m) => ids.includes(m))).flatMap((l) => l.members)])]);
      const books = new Map(rows.filter((r): r is ContactRow => r !== undefined && r.pending !== 'deleted').map((r) => [r.id, r.bookId]));
      const { record, replaces } = joinLinks(all, ids, primary, crypto.randomUUID(), Date.now(), (id) => books.get(id));
      await db.meta.bulkDelete(replaces.map((r) => LINK_KEY_PREFIX + r));
      await db.meta.put({ key: LINK_KEY_PREFIX + record.id, value: record });
      return { record, replaced: all.filter((l) => replaces.includes(l.id)), all: [...all.filter((l) => !replaces.includes(l.id)), record] };
    });
    this.set(done.all);
    return { record: done.record, replaced: done.replaced };
  }

  /**
   * After a merge within a book: the links its merged-away cards were in (`before`, read before the
   * merge) take the card that stayed in their place, so the merged contact is still linked.
   */
  async carryOver(before: readonly LiveLink[], gone: readonly string[], survivor: string): Promise<void> {
    for (const link of before) {
      const others = link.members.filter((m) => !gone.includes(m) && m !== survivor);
      if (others.length === 0) continue;
      try {
        await this.link([survivor, ...others], gone.includes(link.primary) ? survivor : link.primary);
      } catch (e) {
        // The survivor is in the same book as every other card: nothing to link across.
        if (!(e instanceof CannotLink)) throw e;
      }
    }
  }

  /**
   * These contacts leave their links (a contact restored from the trash into another book, its
   * own book being gone, is a new contact there, not the card that was linked).
   */
  async leave(ids: readonly string[]): Promise<void> {
    if (!ids.some((id) => this.ofContact.has(id))) return;
    await this.write((all) =>
      all.flatMap((l) => {
        if (!l.members.some((m) => ids.includes(m))) return [l];
        const members = l.members.filter((m) => !ids.includes(m));
        return members.length < 2 ? [] : [{ ...l, members, primary: members.includes(l.primary) ? l.primary : members[0]! }];
      }),
    );
  }

  /** Undo a link: it goes, the links it replaced come back. */
  async undoLink(record: LinkRecord, replaced: readonly LinkRecord[]): Promise<void> {
    await this.write((all) => [...all.filter((l) => l.id !== record.id), ...replaced]);
  }

  /** Separate a link's cards again (each is its own contact; no card changes). Returns the record, for an undo. */
  async unlink(linkId: string): Promise<LinkRecord | undefined> {
    const rec = this.records.get(linkId);
    await this.write((all) => all.filter((l) => l.id !== linkId));
    return rec;
  }

  /** Put a link back as it was (the undo of an unlink). */
  async restore(record: LinkRecord): Promise<void> {
    await this.write((all) => [...all.filter((l) => l.id !== record.id && !l.members.some((m) => record.members.includes(m))), record]);
  }

  /** Show the link by this card's name. */
  async setPrimary(linkId: string, contactId: string): Promise<void> {
    await this.write((all) => all.map((l) => (l.id === linkId && l.members.includes(contactId) ? { ...l, primary: contactId } : l)));
  }

  /** Rewrite the records (one transaction): those that differ from before are put, those gone deleted. */
  private async write(change: (all: LinkRecord[]) => LinkRecord[]): Promise<void> {
    const { db } = this.repo;
    const next = await db.transaction('rw', db.meta, async () => {
      const all = await this.readAll();
      const out = change(all);
      const keep = new Set(out.map((l) => l.id));
      await db.meta.bulkDelete(all.filter((l) => !keep.has(l.id)).map((l) => LINK_KEY_PREFIX + l.id));
      const before = new Map(all.map((l) => [l.id, l]));
      await db.meta.bulkPut(out.filter((l) => before.get(l.id) !== l).map((l) => ({ key: LINK_KEY_PREFIX + l.id, value: l })));
      return out;
    });
    this.set(next);
  }
}
