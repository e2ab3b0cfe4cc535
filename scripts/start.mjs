#!/usr/bin/env node
// `npm start`: build and launch Cardinal in Electron. Where the Electron binary is not installed
// (it cannot be downloaded on the machines this project is built on), say so in one line and serve
// the browser harness instead, so the app can always be seen.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// The binary's path as the electron package records it (path.txt, beside its dist/), read here
// rather than by require('electron'): that tries to download a missing binary first, and prints the
// failed download's stack trace where there is no network for it.
function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const path = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary === null) {
  console.log('Electron is not installed here (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1?); serving the browser harness instead.');
  const web = spawn(process.execPath, ['scripts/dev-web.mjs'], { cwd: root, stdio: 'inherit' });
  web.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => web.kill(sig));
} else {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const app = spawn(binary, ['.'], { cwd: root, stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
}
