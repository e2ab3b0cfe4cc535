/**
 * `npm run bench -- history`: how much the store grows with history. A synced book of N contacts
 * (the benchmark corpus) is imported, then three sync runs change every contact on the server
 * (a phone and a note, in batches of 500 as the engine applies them), then a tenth of them is
 * edited here twice; the server deletes a twentieth (they go to the trash). Prints the versions'
 * and the trash's bytes (rows as JSON, UTF-8: what IndexedDB stores before its own compression),
 * bytes per version beside the card's own size, and the time of one applied batch with its
 * versions and run (fake-indexeddb under Node: compare runs, not with Chromium's figures).
 */
import Dexie from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { performance } from 'node:perf_hooks';
import { storeCollection } from '../../electron/sync/store-collection';
import { MAX_VERSIONS } from '../../renderer/src/db/history';
import { ContactRepo } from '../../renderer/src/db/repo';
import { LOCAL_BOOK_ID } from '../../renderer/src/db/schema';
import { deriveListFields } from '../../shared/book/derive';
import { duplicateKeys, storedKeys } from '../../shared/duplicates/keys';
import { loadavg } from 'node:os';
import { parseVCard } from '../../shared/vcard';
import { openStore } from '../integration/renderer-store';
import { generateCard } from './corpus';

const BOOK = 'bench-book';
const bytes = (rows: readonly unknown[]) => rows.reduce<number>((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export async function runHistoryBench(count = 5_000): Promise<void> {
  // The bundle evaluates Dexie before this module: hand it fake-indexeddb's API directly.
  Dexie.dependencies.indexedDB = indexedDB;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
  const store = await openStore(`history-bench-${Date.now()}`);
  const { repo } = store;
  await store.port.request('ensureBook', BOOK, 'Bench');
  const sync = storeCollection(store.port, BOOK);
  const cards = Array.from({ length: count }, (_, i) => generateCard(i).replace(/^UID:.*$/m, `UID:bench-${i}`));
  // As a first sync brings them: server cards with hrefs.
  for (let i = 0; i < count; i += 500) {
    await sync.applyRemote({ upserts: cards.slice(i, i + 500).map((vcard, j) => ({ href: `/b/${i + j}.vcf`, etag: `"${i + j}-0"`, vcard })), deletes: [], ...(i + 500 >= count ? { state: { syncToken: 't0', ctag: null } } : {}) });
  }
  const cardBytes = bytes(await repo.db.cards.toArray());
  const batchMs: number[] = [];
  for (let round = 1; round <= 3; round++) {
    for (let i = 0; i < count; i += 500) {
      const upserts = cards.slice(i, i + 500).map((vcard, j) => ({ href: `/b/${i + j}.vcf`, etag: `"${i + j}-${round}"`, vcard: vcard.replace('END:VCARD', `TEL;TYPE=work:+1 555 01${String(round).padStart(2, '0')} ${String(i + j).padStart(4, '0')}\r\nNOTE:round ${round}\r\nEND:VCARD`) }));
      const t = performance.now();
      await sync.applyRemote({ upserts, deletes: [], ...(i + 500 >= count ? { state: { syncToken: `t${round}`, ctag: null } } : {}) });
      batchMs.push(performance.now() - t);
    }
  }
  const ids = (await repo.db.contacts.toCollection().primaryKeys()) as string[];
  for (const id of ids.slice(0, Math.ceil(count / 10))) {
    for (const n of [1, 2]) {
      const card = (await repo.getCard(id))!;
      await repo.update(id, parseVCard(card.vcard.replace(/^NOTE:.*$/m, `NOTE:edited here ${n}`)));
    }
  }
  await sync.applyRemote({ upserts: [], deletes: Array.from({ length: Math.ceil(count / 20) }, (_, i) => `/b/${i * 20}.vcf`), state: { syncToken: 'td', ctag: null } });
  // An import of a tenth more, for its run.
  const fresh = Array.from({ length: Math.ceil(count / 10) }, (_, i) => {
    const text = generateCard(count + i);
    return ContactRepo.rowsFrom(`import-${i}`, BOOK, text, deriveListFields(parseVCard(text)));
  });
  await repo.putAll(fresh, undefined, { source: 'import', run: { kind: 'import', name: 'bench.vcf' } });

  const versions = await repo.db.versions.toArray();
  const versionBytes = bytes(versions);
  const sizes = versions.map((v) => Buffer.byteLength(JSON.stringify(v))).sort((a, b) => a - b);
  const trash = await repo.db.trash.toArray();
  const runs = await repo.db.runs.toArray();
  const sorted = [...batchMs].sort((a, b) => a - b);
  console.log(`\nHistory and trash — ${count.toLocaleString('en')} synced contacts, 3 server runs changing all, 2 edits of a tenth, a twentieth deleted by the server, an import of a tenth (fake-indexeddb, Node)`);
  console.log(`  cards (vCard, base, sync state):     ${mb(cardBytes)} before history, ${Math.round(cardBytes / count).toLocaleString('en')} bytes per contact`);
  console.log(`  versions:                            ${versions.length.toLocaleString('en')} rows, ${mb(versionBytes)} → ${Math.round(versionBytes / versions.length).toLocaleString('en')} bytes per version (median ${sizes[Math.floor(sizes.length / 2)]!.toLocaleString('en')}, max ${sizes.at(-1)!.toLocaleString('en')})`);
  console.log(`  worst case, ${MAX_VERSIONS} versions of every contact: ~${mb((versionBytes / versions.length) * MAX_VERSIONS * count)} (${MAX_VERSIONS}× the bytes per version per contact)`);
  console.log(`  trash:                               ${trash.length.toLocaleString('en')} contacts, ${mb(bytes(trash))} → ${Math.round(bytes(trash) / Math.max(1, trash.length)).toLocaleString('en')} bytes per contact`);
  console.log(`  runs:                                ${runs.length} (${runs.map((r) => `${r.kind} ${r.entries.length}`).join(', ')}), ${mb(bytes(runs))}`);
  console.log(`  apply a batch of 500 changed cards, with versions and run: p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
  repo.db.close();
}

/**
 * Undo of an import in Recent changes, at each size (`CARDINAL_BENCH_HISTORY_UNDO`, default
 * 20,000 and 50,000): this computer's book holds a thousand contacts of its own, then an import of
 * N new cards with their duplicate keys (as the import's worker stores them: keys pages), then
 * Undo as the window does it: the count of contacts changed since (`changedAfterRun`), the undo
 * itself (every contact to the trash), and the list's update (`ContactIndex.remove`). A store of
 * its own per size (fake-indexeddb, Node: compare runs, not with Chromium's figures).
 */
export async function runUndoImportBench(sizes: readonly number[]): Promise<void> {
  Dexie.dependencies.indexedDB = indexedDB;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
  console.log(`\nUndo of an import in Recent changes (fake-indexeddb, Node)`);
  for (const count of sizes) {
    const store = await openStore(`undo-bench-${count}-${Date.now()}`);
    const { repo, index } = store;
    const rows = (from: number, n: number, keys: boolean) =>
      Array.from({ length: n }, (_, i) => {
        const text = generateCard(from + i);
        const card = parseVCard(text);
        return ContactRepo.rowsFrom(crypto.randomUUID(), LOCAL_BOOK_ID, text, deriveListFields(card), undefined, keys ? storedKeys(text, duplicateKeys(card, 'US')) : undefined);
      });
    const own = rows(0, 1_000, true);
    await repo.putAll(own, undefined, { source: 'create' });
    const imported = rows(1_000, count, true);
    const tImport = performance.now();
    const runId = (await repo.putAll(imported, undefined, { source: 'import', run: { kind: 'import', name: 'bench.vcf' }, fresh: imported.length }))!;
    const importMs = performance.now() - tImport;
    index.upsert(imported.map((s) => s.row));
    const t0 = performance.now();
    const later = await repo.changedAfterRun(runId);
    const t1 = performance.now();
    // Each batch's time (an undo that reports progress: between its reports; the first report comes before any batch).
    const batches: number[] = [];
    let last = performance.now();
    const undo = repo.undoRun as (id: string, fallback: string, onProgress?: (done: number, total: number) => void) => ReturnType<ContactRepo['undoRun']>;
    const result = await undo.call(repo, runId, LOCAL_BOOK_ID, () => {
      const now = performance.now();
      batches.push(now - last);
      last = now;
    });
    batches.shift();
    const t2 = performance.now();
    index.remove(result.removed);
    if (result.hidden.length > 0) index.upsert(result.hidden);
    index.upsert(result.changed);
    const t3 = performance.now();
    const trash = await repo.db.trash.count();
    const left = await repo.db.contacts.count();
    console.log(`  ${count.toLocaleString('en')} imported into 1,000: import ${(importMs / 1000).toFixed(1)} s; Undo: changed since ${(t1 - t0).toFixed(0)} ms (${later}), undo ${((t2 - t1) / 1000).toFixed(2)} s (${batches.length === 0 ? 'no progress reported' : `${batches.length} batches, first ${batches[0]!.toFixed(0)} ms, last ${batches.at(-1)!.toFixed(0)} ms`}), list ${(t3 - t2).toFixed(0)} ms; total ${((t3 - t0) / 1000).toFixed(2)} s → ${trash.toLocaleString('en')} in the trash, ${left.toLocaleString('en')} left (load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    repo.db.close();
  }
}
