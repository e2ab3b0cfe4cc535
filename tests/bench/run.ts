/**
 * `npm run bench [vcard|book]`: the benchmarks, figures beside the peers'. Never part of `npm test`.
 */
import { runBookBench } from './book.bench';
import { runVCardBench } from './vcard.bench';

const which = process.argv[2];
if (which === undefined || which === 'vcard') runVCardBench();
if (which === undefined || which === 'book') await runBookBench(Number(process.env.CARDINAL_BENCH_CONTACTS ?? 50_000));
