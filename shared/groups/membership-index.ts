/**
 * Which contacts each group holds, for filtering the list by a group at 50,000 contacts (target:
 * p95 under 16 ms, `npm run bench -- groups`). Every contact id gets a slot number once; each group
 * is a bit set over the slots. Filtering walks the list in its own (collated) order and tests one
 * bit per row, so the result keeps the list's order and costs no sort; membership edits flip bits.
 */
import type { GroupInfo } from './types';

/** Where slots come from: the index's own numbering, or one shared with the list (the window's `ContactIndex.slotOf`). */
export interface SlotSource {
  /** The slot of an id, given on first sight. */
  slotOf(id: string): number;
  /** The slot of an id if it has one. */
  peek(id: string): number | undefined;
  /** How many slots are given. */
  readonly size: number;
}

function ownSlots(): SlotSource {
  const slots = new Map<string, number>();
  return {
    slotOf(id) {
      let s = slots.get(id);
      if (s === undefined) slots.set(id, (s = slots.size));
      return s;
    },
    peek: (id) => slots.get(id),
    get size() {
      return slots.size;
    },
  };
}

export class MembershipIndex {
  private readonly slots: SlotSource;
  private readonly groups = new Map<string, { bits: Uint32Array; count: number }>();

  constructor(slots: SlotSource = ownSlots()) {
    this.slots = slots;
  }

  static fromGroups(groups: readonly GroupInfo[], slots?: SlotSource): MembershipIndex {
    const index = new MembershipIndex(slots);
    for (const g of groups) index.set(g.key, g.memberIds);
    return index;
  }

  /** The slot of a contact (given on first sight). Rows may keep it to skip the id lookup. */
  slotOf(id: string): number {
    return this.slots.slotOf(id);
  }

  /** A group's bit set over the slots (null for a group the index does not hold); read-only for the caller, valid until the next edit. */
  bits(key: string): Uint32Array | null {
    return this.groups.get(key)?.bits ?? null;
  }

  /** The keys of the groups it holds. */
  keys(): IterableIterator<string> {
    return this.groups.keys();
  }

  private entry(key: string, slot: number): { bits: Uint32Array; count: number } {
    let e = this.groups.get(key);
    const words = (slot >>> 5) + 1;
    if (e === undefined) {
      e = { bits: new Uint32Array(Math.max(words, (this.slots.size + 31) >>> 5)), count: 0 };
      this.groups.set(key, e);
    } else if (e.bits.length < words) {
      const grown = new Uint32Array(Math.max(words, e.bits.length * 2));
      grown.set(e.bits);
      e.bits = grown;
    }
    return e;
  }

  /** Replace a group's members. */
  set(key: string, ids: readonly string[]): void {
    this.groups.set(key, { bits: new Uint32Array(0), count: 0 });
    this.add(key, ids);
  }

  add(key: string, ids: readonly string[]): void {
    if (!this.groups.has(key)) this.groups.set(key, { bits: new Uint32Array(0), count: 0 });
    for (const id of ids) {
      const s = this.slotOf(id);
      const e = this.entry(key, s);
      const mask = 1 << (s & 31);
      if ((e.bits[s >>> 5]! & mask) === 0) {
        e.bits[s >>> 5] = e.bits[s >>> 5]! | mask;
        e.count++;
      }
    }
  }

  remove(key: string, ids: readonly string[]): void {
    const e = this.groups.get(key);
    if (e === undefined) return;
    for (const id of ids) {
      const s = this.slots.peek(id);
      if (s === undefined || s >>> 5 >= e.bits.length) continue;
      const mask = 1 << (s & 31);
      if ((e.bits[s >>> 5]! & mask) !== 0) {
        e.bits[s >>> 5] = e.bits[s >>> 5]! & ~mask;
        e.count--;
      }
    }
  }

  /** A group that went (deleted, or no longer listed). */
  drop(key: string): void {
    this.groups.delete(key);
  }

  has(key: string, id: string): boolean {
    const e = this.groups.get(key);
    const s = this.slots.peek(id);
    if (e === undefined || s === undefined || s >>> 5 >= e.bits.length) return false;
    return (e.bits[s >>> 5]! & (1 << (s & 31))) !== 0;
  }

  count(key: string): number {
    return this.groups.get(key)?.count ?? 0;
  }

  /** The keys of the groups a contact is in (for search by group name). */
  groupsOf(id: string): string[] {
    const out: string[] = [];
    for (const key of this.groups.keys()) if (this.has(key, id)) out.push(key);
    return out;
  }

  /** The rows in the group, in the rows' order. */
  filter<T>(rows: readonly T[], key: string, idOf: (row: T) => string): T[] {
    const e = this.groups.get(key);
    if (e === undefined || e.count === 0) return [];
    const { bits } = e;
    const out: T[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const s = this.slots.peek(idOf(row));
      if (s !== undefined && s >>> 5 < bits.length && (bits[s >>> 5]! & (1 << (s & 31))) !== 0) out.push(row);
    }
    return out;
  }

  /** The same over rows that keep their slot (`slotOf`), without the id lookup: the positions in `slots` of the group's rows. */
  filterSlots(slots: ArrayLike<number>, key: string): number[] {
    const e = this.groups.get(key);
    if (e === undefined || e.count === 0) return [];
    const { bits } = e;
    const out: number[] = [];
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      if (s >>> 5 < bits.length && (bits[s >>> 5]! & (1 << (s & 31))) !== 0) out.push(i);
    }
    return out;
  }
}
