/**
 * The renderer's answers to the sync engine's store requests: each write is one Dexie transaction
 * (with the generation bump), and the in-memory list follows after it commits.
 */
import { deriveListFields } from '../../../shared/book/derive';
import type { StoreHandlers } from '../../../shared/ipc/contract';
import type { RemoteCard } from '../../../shared/sync/types';
import { keepLocalOnly, parseVCard, serializeVCard } from '../../../shared/vcard';
import type { ContactIndex } from '../store/contact-index';
import type { ContactRepo } from './repo';
import type { CardRow, ContactRow } from './schema';

function rowsFor(id: string, bookId: string, remote: RemoteCard, previous?: ContactRow): { row: ContactRow; card: CardRow } {
  const card = parseVCard(remote.vcard);
  return {
    row: { id, bookId, ...deriveListFields(card), favorite: previous?.favorite ?? 0, pending: '', updatedAt: Date.now() },
    card: { id, bookId, vcard: serializeVCard(card), base: remote.vcard, href: remote.href, etag: remote.etag, ...(remote.source !== undefined ? { source: remote.source } : {}) },
  };
}

export function syncStoreHandlers(repo: ContactRepo, index: ContactIndex): Omit<StoreHandlers, 'getStoreStats'> {
  const db = repo.db;
  const write = <T>(fn: () => Promise<T>) => db.transaction('rw', db.books, db.contacts, db.cards, db.meta, async () => {
    await repo.bumpInTransaction();
    return fn();
  });

  return {
    ensureBook: async (bookId, name) => {
      const existing = await db.books.get(bookId);
      await db.books.put({ id: bookId, name, kind: 'carddav', version: '3.0', createdAt: existing?.createdAt ?? Date.now(), syncToken: existing?.syncToken ?? null, ctag: existing?.ctag ?? null });
    },
    removeBook: async (bookId) => {
      const ids = await write(async () => {
        const ids = (await db.contacts.where('bookId').equals(bookId).primaryKeys()) as string[];
        await db.contacts.bulkDelete(ids);
        await db.cards.bulkDelete(ids);
        await db.books.delete(bookId);
        return ids;
      });
      index.remove(ids);
    },
    syncState: async (bookId) => {
      const b = await db.books.get(bookId);
      return { syncToken: b?.syncToken ?? null, ctag: b?.ctag ?? null, ...(b?.capabilities === undefined ? {} : { capabilities: b.capabilities }) };
    },
    pendingCards: async (bookId) => {
      const rows = (await db.contacts.where('bookId').equals(bookId).toArray()).filter((r) => r.pending !== '');
      const cards = await db.cards.bulkGet(rows.map((r) => r.id));
      return rows.flatMap((r, i) => {
        const c = cards[i];
        // A card waiting for the user's decision is not uploaded until it is decided.
        return c === undefined || (c.conflicts !== undefined && r.pending !== 'deleted') ? [] : [{ id: r.id, href: c.href, etag: c.etag, vcard: c.vcard, base: c.base, pending: r.pending, attempted: c.attempted === true, ...(c.source !== undefined ? { source: c.source } : {}) }];
      });
    },
    knownEtags: async (bookId) => {
      const cards = await db.cards.where('bookId').equals(bookId).toArray();
      return cards.filter((c) => c.href !== '').map((c) => [c.href, c.etag] as [string, string]);
    },
    applyRemote: async (bookId, batch) => {
      const changed: ContactRow[] = [];
      const removed: string[] = [];
      await write(async () => {
        const existing = await db.cards.where('href').anyOf([...batch.upserts.map((u) => u.href), ...batch.deletes]).toArray();
        const byHref = new Map(existing.filter((c) => c.bookId === bookId).map((c) => [c.href, c]));
        const rows = new Map((await db.contacts.bulkGet([...byHref.values()].map((c) => c.id))).filter((r): r is ContactRow => r !== undefined).map((r) => [r.id, r]));
        const puts: { row: ContactRow; card: CardRow }[] = [];
        for (const remote of batch.upserts) {
          const old = byHref.get(remote.href);
          const oldRow = old === undefined ? undefined : rows.get(old.id);
          // A local change still waiting (a conflict for the user) is not overwritten.
          if (oldRow !== undefined && oldRow.pending !== '') continue;
          const kept = old !== undefined && batch.keepLocal !== undefined ? { ...remote, vcard: keepLocalOnly(remote.vcard, old.vcard, batch.keepLocal) } : remote;
          puts.push(rowsFor(old?.id ?? crypto.randomUUID(), bookId, kept, oldRow));
        }
        await db.contacts.bulkPut(puts.map((p) => p.row));
        await db.cards.bulkPut(puts.map((p) => p.card));
        changed.push(...puts.map((p) => p.row));
        for (const href of batch.deletes) {
          const old = byHref.get(href);
          const row = old === undefined ? undefined : rows.get(old.id);
          if (old === undefined || row === undefined) continue;
          if (row.pending === '' || row.pending === 'deleted') {
            await db.contacts.delete(old.id);
            await db.cards.delete(old.id);
            removed.push(old.id);
          } else {
            // Edited here, deleted there: keep the edit and upload it again as a new card.
            const again = { ...row, pending: 'created' as const };
            await db.contacts.put(again);
            await db.cards.put({ ...old, href: '', etag: '' });
            changed.push(again);
          }
        }
        if (batch.state !== undefined) await db.books.update(bookId, { syncToken: batch.state.syncToken, ctag: batch.state.ctag, capabilities: batch.state.capabilities });
      });
      index.remove(removed);
      index.upsert(changed);
    },
    rebaseBook: async (bookId, fromPath, toPath) => {
      const from = fromPath.endsWith('/') ? fromPath : `${fromPath}/`;
      const to = toPath.endsWith('/') ? toPath : `${toPath}/`;
      await write(async () => {
        const cards = await db.cards.where('bookId').equals(bookId).toArray();
        const moved = cards.filter((c) => c.href.startsWith(from)).map((c) => ({ ...c, href: to + c.href.slice(from.length) }));
        await db.cards.bulkPut(moved);
        // The old token belongs to the old path: the next run lists everything and reuses by ETag.
        await db.books.update(bookId, { syncToken: null, ctag: null, capabilities: undefined });
      });
    },
    attemptingUpload: async (_bookId, ids) => {
      await db.transaction('rw', db.cards, async () => {
        await db.cards.bulkUpdate(ids.map((key) => ({ key, changes: { attempted: true } })));
      });
    },
    uploaded: async (bookId, id, remote) => {
      const row = await write(async () => {
        const prev = await db.contacts.get(id);
        const next = rowsFor(id, bookId, remote, prev);
        await db.contacts.put(next.row);
        await db.cards.put(next.card);
        return next.row;
      });
      index.upsert([row]);
    },
    deletedRemote: async (_bookId, id) => {
      await write(async () => {
        await db.contacts.delete(id);
        await db.cards.delete(id);
      });
      index.remove([id]);
    },
    failedUpload: async (_bookId, id, message) => {
      const row = await write(async () => {
        await db.cards.update(id, { error: message });
        const prev = await db.contacts.get(id);
        if (prev === undefined) return undefined;
        const next = { ...prev, flag: 'error' as const };
        await db.contacts.put(next);
        return next;
      });
      if (row !== undefined) index.upsert([row]);
    },
    conflicted: async (_bookId, id, merged, remote, conflicts) => {
      const row = await write(async () => {
        const prev = await db.contacts.get(id);
        if (prev === undefined) return undefined;
        const next = { ...prev, ...deriveListFields(parseVCard(merged)), pending: 'updated' as const, flag: 'conflict' as const };
        await db.contacts.put(next);
        await db.cards.update(id, { vcard: merged, base: remote.vcard, remote: remote.vcard, etag: remote.etag, conflicts });
        return next;
      });
      if (row !== undefined) index.upsert([row]);
    },
  };
}
