/**
 * `npm run fuzz -- [--seconds N] [--iterations N] [--seed S]`: the vCard core's fuzz harness
 * (harness.ts). Prints inputs tried, untyped exceptions, round-trip breaks, hangs (a call over
 * 100 ms on an input under 1 MB) and the slowest calls; writes every finding with its reproducing
 * input to test-results/fuzz-report.json. Each hang kept (the slowest 10 of each target) shows its
 * wall and CPU time in the run and its time alone after the run (fastest of 3), so that a hang of
 * the input is told from one of the machine's load. Exit status 1 when there is an untyped
 * exception or a round-trip break; timings are reported only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HANG_MS, HANGS_KEPT, runFuzz, type FuzzReport } from './harness';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seconds = Number(option('seconds') ?? (option('iterations') === undefined ? '60' : 'Infinity'));
const iterations = option('iterations') === undefined ? undefined : Number(option('iterations'));
const seed = Number(option('seed') ?? Date.now() % 2 ** 31);
const short = (s: string) => (s.length > 160 ? `${s.slice(0, 160)}… (${s.length} chars)` : s);

const line = (r: FuzzReport) => `${r.seconds.toFixed(0)} s: ${r.tried.toLocaleString('en')} inputs, ${r.untypedCount} untyped exceptions, ${r.roundTripCount} round-trip breaks, ${r.hangCount} hangs`;
console.log(`fuzzing the vCard core: seed ${seed}, ${iterations !== undefined ? `${iterations} inputs` : `${seconds} s`}`);
const report = runFuzz({ seed, seconds, iterations, onProgress: (r) => console.log(line(r)) });

console.log(`\n${line(report)}`);
console.log(`calls by target: ${Object.entries(report.byTarget).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
for (const f of report.untyped) console.log(`\nUNTYPED in ${f.target}: ${f.message}\n  input: ${JSON.stringify(short(f.input))}`);
for (const f of report.roundTrip) console.log(`\nROUND TRIP in ${f.target}: ${f.message}\n  input: ${JSON.stringify(short(f.input))}`);
const ms = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(1)).padStart(8);
console.log(`\nhangs (a call over ${HANG_MS} ms on an input under 1 MB) by target: ${Object.entries(report.hangCountByTarget).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ') || 'none'}`);
if (report.hangs.length > 0) {
  console.log(`kept: the slowest ${HANGS_KEPT} of each target, ${report.hangs.length} in all, each timed again alone after the run (fastest of 3):`);
  console.log(`  ${report.hangsAloneOver} still over ${HANG_MS} ms alone (the input's), ${report.hangsAloneUnder} under (the machine's load); ${report.hangsAloneCpuOver} over ${HANG_MS} ms of CPU time alone`);
  console.log(`  ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)} ${'alone ms'.padStart(8)} ${'alone CPU'.padStart(9)}  ${'target'.padEnd(28)} ${'chars/bytes'.padStart(12)}  input`);
  for (const h of report.hangs) console.log(`  ${ms(h.ms)} ${ms(h.cpuMs)} ${ms(h.aloneMs)} ${ms(h.aloneCpuMs).padStart(9)}  ${h.target.padEnd(28)} ${h.size.toLocaleString('en').padStart(12)}  ${JSON.stringify(short(h.input).slice(0, 60))}`);
}
console.log('\nslowest calls:');
for (const s of report.slowest) console.log(`  ${ms(s.ms)} ms (CPU ${ms(s.cpuMs)} ms)  ${s.target.padEnd(28)} ${s.size.toLocaleString('en').padStart(12)} chars/bytes  ${JSON.stringify(short(s.input).slice(0, 80))}`);

const out = fileURLToPath(new URL('../../test-results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(`${out}fuzz-report.json`, JSON.stringify(report, null, 1));
console.log(`\nfull report with reproducing inputs: test-results/fuzz-report.json (replay: --seed ${seed})`);
process.exit(report.untypedCount + report.roundTripCount > 0 ? 1 : 0);
