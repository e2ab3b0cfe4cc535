#!/usr/bin/env node
// `npm run dist`: build the app, then the installers this machine can build — Linux: AppImage and
// deb; macOS: dmg and zip for x64 and arm64; Windows: NSIS. electron-builder needs the Electron
// binary (a normal `npm ci`, without ELECTRON_SKIP_BINARY_DOWNLOAD); without it this says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDist = `${root}node_modules/electron/dist`;
if (!existsSync(electronDist)) {
  console.error('npm run dist needs the Electron binary, which is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD).');
  console.error('Install it with a plain `npm ci`, then run `npm run dist` again. `npm test` still checks the packaging with a placeholder.');
  process.exit(1);
}
const target = { linux: '--linux', darwin: '--mac', win32: '--win' }[process.platform];
if (target === undefined) {
  console.error(`no installer targets for ${process.platform}`);
  process.exit(1);
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs']);
run(`${root}node_modules/.bin/electron-builder`, [target, '--publish', 'never']);
