#!/usr/bin/env node
// `npm run bench`: build the benchmarks like the app is built, then run them. Prints figures beside
// the peers'; never a pass/fail.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureRequirements } from './prepare-test-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const which = process.argv[2];
const env = { ...process.env };
if (which === undefined || which === 'sync') {
  // The sync bench's servers and peer, from Debian's packages as `npm test` installs them; what
  // cannot be installed here is named by the bench in place of its figures.
  const needs = { radicale: ['Radicale'], xandikos: ['Xandikos'], sabredav: ['SabreDAV', 'PHP', 'PHP SQLite'], davical: ['DAViCal', 'PostgreSQL', 'Apache', 'Apache mod_php'] };
  const servers = (process.env.CARDINAL_BENCH_SYNC_SERVERS ?? 'radicale,xandikos,sabredav,davical').split(',');
  const names = [...servers.flatMap((s) => needs[s] ?? []), ...(process.env.CARDINAL_BENCH_VDIRSYNCER === '0' ? [] : ['vdirsyncer'])];
  env.CARDINAL_BENCH_MISSING = JSON.stringify(ensureRequirements(names, 'the sync bench'));
}
const built = spawnSync(process.execPath, ['scripts/build.mjs', 'renderer', 'bridge', 'bench'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const run = spawnSync(process.execPath, ['dist/bench/run.mjs', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
process.exit(run.status ?? 1);
