/** An in-memory LocalCollection for the engine's tests: the same contract the Dexie store keeps. */
import type { LocalCard, LocalCollection, RemoteCard, SyncState } from '../../electron/sync/local';
import { keepLocalOnly, type MergeConflict } from '../../shared/vcard';

type Row = LocalCard & { error?: string; conflicts?: readonly MergeConflict[] };

/** A Map that counts its changes, so an index built from it knows when it is stale. */
class VersionedMap<K, V> extends Map<K, V> {
  version = 0;
  override set(k: K, v: V): this {
    this.version++;
    return super.set(k, v);
  }
  override delete(k: K): boolean {
    this.version++;
    return super.delete(k);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

export class MemoryCollection implements LocalCollection {
  cards = new VersionedMap<string, Row>();
  /** href → row, kept across the batches of one download (benchmarks apply 10,000 cards). */
  private hrefIndex: { version: number; map: Map<string, Row> } | null = null;
  syncState: SyncState = { syncToken: null, ctag: null };
  private next = 1;

  async state() {
    return this.syncState;
  }
  async pending() {
    return [...this.cards.values()].filter((c) => c.pending !== '' && c.conflicts === undefined);
  }
  async knownEtags() {
    return new Map([...this.cards.values()].filter((c) => c.href !== '').map((c) => [c.href, c.etag]));
  }
  byHref(href: string) {
    return [...this.cards.values()].find((c) => c.href === href);
  }
  async applyRemote(batch: { upserts: readonly RemoteCard[]; deletes: readonly string[]; state?: SyncState; keepLocal?: readonly string[] }) {
    // A scan per card would be quadratic; the index is rebuilt only after other changes.
    if (this.hrefIndex === null || this.hrefIndex.version !== this.cards.version) {
      this.hrefIndex = { version: 0, map: new Map([...this.cards.values()].filter((c) => c.href !== '').map((c) => [c.href, c])) };
    }
    const index = this.hrefIndex.map;
    for (const r of batch.upserts) {
      const existing = index.get(r.href);
      const id = existing?.id ?? `local-${this.next++}`;
      const vcard = existing !== undefined && batch.keepLocal !== undefined ? keepLocalOnly(r.vcard, existing.vcard, batch.keepLocal) : r.vcard;
      const row: Row = { id, href: r.href, etag: r.etag, vcard, base: vcard, pending: '', ...(r.source !== undefined ? { source: r.source } : {}) };
      this.cards.set(id, row);
      index.set(r.href, row);
    }
    for (const href of batch.deletes) {
      const existing = index.get(href);
      if (existing !== undefined) {
        this.cards.delete(existing.id);
        index.delete(href);
      }
    }
    this.hrefIndex.version = this.cards.version;
    if (batch.state !== undefined) this.syncState = batch.state;
  }
  async attempting(ids: readonly string[]) {
    for (const id of ids) this.cards.set(id, { ...this.cards.get(id)!, attempted: true });
  }
  async uploaded(id: string, remote: RemoteCard) {
    this.cards.set(id, { id, href: remote.href, etag: remote.etag, vcard: remote.vcard, base: remote.vcard, pending: '', ...(remote.source !== undefined ? { source: remote.source } : {}) });
  }
  async deleted(id: string) {
    this.cards.delete(id);
  }
  async failed(id: string, message: string) {
    const c = this.cards.get(id)!;
    this.cards.set(id, { ...c, error: message });
  }
  async conflicted(id: string, merged: string, remote: RemoteCard, conflicts: readonly MergeConflict[]) {
    const c = this.cards.get(id)!;
    this.cards.set(id, { ...c, vcard: merged, base: remote.vcard, etag: remote.etag, pending: 'updated', conflicts });
  }

  /** A local edit, as the store writes it: the new text with a pending mark. */
  edit(id: string, vcard: string, pending: LocalCard['pending'] = 'updated') {
    const c = this.cards.get(id);
    this.cards.set(id, { id, href: c?.href ?? '', etag: c?.etag ?? '', base: c?.base ?? '', vcard, pending: c?.pending === 'created' ? 'created' : pending, ...(c?.source !== undefined ? { source: c.source } : {}) });
  }
  create(vcard: string): string {
    const id = `local-${this.next++}`;
    this.cards.set(id, { id, href: '', etag: '', base: '', vcard, pending: 'created' });
    return id;
  }
  find(fn: string) {
    // Cards read back through XML come with LF line ends (XML normalises CRLF).
    return [...this.cards.values()].find((c) => new RegExp(`^FN:${fn}\\r?$`, 'm').test(c.vcard));
  }
}
