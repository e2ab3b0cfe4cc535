#!/usr/bin/env node
// Build the page and the bridge, then serve them with the harness host (plain Node, no Electron).
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = spawnSync(process.execPath, ['scripts/build.mjs', 'renderer', 'bridge'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const host = spawn(process.execPath, ['--import', 'tsx', 'tests/harness/serve.ts'], { cwd: root, stdio: 'inherit' });
host.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => host.kill(sig));
