/**
 * `npm run bench [vcard|vcard-complexity|book|book-import|sync|e2e-sync|duplicates|duplicates-window|groups|links|history|print]`: the benchmarks, figures beside the peers'. Never part of
 * `npm test`.
 */
import { runBookBench } from './book.bench';
import { e2eHostMain, runE2eSyncBench } from './e2e-sync.bench';
import { runDuplicatesBench } from './duplicates.bench';
import { runDuplicatesPageBench } from './duplicates-page.bench';
import { runGroupsBench } from './groups.bench';
import { runHistoryBench, runUndoImportBench } from './history.bench';
import { runLinksBench } from './links.bench';
import { runPrintBench } from './print.bench';
import { runSyncBench } from './sync.bench';
import { runVCardComplexity } from './vcard-complexity.bench';
import { runVCardBench } from './vcard.bench';

const which = process.argv[2];
// The end-to-end bench's harness host, in a process of its own (see e2e-sync.bench.ts).
if (which === '__e2e-host') await e2eHostMain(process.argv[3]!);
if (which === undefined || which === 'vcard') {
  runVCardBench();
  runVCardComplexity();
}
if (which === 'vcard-complexity') runVCardComplexity();
if (which === undefined || which === 'book') await runBookBench(Number(process.env.CARDINAL_BENCH_CONTACTS ?? 50_000));
if (which === 'book-import') await runBookBench(Number(process.env.CARDINAL_BENCH_CONTACTS ?? 50_000), true);
if (which === undefined || which === 'sync') {
  const sizes = (process.env.CARDINAL_BENCH_SYNC_SIZES ?? '1000,10000').split(',').map(Number);
  await runSyncBench(sizes);
}
if (which === undefined || which === 'e2e-sync') {
  const sizes = (process.env.CARDINAL_BENCH_E2E_SIZES ?? '10000').split(',').filter((x) => x !== '').map(Number);
  await runE2eSyncBench(sizes, Number(process.env.CARDINAL_BENCH_E2E_GOOGLE ?? 10_000));
}
if (which === undefined || which === 'duplicates') {
  runDuplicatesBench(Number(process.env.CARDINAL_BENCH_DUPLICATES ?? 50_000));
  await runDuplicatesPageBench(Number(process.env.CARDINAL_BENCH_DUPLICATES ?? 50_000));
}
if (which === 'duplicates-window') await runDuplicatesPageBench(Number(process.env.CARDINAL_BENCH_DUPLICATES ?? 50_000));
if (which === undefined || which === 'groups') runGroupsBench(Number(process.env.CARDINAL_BENCH_CONTACTS ?? 50_000));
if (which === undefined || which === 'links') runLinksBench(Number(process.env.CARDINAL_BENCH_CONTACTS ?? 50_000));
if (which === undefined || which === 'history') {
  if (process.env.CARDINAL_BENCH_HISTORY !== '0') await runHistoryBench(Number(process.env.CARDINAL_BENCH_HISTORY ?? 5_000));
  await runUndoImportBench((process.env.CARDINAL_BENCH_HISTORY_UNDO ?? '20000,50000').split(',').filter((x) => x !== '').map(Number));
}
if (which === undefined || which === 'print') await runPrintBench((process.env.CARDINAL_BENCH_PRINT_SIZES ?? '10000,50000').split(',').map(Number));
