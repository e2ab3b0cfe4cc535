/**
 * The list in memory: every row's list fields, kept sorted with Intl.Collator for the UI language
 * (by first or last name, as the settings say), and searched through an index of the rows' folded
 * text built while the page is idle (search-index.ts: a keystroke costs a few term look-ups, not a
 * scan of 50,000 rows). Changes are applied only after their transaction commits. React reads it
 * through `subscribe`/`version` (useSyncExternalStore).
 */
import { foldForSearch } from '../../../shared/search/normalize';
import { parseQuery, rowMatches, type SearchQuery } from '../../../shared/search/query';
import { has, members } from '../../../shared/search/row-set';
import type { ContactRow } from '../db/schema';
import { inIdleSlices, RowSearch, type BuildCost } from './search-index';

export type SortField = 'sortName' | 'sortNameLast';

const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean => {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
};

/** Whether a row's change can change a group (a new row, another book, UID, CATEGORIES, group card, deletion). */
function groupsDiffer(old: ContactRow | undefined, r: ContactRow): boolean {
  if (old === undefined) return true;
  return (
    old.bookId !== r.bookId ||
    old.uid !== r.uid ||
    (old.pending === 'deleted') !== (r.pending === 'deleted') ||
    old.groupCard !== r.groupCard ||
    old.groupName !== r.groupName ||
    !sameStrings(old.categories, r.categories) ||
    !sameStrings(old.members, r.members)
  );
}

/** A group the list is filtered by: its key (for the cache) and its members. */
export interface GroupFilter {
  readonly key: string;
  /** The members by id; or, faster, `bits`: the group's bit set over the rows' slots (`slotOf`, shared/groups/membership-index.ts). */
  readonly ids?: ReadonlySet<string>;
  readonly bits?: Uint32Array;
}

/** A row whose group facts changed: as it was (undefined: new) and as it is (undefined: gone). */
export interface GroupRowChange {
  readonly old: ContactRow | undefined;
  readonly now: ContactRow | undefined;
}

/**
 * A change of the order a kept whole list has not taken in yet (list positions as they were when
 * it happened): a row left position `p`, came in at `p`, or was replaced where it stood.
 */
type Move = { readonly kind: 'remove'; readonly p: number } | { readonly kind: 'insert'; readonly p: number; readonly r: ContactRow; readonly section: string } | { readonly kind: 'replace'; readonly p: number; readonly r: ContactRow };

/** A filter's whole list (no query), which list positions it shows, and those positions in order. */
interface Whole {
  list: ListResult;
  shows: Uint8Array;
  positions: Int32Array;
  /** What it keeps (null: a group's, made again after any change). */
  filter: { bookId: string | null; favoritesOnly: boolean } | null;
  /** A group's: the members it was made from. */
  source?: Uint32Array | ReadonlySet<string>;
  /**
   * The moves since `list` was made, taken in when the list is next asked for (once, however many
   * rows an edit changed), so an edit copies no list nobody looks at, and each asked one once.
   */
  moves?: Move[];
}

/** Past this many moves waiting, a kept whole list is dropped and made again when asked (one pass). */
const MOVES_AT_MOST = 64;

/** The first index of an ascending array whose value is not below `p`. */
function lowerBoundOf(a: ArrayLike<number>, p: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ListResult {
  rows: ContactRow[];
  sections: string[];
}

/** Rows changed since the index was built, past which it is built again (and past 1/16 of the list). */
const REBUILD_AFTER = 500;
/** How long a sync's batch holds the search index's next build back, at most, if no batch follows. */
const STREAM_HOLD_MS = 30_000;
/**
 * Past this many rows at once, an upsert merges them in (one pass over the list) instead of
 * inserting each (a splice of the whole list each): a sync's batch of 500 into 50,000 rows was
 * 500 splices of three arrays of 50,000, and cost more the fuller the book.
 */
const MERGE_PAST = 32;

/**
 * The collation for a UI language: Simplified Chinese sorts Han names by pinyin (ICU's default
 * for zh), Traditional Chinese by stroke count (ICU's default for zh-Hant, Taiwan's dictionary
 * order), the others by their own rules.
 */
function collatorFor(locale: string): Intl.Collator {
  return new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
}

export class ContactIndex {
  private rows = new Map<string, ContactRow>();
  private sorted: ContactRow[] = [];
  /**
   * Each row's slot: a number given to a contact id on first sight and kept for the index's life
   * (the group store's membership bit sets are over these); `sortedSlots` follows `sorted`.
   */
  private slots = new Map<string, number>();
  private sortedSlots: number[] = [];
  private collator: Intl.Collator;
  private listeners = new Set<() => void>();
  private field: SortField;
  locale: string;
  version = 0;
  /**
   * Moves on only when what a row says about groups changed (its book, UID, CATEGORIES, group
   * card, or a deletion): the group store lists groups again only then, not on every edit.
   */
  groupsVersion = 0;

  constructor(locale: string, sortBy: SortField = 'sortName') {
    this.locale = locale;
    this.collator = collatorFor(locale);
    this.field = sortBy;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** `drift`: how many rows were added, changed or removed ('all' when the list was replaced). */
  private changed(drift: number | 'all' = 0, wholesKept = false): void {
    this.version++;
    this.positions = null;
    if (!wholesKept) this.wholes.clear();
    this.results.clear();
    if (drift === 'all') this.rebuild();
    else {
      this.drift += drift;
      // A build under way is let finish (it builds again at its end if much changed meanwhile):
      // one started again on every change of a sync's stream of batches never finished.
      if (this.cancelBuild === null && this.drifted()) this.rebuild();
    }
    // While a sync's batches come, the window follows in a task of its own (one for however many
    // batches landed meanwhile): the batch's merge and the window's render (its whole list made
    // again, the groups, the rows drawn) were one task, over 100 ms at 50,000 rows.
    if (this.streaming) this.tellSoon();
    else this.tell();
  }

  /** The window told of a change not yet told (a sync's batch), in a task after this one. */
  private telling: ReturnType<typeof setTimeout> | undefined;

  private tell(): void {
    clearTimeout(this.telling);
    this.telling = undefined;
    for (const l of this.listeners) l();
  }

  private tellSoon(): void {
    this.telling ??= setTimeout(() => this.tell(), 0);
  }

  /** The sort key of a row (rows written before the last-name key existed fall back to the first). */
  keyOf = (r: ContactRow): string => (this.field === 'sortNameLast' ? (r.sortNameLast ?? r.sortName) : r.sortName);

  private compare = (a: ContactRow, b: ContactRow): number => {
    const ka = this.keyOf(a);
    const kb = this.keyOf(b);
    // Nameless contacts sort last; ties keep a stable order by id.
    if ((ka === '') !== (kb === '')) return ka === '' ? 1 : -1;
    return this.collator.compare(ka, kb) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };

  /** The slot of a contact id (given on first sight, never reused). */
  slotOf = (id: string): number => {
    let s = this.slots.get(id);
    if (s === undefined) this.slots.set(id, (s = this.slots.size));
    return s;
  };

  /** The order was made anew: slots again now, section letters when next asked. */
  private reslot(): void {
    this.sortedSlots = this.sorted.map((r) => this.slotOf(r.id));
    this.sections = null;
  }

  setLocale(locale: string): void {
    if (locale === this.locale) return;
    this.locale = locale;
    this.collator = collatorFor(locale);
    this.sorted.sort(this.compare);
    this.reslot();
    this.changed();
  }

  setSortField(field: SortField): void {
    if (field === this.field) return;
    this.field = field;
    this.sorted.sort(this.compare);
    this.reslot();
    this.changed();
  }

  get sortField(): SortField {
    return this.field;
  }

  /** Until the whole list is loaded: how many rows there will be (the head is shown meanwhile). */
  expected: number | null = null;

  load(rows: readonly ContactRow[], alreadySorted = false): void {
    this.groupsVersion++;
    this.rows = new Map(rows.map((r) => [r.id, r]));
    this.pending = new PendingTally(this.rows.values());
    this.sorted = alreadySorted ? [...rows] : [...rows].sort(this.compare);
    this.reslot();
    this.tellGroups('all');
    this.expected = null;
    this.changed('all');
  }

  /** Show the first rows of a saved list while the rest loads. */
  loadHead(rows: readonly ContactRow[], total: number): void {
    this.load(rows, true);
    this.expected = total;
  }

  /** Compute the section letters now (when idle), so the first query does not pay for them; the search index builds itself. */
  warm(): void {
    this.sectionsInOrder();
  }

  /** Each sorted row's section letter, computed once per order (not per query). */
  private sections: string[] | null = null;

  private sectionsInOrder(): string[] {
    this.sections ??= this.sorted.map((r) => sectionOf(this.keyOf(r), this.locale));
    return this.sections;
  }

  get(id: string): ContactRow | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Every row, in no particular order (views that sort by something else: birthdays). */
  all(): IterableIterator<ContactRow> {
    return this.rows.values();
  }

  /** The slot of an id that has one. */
  slotPeek = (id: string): number | undefined => this.slots.get(id);

  get slotCount(): number {
    return this.slots.size;
  }

  /** Two contacts in list order (both must be in the index). */
  compareIds = (a: string, b: string): number => this.compare(this.rows.get(a)!, this.rows.get(b)!);

  /**
   * The ids of the listed rows whose slot is set in `bits` (a group's bit set over the slots,
   * shared/groups/membership-index.ts), in list order: one bit test per row, no row looked up.
   * What a patched group's members are made of, when asked (the group store, `groups.ts`).
   */
  idsOfSlots(bits: Uint32Array): string[] {
    const out: string[] = [];
    const slots = this.sortedSlots;
    for (let p = 0; p < slots.length; p++) {
      const s = slots[p]!;
      if (s >>> 5 < bits.length && (bits[s >>> 5]! & (1 << (s & 31))) !== 0) out.push(this.sorted[p]!.id);
    }
    return out;
  }

  private groupWatchers = new Set<(changes: readonly GroupRowChange[] | 'all') => void>();

  /**
   * Told, as it happens (the rows already in place, before the list's listeners), of each row
   * whose group facts changed (`groupsVersion` moves with it), or 'all' when the list was replaced:
   * the group store updates its membership from these instead of listing every group again.
   */
  watchGroupRows(watcher: (changes: readonly GroupRowChange[] | 'all') => void): () => void {
    this.groupWatchers.add(watcher);
    return () => this.groupWatchers.delete(watcher);
  }

  private tellGroups(changes: readonly GroupRowChange[] | 'all'): void {
    if (changes !== 'all' && changes.length === 0) return;
    for (const w of this.groupWatchers) w(changes);
  }

  /**
   * Insert or replace rows, keeping the order (binary insertion: no full re-sort per edit). An id
   * given twice in one batch is its last row (the group facts' changes are from the row before the
   * batch to that one: a deletion and its undo in one batch leave the contact in its groups).
   */
  upsert(batch: readonly ContactRow[]): void {
    const rows = lastOfEach(batch);
    const groupChanges: GroupRowChange[] = [];
    for (const r of rows) {
      const old = this.rows.get(r.id);
      if (groupsDiffer(old, r)) groupChanges.push({ old, now: r });
    }
    if (groupChanges.length > 0) this.groupsVersion++;
    if (rows.length > MERGE_PAST) {
      const kept = this.upsertMany(rows);
      this.tellGroups(groupChanges);
      this.changed(rows.length, kept);
      return;
    }
    // A few rows: the filters' whole lists follow them (a group's is made again from its book's, one bit per row).
    let kept = this.sections !== null;
    for (const [k, w] of this.wholes) if (w.filter === null) this.wholes.delete(k);
    for (const r of rows) {
      const old = this.rows.get(r.id);
      // Its sort key unchanged (a group joined or left, a phone, a favourite): it stays where it is.
      if (old !== undefined && this.keyOf(old) === this.keyOf(r)) {
        const at = this.lowerBound(old);
        if (this.sorted[at]?.id === r.id) {
          this.sorted[at] = r;
          this.put(r);
          if (kept) this.wholesReplace(at, old, r);
          continue;
        }
      }
      if (old !== undefined) kept = this.removeSorted(old) && kept;
      this.put(r);
      const at = this.lowerBound(r);
      this.sorted.splice(at, 0, r);
      this.sortedSlots.splice(at, 0, this.slotOf(r.id));
      // The section letters follow the rows (an edit does not work out 50,000 letters again).
      this.sections?.splice(at, 0, sectionOf(this.keyOf(r), this.locale));
      if (kept) this.wholesInsert(at, r);
    }
    this.tellGroups(groupChanges);
    this.changed(rows.length, kept);
  }

  /**
   * Many rows at once: those whose sort key is unchanged are replaced where they stand, the rest
   * taken out, sorted among themselves and merged in; the order is never sorted again whole. Each
   * row is found by its key (binary search), so a batch of k rows into n costs k·log n comparisons
   * and one copy of the list (its slots and section letters follow it), not n comparisons: a
   * sync's 500 cards into 50,000 rows compared every row with the collator, once per batch.
   * The kept whole lists of a book, of favourites and of all follow the merge (`wholesMerged`);
   * true when they did (false: dropped, made again when asked).
   */
  private upsertMany(rows: readonly ContactRow[]): boolean {
    const stay = new Map<string, ContactRow>();
    const moved = new Map<string, ContactRow>();
    /** The old rows of those that move: taken out where they stand. */
    const leaving: ContactRow[] = [];
    // The same id twice: the last one wins.
    for (const r of new Map(rows.map((x) => [x.id, x] as const)).values()) {
      const old = this.rows.get(r.id);
      if (old !== undefined && this.keyOf(old) === this.keyOf(r)) stay.set(r.id, r);
      else {
        moved.set(r.id, r);
        if (old !== undefined) leaving.push(old);
      }
    }
    const sorted = this.sorted;
    // Where each staying and each leaving row stands (its key says where): -1 if not there.
    const at = (r: ContactRow): number => {
      const p = this.lowerBound(r);
      return sorted[p]?.id === r.id ? p : -1;
    };
    const stayAt: number[] = [];
    for (const r of stay.values()) stayAt.push(at(this.rows.get(r.id)!));
    const leaveAt = leaving.map(at);
    for (const r of [...stay.values(), ...moved.values()]) this.put(r);
    if (stayAt.includes(-1) || leaveAt.includes(-1)) {
      this.upsertByScan(stay, moved);
      return false;
    }
    let i = 0;
    for (const r of stay.values()) sorted[stayAt[i++]!] = r;
    // Same ids in the same places: the slots and section letters stand.
    if (moved.size === 0) return this.wholesMerged(null, stayAt, stayAt);
    // The list without the leaving rows, then the incoming merged in at their places.
    const gone = new Uint8Array(sorted.length);
    for (const p of leaveAt) gone[p] = 1;
    const sections = this.sections;
    const base: ContactRow[] = [];
    const baseSlots: number[] = [];
    const baseSections: string[] | null = sections === null ? null : [];
    /** Each old list position's new one (-1: it left), for the kept whole lists. */
    const newPos = new Int32Array(sorted.length).fill(-1);
    const baseFrom: number[] = [];
    for (let p = 0; p < sorted.length; p++) {
      if (gone[p] === 1) continue;
      base.push(sorted[p]!);
      baseFrom.push(p);
      baseSlots.push(this.sortedSlots[p]!);
      baseSections?.push(sections![p]!);
    }
    const incoming = [...moved.values()].sort(this.compare);
    const incomingAt: number[] = [];
    const n = base.length + incoming.length;
    const out = new Array<ContactRow>(n);
    const outSlots = new Array<number>(n);
    const outSections = baseSections === null ? null : new Array<string>(n);
    let from = 0;
    let o = 0;
    for (const r of incoming) {
      // The first base row after r, searched from the last one's place (the incoming are in order).
      let lo = from;
      let hi = base.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.compare(base[mid]!, r) <= 0) lo = mid + 1;
        else hi = mid;
      }
      for (; from < lo; from++, o++) {
        out[o] = base[from]!;
        newPos[baseFrom[from]!] = o;
        outSlots[o] = baseSlots[from]!;
        if (outSections !== null) outSections[o] = baseSections![from]!;
      }
      out[o] = r;
      incomingAt.push(o);
      outSlots[o] = this.slotOf(r.id);
      if (outSections !== null) outSections[o] = sectionOf(this.keyOf(r), this.locale);
      o++;
    }
    for (; from < base.length; from++, o++) {
      out[o] = base[from]!;
      newPos[baseFrom[from]!] = o;
      outSlots[o] = baseSlots[from]!;
      if (outSections !== null) outSections[o] = baseSections![from]!;
    }
    this.sorted = out;
    this.sortedSlots = outSlots;
    this.sections = outSections;
    const stayNow = stayAt.map((p) => newPos[p]!);
    return this.wholesMerged(newPos, [...stayAt, ...leaveAt], [...stayNow, ...incomingAt]);
  }

  /**
   * The kept whole lists of a book, of favourites and of all, after a batch was merged into the
   * list: their positions moved by `newPos` (each old list position's new one, -1 for a row that
   * left; null: none moved), the batch's rows that stood at `was` (old positions) taken out and
   * those now at `now` (new positions) put in where their filter shows them. One pass over each
   * kept list's positions, no row looked at but the batch's: a sync's batch made the window's whole
   * list again (`wholeByRows`, every row's fields read) each time, 2 s of a 50,000-card sync.
   * Groups' lists are dropped (made again from their book's, one bit a row). False when the list's
   * section letters are not made (no whole list was asked for since the order changed): all dropped.
   */
  private wholesMerged(newPos: Int32Array | null, was: readonly number[], now: readonly number[]): boolean {
    const sections = this.sections;
    if (sections === null || this.wholes.size === 0) return false;
    const oldLength = newPos?.length ?? this.sorted.length;
    const out = new Uint8Array(oldLength);
    for (const p of was) out[p] = 1;
    const incoming = Int32Array.from(now).sort();
    for (const [k, kept] of this.wholes) {
      if (kept.filter === null) {
        this.wholes.delete(k);
        continue;
      }
      const w = kept.moves === undefined ? kept : this.settle(kept);
      const filter = w.filter!;
      const add = incoming.filter((p) => ContactIndex.shows(this.sorted[p]!, filter));
      const positions = new Int32Array(w.positions.length + add.length);
      const rows: ContactRow[] = [];
      const shown: string[] = [];
      let n = 0;
      let j = 0;
      const put = (p: number) => {
        positions[n++] = p;
        rows.push(this.sorted[p]!);
        shown.push(sections[p]!);
      };
      for (let i = 0; i < w.positions.length; i++) {
        const p = w.positions[i]!;
        if (out[p] === 1) continue;
        const q = newPos === null ? p : newPos[p]!;
        while (j < add.length && add[j]! < q) put(add[j++]!);
        positions[n++] = q;
        rows.push(w.list.rows[i]!);
        shown.push(w.list.sections[i]!);
      }
      while (j < add.length) put(add[j++]!);
      const at = positions.slice(0, n);
      const shows = new Uint8Array(this.sorted.length);
      for (let i = 0; i < n; i++) shows[at[i]!] = 1;
      this.wholes.set(k, { list: { rows, sections: shown }, shows, positions: at, filter });
    }
    return true;
  }

  /** upsertMany where a row is not where its key says: every row looked at (the rows already put). */
  private upsertByScan(stay: ReadonlyMap<string, ContactRow>, moved: ReadonlyMap<string, ContactRow>): void {
    const base: ContactRow[] = [];
    for (const x of this.sorted) {
      if (moved.has(x.id)) continue;
      base.push(stay.get(x.id) ?? x);
    }
    const incoming = [...moved.values()].sort(this.compare);
    const out = new Array<ContactRow>(base.length + incoming.length);
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < base.length && j < incoming.length) out[o++] = this.compare(base[i]!, incoming[j]!) <= 0 ? base[i++]! : incoming[j++]!;
    while (i < base.length) out[o++] = base[i++]!;
    while (j < incoming.length) out[o++] = incoming[j++]!;
    this.sorted = out;
    this.reslot();
  }

  /** Whether a row is in a filter's whole list (group filters aside). */
  private static shows(r: ContactRow, f: { bookId: string | null; favoritesOnly: boolean }): boolean {
    return !(r.pending === 'deleted' || r.groupCard === 'apple' || r.groupCard === 'vcard4' || (f.bookId !== null && r.bookId !== f.bookId) || (f.favoritesOnly && r.favorite !== 1));
  }

  /** A move for every kept whole list, taken in when it is asked for; one with too many waiting is dropped. */
  private wholesMove(move: (w: Whole) => Move | readonly Move[] | null): void {
    for (const [k, w] of this.wholes) {
      const m = move(w);
      if (m === null) continue;
      const moves = (w.moves ??= []);
      if (Array.isArray(m)) moves.push(...(m as readonly Move[]));
      else moves.push(m as Move);
      if (moves.length > MOVES_AT_MOST) this.wholes.delete(k);
    }
  }

  /** The kept whole lists after a row left list position `p`. */
  private wholesRemove(p: number): void {
    this.wholesMove(() => ({ kind: 'remove', p }));
  }

  /** The kept whole lists after row `r` came in at list position `p`. */
  private wholesInsert(p: number, r: ContactRow): void {
    const section = this.sections![p]!;
    this.wholesMove(() => ({ kind: 'insert', p, r, section }));
  }

  /** The kept whole lists after row `old` was replaced by `r` where it stood, at list position `p`. */
  private wholesReplace(p: number, old: ContactRow, r: ContactRow): void {
    const section = this.sections![p]!;
    this.wholesMove((w) => {
      const was = ContactIndex.shows(old, w.filter!);
      const is = ContactIndex.shows(r, w.filter!);
      if (was && is) return { kind: 'replace', p, r };
      if (was === is) return null;
      return [
        { kind: 'remove', p },
        { kind: 'insert', p, r, section },
      ];
    });
  }

  /**
   * A kept whole list with its waiting moves taken in: one copy of what they change, new arrays
   * only where its rows changed (the view compares lists by identity).
   */
  private settle(w: Whole): Whole {
    const moves = w.moves;
    if (moves === undefined || moves.length === 0) return w;
    // The positions in place (typed, with room for every insertion); copied only if the order moved.
    let pos = w.positions;
    let len = pos.length;
    let copied = false;
    const own = () => {
      if (copied) return;
      const room = new Int32Array(len + moves.reduce((n, m) => n + (m.kind === 'insert' ? 1 : 0), 0));
      room.set(pos.subarray(0, len));
      pos = room;
      copied = true;
    };
    let rows: ContactRow[] | null = null;
    let sections: string[] | null = null;
    for (const m of moves) {
      const i = lowerBoundOf(pos.subarray(0, len), m.p);
      if (m.kind === 'replace') {
        if (i < len && pos[i] === m.p) (rows ??= w.list.rows.slice())[i] = m.r;
        continue;
      }
      own();
      if (m.kind === 'remove') {
        if (i < len && pos[i] === m.p) {
          (rows ??= w.list.rows.slice()).splice(i, 1);
          (sections ??= w.list.sections.slice()).splice(i, 1);
          pos.copyWithin(i, i + 1, len);
          len--;
        }
        for (let j = i; j < len; j++) pos[j]!--;
      } else {
        for (let j = i; j < len; j++) pos[j]!++;
        if (ContactIndex.shows(m.r, w.filter!)) {
          (rows ??= w.list.rows.slice()).splice(i, 0, m.r);
          (sections ??= w.list.sections.slice()).splice(i, 0, m.section);
          pos.copyWithin(i + 1, i, len);
          pos[i] = m.p;
          len++;
        }
      }
    }
    const list = rows === null && sections === null ? w.list : { rows: rows ?? w.list.rows, sections: sections ?? w.list.sections };
    if (!copied) return { list, shows: w.shows, positions: w.positions, filter: w.filter };
    const positions = pos.slice(0, len);
    const shows = new Uint8Array(this.sorted.length);
    for (let k = 0; k < len; k++) shows[positions[k]!] = 1;
    return { list, shows, positions, filter: w.filter };
  }

  remove(ids: readonly string[]): void {
    if (ids.some((id) => this.rows.has(id))) this.groupsVersion++;
    const groupChanges: GroupRowChange[] = [];
    if (ids.length > MERGE_PAST) {
      this.removeMany(ids, groupChanges);
      this.tellGroups(groupChanges);
      this.changed(ids.length);
      return;
    }
    for (const [k, w] of this.wholes) if (w.filter === null) this.wholes.delete(k);
    let kept = true;
    for (const id of ids) {
      const old = this.rows.get(id);
      if (old === undefined) continue;
      kept = this.removeSorted(old) && kept;
      this.rows.delete(id);
      this.pending.swap(old, undefined);
      groupChanges.push({ old, now: undefined });
    }
    this.tellGroups(groupChanges);
    this.changed(ids.length, kept);
  }

  /**
   * Many rows out at once: one pass over the list (its slots and section letters follow it), not
   * a splice of the whole list per row (an import's undo of 50,000 was 50,000 splices of three
   * arrays of up to 50,000).
   */
  private removeMany(ids: readonly string[], groupChanges: GroupRowChange[]): void {
    const gone = new Set<string>();
    for (const id of ids) {
      const old = this.rows.get(id);
      if (old === undefined || gone.has(id)) continue;
      gone.add(id);
      this.rows.delete(id);
      this.pending.swap(old, undefined);
      groupChanges.push({ old, now: undefined });
    }
    if (gone.size === 0) return;
    const sections = this.sections;
    const sorted: ContactRow[] = [];
    const slots: number[] = [];
    const kept: string[] | null = sections === null ? null : [];
    for (let p = 0; p < this.sorted.length; p++) {
      const r = this.sorted[p]!;
      if (gone.has(r.id)) continue;
      sorted.push(r);
      slots.push(this.sortedSlots[p]!);
      kept?.push(sections![p]!);
    }
    this.sorted = sorted;
    this.sortedSlots = slots;
    this.sections = kept;
  }

  private lowerBound(r: ContactRow): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.sorted[mid]!, r) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Take a row out of the order; false when it was not where its key says (the order was made anew, the kept lists dropped). */
  private removeSorted(r: ContactRow): boolean {
    const at = this.lowerBound(r);
    if (this.sorted[at]?.id === r.id) {
      this.sorted.splice(at, 1);
      this.sortedSlots.splice(at, 1);
      this.sections?.splice(at, 1);
      if (this.wholes.size > 0) this.wholesRemove(at);
      return true;
    }
    this.sorted = this.sorted.filter((x) => x.id !== r.id);
    this.reslot();
    this.wholes.clear();
    return false;
  }

  /**
   * The search index (search-index.ts), built in idle slices after the list changes much; rows
   * changed since its build are searched one by one. Before the first build every row is.
   */
  private search: RowSearch | null = null;
  private cancelBuild: (() => void) | null = null;
  /** Rows added, changed or removed since the index's build (or the build under way) began. */
  private drift = 0;
  private built: Array<() => void> = [];
  /** What the last build cost (the benchmark reads the same from the 'cardinal:search-index-built' mark). */
  lastBuild: BuildCost | null = null;

  /** Whether so many rows changed since the build (or the one under way) began that it is worth building again. */
  private drifted(): boolean {
    return this.drift > Math.max(REBUILD_AFTER, this.sorted.length / (this.streaming ? 2 : 16));
  }

  /** A sync's batches are coming (see expectMore). */
  private streaming = false;
  private streamTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * A sync's batch is about to be applied, and more follow (`more`), or it is the last. While they
   * come, the search index is built again only once the rows changed since its build are half the
   * list, not a sixteenth: each build is of the whole list, and one every batch or two made a sync
   * of n cards build about n²/1,000 rows (the rows changed since are searched one by one
   * meanwhile). After the last batch, or 30 s without one (a run cut short), as after any change.
   */
  expectMore(more: boolean): void {
    clearTimeout(this.streamTimer);
    this.streaming = more;
    if (more) this.streamTimer = setTimeout(() => this.expectMore(false), STREAM_HOLD_MS);
    else if (this.cancelBuild === null && this.drifted()) this.rebuild();
  }

  private rebuild(): void {
    this.cancelBuild?.();
    this.drift = 0;
    const rows = this.sorted.slice();
    const builder = RowSearch.builder(rows);
    this.cancelBuild = inIdleSlices(
      builder.step,
      (cost) => {
        this.search = builder.result();
        this.cancelBuild = null;
        this.lastBuild = cost;
        this.positions = null;
        this.results.clear();
        performance.mark('cardinal:search-index-built', { detail: cost });
        for (const resolve of this.built.splice(0)) resolve();
        // What changed during the build is not in it: searched one by one, unless it is much.
        if (this.drifted()) this.rebuild();
      },
      rows.length,
    );
  }

  /** Resolves when the search index reflects the list (or all but a few rows changed since). */
  whenIndexed(): Promise<void> {
    if (this.cancelBuild === null) return Promise.resolve();
    return new Promise((resolve) => this.built.push(resolve));
  }

  /**
   * Where each list position's row is in the index (-1: changed since the build, searched one by
   * one) and back; recomputed after the list changes, at the next search.
   */
  private positions: { ordinalAt: Int32Array; positionOf: Int32Array; unindexed: number[] } | null = null;

  private placed(search: RowSearch): { ordinalAt: Int32Array; positionOf: Int32Array; unindexed: number[] } {
    if (this.positions !== null) return this.positions;
    const ordinalAt = new Int32Array(this.sorted.length);
    const positionOf = new Int32Array(search.rows.length).fill(-1);
    const unindexed: number[] = [];
    this.sorted.forEach((r, p) => {
      const ord = search.ordinalOf.get(r.id);
      // Only the same object is the indexed row: rows are replaced, never changed in place, so a
      // row edited since the build is another object and is searched by its new text.
      if (ord !== undefined && search.rows[ord] === r) {
        ordinalAt[p] = ord;
        positionOf[ord] = p;
      } else {
        ordinalAt[p] = -1;
        unindexed.push(p);
      }
    });
    this.positions = { ordinalAt, positionOf, unindexed };
    return this.positions;
  }

  /** The list positions matching a query, ascending. */
  private matching(query: SearchQuery): ArrayLike<number> {
    const search = this.search;
    if (search === null) {
      const out: number[] = [];
      this.sorted.forEach((r, p) => rowMatches(r.search, r.phones, query) && out.push(p));
      return out;
    }
    const { ordinalAt, positionOf, unindexed } = this.placed(search);
    const hits = search.match(query);
    if (hits.count * 8 < this.sorted.length) {
      // Few: gather them and sort by position.
      const out: number[] = [];
      for (const ord of members(hits)) if (positionOf[ord]! >= 0) out.push(positionOf[ord]!);
      for (const p of unindexed) if (rowMatches(this.sorted[p]!.search, this.sorted[p]!.phones, query)) out.push(p);
      return Int32Array.from(out).sort();
    }
    const changed = new Set(unindexed.filter((p) => rowMatches(this.sorted[p]!.search, this.sorted[p]!.phones, query)));
    const out = new Int32Array(this.sorted.length);
    let n = 0;
    for (let p = 0; p < ordinalAt.length; p++) {
      const ord = ordinalAt[p]!;
      if (ord >= 0 ? has(hits.bits, ord) : changed.has(p)) out[n++] = p;
    }
    return out.subarray(0, n);
  }

  /** Per filter, until the list changes: its whole list, and which list positions it shows. */
  private wholes = new Map<string, Whole>();
  /** The last queries' answers, until the list changes. */
  private results = new Map<string, ListResult>();

  private whole(bookId: string | null, favoritesOnly: boolean, group: GroupFilter | null): Whole {
    const filter = `${bookId ?? ''}\u0000${favoritesOnly ? 1 : 0}\u0000${group?.key ?? ''}`;
    let known = this.wholes.get(filter);
    if (known?.moves !== undefined) this.wholes.set(filter, (known = this.settle(known)));
    // A group's list stands while its members do: the same bit set (a relisting makes new ones) or Set.
    if (known !== undefined && (group === null || known.source === (group.bits ?? group.ids))) return known;
    const whole = group?.bits !== undefined ? this.wholeOfGroup(this.whole(bookId, favoritesOnly, null), group.bits) : this.wholeByRows(bookId, favoritesOnly, group);
    whole.source = group === null ? undefined : (group.bits ?? group.ids);
    this.wholes.set(filter, whole);
    return whole;
  }

  private wholeByRows(bookId: string | null, favoritesOnly: boolean, group: GroupFilter | null): Whole {
    const sections = this.sectionsInOrder();
    const shows = new Uint8Array(this.sorted.length);
    const rows: ContactRow[] = [];
    const shown: string[] = [];
    const positions: number[] = [];
    const ids = group?.ids ?? new Set<string>();
    this.sorted.forEach((r, p) => {
      // Group cards are groups (the sidebar lists them), never rows.
      if (r.pending === 'deleted' || r.groupCard === 'apple' || r.groupCard === 'vcard4' || (bookId !== null && r.bookId !== bookId) || (favoritesOnly && r.favorite !== 1)) return;
      if (group !== null && !ids.has(r.id)) return;
      shows[p] = 1;
      rows.push(r);
      shown.push(sections[p]!);
      positions.push(p);
    });
    return { list: { rows, sections: shown }, shows, positions: Int32Array.from(positions), filter: group === null ? { bookId, favoritesOnly } : null };
  }

  /**
   * A group's rows from the list without the group (already made once per list version): one bit
   * test per row by its slot, no id looked up, no row object touched.
   */
  private wholeOfGroup(base: Whole, bits: Uint32Array): Whole {
    const { positions } = base;
    const slots = this.sortedSlots;
    const keep: number[] = [];
    for (let i = 0; i < positions.length; i++) {
      const s = slots[positions[i]!]!;
      if (s >>> 5 < bits.length && (bits[s >>> 5]! & (1 << (s & 31))) !== 0) keep.push(i);
    }
    const rows = new Array<ContactRow>(keep.length);
    const shown = new Array<string>(keep.length);
    const at = new Int32Array(keep.length);
    const shows = new Uint8Array(this.sorted.length);
    for (let k = 0; k < keep.length; k++) {
      const i = keep[k]!;
      rows[k] = base.list.rows[i]!;
      shown[k] = base.list.sections[i]!;
      at[k] = positions[i]!;
      shows[positions[i]!] = 1;
    }
    return { list: { rows, sections: shown }, shows, positions: at, filter: null };
  }

  /**
   * The rows to show, in order: a book's (or all books'), hidden deletions left out, filtered by a
   * query that ignores case, accents, width, Persian/Arabic letter variants and Traditional vs
   * Simplified Han: every word must appear (in names, organisation, e-mails, addresses, groups,
   * labels, related people or notes); digits in the query also match phone numbers however they
   * are formatted.
   */
  query(q: string, bookId: string | null, favoritesOnly = false, group: GroupFilter | null = null, alsoIds?: ReadonlySet<string>): ContactRow[] {
    return this.list(q, bookId, favoritesOnly, group, alsoIds).rows;
  }

  /**
   * The rows to show and, beside each, its section letter (the list draws its headers from them).
   * `group`: only the rows of one group (its members, from the group store's one membership
   * query; its key names the answer in the cache). `alsoIds`: rows matching the query by another
   * road (members of the groups whose name it matches), shown among the rest in list order.
   */
  list(q: string, bookId: string | null, favoritesOnly = false, group: GroupFilter | null = null, alsoIds?: ReadonlySet<string>): ListResult {
    const whole = this.whole(bookId, favoritesOnly, group);
    const query = parseQuery(q);
    if (query.words.length === 0) return whole.list;
    const also = alsoIds !== undefined && alsoIds.size > 0 ? alsoIds : null;
    const key = `${bookId ?? ''}\u0000${favoritesOnly ? 1 : 0}\u0000${group?.key ?? ''}\u0000${query.words.join(' ')}\u0000${query.phones.join(' ')}${also === null ? '' : `\u0000+${also.size}`}`;
    const known = this.results.get(key);
    if (known !== undefined) return known;
    const found = this.matching(query);
    const { shows } = whole;
    let n = 0;
    for (let k = 0; k < found.length; k++) n += shows[found[k]!]!;
    // Every row matched ("friends"): the whole list's arrays, so the view keeps its layout too.
    let result = whole.list;
    if (n !== whole.list.rows.length) {
      // Sized once and filled without touching the rows themselves (50,000 of them are scattered in memory).
      const sections = this.sectionsInOrder();
      const rows = new Array<ContactRow>(n);
      const shown = new Array<string>(n);
      let i = 0;
      for (let k = 0; k < found.length; k++) {
        const p = found[k]!;
        if (shows[p] === 0) continue;
        rows[i] = this.sorted[p]!;
        shown[i++] = sections[p]!;
      }
      result = { rows, sections: shown };
    }
    if (also !== null && result !== whole.list) {
      const found = new Set(result.rows.map((r) => r.id));
      const rows: ContactRow[] = [];
      const shown: string[] = [];
      whole.list.rows.forEach((r, i) => {
        if (!found.has(r.id) && !also.has(r.id)) return;
        rows.push(r);
        shown.push(whole.list.sections[i]!);
      });
      result = { rows, sections: shown };
    }
    if (this.results.size >= 8) this.results.delete(this.results.keys().next().value!);
    this.results.set(key, result);
    return result;
  }

  /** Each book's local changes not yet on the server, kept as rows come and go (never counted by walking the rows). */
  private pending = new PendingTally([]);

  /** Replace (or add) a row, its book's pending counts following. */
  private put(r: ContactRow): void {
    this.pending.swap(this.rows.get(r.id), r);
    this.rows.set(r.id, r);
  }

  /** Local changes in these books not yet on the server (deletions included): all of them, those
   * the next sync sends, and those waiting for the user's decision (changed in two places).
   * Refused ones are neither. One look per book, however many rows: the window asks on every change. */
  pendingIn(bookIds: ReadonlySet<string>): PendingCounts {
    const out = { all: 0, toSend: 0, conflicts: 0 };
    for (const id of bookIds) {
      const c = this.pending.of(id);
      if (c === undefined) continue;
      out.all += c.all;
      out.toSend += c.toSend;
      out.conflicts += c.conflicts;
    }
    return out;
  }

  /** Every row in list order (for the snapshot that makes the next start fast). */
  snapshot(): readonly ContactRow[] {
    return this.sorted;
  }
}

export interface PendingCounts {
  all: number;
  toSend: number;
  conflicts: number;
}

/** Per book, how many rows wait for the server, and of what kind; a row's change is a swap of its old and new self. */
class PendingTally {
  private readonly books = new Map<string, PendingCounts>();

  constructor(rows: Iterable<ContactRow>) {
    for (const r of rows) this.add(r, 1);
  }

  of(bookId: string): Readonly<PendingCounts> | undefined {
    return this.books.get(bookId);
  }

  swap(old: ContactRow | undefined, now: ContactRow | undefined): void {
    if (old !== undefined) this.add(old, -1);
    if (now !== undefined) this.add(now, 1);
  }

  private add(r: ContactRow, by: 1 | -1): void {
    if (r.pending === '') return;
    let c = this.books.get(r.bookId);
    if (c === undefined) this.books.set(r.bookId, (c = { all: 0, toSend: 0, conflicts: 0 }));
    c.all += by;
    if (r.flag === 'conflict') c.conflicts += by;
    else if (r.flag !== 'error') c.toSend += by;
  }
}

// Simplified Chinese lists Han names under the pinyin letter of their first character: the first
// character of each letter in ICU's pinyin order (there are no syllables starting I, U or V).
const PINYIN_BOUNDARIES = [...'阿八嚓哒妸发旮哈讥咔垃妈拏噢妑七呥撒它穵夕丫帀'];
const PINYIN_LETTERS = 'ABCDEFGHJKLMNOPQRSTWXYZ';
const pinyinCollator = new Intl.Collator('zh-CN');
const HAN = /\p{Script=Han}/u;

function pinyinLetter(ch: string): string {
  let lo = 0;
  let hi = PINYIN_BOUNDARIES.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pinyinCollator.compare(PINYIN_BOUNDARIES[mid]!, ch) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? '#' : PINYIN_LETTERS[lo - 1]!;
}

/** A batch with each id once, at its first place, as its last row (the batch itself when no id repeats). */
function lastOfEach(rows: readonly ContactRow[]): readonly ContactRow[] {
  if (rows.length < 2) return rows;
  const byId = new Map<string, ContactRow>();
  for (const r of rows) byId.set(r.id, r);
  return byId.size === rows.length ? rows : [...byId.values()];
}

const sectionCache = new Map<string, string>();
const sectionCollators = new Map<string, Intl.Collator>();

/**
 * Whether the list's collator sorts a letter among those of the plain letter its search folding
 * starts with (Ø among the O's, Ð among the D's): then it goes under that letter's section. Þ,
 * which the search folds to "th" but the collator puts after Z, does not (a second "T" after "Z").
 */
function sortsWith(first: string, letter: string, locale: string): boolean {
  let c = sectionCollators.get(locale);
  if (c === undefined) sectionCollators.set(locale, (c = collatorFor(locale)));
  if (c.compare(letter, first) > 0) return false;
  const next = letter.codePointAt(0)! + 1;
  return letter >= 'Z' || c.compare(first, String.fromCodePoint(next)) < 0;
}

/**
 * The index letter of a sort key: its first letter without accents, upper-cased; '#' for the
 * rest. In the Simplified Chinese UI a Han name goes under its pinyin letter (王 → W); elsewhere
 * under its first character (Traditional Chinese lists by surname, in stroke order).
 */
export function sectionOf(key: string, locale = 'en'): string {
  const cp = key.trimStart().codePointAt(0);
  if (cp === undefined) return '#';
  const first = String.fromCodePoint(cp);
  const pinyin = locale === 'zh-CN' && HAN.test(first);
  const cacheKey = pinyin ? `p${first}` : `${locale}\u0000${first}`;
  let section = sectionCache.get(cacheKey);
  if (section === undefined) {
    // One letter, also where the folding makes two (Æ → AE, ß → SS): the section of its first;
    // the letter as written (upper-cased) where the list does not sort it with that one (Þ).
    const upper = first.toLocaleUpperCase();
    const cp0 = foldForSearch(first).toLocaleUpperCase().codePointAt(0);
    let folded = cp0 === undefined ? '' : String.fromCodePoint(cp0);
    if (/^[A-Z]$/.test(folded) && !/^[A-Z]/.test(upper.normalize('NFD')) && !sortsWith(upper, folded, locale)) folded = upper;
    section = pinyin ? pinyinLetter(first) : HAN.test(first) ? first : /\p{L}/u.test(folded) ? folded : '#';
    sectionCache.set(cacheKey, section);
  }
  return section;
}
