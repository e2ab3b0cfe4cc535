/** A small in-memory book for the group tests: cards by id, their facts, and the writes applied. */
import { readCardFactsText, type BookGroupSetting, type GroupBook, type GroupChange, type GroupStorage, type StoredLabel } from '../../../shared/groups';

export const vcard = (...lines: string[]): string => ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n');

export const contact = (uid: string, fn: string, ...more: string[]): string => vcard('VERSION:3.0', `UID:${uid}`, `FN:${fn}`, `N:${fn};;;;`, ...more);

export class TestBook {
  readonly texts = new Map<string, string>();
  setting: BookGroupSetting;
  labels: StoredLabel[] = [];
  private next = 1;

  constructor(storage: GroupStorage, cards: Record<string, string> = {}) {
    this.setting = { storage, decidedBy: 'cards', empty: [] };
    for (const [id, text] of Object.entries(cards)) this.texts.set(id, text);
  }

  book(): GroupBook {
    return {
      setting: this.setting,
      cards: [...this.texts].map(([id, t]) => readCardFactsText(id, t)),
      labels: this.labels,
      vcard: (id) => this.texts.get(id),
    };
  }

  newId = (): string => `new-${this.next++}`;

  /** Apply writes as the store would; returns the ids of cards made. */
  apply(changes: readonly GroupChange[]): string[] {
    const made: string[] = [];
    for (const c of changes) {
      if (c.kind === 'update-card') {
        if (!this.texts.has(c.id)) throw new Error(`update of unknown card ${c.id}`);
        this.texts.set(c.id, c.vcard);
      } else if (c.kind === 'create-card') {
        const id = `card-${c.uid}`;
        this.texts.set(id, c.vcard);
        made.push(id);
      } else if (c.kind === 'delete-card') this.texts.delete(c.id);
      else if (c.kind === 'setting') this.setting = c.setting;
      else {
        const i = this.labels.findIndex((l) => l.id === c.label.id);
        if (i >= 0) this.labels[i] = c.label;
        else this.labels.push(c.label);
      }
    }
    return made;
  }
}
