/**
 * The labels sync's store contract in memory, applying writes as the real store must (through
 * `applyLabelSync`), plus the user's side: a Google book's cards and the group actions on them.
 */
import {
  applyLabelSync,
  EMPTY_PEOPLE_STATE,
  listGroups,
  readCardFactsText,
  type GroupBook,
  type GroupChange,
  type LabelSyncWrite,
  type PeopleSyncState,
  type PersonLink,
  type StoredLabel,
} from '../../../shared/groups';
import type { CardRef } from '../../../electron/people/identity';
import type { LabelSnapshot, LabelStore } from '../../../electron/people/store';

export class MemoryLabelStore implements LabelStore {
  state: PeopleSyncState = EMPTY_PEOPLE_STATE;
  labels: StoredLabel[] = [];
  favourites = new Set<string>();
  people = new Map<string, PersonLink>();
  /** The Google book: card id → href and vCard. */
  readonly book = new Map<string, { href: string; vcard: string }>();
  readonly writes: LabelSyncWrite[] = [];
  /** Something to do between the sync's read and its write (a user's edit meanwhile). */
  onApply: (() => void) | null = null;

  addCard(id: string, href: string, vcard: string): void {
    this.book.set(id, { href, vcard });
  }

  async read(): Promise<LabelSnapshot> {
    return structuredClone({ state: this.state, labels: this.labels, favourites: [...this.favourites], people: [...this.people.values()] });
  }

  async cards(): Promise<readonly CardRef[]> {
    return [...this.book].map(([id, c]) => ({ id, href: c.href, uid: readCardFactsText(id, c.vcard).uid }));
  }

  async vcards(ids: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return new Map(ids.flatMap((id) => (this.book.has(id) ? [[id, this.book.get(id)!.vcard] as const] : [])));
  }

  async apply(write: LabelSyncWrite): Promise<void> {
    this.onApply?.();
    this.onApply = null;
    this.writes.push(write);
    const next = applyLabelSync(this.labels, this.favourites, write);
    this.labels = next.labels;
    this.favourites = next.favourites;
    for (const p of write.people.put) this.people.set(p.resourceName, p);
    for (const r of write.people.remove) this.people.delete(r);
    if (write.state !== null) this.state = write.state;
  }

  /** The book as the group functions see it (storage: Google labels). */
  groupBook(): GroupBook {
    return {
      setting: { storage: 'google-labels', decidedBy: 'server', empty: [] },
      cards: [...this.book].map(([id, c]) => readCardFactsText(id, c.vcard)),
      labels: this.labels,
      vcard: (id) => this.book.get(id)?.vcard,
    };
  }

  /** A group action's writes, as the window's store makes them. */
  change(changes: readonly GroupChange[]): void {
    for (const c of changes) {
      if (c.kind !== 'label') throw new Error(`a Google book writes labels only, not ${c.kind}`);
      const i = this.labels.findIndex((l) => l.id === c.label.id);
      if (i >= 0) this.labels[i] = c.label;
      else this.labels.push(c.label);
    }
  }

  /** Labels as the window lists them: name → member card ids, sorted. */
  listed(): Map<string, string[]> {
    return new Map(listGroups(this.groupBook()).map((g) => [g.name, [...g.memberIds].sort()]));
  }
}
