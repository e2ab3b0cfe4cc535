/**
 * `npm run dev:web` (and `npm start` without Electron): serve the built app in the browser harness
 * and print the URL. Data goes to CARDINAL_DATA_DIR, else ~/.cardinal-harness.
 *
 * The page keeps its contacts in the browser's storage for its origin, `http://127.0.0.1:<port>`,
 * while accounts live in the data folder: a new port would be a new, empty origin beside the
 * same accounts. So the port is kept in the data folder and used again next time (unless
 * CARDINAL_HARNESS_PORT names one); when it is taken, another is used and the host says so.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from './host';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const dataDir = process.env.CARDINAL_DATA_DIR ?? join(homedir(), '.cardinal-harness');
const portFile = join(dataDir, 'harness-port');
const asked = Number(process.env.CARDINAL_HARNESS_PORT ?? Number.NaN);
const savedPort = (): number => {
  try {
    const n = Number(readFileSync(portFile, 'utf8').trim());
    return Number.isInteger(n) && n > 0 && n < 65536 ? n : 0;
  } catch {
    return 0;
  }
};
const start = (port: number) =>
  startHarness({ rendererDir: join(root, 'dist', 'renderer'), bridgeFile: join(root, 'dist', 'harness', 'bridge.js'), dataDir, version: pkg.version, port });

let harness;
// After a fallback the old port stays saved: that is where this folder's contacts are.
let fellBack = false;
if (Number.isInteger(asked)) harness = await start(asked);
else {
  const previous = savedPort();
  try {
    harness = await start(previous);
  } catch (e) {
    if (previous === 0) throw e;
    harness = await start(0);
    fellBack = true;
    console.log(`Port ${previous}, where this data folder's contacts were opened before, is in use. The page below is a new address: its browser storage is empty. Stop what uses port ${previous} and start again to see them.`);
  }
}
if (!fellBack) {
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(portFile, `${new URL(harness.url).port}\n`);
  } catch {
    // A data folder that cannot be written: the next start picks a port of its own.
  }
}
console.log(`Cardinal is running in the browser harness. Open this address in Chromium or Chrome:\n\n  ${harness.url}\n\n(Ctrl+C to stop)`);
const stop = (): void => {
  void harness.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
