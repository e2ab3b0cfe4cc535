/**
 * Several group actions planned at once (an import's groups): each action sees the book as the
 * earlier ones left it, and the writes are folded into one list, a card at most once (a group
 * card made in the plan is written whole, with the members later actions gave it).
 */
import { readCardFactsText } from './facts';
import type { StoredLabel } from './labels';
import type { BookGroupSetting, CardFacts, GroupBook, GroupChange } from './types';

export class PlannedBook {
  private readonly texts = new Map<string, string>();
  private readonly facts: CardFacts[];
  private setting: BookGroupSetting;
  private labels: StoredLabel[];
  /** Writes by what they touch (`card:<id>`, `label:<id>`, `setting`), in first-touch order. */
  private readonly writes = new Map<string, GroupChange>();
  /** Ids of cards this plan creates (their `create-card` carries the final text). */
  private readonly created = new Set<string>();

  constructor(private readonly start: GroupBook) {
    this.facts = [...start.cards];
    this.setting = start.setting;
    this.labels = [...(start.labels ?? [])];
  }

  /** The book as the plan has it so far. */
  book(): GroupBook {
    return {
      setting: this.setting,
      cards: this.facts,
      labels: this.labels,
      vcard: (id) => this.texts.get(id) ?? this.start.vcard(id),
    };
  }

  apply(changes: readonly GroupChange[]): void {
    for (const c of changes) this.one(c);
  }

  private one(c: GroupChange): void {
    switch (c.kind) {
      case 'update-card': {
        this.texts.set(c.id, c.vcard);
        this.replaceFacts(c.id, readCardFactsText(c.id, c.vcard));
        if (this.created.has(c.id)) this.writes.set(`card:${c.id}`, { kind: 'create-card', uid: c.id, vcard: c.vcard });
        else this.writes.set(`card:${c.id}`, c);
        return;
      }
      case 'create-card': {
        // Until the store gives it an id, the planned card is known by its UID.
        this.created.add(c.uid);
        this.texts.set(c.uid, c.vcard);
        this.facts.push(readCardFactsText(c.uid, c.vcard));
        this.writes.set(`card:${c.uid}`, c);
        return;
      }
      case 'delete-card': {
        const i = this.facts.findIndex((f) => f.id === c.id);
        if (i >= 0) this.facts.splice(i, 1);
        if (this.created.delete(c.id)) this.writes.delete(`card:${c.id}`);
        else this.writes.set(`card:${c.id}`, c);
        return;
      }
      case 'setting':
        this.setting = c.setting;
        this.writes.set('setting', c);
        return;
      case 'label': {
        const i = this.labels.findIndex((l) => l.id === c.label.id);
        if (i >= 0) this.labels[i] = c.label;
        else this.labels.push(c.label);
        this.writes.set(`label:${c.label.id}`, c);
        return;
      }
    }
  }

  private replaceFacts(id: string, facts: CardFacts): void {
    const i = this.facts.findIndex((f) => f.id === id);
    if (i >= 0) this.facts[i] = facts;
  }

  /** The writes, each card, label and the setting once. */
  changes(): GroupChange[] {
    return [...this.writes.values()];
  }
}
