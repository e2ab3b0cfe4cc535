/**
 * The renderer's answers to the sync engine's store requests: each write is one Dexie transaction
 * (with the generation bump), and the in-memory list follows after it commits.
 *
 * The engine's writes about a card carry the revision it read (`CardRow.revision`). A row that has
 * moved on since (the user saved, deleted or undid while the request was under way) keeps what the
 * user wrote: from the server's answer it takes only what the server now holds (href, ETag, and
 * that version as the base of the next merge), and stays pending, so the next run sends it.
 */
import Dexie from 'dexie';
import { deriveListFields, type ListFields } from '../../../shared/book/derive';
import { checkDerivedCard, parsedCard as readCard } from '../../../shared/book/derived-card';
import type { StoreHandlers } from '../../../shared/ipc/contract';
import type { RemoteCard, SyncState } from '../../../shared/sync/types';
import { cardUid, keepLocalOnly, parseVCard, serializeVCard, VCardError } from '../../../shared/vcard';
import { rebaseSave } from '../../../shared/sync/rebase';
import { sentEarlierThan } from '../../../shared/sync/sent';
import type { ContactIndex } from '../store/contact-index';
import { moveLinkMember } from '../store/links';
import { appendRun, currentVersion, recordVersions, sameContent, trashRows, versionIdsOf, type VersionInput } from './history';
import { chunksOf, pipelined } from './pipeline';
import type { ContactRepo } from './repo';
import { NEW_CARDS, ROWS_WRITTEN_KEY, rowsWrittenToken, type CardinalDB, type CardRow, type ContactRow, type EtagRow, type RunEntry } from './schema';

/**
 * Inside a write transaction: the contact is a new card to send (a pending create with no href,
 * ETag or base), as a restore from the trash would send it; `flag` is its mark from now on. A
 * conflict with the server's version is over (that version is gone) unless `keepConflict`.
 */
async function asNewCreate(db: CardinalDB, row: ContactRow, card: CardRow, flag: ContactRow['flag'], keepConflict = false): Promise<ContactRow> {
  const again: ContactRow = { ...row, pending: 'created', flag };
  const { conflicts, remote, ...rest } = card;
  await db.contacts.put(again);
  await db.cards.put({ ...rest, ...(keepConflict ? { conflicts, remote } : {}), href: '', etag: '', base: '', attempted: false });
  return again;
}

/** What a server's card gives both rows: its list fields and its text as stored here. */
interface ParsedCard {
  fields: ListFields;
  vcard: string;
}

/** Throws VCardError when the card cannot be read. */
function parsedCard(vcard: string): ParsedCard {
  const card = parseVCard(vcard);
  return { fields: deriveListFields(card), vcard: serializeVCard(card) };
}

/** A batch's parse stops for the page after this long (its rows are written after it, at once). */
const PARSE_SLICE_MS = 12;

const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
/** Let the page run its other tasks (input, rendering) before going on. */
const yieldToPage = (): Promise<void> => (scheduler?.yield !== undefined ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0)));

/**
 * Every card of a batch parsed before its transaction, in slices of about PARSE_SLICE_MS, so 500
 * cards are not one long task (a transaction cannot wait for the page: it commits once nothing is
 * asked of it). Null: the card cannot be read. A card the host's reader derived already (checked
 * first: a malformed one refuses the whole batch) is taken as it came, not parsed again.
 */
async function parseInSlices(cards: readonly RemoteCard[]): Promise<(ParsedCard | null)[]> {
  const checked = cards.map((c) => (c.derived === undefined ? undefined : checkDerivedCard(c.derived, c.href)));
  const out: (ParsedCard | null)[] = [];
  let start = performance.now();
  for (const [i, c] of cards.entries()) {
    const d = checked[i];
    out.push(d !== undefined ? { fields: d.fields, vcard: d.vcard ?? c.vcard } : readCard(c.vcard));
    if (performance.now() - start >= PARSE_SLICE_MS) {
      await yieldToPage();
      start = performance.now();
    }
  }
  return out;
}

/** Hrefs looked up at once in a batch's transaction (each chunk's requests are made in one task). */
const HREF_LOOKUPS = 100;

/** Rows written at once in a batch's transaction: each chunk's writes are a task of their own. */
const PUT_CHUNK = 100;


function rowsFor(id: string, bookId: string, remote: RemoteCard, previous?: ContactRow, revision?: number, parsed: ParsedCard = parsedCard(remote.vcard), imported?: CardRow['imported']): { row: ContactRow; card: CardRow } {
  return {
    row: { id, bookId, ...parsed.fields, favorite: previous?.favorite ?? 0, pending: '', updatedAt: Date.now() },
    card: {
      id,
      bookId,
      vcard: parsed.vcard,
      base: remote.vcard,
      href: remote.href,
      etag: remote.etag,
      ...(remote.source !== undefined ? { source: remote.source } : {}),
      ...(revision !== undefined ? { revision } : {}),
      // The import that made it (schema 9, CardRow.imported): carried on, as an edit here does.
      ...(imported !== undefined ? { imported } : {}),
    },
  };
}

/** The row is still what the engine read: no local write since. */
const unchanged = (card: CardRow, revision: number) => (card.revision ?? 0) === revision;

/**
 * The labels' requests are answered by label-store.ts. `linksMoved` is told after a write that
 * changed the stored links (the in-memory LinkStore reads them again).
 */
export function syncStoreHandlers(repo: ContactRepo, index: ContactIndex, linksMoved?: () => Promise<void>): Omit<StoreHandlers, 'getStoreStats' | 'labelsRead' | 'labelCards' | 'labelsReadWithCards' | 'labelVcards' | 'labelsApply'> {
  const db = repo.db;
  // The trash, versions and runs are written in the same transactions as the rows (history.ts);
  // what the engine is answered and what its rows hold are the same as without them.
  const write = <T>(fn: () => Promise<T>) =>
    db.transaction('rw', [db.books, db.contacts, db.cards, db.meta, db.trash, db.versions, db.runs], async () => {
      await repo.bumpInTransaction();
      return fn();
    });
  /**
   * A book's cards at these hrefs, by the etags table's [bookId+href] index (one request per
   * href, all sent at once: a multi-key cursor would wait for each step).
   */
  const cardsAt = async (bookId: string, hrefs: readonly string[]): Promise<CardRow[]> => {
    const index = db.etags.where('[bookId+href]');
    const unique = [...new Set(hrefs)];
    const found: EtagRow[] = [];
    // HREF_LOOKUPS at once: asking for a batch's 500 at once was one task of 100 ms and more.
    await pipelined(chunksOf(unique, HREF_LOOKUPS, async (hrefs) => found.push(...(await Promise.all(hrefs.map((h) => index.equals([bookId, h]).toArray()))).flat())));
    return (await db.cards.bulkGet(found.map((e) => e.id))).filter((c): c is CardRow => c !== undefined);
  };
  /**
   * Per book, while a sync's batches come into a book that held no server cards when they began:
   * every href its etags rows can hold (those the run's batches wrote; a superset, removals left
   * in), valid while the store's count of row-writing transactions (`rows-written`, read in the
   * batch's own transaction) is what it was after the last batch wrote: no other writer since. A
   * batch's href not in it is then known absent without a look-up (a first sync's 500 look-ups a
   * batch, every one of them empty). Any other write of rows, a failed batch or the run's last batch drops it.
   */
  const fresh = new Map<string, { written: string; hrefs: Set<string> }>();
  /** Whether a book has any card with an href (an etags row), in the transaction it is asked in. */
  const hasServerRows = async (bookId: string): Promise<boolean> => (await db.etags.where('[bookId+href]').between([bookId, Dexie.minKey], [bookId, Dexie.maxKey]).limit(1).primaryKeys()).length > 0;
  /** Every href of a book's cards (its etags rows' index keys, one request), in the transaction it is asked in. */
  const serverHrefs = async (bookId: string): Promise<Set<string>> => new Set(((await db.etags.where('[bookId+href]').between([bookId, Dexie.minKey], [bookId, Dexie.maxKey]).keys()) as unknown as [string, string][]).map((k) => k[1]));
  /** A run's new state with no row to write: saved (unless it is the one stored), and an open sync run closed. */
  const stateOnly = (bookId: string, state: SyncState) =>
    db.transaction('rw', [db.books, db.runs], async () => {
      await appendRun(db, { bookId, kind: 'sync', entries: [], close: true });
      const book = await db.books.get(bookId);
      const next = { syncToken: state.syncToken, ctag: state.ctag, capabilities: state.capabilities, written: state.written };
      const now = book === undefined ? undefined : { syncToken: book.syncToken, ctag: book.ctag, capabilities: book.capabilities, written: book.written };
      if (book !== undefined && JSON.stringify(now) !== JSON.stringify(next)) await db.books.update(bookId, next);
    });
  /** A write whose rows change the list: the list follows once it committed. */
  const listWrite = async (fn: (changed: ContactRow[], removed: string[]) => Promise<void>) => {
    const changed: ContactRow[] = [];
    const removed: string[] = [];
    await write(() => fn(changed, removed));
    // Nothing changed (a sync's one empty batch that saves its state): the list is not told, or
    // the window would render again and save the whole list's snapshot for no change.
    if (removed.length > 0) index.remove(removed);
    if (changed.length > 0) index.upsert(changed);
  };

  return {
    ensureBook: async (bookId, name) => {
      const existing = await db.books.get(bookId);
      await db.books.put({ id: bookId, name, kind: 'carddav', version: '3.0', createdAt: existing?.createdAt ?? Date.now(), syncToken: existing?.syncToken ?? null, ctag: existing?.ctag ?? null });
    },
    removeBook: async (bookId) => {
      fresh.delete(bookId);
      const ids = await write(async () => {
        const ids = (await db.contacts.where('bookId').equals(bookId).primaryKeys()) as string[];
        await db.contacts.bulkDelete(ids);
        await db.cards.bulkDelete(ids);
        await db.books.delete(bookId);
        // Their history goes too, but for contacts in the trash (a restore takes them to another book).
        const trashed = new Set((await db.trash.bulkGet(ids)).filter((t) => t !== undefined).map((t) => t.id));
        const gone = ids.filter((id) => !trashed.has(id));
        if (gone.length > 0) await db.versions.bulkDelete(await versionIdsOf(db, gone));
        // Its groups' setting and its Google labels go with it.
        await db.meta.bulkDelete([`groups:${bookId}`, `labels:${bookId}`]);
        return ids;
      });
      index.remove(ids);
    },
    syncState: async (bookId) => {
      const b = await db.books.get(bookId);
      return { syncToken: b?.syncToken ?? null, ctag: b?.ctag ?? null, ...(b?.capabilities === undefined ? {} : { capabilities: b.capabilities }), ...(b?.written === undefined ? {} : { written: b.written }) };
    },
    pendingCards: async (bookId, retryRefused) => {
      // The rows with a mark only: a range of the book's part of the [bookId+pending] index ('' sorts first).
      const rows = await db.contacts.where('[bookId+pending]').between([bookId, ''], [bookId, Dexie.maxKey], false, true).toArray();
      const cards = await db.cards.bulkGet(rows.map((r) => r.id));
      return rows.flatMap((r, i) => {
        const c = cards[i];
        if (c === undefined) return [];
        // A card waiting for the user's decision is not uploaded until it is decided (a deletion
        // of it is); one the server refused waits until it changes, or the user asks.
        if (c.conflicts !== undefined && r.pending !== 'deleted') return [];
        if (c.error !== undefined && retryRefused !== true) return [];
        return [
          {
            id: r.id,
            href: c.href,
            etag: c.etag,
            vcard: c.vcard,
            base: c.base,
            pending: r.pending,
            attempted: c.attempted === true,
            revision: c.revision ?? 0,
            ...(c.sentRevision !== undefined ? { sentRevision: c.sentRevision } : {}),
            ...(c.sentPrint !== undefined ? { sentPrint: c.sentPrint } : {}),
            ...(c.sentVcard !== undefined ? { sentVcard: c.sentVcard } : {}),
            ...(c.sentEarlier !== undefined ? { sentEarlier: c.sentEarlier } : {}),
            ...(c.source !== undefined ? { source: c.source } : {}),
          },
        ];
      });
    },
    knownEtags: async (bookId) => {
      // The small rows of href and ETag (schema 7), not the cards with their vCards.
      const rows = await db.etags.where('bookId').equals(bookId).toArray();
      return rows.map((r) => [r.href, r.etag] as [string, string]);
    },
    etagsOf: async (bookId, hrefs) => {
      const unique = [...new Set(hrefs)];
      const rows = await db.transaction('r', db.etags, () => Promise.all(unique.map((h) => db.etags.where('[bookId+href]').equals([bookId, h]).toArray())));
      return rows.flat().map((r) => [r.href, r.etag] as [string, string]);
    },
    hasServerCards: async (bookId) => (await db.etags.where('bookId').equals(bookId).limit(1).primaryKeys()).length > 0,
    applyRemote: async (bookId, batch) => {
      // The run's last batch carries its state: until then the search index's next build waits.
      index.expectMore(batch.state === undefined);
      if (batch.upserts.length === 0 && batch.deletes.length === 0 && (batch.keep ?? []).length === 0) {
        // Nothing for the rows (a sync with nothing to do): its state alone, and the run it may
        // close, without the generation bump (no row changed, so the list snapshot stays exact and
        // the next start still reads it) and without a word to the list.
        if (batch.state !== undefined) {
          await stateOnly(bookId, batch.state);
          // The run is over: its hrefs are not kept for the next (a first sync in parts ends so).
          fresh.delete(bookId);
        }
        repo.holdSnapshot(batch.state === undefined);
        return [];
      }
      // Cards that cannot be read (not vCards, or broken): left out, what is here stays as it was.
      const unreadable: string[] = [];
      // The parse first, in slices (the transaction's own work is the writes).
      const parsed = await parseInSlices(batch.upserts);
      let next: { written: string; hrefs: Set<string> } | undefined;
      await listWrite(async (changed, removed) => {
        unreadable.length = 0;
        const keep = batch.keep ?? [];
        const wanted = [...batch.upserts.map((u) => u.href), ...batch.deletes, ...keep];
        // What the store's count of writes said when this batch began, and whether the book's
        // hrefs are all known (`fresh`): only those known need a look-up.
        const writtenBefore = rowsWrittenToken((await db.meta.get(ROWS_WRITTEN_KEY))?.value);
        const known = fresh.get(bookId);
        // Something else wrote rows since this run's last batch (an edit meanwhile): the book's
        // hrefs are read again, once (one request of its index keys), as they are now.
        const mirror = known === undefined ? ((await hasServerRows(bookId)) ? null : new Set<string>()) : known.written === writtenBefore && writtenBefore !== '' ? known.hrefs : await serverHrefs(bookId);
        fresh.delete(bookId);
        const byHref = new Map((await cardsAt(bookId, mirror === null ? wanted : wanted.filter((h) => mirror.has(h)))).map((c) => [c.href, c]));
        const rows = new Map((await db.contacts.bulkGet([...byHref.values()].map((c) => c.id))).filter((r): r is ContactRow => r !== undefined).map((r) => [r.id, r]));
        const puts: { row: ContactRow; card: CardRow }[] = [];
        const runId = crypto.randomUUID();
        const versions: VersionInput[] = [];
        const entries: RunEntry[] = [];
        // A contact the user kept ("Keep them") that another client has put back under another
        // name (its UID in a new card of this batch) is that card now, not a second copy of it.
        const keptByUid = new Map<string, CardRow>();
        for (const href of keep) {
          const old = byHref.get(href);
          const uid = old === undefined || rows.get(old.id)?.pending !== '' ? undefined : cardUid(old.vcard);
          if (uid !== undefined) keptByUid.set(uid, old!);
        }
        const movedHere = new Set<string>();
        for (const [i, remote] of batch.upserts.entries()) {
          const back = keptByUid.size === 0 || byHref.has(remote.href) ? undefined : keptByUid.get(cardUid(remote.vcard) ?? '');
          if (back !== undefined) {
            keptByUid.delete(cardUid(remote.vcard)!);
            movedHere.add(back.href);
          }
          const old = back ?? byHref.get(remote.href);
          const oldRow = old === undefined ? undefined : rows.get(old.id);
          // A local change still waiting (a conflict for the user) is not overwritten.
          if (oldRow !== undefined && oldRow.pending !== '') continue;
          let put: { row: ContactRow; card: CardRow } | null = null;
          try {
            // What this computer keeps of the old card (properties the server does not store) is parsed here.
            const kept = old !== undefined && batch.keepLocal !== undefined ? { ...remote, vcard: keepLocalOnly(remote.vcard, old.vcard, batch.keepLocal) } : remote;
            const ready = kept === remote ? parsed[i]! : parsedCard(kept.vcard);
            if (ready !== null) put = rowsFor(old?.id ?? crypto.randomUUID(), bookId, kept, oldRow, old?.revision, ready, old?.imported);
          } catch (e) {
            if (!(e instanceof VCardError)) throw e;
          }
          if (put === null) {
            unreadable.push(remote.href);
            continue;
          }
          puts.push(put);
          // A new contact's card: its new id is in no keys page (none is read for it).
          if (old === undefined) NEW_CARDS.add(put.card);
          // A new contact's first version is its card's text, written once (in the card), as an import's.
          versions.push({ contactId: put.row.id, bookId, vcard: put.card.vcard, source: 'sync', by: 'server', runId, before: old === undefined ? null : old.vcard, ...(old === undefined ? { textInCard: true } : { imported: old.imported ?? null }) });
        }
        // The rows and the cards, chunk by chunk, a few in flight.
        const rowChunks = chunksOf(puts.map((p) => p.row), PUT_CHUNK, (c) => db.contacts.bulkPut(c));
        const cardChunks = chunksOf(puts.map((p) => p.card), PUT_CHUNK, (c) => db.cards.bulkPut(c));
        await pipelined(rowChunks.flatMap((c, i) => [c, cardChunks[i]!]));
        changed.push(...puts.map((p) => p.row));
        for (const href of batch.deletes) {
          const old = byHref.get(href);
          const row = old === undefined ? undefined : rows.get(old.id);
          if (old === undefined || row === undefined) continue;
          if (row.pending === '' || row.pending === 'deleted') {
            await db.contacts.delete(old.id);
            await db.cards.delete(old.id);
            removed.push(old.id);
            // Deleted by the server: into the trash (one the user deleted here is there already).
            if (row.pending === '') {
              await db.trash.bulkPut(trashRows([{ row, card: old }], 'server'));
              entries.push({ contactId: old.id, change: 'deleted', before: await currentVersion(db, old.id, bookId, old.vcard) });
            } else if ((await db.trash.get(old.id)) === undefined) await db.trash.bulkPut(trashRows([{ row, card: old }], 'local'));
          } else {
            // Edited here, deleted there: keep the edit and upload it again as a new card. A
            // conflict with the server's version is over: that version is gone, the edit stays.
            changed.push(await asNewCreate(db, row, old, ''));
          }
        }
        for (const href of keep) {
          if (movedHere.has(href)) continue;
          const old = byHref.get(href);
          const row = old === undefined ? undefined : rows.get(old.id);
          if (old === undefined || row === undefined) continue;
          if (row.pending === 'deleted') {
            // Deleted here too: gone on both sides, as the user wanted (it is in the trash already).
            await db.contacts.delete(old.id);
            await db.cards.delete(old.id);
            removed.push(old.id);
            if ((await db.trash.get(old.id)) === undefined) await db.trash.bulkPut(trashRows([{ row, card: old }], 'local'));
            continue;
          }
          // The user chose to keep it ("Keep them"): it stays as it is here and goes back to the
          // server as a new card, as a restore from the trash would send it. A conflict with the
          // server's version is over: that version is gone.
          changed.push(await asNewCreate(db, row, old, row.flag === 'conflict' ? '' : row.flag));
        }
        const before = await recordVersions(db, versions, PUT_CHUNK);
        // A change the server made that was already here (our own write coming back) is no change of the run.
        const changedHere = versions.filter((v) => typeof v.before !== 'string' || !sameContent(v.before, v.vcard));
        entries.unshift(...changedHere.map((v): RunEntry => ({ contactId: v.contactId, change: typeof v.before !== 'string' ? 'created' : 'updated', before: before.get(v.contactId) ?? null })));
        await appendRun(db, { bookId, kind: 'sync', entries, close: batch.state !== undefined });
        if (batch.state !== undefined) await db.books.update(bookId, { syncToken: batch.state.syncToken, ctag: batch.state.ctag, capabilities: batch.state.capabilities, written: batch.state.written });
        // More batches to come into a book whose hrefs are all known: the next needs no look-up
        // for hrefs not among them, if nothing else writes rows before it (the count after this
        // batch's own writes, read here, in its transaction).
        if (mirror !== null && batch.state === undefined) {
          for (const p of puts) mirror.add(p.card.href);
          next = { written: rowsWrittenToken((await db.meta.get(ROWS_WRITTEN_KEY))?.value), hrefs: mirror };
        }
      });
      // Kept only once this batch committed (a failed one leaves none: the next looks every href up).
      if (next !== undefined) fresh.set(bookId, next);
      // The run's last batch carries its state: until then the list snapshot waits.
      repo.holdSnapshot(batch.state === undefined);
      return unreadable;
    },
    rebaseBook: async (bookId, fromPath, toPath) => {
      const from = fromPath.endsWith('/') ? fromPath : `${fromPath}/`;
      const to = toPath.endsWith('/') ? toPath : `${toPath}/`;
      await write(async () => {
        const under = (await db.etags.where('bookId').equals(bookId).toArray()).filter((e) => e.href.startsWith(from));
        const cards = (await db.cards.bulkGet(under.map((e) => e.id))).filter((c): c is CardRow => c !== undefined);
        const moved = cards.filter((c) => c.href.startsWith(from)).map((c) => ({ ...c, href: to + c.href.slice(from.length) }));
        await db.cards.bulkPut(moved);
        // The old token belongs to the old path: the next run lists everything and reuses by ETag.
        await db.books.update(bookId, { syncToken: null, ctag: null, capabilities: undefined, written: undefined });
      });
    },
    attemptingUpload: async (_bookId, sent) =>
      db.transaction('rw', db.cards, async () => {
        const before = await db.cards.bulkGet(sent.map((s) => s.id));
        // Deleted outright since the engine read them (a create never sent goes at once): not sent.
        const gone = sent.filter((_s, i) => before[i] === undefined).map((s) => s.id);
        await db.cards.bulkUpdate(
          sent.flatMap(({ id, revision, print, vcard }, i) => {
            if (before[i] === undefined) return [];
            const earlier = sentEarlierThan(before[i], vcard);
            return [{ key: id, changes: { attempted: true, sentRevision: revision, ...(print !== undefined ? { sentPrint: print } : {}), ...(vcard !== undefined ? { sentVcard: vcard } : {}), ...(earlier !== undefined ? { sentEarlier: earlier } : {}) } }];
          }),
        );
        return gone;
      }),
    uploaded: async (bookId, id, remote, revision) => {
      let moved = false;
      await listWrite(async (changed, removed) => {
        // Written since the saved token, until the run's new state is saved (SyncState.written).
        const book = await db.books.get(bookId);
        if (book !== undefined && !(book.written ?? []).includes(remote.href)) await db.books.update(bookId, { written: [...(book.written ?? []), remote.href] });
        let prev = await db.contacts.get(id);
        const card = await db.cards.get(id);
        // One row per href: another row there is a copy of this card that came down meanwhile
        // (a create whose answer was lost, found again). A clean copy goes (not to the trash: it
        // is this card, which stays, and a restore would send a second copy), and this card takes
        // its place in a link, its star and its history; an edited one is kept as a new card, so
        // no edit is lost.
        for (const other of await cardsAt(bookId, [remote.href])) {
          if (other.id === id) continue;
          const otherRow = await db.contacts.get(other.id);
          if (otherRow === undefined || otherRow.pending === '' || otherRow.pending === 'deleted') {
            await db.contacts.delete(other.id);
            await db.cards.delete(other.id);
            removed.push(other.id);
            if (prev !== undefined && card !== undefined && prev.pending !== 'deleted') {
              if (await moveLinkMember(db, other.id, id)) moved = true;
              if (otherRow !== undefined && otherRow.pending === '' && otherRow.favorite > prev.favorite) prev = { ...prev, favorite: otherRow.favorite };
            }
            if (prev !== undefined && card !== undefined) await moveVersions(db, other, id);
            else await db.versions.bulkDelete(await versionIdsOf(db, [other.id]));
          } else {
            changed.push(await asNewCreate(db, otherRow, other, otherRow.flag, true));
          }
        }
        if (prev === undefined || card === undefined) {
          // Deleted outright meanwhile: a create not yet marked as sent when the user deleted it
          // (ContactRepo.remove), which the engine had already read and sent. The user wants it
          // gone: kept hidden as a deletion for the server, at a newer revision than the one sent.
          const next = rowsFor(id, bookId, remote, undefined, revision + 1);
          await db.contacts.put({ ...next.row, pending: 'deleted' });
          await db.cards.put(next.card);
          return;
        }
        if (unchanged(card, revision)) {
          // As sent.
          const next = rowsFor(id, bookId, remote, prev, card.revision, undefined, card.imported);
          await db.contacts.put(next.row);
          await db.cards.put(next.card);
          changed.push(next.row);
          // What the server holds now may carry another client's changes merged in: a version of the server's.
          await recordVersions(db, [{ contactId: id, bookId, vcard: next.card.vcard, source: 'sync', by: 'server', before: card.vcard }]);
          return;
        }
        // Saved, deleted or undone meanwhile: the user's write stays and goes up next time; the
        // server's version is its base. What went up may hold more than the version the user
        // edited (another client's change merged in before the PUT): the user's save is moved onto
        // it, or the next run would take that change's absence here for an edit and undo it.
        const pending = prev.pending === 'created' ? ('updated' as const) : prev.pending;
        const { vcard, conflicts } = pending === 'updated' ? rebaseSave(card.sentVcard, card.vcard, remote.vcard) : { vcard: card.vcard, conflicts: [] };
        const conflict = conflicts.length > 0 ? { remote: remote.vcard, conflicts } : {};
        // Deleted here meanwhile, and what went up held another client's change the user never saw:
        // the deletion is checked against the version seen before it (no ETag: compared first).
        const unseen = pending === 'deleted' && remote.seenBase !== undefined;
        const { seenBase: _s, ...stored } = remote;
        await db.cards.put({ ...card, vcard, href: stored.href, etag: unseen ? '' : stored.etag, base: unseen ? remote.seenBase! : stored.vcard, ...conflict, ...(stored.source !== undefined ? { source: stored.source } : {}) });
        const flagged = conflicts.length > 0 ? { flag: 'conflict' as const } : {};
        const row = vcard === card.vcard ? { ...prev, pending, ...flagged } : { ...prev, ...deriveListFields(parseVCard(vcard)), pending, ...flagged };
        await db.contacts.put(row);
        changed.push(row);
        // Another client's change moved under the user's save: the server's part of this card.
        if (vcard !== card.vcard) await recordVersions(db, [{ contactId: id, bookId, vcard, source: 'sync', by: 'server', before: card.vcard }]);
      });
      if (moved) await linksMoved?.();
    },
    // Whatever the revision: a row still marked deleted is what the user wants gone.
    deletedRemote: (_bookId, id) =>
      listWrite(async (changed, removed) => {
        const row = await db.contacts.get(id);
        const card = await db.cards.get(id);
        if (row === undefined || card === undefined) return;
        if (row.pending === 'deleted') {
          await db.contacts.delete(id);
          await db.cards.delete(id);
          removed.push(id);
          // The user's deletion, in the trash since it was made (kept there if it was not).
          if ((await db.trash.get(id)) === undefined) await db.trash.bulkPut(trashRows([{ row, card }], 'local'));
          return;
        }
        // Undone while the deletion was on its way: the contact stays, as a new card. A conflict
        // with the server's version is over: that version is gone, the card as it is here stays.
        changed.push(await asNewCreate(db, row, card, row.flag === 'conflict' ? '' : row.flag));
      }),
    // Decided by the row's mark, whatever the revision.
    restoredRemote: (bookId, id, remote) =>
      listWrite(async (changed) => {
        const row = await db.contacts.get(id);
        const card = await db.cards.get(id);
        if (row === undefined || card === undefined) return;
        // Still deleted here (or undone with nothing else changed): the server's version, visible.
        // Undone and edited meanwhile: left as it is; the next run merges the edit with it.
        if (row.pending === 'updated' || row.pending === 'created') return;
        const next = rowsFor(id, bookId, remote, row, card.revision, undefined, card.imported);
        await db.contacts.put(next.row);
        await db.cards.put(next.card);
        changed.push(next.row);
        // Back from the server, changed there: out of the trash, its version the server's.
        await db.trash.delete(id);
        await recordVersions(db, [{ contactId: id, bookId, vcard: next.card.vcard, source: 'sync', by: 'server', before: card.vcard }]);
      }),
    failedUpload: (_bookId, id, message, revision) =>
      listWrite(async (changed) => {
        const card = await db.cards.get(id);
        const prev = await db.contacts.get(id);
        // Changed meanwhile: the new version may well be taken; it goes up next time.
        if (card === undefined || prev === undefined || !unchanged(card, revision)) return;
        await db.cards.put({ ...card, error: message });
        const next = { ...prev, flag: 'error' as const };
        await db.contacts.put(next);
        changed.push(next);
      }),
    conflicted: (_bookId, id, merged, remote, conflicts, revision) =>
      listWrite(async (changed) => {
        const card = await db.cards.get(id);
        const prev = await db.contacts.get(id);
        // Changed meanwhile: the next run merges the newer version instead.
        if (card === undefined || prev === undefined || !unchanged(card, revision)) return;
        const next = { ...prev, ...deriveListFields(parseVCard(merged)), pending: 'updated' as const, flag: 'conflict' as const };
        await db.contacts.put(next);
        await db.cards.put({ ...card, vcard: merged, base: remote.vcard, remote: remote.vcard, etag: remote.etag, conflicts });
        changed.push(next);
        // What merged in from the server's side is the server's change.
        await recordVersions(db, [{ contactId: id, bookId: prev.bookId, vcard: merged, source: 'sync', by: 'server', before: card.vcard }]);
      }),
  };
}

/**
 * Inside a write transaction: the versions of a lost create's clean copy, which goes, become the
 * versions of the card that stays (`to`), at times of their own among its versions. A version that
 * took its text from the copy's card (an import's) is given that text first.
 */
async function moveVersions(db: CardinalDB, copy: CardRow, to: string): Promise<void> {
  const ids = await versionIdsOf(db, [copy.id]);
  if (ids.length === 0) return;
  const rows = (await db.versions.bulkGet(ids)).filter((v) => v !== undefined);
  const taken = new Set((await db.versions.bulkGet(await versionIdsOf(db, [to]))).flatMap((v) => (v === undefined ? [] : [v.at])));
  const moved = rows.map(({ card: _print, ...v }) => {
    let at = v.at;
    while (taken.has(at)) at += 1;
    taken.add(at);
    return { ...v, contactId: to, at, vcard: v.vcard === '' ? copy.vcard : v.vcard };
  });
  await db.versions.bulkPut(moved);
}
