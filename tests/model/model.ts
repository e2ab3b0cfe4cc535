/**
 * The model: what the user and the other clients did and were told was done (acknowledged writes),
 * per contact, since the last quiescent point, and what was agreed at that point. From it, what
 * each contact may look like at the next quiescent point:
 *
 * - a field written by one side only holds that side's last write;
 * - a field written by both holds the last write of all, or is in an open conflict (the card
 *   keeps this computer's last write, the server the other client's);
 * - a contact whose last act was a deletion is gone, unless the other side edited it meanwhile
 *   (an edit wins over a delete it had not seen); otherwise it exists;
 * - a side's deletion makes its own earlier edits moot.
 *
 * One exception is allowed, and only on a server that does not enforce If-Match (Google): another
 * client's write that lands between the engine's check of a card's ETag and its PUT or DELETE of
 * that card may be overwritten; no request can close that window (`exposed`).
 */
import type { Card, Field } from './cards';

export type Side = 'local' | 'remote';

export interface Write {
  readonly step: number;
  readonly side: Side;
  readonly kind: 'create' | 'edit' | 'delete' | 'undo';
  readonly field?: Field;
  readonly value?: string;
  /** Another client's write made while the engine was between its check and its write of this card. */
  exposed?: boolean;
  /** The user settled a conflict with the server's value: the server's may have moved on since. */
  adopts?: boolean;
  /** Written by settling a conflict (the user chose a side of it, nothing else). */
  settles?: boolean;
  /**
   * Addresses the user was shown as this computer's side of a conflict and chose against (settling
   * with the server's side): dropped by the user's choice, not lost.
   */
  discards?: readonly string[];
  /**
   * A page's write (a merge, a restored version) that changed the card's other e-mail addresses
   * and kept its first one: a write of the EMAIL property, not of the model's address (the first).
   */
  lines?: boolean;
}

export interface ModelContact {
  readonly fn: string;
  /** At the last quiescent point (both sides agreed), or absent before it first existed. */
  agreed: { exists: boolean; email: string; note: string };
  /** Since the last quiescent point, in order. */
  writes: Write[];
}

export interface Expectation {
  /** The contact may be gone / may exist. */
  readonly mayBeGone: boolean;
  readonly mayExist: boolean;
  /** Acceptable values of each field when it exists and no conflict is open on it. */
  readonly values: Record<Field, readonly string[]>;
  /** Each side's last write of a field (what an open conflict must hold). */
  readonly lastBy: Record<Field, { local?: string; remote?: string; linesHere?: boolean }>;
}

export class Model {
  readonly contacts = new Map<string, ModelContact>();
  private step = 0;
  private made = 0;

  /** A name for a new contact (unique in the sequence; `L`/`R` for the side that made it). */
  newName(side: Side): string {
    return `${side === 'local' ? 'L' : 'R'}${++this.made} Model`;
  }

  /** A value for an edit, never written before in the sequence. */
  newValue(field: Field): string {
    const n = ++this.step;
    return field === 'email' ? `v${n}@model.example` : `note${n}`;
  }

  names(): string[] {
    return [...this.contacts.keys()];
  }

  /** Contacts that exist on at least one side as far as the model can tell (any may be acted on). */
  live(): ModelContact[] {
    return [...this.contacts.values()];
  }

  created(side: Side, card: Card): void {
    const write: Write[] = [{ step: ++this.step, side, kind: 'create' }];
    if (card.email !== '') write.push({ step: this.step, side, kind: 'edit', field: 'email', value: card.email });
    if (card.note !== '') write.push({ step: this.step, side, kind: 'edit', field: 'note', value: card.note });
    this.contacts.set(card.fn, { fn: card.fn, agreed: { exists: false, email: '', note: '' }, writes: write });
  }

  wrote(side: Side, fn: string, kind: Write['kind'], field?: Field, value?: string): Write {
    const c = this.contacts.get(fn);
    if (c === undefined) throw new Error(`the model has no ${fn}`);
    const w: Write = { step: ++this.step, side, kind, ...(field !== undefined ? { field, value } : {}) };
    c.writes.push(w);
    return w;
  }

  expectation(c: ModelContact): Expectation {
    // A local deletion undone within the window cancels out: whether the app undid it here only or
    // brought the card back on the server depends on whether the deletion had gone up already.
    const writes: Write[] = [];
    let cancelled = false;
    for (const w of c.writes) {
      if (w.kind === 'undo' && w.side === 'local') {
        const at = writes.map((x) => x.side === 'local' && x.kind === 'delete').lastIndexOf(true);
        if (at >= 0) {
          writes.splice(at, 1);
          cancelled = true;
          continue;
        }
      }
      writes.push(w);
    }
    const last = writes[writes.length - 1];
    const exposed = writes.some((w) => w.exposed === true);
    let mayExist: boolean;
    let mayBeGone: boolean;
    if (last === undefined) {
      mayExist = c.agreed.exists || cancelled;
      mayBeGone = !c.agreed.exists || cancelled;
    } else if (last.kind === 'delete') {
      const other: Side = last.side === 'local' ? 'remote' : 'local';
      mayBeGone = true;
      // An edit wins over a deletion it had not seen.
      mayExist = writes.some((w) => w.side === other && w.kind !== 'delete') || exposed || cancelled;
    } else {
      mayExist = true;
      mayBeGone = exposed;
    }
    return {
      mayExist,
      mayBeGone,
      values: { email: this.fieldValues(c, 'email'), note: this.fieldValues(c, 'note') },
      lastBy: { email: this.lastBy(c, 'email'), note: this.lastBy(c, 'note') },
    };
  }

  /**
   * The writes of a field that still count: a side's deletion makes its own earlier edits moot,
   * and an undo of that deletion brings them back.
   */
  private counting(c: ModelContact, field: Field): Write[] {
    let out: Write[] = [];
    const undone = new Map<Side, Write[]>();
    for (const w of c.writes) {
      if (w.kind === 'delete') {
        undone.set(w.side, out.filter((x) => x.side === w.side));
        out = out.filter((x) => x.side !== w.side);
      } else if (w.kind === 'undo') {
        out = [...out, ...(undone.get(w.side) ?? [])].sort((x, y) => x.step - y.step);
        undone.delete(w.side);
      } else if (w.field === field) out.push(w);
    }
    return out;
  }

  private fieldValues(c: ModelContact, field: Field): string[] {
    const all = c.writes.filter((w) => w.field === field);
    if (all.length === 0) return [c.agreed[field]];
    // Another address of the card coming or going tells nothing of its first: its value is one
    // more that may stand, no more (seed 19200649).
    const every = this.counting(c, field);
    const counting = every.filter((w) => w.lines !== true);
    const lastCounting = counting[counting.length - 1];
    const accepted = new Set<string>(every.filter((w) => w.lines === true && w.step > (lastCounting?.step ?? -1)).map((w) => w.value ?? ''));
    if (lastCounting !== undefined) accepted.add(lastCounting.value ?? '');
    if (lastCounting?.adopts === true) for (const w of counting) if (w.side === 'remote') accepted.add(w.value ?? '');
    // Around a deletion the card that survives is one side's whole copy, and which copy held which
    // write depends on what had come down before; an exposed write may have been overwritten.
    if (lastCounting === undefined || c.writes.some((w) => w.kind === 'delete' || w.exposed === true)) {
      for (const w of all) accepted.add(w.value ?? '');
      accepted.add(c.agreed[field]);
    }
    return [...accepted];
  }

  /** Each side's last write of the field's value; `linesHere` when this computer's last write of it changed only its other addresses. */
  private lastBy(c: ModelContact, field: Field): { local?: string; remote?: string; linesHere?: boolean } {
    const out: { local?: string; remote?: string; linesHere?: boolean } = {};
    for (const w of this.counting(c, field)) {
      if (w.lines === true) out.linesHere = true;
      else {
        out[w.side] = w.value ?? '';
        if (w.side === 'local') delete out.linesHere;
      }
    }
    return out;
  }

  /** A quiescent point passed: what both sides hold is agreed, and the writes start afresh. */
  agree(fn: string, held: Card | null): void {
    const c = this.contacts.get(fn);
    if (c === undefined) return;
    c.agreed = held === null ? { exists: false, email: '', note: '' } : { exists: true, email: held.email, note: held.note };
    c.writes = [];
  }
}
