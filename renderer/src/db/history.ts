/**
 * The trash, every contact's versions and the runs (sync batches, imports) that can be undone as a
 * whole. The functions that record run inside the caller's write transaction (repo.ts, sync-store.ts),
 * so a contact's change and its version commit together; `maintainHistory` prunes at start, in
 * batches of one transaction each.
 */
import Dexie from 'dexie';
import { cardPrint } from '../../../shared/duplicates/keys';
import type { CardinalDB, CardRow, ContactRow, ImportedFact, RunEntry, RunKind, RunRow, TrashRow, VersionRow, VersionSource } from './schema';
import { chunksOf, pipelined } from './pipeline';

const DAY = 86_400_000;
/** How long a deleted contact stays in the trash. */
export const TRASH_DAYS = 30;
/** Versions and runs older than this go (at start). */
export const HISTORY_DAYS = 90;
/** At most this many versions per contact (the oldest go as a new one is recorded). */
export const MAX_VERSIONS = 50;
/** Batches of a sync run are joined into one run while they come within this time. */
const OPEN_RUN_MS = 10 * 60_000;
const PRUNE_BATCH = 500;

let lastStamp = 0;
/** A time stamp that increases on every call, so a contact's versions sort in the order recorded. */
export function stamp(): number {
  const now = Date.now();
  lastStamp = now > lastStamp ? now : lastStamp + 1;
  return lastStamp;
}

/** Stamps from now on come after `at` (a worker's: it recorded versions with stamps of its own). */
export function stampAfter(at: number): void {
  if (at > lastStamp) lastStamp = at;
}

const IGNORED = /^(REV|PRODID)[;:]/i;
/** The card's content lines, unfolded, without the ones a server rewrites on every save, sorted. */
function contentLines(vcard: string): string {
  return vcard
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter((l) => l !== '' && !IGNORED.test(l))
    .sort()
    .join('\n');
}

/** Two vCards hold the same lines (a server's re-serialisation is no change). */
export function sameContent(a: string, b: string): boolean {
  return a === b || contentLines(a) === contentLines(b);
}

export interface VersionInput {
  contactId: string;
  bookId: string;
  /** The card after the change. */
  vcard: string;
  source: VersionSource;
  by: 'local' | 'server';
  runId?: string;
  /**
   * The card before the change: kept as an `earlier` version when the contact has no history yet
   * (a contact from before history, or one whose versions aged out). Null: a new contact.
   */
  before: string | null | undefined;
  /**
   * `vcard` is the card's text as this transaction writes it: the version is stored without it
   * (VersionRow.card), so an import writes each vCard once, not twice.
   */
  textInCard?: boolean;
  /**
   * The import that made the contact (CardRow.imported) when the caller has its card at hand
   * (null: none): not read again. Absent: read from the card, if the contact has no version yet.
   */
  imported?: ImportedFact | null;
}

/** A contact's version ids, oldest first. */
function versionKeys(db: CardinalDB, contactId: string): Promise<string[]> {
  return db.versions
    .where('[contactId+at]')
    .between([contactId, Dexie.minKey], [contactId, Dexie.maxKey])
    .primaryKeys() as Promise<string[]>;
}

/** The id of the version an import's contact has without a row (CardRow.imported), once written. */
export const importedVersionId = (contactId: string): string => `${contactId}:import`;

/** The fact still stands for this text: its print, and not older than the history keeps. */
function importedHolds(fact: ImportedFact | undefined, vcard: string, now: number): fact is ImportedFact {
  return fact !== undefined && now - fact.at < HISTORY_DAYS * DAY && cardPrint(vcard) === fact.print;
}

/** An imported fact's version: as the import's version row of that text would read. */
function importedRow(contactId: string, bookId: string, fact: ImportedFact, vcard: string): VersionRow {
  return { id: importedVersionId(contactId), contactId, bookId, at: fact.at, vcard, source: 'import', by: 'local', runId: fact.run };
}

/**
 * The first version of a contact an import made (schema 9: no version row), read from its card:
 * the card's text while it is still what the import wrote. Undefined when the card changed since
 * (its next change wrote that version as a row), never came from an import, or is too old.
 */
export function importedVersion(card: CardRow | undefined, now = Date.now()): VersionRow | undefined {
  if (card === undefined || typeof card.vcard !== 'string' || !importedHolds(card.imported, card.vcard, now)) return undefined;
  return importedRow(card.id, card.bookId, card.imported, card.vcard);
}

/** A contact's version with no row (importedVersion), from its card or, deleted, its trash row. */
export async function importedVersionOf(db: CardinalDB, contactId: string): Promise<VersionRow | undefined> {
  return importedVersion(await db.cards.get(contactId)) ?? importedVersion((await db.trash.get(contactId))?.card);
}

/**
 * Inside a write transaction that includes `versions`: record each change as a version (none when
 * the card holds what its last version holds), keep at most MAX_VERSIONS per contact. Returns, per
 * contact, the version it had before this change (null: none, a new contact). `chunk`: the new
 * versions are added that many at a time.
 */
export async function recordVersions(db: CardinalDB, inputs: readonly VersionInput[], chunk?: number): Promise<Map<string, string | null>> {
  const before = new Map<string, string | null>();
  const adds: VersionRow[] = [];
  const drops: string[] = [];
  // Every contact's version ids in one read of the index (a few requests per batch, not per card).
  const known = await versionKeysOf(db, inputs.filter((i) => i.before !== null).map((i) => i.contactId));
  const lastRows = new Map((await db.versions.bulkGet([...known.values()].map((k) => k.at(-1)!))).filter((v): v is VersionRow => v !== undefined).map((v) => [v.contactId, v]));
  // Contacts without a version row that an import made (schema 9): their card says so (CardRow.imported,
  // carried on by the writer that changed it; the transaction holds the card as written now).
  const fresh = [...new Set(inputs.filter((i) => typeof i.before === 'string' && i.imported === undefined && !known.has(i.contactId)).map((i) => i.contactId))];
  const facts = new Map(fresh.length === 0 ? [] : (await db.cards.bulkGet(fresh)).flatMap((c) => (c?.imported === undefined ? [] : [[c.id, c.imported] as const])));
  for (const i of inputs) if (i.imported !== undefined && i.imported !== null) facts.set(i.contactId, i.imported);
  const now = Date.now();
  // Last versions whose text is their card's: the card is changing, so their text is written now.
  const written: VersionRow[] = [];
  for (const input of inputs) {
    const keys = [...(known.get(input.contactId) ?? [])];
    let previous = keys.at(-1) ?? null;
    const lastRow = lastRows.get(input.contactId);
    let last = lastRow?.vcard;
    if (lastRow?.card !== undefined) {
      lastRows.delete(input.contactId);
      const { card: print, ...rest } = lastRow;
      // The text before this change is the card's text it stood for (else it was changed without history: unknown).
      if (typeof input.before === 'string' && cardPrint(input.before) === print) written.push({ ...rest, vcard: (last = input.before) });
      else last = undefined;
    }
    const fact = previous === null && typeof input.before === 'string' ? facts.get(input.contactId) : undefined;
    if (previous === null && typeof input.before === 'string' && importedHolds(fact, input.before, now)) {
      // The import's version, until now read from the card: written with the text before this change.
      const imported = importedRow(input.contactId, input.bookId, fact, input.before);
      written.push(imported);
      keys.push(imported.id);
      previous = imported.id;
      last = input.before;
    } else if (previous === null && input.before !== null && input.before !== undefined && input.before !== '') {
      const earlier: VersionRow = { id: crypto.randomUUID(), contactId: input.contactId, bookId: input.bookId, at: stamp(), vcard: input.before, source: 'earlier', by: 'local' };
      adds.push(earlier);
      keys.push(earlier.id);
      previous = earlier.id;
      last = input.before;
    }
    before.set(input.contactId, previous);
    if (last !== undefined && sameContent(last, input.vcard)) continue;
    const id = crypto.randomUUID();
    const text = input.textInCard === true ? { vcard: '', card: cardPrint(input.vcard) } : { vcard: input.vcard };
    adds.push({ id, contactId: input.contactId, bookId: input.bookId, at: stamp(), ...text, source: input.source, by: input.by, ...(input.runId !== undefined ? { runId: input.runId } : {}) });
    keys.push(id);
    if (keys.length > MAX_VERSIONS) drops.push(...keys.slice(0, keys.length - MAX_VERSIONS));
  }
  const dropped = new Set(drops);
  if (written.length > 0) await db.versions.bulkPut(written.filter((v) => !dropped.has(v.id)));
  // In chunks if asked (a sync's batch: each chunk's writes a task of its own, not one long one,
  // a few in flight); else at once (an import: waiting for each chunk would leave IndexedDB idle in between).
  const added = adds.filter((v) => !dropped.has(v.id));
  await pipelined(chunksOf(added, chunk ?? Math.max(1, added.length), (c) => db.versions.bulkAdd(c)));
  await db.versions.bulkDelete(drops.filter((id) => !adds.some((v) => v.id === id)));
  return before;
}

/**
 * Several contacts' version ids, oldest first: one range read per contact, all sent at once in the
 * transaction (a single multi-range read walks the whole index, far slower).
 */
async function versionKeysOf(db: CardinalDB, contactIds: readonly string[]): Promise<Map<string, string[]>> {
  const unique = [...new Set(contactIds)];
  const lists = await Promise.all(unique.map((id) => versionKeys(db, id)));
  return new Map(unique.flatMap((id, i) => (lists[i]!.length === 0 ? [] : [[id, lists[i]!] as const])));
}

/**
 * Versions as readers see them: a version whose text is its card's (VersionRow.card) gets the
 * text of the card, or of the contact's trash row, that still has its print; one whose card was
 * changed without history (its text unknown) is left out.
 */
export async function withText(db: CardinalDB, rows: readonly VersionRow[]): Promise<VersionRow[]> {
  const ids = [...new Set(rows.filter((v) => v.card !== undefined).map((v) => v.contactId))];
  if (ids.length === 0) return [...rows];
  const cards = await db.cards.bulkGet(ids);
  const trash = await db.trash.bulkGet(ids);
  const texts = new Map(ids.map((id, i) => [id, [cards[i]?.vcard, trash[i]?.card.vcard].filter((t): t is string => typeof t === 'string')]));
  return rows.flatMap((v) => {
    if (v.card === undefined) return [v];
    const { card: print, ...rest } = v;
    const text = texts.get(v.contactId)?.find((t) => cardPrint(t) === print);
    return text === undefined ? [] : [{ ...rest, vcard: text }];
  });
}

/**
 * Every version id of these contacts (no order), by the [contactId+at] index: one read of it,
 * jumping from one contact's range to the next (what the contactId index did before schema 6).
 */
export async function versionIdsOf(db: CardinalDB, contactIds: readonly string[]): Promise<string[]> {
  const ranges = [...new Set(contactIds)].sort().map((id): [[string, unknown], [string, unknown]] => [[id, Dexie.minKey], [id, Dexie.maxKey]]);
  if (ranges.length === 0) return [];
  return (await db.versions.where('[contactId+at]').inAnyRange(ranges).primaryKeys()) as string[];
}

/**
 * Inside a write transaction: the contact's last version id, recording the card as it is now as
 * its import's version (CardRow.imported) or an `earlier` version when it has none (a run's deletion must name a version to go back to).
 */
export async function currentVersion(db: CardinalDB, contactId: string, bookId: string, vcard: string): Promise<string> {
  const keys = await versionKeys(db, contactId);
  const last = keys.at(-1);
  if (last !== undefined) return last;
  const fact = (await db.cards.get(contactId))?.imported;
  if (importedHolds(fact, vcard, Date.now())) {
    const imported = importedRow(contactId, bookId, fact, vcard);
    await db.versions.put(imported);
    return imported.id;
  }
  const id = crypto.randomUUID();
  await db.versions.add({ id, contactId, bookId, at: stamp(), vcard, source: 'earlier', by: 'local' });
  return id;
}

/** Group cards are no contacts: they never go to the trash (their group does, as the user sees it). */
export const isContact = (row: ContactRow) => row.groupCard === '' || row.groupCard === undefined;

/** Trash rows for contacts deleted now. */
export function trashRows(items: readonly { row: ContactRow; card: CardRow }[], by: TrashRow['by'], deletedAt = Date.now(), mergedInto?: TrashRow['mergedInto']): TrashRow[] {
  return items.filter((i) => isContact(i.row)).map((i) => ({ id: i.row.id, bookId: i.row.bookId, deletedAt, by, row: i.row, card: i.card, ...(mergedInto !== undefined ? { mergedInto } : {}) }));
}

/** The latest run of a book (a sync run's part stands for its run: it shares its `at`). */
function latestRun(db: CardinalDB, bookId: string): Promise<RunRow | undefined> {
  // Dexie's own promise chain (a transaction's zone follows it).
  return db.runs
    .where('[bookId+at]')
    .between([bookId, Dexie.minKey], [bookId, Dexie.maxKey])
    .last()
    .then((last) => (last?.partOf === undefined ? last : db.runs.get(last.partOf)));
}

/** The id of a sync run's part `n` (1, 2, …): after its run's id, so a key range holds them in order. */
const partId = (runId: string, n: number): string => `${runId}~${String(n).padStart(6, '0')}`;

/**
 * `entries` with `more` joined: a contact touched twice keeps its first place and the version it
 * had before the run (a run's create stays a create).
 */
function joinEntries(entries: readonly RunEntry[], more: readonly RunEntry[]): RunEntry[] {
  const at = new Map(entries.map((e, i) => [e.contactId, i]));
  const out = [...entries];
  for (const e of more) {
    const i = at.get(e.contactId);
    if (i === undefined) {
      at.set(e.contactId, out.length);
      out.push(e);
    } else {
      const first = out[i]!;
      out[i] = { contactId: e.contactId, before: first.before, change: first.change === 'created' ? 'created' : e.change };
    }
  }
  return out;
}

/** A run with its parts' entries joined, as one (the parts: rows with `partOf` its id, in order). */
export function joinRun(run: RunRow, parts: readonly RunRow[]): RunRow {
  if (parts.length === 0) return run;
  let entries = run.entries;
  for (const p of parts) entries = joinEntries(entries, p.entries);
  return { ...run, entries };
}

/** A run as the user sees it (its parts' entries joined); undefined for a part or an unknown id. */
export async function wholeRun(db: CardinalDB, runId: string): Promise<RunRow | undefined> {
  const run = await db.runs.get(runId);
  if (run === undefined || run.partOf !== undefined) return undefined;
  if ((run.parts ?? 0) === 0) return run;
  const parts = await db.runs.where('id').between(partId(runId, 0), partId(runId, 999_999), false, true).toArray();
  return joinRun(run, parts.filter((p) => p.partOf === runId));
}

/** Rows of the runs table as runs (parts joined into theirs and left out; a part without its run too). */
export function runsFromRows(rows: readonly RunRow[]): RunRow[] {
  const parts = new Map<string, RunRow[]>();
  for (const r of rows) if (r.partOf !== undefined) parts.set(r.partOf, [...(parts.get(r.partOf) ?? []), r]);
  return rows.filter((r) => r.partOf === undefined).map((r) => joinRun(r, (parts.get(r.id) ?? []).sort((a, b) => (a.id < b.id ? -1 : 1))));
}

/**
 * Inside a write transaction: add a run's entries. A sync's batches join the book's open sync run
 * (one run per sync as the user sees it); `close` ends it (the batch that saves the state). A
 * contact touched twice keeps the version it had before the run. A batch that joins an open sync
 * run writes its entries as a row of their own (a part: `partOf` the run, at the run's `at`) and
 * the run's head again without them, so a batch costs its own entries, not the run's so far (a
 * first sync of 50,000 cards rewrote up to 50,000 entries with each of its 100 batches).
 */
export async function appendRun(db: CardinalDB, run: { id?: string; bookId: string; kind: RunKind; name?: string; entries: readonly RunEntry[]; close: boolean }): Promise<string | undefined> {
  const now = Date.now();
  let current: RunRow | undefined;
  if (run.id !== undefined) current = await db.runs.get(run.id);
  else if (run.kind === 'sync') {
    const last = await latestRun(db, run.bookId);
    if (last !== undefined && last.kind === 'sync' && last.open === true && now - last.at < OPEN_RUN_MS && last.undoneAt === undefined) current = last;
  }
  if (current === undefined && run.entries.length === 0) return undefined;
  const next: RunRow = current ?? { id: run.id ?? crypto.randomUUID(), bookId: run.bookId, at: now, kind: run.kind, entries: [], ...(run.name !== undefined ? { name: run.name } : {}) };
  const { open: _o, ...rest } = next;
  // After every version this batch recorded (stamps run ahead of the clock when they crowd).
  // A run another thread's batches joined keeps the later of both (import-write.ts).
  const lastAt = Math.max(next.lastAt ?? 0, stamp());
  const open = run.kind === 'sync' && !run.close ? { open: true } : {};
  if (current !== undefined && run.id === undefined && run.kind === 'sync') {
    // Joining an open sync run: this batch's entries in a part of their own, the head as it was.
    let parts = current.parts ?? 0;
    if (run.entries.length > 0) {
      parts += 1;
      await db.runs.put({ id: partId(current.id, parts), bookId: current.bookId, at: current.at, kind: 'sync', entries: joinEntries([], run.entries), partOf: current.id });
    }
    await db.runs.put({ ...rest, lastAt, ...(parts > 0 ? { parts } : {}), ...open });
    return next.id;
  }
  await db.runs.put({ ...rest, entries: joinEntries(next.entries, run.entries), lastAt, ...open });
  return next.id;
}

/**
 * At start: the trash older than TRASH_DAYS, versions and runs older than HISTORY_DAYS, each in
 * batches of one transaction. A contact that left the trash for good takes its versions with it.
 */
export async function maintainHistory(db: CardinalDB, now = Date.now()): Promise<{ trash: number; versions: number; runs: number }> {
  const done = { trash: 0, versions: 0, runs: 0 };
  for (;;) {
    const ids = (await db.trash.where('deletedAt').below(now - TRASH_DAYS * DAY).limit(PRUNE_BATCH).primaryKeys()) as string[];
    if (ids.length === 0) break;
    await db.transaction('rw', db.trash, db.versions, db.contacts, () => forget(db, ids));
    done.trash += ids.length;
  }
  for (const [table, key] of [
    [db.versions, 'versions'],
    [db.runs, 'runs'],
  ] as const) {
    for (;;) {
      const ids = (await (table as Dexie.Table<{ at: number }, string>).where('at').below(now - HISTORY_DAYS * DAY).limit(PRUNE_BATCH).primaryKeys()) as string[];
      if (ids.length === 0) break;
      await (table as Dexie.Table<unknown, string>).bulkDelete(ids);
      done[key] += ids.length;
    }
  }
  return done;
}

/** Inside a transaction: trash rows gone for good, and the versions of those no longer in the book. */
export async function forget(db: CardinalDB, ids: readonly string[]): Promise<void> {
  await db.trash.bulkDelete([...ids]);
  const alive = await db.contacts.bulkGet([...ids]);
  const gone = ids.filter((_, i) => alive[i] === undefined);
  if (gone.length > 0) await db.versions.bulkDelete(await versionIdsOf(db, gone));
}
