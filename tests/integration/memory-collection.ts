/**
 * An in-memory LocalCollection for the engine's tests and benchmarks: the same contract the
 * renderer's Dexie store keeps (`renderer/src/db/sync-store.ts` and the sync parts of `repo.ts`),
 * held to it by the one contract suite both pass (`store-contract.test.ts`). Its local writes
 * (`create`, `edit`, `remove`, `restore`) are the user's, as the repo writes them.
 */
import type { LocalCard, LocalCollection, RemoteCard, SyncState } from '../../electron/sync/local';
import { checkDerivedCard } from '../../shared/book/derived-card';
import type { RemoteBatch, SentCreate } from '../../shared/sync/types';
import { withLocalLines } from '../../shared/sync/conflicts';
import { rebaseSave } from '../../shared/sync/rebase';
import { sentEarlierThan } from '../../shared/sync/sent';
import { keepLocalOnly, parseVCard, VCardError, type MergeConflict } from '../../shared/vcard';

export type Row = LocalCard & { error?: string; conflicts?: readonly MergeConflict[]; remote?: string };

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
  async pending(opts?: { retryRefused?: boolean }) {
    return [...this.cards.values()].filter((c) => c.pending !== '' && (c.conflicts === undefined || c.pending === 'deleted') && (c.error === undefined || opts?.retryRefused === true));
  }
  async knownEtags() {
    return new Map([...this.cards.values()].filter((c) => c.href !== '').map((c) => [c.href, c.etag]));
  }
  async etagsOf(hrefs: readonly string[]) {
    const wanted = new Set(hrefs);
    return new Map([...this.cards.values()].filter((c) => c.href !== '' && wanted.has(c.href)).map((c) => [c.href, c.etag]));
  }
  async hasServerCards() {
    return [...this.cards.values()].some((c) => c.href !== '');
  }
  byHref(href: string) {
    return [...this.cards.values()].find((c) => c.href === href);
  }
  async applyRemote(batch: RemoteBatch) {
    // A scan per card would be quadratic; the index is rebuilt only after other changes.
    if (this.hrefIndex === null || this.hrefIndex.version !== this.cards.version) {
      this.hrefIndex = { version: 0, map: new Map([...this.cards.values()].filter((c) => c.href !== '').map((c) => [c.href, c])) };
    }
    const index = this.hrefIndex.map;
    const unreadable: string[] = [];
    // As the page's store (`parseInSlices`): a card the host's reader derived (it was read there)
    // is checked first, a malformed one refusing the whole batch, and not parsed again; one
    // without is parsed here.
    const derived = batch.upserts.map((r) => (r.derived === undefined ? undefined : checkDerivedCard(r.derived, r.href)));
    for (const [i, r] of batch.upserts.entries()) {
      const existing = index.get(r.href);
      // A local change still waiting (a conflict for the user) is not overwritten.
      if (existing !== undefined && existing.pending !== '') continue;
      const id = existing?.id ?? `local-${this.next++}`;
      let vcard: string;
      try {
        // As the page's store: a card that cannot be read is left out, and answered.
        if (derived[i] === undefined) parseVCard(r.vcard);
        vcard = existing !== undefined && batch.keepLocal !== undefined ? keepLocalOnly(r.vcard, existing.vcard, batch.keepLocal) : r.vcard;
      } catch (e) {
        if (!(e instanceof VCardError)) throw e;
        unreadable.push(r.href);
        continue;
      }
      const row: Row = { id, href: r.href, etag: r.etag, vcard, base: r.vcard, pending: '', revision: existing?.revision ?? 0, ...(r.source !== undefined ? { source: r.source } : {}) };
      this.cards.set(id, row);
      index.set(r.href, row);
    }
    for (const href of batch.deletes) {
      const existing = index.get(href);
      if (existing === undefined) continue;
      index.delete(href);
      if (existing.pending === '' || existing.pending === 'deleted') this.cards.delete(existing.id);
      else {
        // Edited here, deleted there: keep the edit and upload it again as a new card (a conflict
        // with the version that is gone is over).
        const { conflicts: _c, remote: _r, ...kept } = existing;
        this.cards.set(existing.id, { ...kept, pending: 'created', href: '', etag: '', base: '', attempted: false });
      }
    }
    for (const href of batch.keep ?? []) {
      const existing = index.get(href);
      if (existing === undefined) continue;
      index.delete(href);
      if (existing.pending === 'deleted') this.cards.delete(existing.id);
      else {
        // "Keep them": stays here, and goes back to the server as a new card.
        const { conflicts: _c, remote: _r, ...kept } = existing;
        this.cards.set(existing.id, { ...kept, pending: 'created', href: '', etag: '', base: '', attempted: false });
      }
    }
    this.hrefIndex.version = this.cards.version;
    if (batch.state !== undefined) this.syncState = batch.state;
    return unreadable;
  }
  async attempting(sent: readonly SentCreate[]) {
    const gone: string[] = [];
    for (const { id, revision, print, vcard } of sent) {
      const c = this.cards.get(id);
      if (c === undefined) {
        gone.push(id);
        continue;
      }
      const earlier = sentEarlierThan(c, vcard);
      this.cards.set(id, { ...c, attempted: true, sentRevision: revision, ...(print !== undefined ? { sentPrint: print } : {}), ...(vcard !== undefined ? { sentVcard: vcard } : {}), ...(earlier !== undefined ? { sentEarlier: earlier } : {}) });
    }
    return gone;
  }
  async uploaded(id: string, remote: RemoteCard, revision: number) {
    const written = this.syncState.written ?? [];
    if (!written.includes(remote.href)) this.syncState = { ...this.syncState, written: [...written, remote.href] };
    // One row per href: a clean copy that came down meanwhile goes; an edited one is kept as a new card.
    for (const other of [...this.cards.values()]) {
      if (other.id === id || other.href !== remote.href) continue;
      if (other.pending === '' || other.pending === 'deleted') this.cards.delete(other.id);
      else this.cards.set(other.id, { ...other, pending: 'created', href: '', etag: '', base: '', attempted: false });
    }
    const c = this.cards.get(id);
    const stored = { id, href: remote.href, etag: remote.etag, vcard: remote.vcard, base: remote.vcard, ...(remote.source !== undefined ? { source: remote.source } : {}) };
    // Deleted outright meanwhile (a create not yet marked as sent): a deletion for the server, hidden.
    if (c === undefined) {
      this.cards.set(id, { ...stored, pending: 'deleted', revision: revision + 1 });
      return;
    }
    if (c.revision === revision) {
      this.cards.set(id, { ...stored, pending: '', revision: c.revision });
      return;
    }
    // Saved, deleted or undone meanwhile: the user's write stays; the server's version is its base.
    // A save moved onto what went up, when the upload carried another client's change (shared/sync/rebase.ts).
    const pending = c.pending === 'created' ? 'updated' : c.pending;
    const { vcard, conflicts } = pending === 'updated' ? rebaseSave(c.sentVcard, c.vcard, remote.vcard) : { vcard: c.vcard, conflicts: [] };
    const conflict = conflicts.length > 0 ? { remote: remote.vcard, conflicts } : {};
    // Deleted meanwhile, and another client's change went up with it: checked against what was seen.
    const unseen = pending === 'deleted' && remote.seenBase !== undefined;
    this.cards.set(id, { ...c, vcard, href: remote.href, etag: unseen ? '' : remote.etag, base: unseen ? remote.seenBase! : remote.vcard, pending, ...conflict, ...(remote.source !== undefined ? { source: remote.source } : {}) });
  }
  async deleted(id: string) {
    const c = this.cards.get(id);
    if (c === undefined) return;
    if (c.pending === 'deleted') this.cards.delete(id);
    // Undone while the deletion was on its way: the contact stays, as a new card; a conflict with
    // the server's version, now gone, is over.
    else {
      const { conflicts: _c, remote: _r, ...rest } = c;
      this.cards.set(id, { ...rest, pending: 'created', href: '', etag: '', base: '', attempted: false });
    }
  }
  async restored(id: string, remote: RemoteCard) {
    const c = this.cards.get(id);
    if (c === undefined || c.pending === 'updated' || c.pending === 'created') return;
    this.cards.set(id, { id, href: remote.href, etag: remote.etag, vcard: remote.vcard, base: remote.vcard, pending: '', revision: c.revision, ...(remote.source !== undefined ? { source: remote.source } : {}) });
  }
  async failed(id: string, message: string, revision: number) {
    const c = this.cards.get(id);
    if (c === undefined || c.revision !== revision) return;
    this.cards.set(id, { ...c, error: message });
  }
  async conflicted(id: string, merged: string, remote: RemoteCard, conflicts: readonly MergeConflict[], revision: number) {
    const c = this.cards.get(id);
    if (c === undefined || c.revision !== revision) return;
    this.cards.set(id, { ...c, vcard: merged, base: remote.vcard, remote: remote.vcard, etag: remote.etag, pending: 'updated', conflicts });
  }

  // ---- the user's writes, as ContactRepo makes them -------------------------------------------

  /** A local edit: the new text with a pending mark (`'deleted'`: as `remove`). */
  edit(id: string, vcard: string, pending: LocalCard['pending'] = 'updated') {
    if (pending === 'deleted') return this.remove(id);
    const c = this.cards.get(id);
    const { error: _e, ...kept } = c ?? ({} as Partial<Row>);
    if (kept.conflicts !== undefined) kept.conflicts = withLocalLines(kept.conflicts, vcard, c?.vcard);
    this.cards.set(id, {
      ...kept,
      id,
      href: c?.href ?? '',
      etag: c?.etag ?? '',
      base: c?.base ?? '',
      vcard,
      pending: c === undefined || c.pending === 'created' ? 'created' : pending,
      revision: (c?.revision ?? 0) + 1,
    });
  }
  create(vcard: string): string {
    const id = `local-${this.next++}`;
    this.cards.set(id, { id, href: '', etag: '', base: '', vcard, pending: 'created', revision: 1 });
    return id;
  }
  /** Delete: a create never sent goes at once; anything else waits for the server, hidden. Returns what was there, for undo. */
  remove(id: string): Row | undefined {
    const c = this.cards.get(id);
    if (c === undefined) return undefined;
    if (c.pending === 'created' && c.attempted !== true) this.cards.delete(id);
    else this.cards.set(id, { ...c, pending: 'deleted', revision: c.revision + 1 });
    return c;
  }
  /** Undo of `remove`, with what the sync knows now. */
  restore(item: Row) {
    const now = this.cards.get(item.id);
    // Already back (the server's newer version came back with the deletion refused): as it is.
    if (now !== undefined && now.pending !== 'deleted') return;
    const revision = Math.max(now?.revision ?? 0, item.revision) + 1;
    if (now !== undefined) {
      const sent = item.pending === 'created' && now.href !== '';
      const recheck = item.pending === '' && now.href !== ''; // compared with the server next run
      this.cards.set(item.id, { ...item, href: now.href, etag: now.etag, base: now.base, pending: sent || recheck ? 'updated' : item.pending, revision, ...(now.attempted === true ? { attempted: true, sentRevision: now.sentRevision, sentPrint: now.sentPrint, sentVcard: now.sentVcard, ...(now.sentEarlier !== undefined ? { sentEarlier: now.sentEarlier } : {}) } : {}), ...(now.source !== undefined ? { source: now.source } : {}) });
    } else if (item.href === '') this.cards.set(item.id, { ...item, revision });
    else {
      const { conflicts: _c, remote: _r, ...rest } = item; // the server's version went with the deletion
      this.cards.set(item.id, { ...rest, href: '', etag: '', base: '', pending: 'created', attempted: false, revision });
    }
  }
  find(fn: string) {
    // Cards read back through XML come with LF line ends (XML normalises CRLF).
    return [...this.cards.values()].find((c) => new RegExp(`^FN:${fn}\\r?$`, 'm').test(c.vcard));
  }
}
