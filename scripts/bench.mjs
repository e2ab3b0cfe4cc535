#!/usr/bin/env node
// `npm run bench`: build the benchmarks like the app is built, then run them. Prints figures beside
// the peers'; never a pass/fail.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = spawnSync(process.execPath, ['scripts/build.mjs', 'renderer', 'bridge', 'bench'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const run = spawnSync(process.execPath, ['dist/bench/run.mjs', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
