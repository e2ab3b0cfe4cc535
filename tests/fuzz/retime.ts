/**
 * `npx tsx tests/fuzz/retime.ts [report.json]`: each hang of a fuzz report (default
 * test-results/fuzz-report.json) timed alone in this process, fastest of 3 (wall and CPU time),
 * beside its time in the run. A call rebuilt from the input: for a target that ran on one of the
 * input's cards, each card is timed and the slowest shown. Reports only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HANG_MS, runFuzz, timeReplayed, type FuzzReport } from './harness';

const path = process.argv[2] ?? fileURLToPath(new URL('../../test-results/fuzz-report.json', import.meta.url));
const report = JSON.parse(readFileSync(path, 'utf8')) as FuzzReport;
const f = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(1)).padStart(8);
console.log(`${path}: seed ${report.seed}, ${report.hangs.length} hangs kept`);
console.log(`${'#'.padStart(3)} ${'run ms'.padStart(8)} ${'run CPU'.padStart(8)} ${'alone ms'.padStart(8)} ${'alone CPU'.padStart(9)}  ${'target'.padEnd(28)} ${'chars/bytes'.padStart(12)}`);
// The paths warmed first (a short run of the harness), as they are at the end of a run.
runFuzz({ seed: 1, iterations: 300, maxEnormous: 64 * 1024, retime: false });
let over = 0;
report.hangs.forEach((h, i) => {
  const worst = timeReplayed(h.target, h.input);
  if (worst !== undefined && worst.ms > HANG_MS) over++;
  console.log(`${String(i).padStart(3)} ${f(h.ms)} ${f(h.cpuMs)} ${f(worst?.ms)} ${f(worst?.cpuMs).padStart(9)}  ${h.target.padEnd(28)} ${h.size.toLocaleString('en').padStart(12)}`);
});
console.log(`${over} of ${report.hangs.length} over ${HANG_MS} ms alone`);
