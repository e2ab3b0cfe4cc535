/**
 * `npm run dev:web` (and `npm start` without Electron): serve the built app in the browser harness
 * and print the URL. Data goes to CARDINAL_DATA_DIR, else ~/.cardinal-harness.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from './host';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const port = Number(process.env.CARDINAL_HARNESS_PORT ?? 0);

const harness = await startHarness({
  rendererDir: join(root, 'dist', 'renderer'),
  bridgeFile: join(root, 'dist', 'harness', 'bridge.js'),
  dataDir: process.env.CARDINAL_DATA_DIR ?? join(homedir(), '.cardinal-harness'),
  version: pkg.version,
  port: Number.isInteger(port) ? port : 0,
});
console.log(`Cardinal is running in the browser harness. Open this address in Chromium or Chrome:\n\n  ${harness.url}\n\n(Ctrl+C to stop)`);
const stop = (): void => {
  void harness.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
