/**
 * The packaging check: electron-builder validates electron-builder.yml and builds the unpacked
 * Linux layout (`--dir`) against a placeholder Electron distribution (`electronDist`), since the
 * Electron binary cannot be downloaded here; then app.asar is listed: the main, preload and
 * renderer bundles and package.json, nothing else (no sources, tests, maps or node_modules), within
 * a size budget. The fuses: the configuration, the wire electron-builder flipped in the placeholder
 * (which carries a fuse wire in Electron's defaults, as the real binary does), and, where the real
 * Electron binary is installed, the real binary's wire after packaging. Needs `npm run build`
 * first (npm test runs it before this project).
 */
import { listPackage, extractFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BUDGET_BYTES = 5 * 1024 * 1024;

/** Electron's fuse wire: this sentinel, the wire's version (1), its length, one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults, fuse by fuse (RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect
 * on, asar integrity off, only-asar off, browser V8 snapshot off, file: privileges on). */
const ELECTRON_DEFAULT_WIRE = '10110001';

/** What Cardinal's binary must say, fuse by fuse (issue 15): no way in by environment or flag. */
const WANTED_FUSES: readonly [FuseV1Options, 'on' | 'off', string][] = [
  [FuseV1Options.RunAsNode, 'off', 'runAsNode'],
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable, 'off', 'enableNodeOptionsEnvironmentVariable'],
  [FuseV1Options.EnableNodeCliInspectArguments, 'off', 'enableNodeCliInspectArguments'],
  [FuseV1Options.OnlyLoadAppFromAsar, 'on', 'onlyLoadAppFromAsar'],
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, 'on', 'enableEmbeddedAsarIntegrityValidation'],
  [FuseV1Options.EnableCookieEncryption, 'on', 'enableCookieEncryption'],
];

/** The fuses of a built binary as 'on' / 'off' (or the raw state), by option. */
async function fusesOf(binary: string): Promise<Map<FuseV1Options, string>> {
  const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
  // The wire's bytes: '1' enabled, '0' disabled ('r' removed).
  const word = (state: number | undefined) => (state === 0x31 ? 'on' : state === 0x30 ? 'off' : String(state));
  return new Map(WANTED_FUSES.map(([option]) => [option, word(wire[option])]));
}

/** `electronFuses:` in electron-builder.yml, as written (a flat block of `name: true|false`). */
function configuredFuses(): Map<string, string> {
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
  const block = /^electronFuses:\n((?:[ \t]+.*\n?)+)/m.exec(yml)?.[1] ?? '';
  return new Map([...block.matchAll(/^\s+(\w+):\s*(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
}

/** electron-builder's `--dir` Linux build against an Electron distribution, into `out`. */
function buildUnpacked(electronDist: string, out: string): ReturnType<typeof spawnSync> {
  return spawnSync(join(root, 'node_modules/.bin/electron-builder'), ['--linux', '--dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${out}`], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: 'true' },
  });
}

/** The real Electron binary, where `npm ci` could download it (not on this project's build machines). */
const realElectronDist = join(root, 'node_modules/electron/dist');
const realElectron = existsSync(join(realElectronDist, 'electron'));

describe('packaging', () => {
  let work: string;
  let unpacked: string;
  let asar: string;
  let build: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    if (!existsSync(join(root, 'dist/main/main.cjs'))) throw new Error('run `npm run build` first');
    work = mkdtempSync(join(tmpdir(), 'cardinal-pkg-'));
    // A placeholder Electron: what electron-builder copies and renames; never run.
    const dist = join(work, 'electron-dist');
    mkdirSync(join(dist, 'resources'), { recursive: true });
    mkdirSync(join(dist, 'locales'), { recursive: true });
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\necho "placeholder Electron for the packaging check" >&2\nexit 1\n# ${FUSE_SENTINEL}\x01\x08${ELECTRON_DEFAULT_WIRE}\n`, 'latin1');
    chmodSync(join(dist, 'electron'), 0o755);
    writeFileSync(join(dist, 'version'), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron);
    writeFileSync(join(dist, 'LICENSE'), '');
    writeFileSync(join(dist, 'LICENSES.chromium.html'), '');
    const out = join(work, 'release');
    build = buildUnpacked(dist, out);
    unpacked = join(out, 'linux-unpacked');
    asar = join(unpacked, 'resources', 'app.asar');
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('electron-builder accepts the configuration and builds the unpacked layout', () => {
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
    expect(existsSync(join(unpacked, 'cardinal'))).toBe(true); // the executable, named for Linux
    expect(existsSync(asar)).toBe(true);
  });

  it('app.asar holds the main, preload and renderer bundles and package.json, nothing else', () => {
    // Entries with an extension are files; the rest are their folders.
    const files = listPackage(asar, { isPack: false }).filter((p) => /\.[a-z0-9]+$/i.test(p));
    const allowed = [/^\/dist\/main\/[\w.-]+\.cjs$/, /^\/dist\/preload\/preload\.cjs$/, /^\/dist\/renderer\/index\.html$/, /^\/dist\/renderer\/favicon\.svg$/, /^\/dist\/renderer\/assets\/[\w.-]+\.(js|css|woff2|svg|png)$/, /^\/package\.json$/];
    expect(files.filter((f) => !allowed.some((a) => a.test(f)))).toEqual([]);
    for (const needed of ['/dist/main/main.cjs', '/dist/main/dav-reader.cjs', '/dist/preload/preload.cjs', '/dist/renderer/index.html']) expect(files).toContain(needed);
    expect(files.some((f) => /\.map$|\.ts$|node_modules|\/tests?\//.test(f))).toBe(false);
  });

  it(`app.asar stays within ${BUDGET_BYTES / 1024 / 1024} MB`, () => {
    expect(statSync(asar).size).toBeLessThan(BUDGET_BYTES);
  });

  it('the packaged index.html carries the Content-Security-Policy', () => {
    const html = extractFile(asar, 'dist/renderer/index.html').toString('utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    // The same policy the shell sends as a header, less frame-ancestors (which a meta tag cannot carry).
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace(/; frame-ancestors [^;]+/, ''));
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  });

  it('electron-builder.yml sets the fuses: RunAsNode, NODE_OPTIONS and --inspect off; only app.asar, its integrity checked; cookies encrypted', () => {
    const configured = configuredFuses();
    for (const [, state, key] of WANTED_FUSES) expect(configured.get(key), key).toBe(state === 'on' ? 'true' : 'false');
  });

  it('the packaged binary’s fuse wire is flipped as configured (the placeholder’s wire, flipped by electron-builder)', async () => {
    const fuses = await fusesOf(join(unpacked, 'cardinal'));
    for (const [option, state] of WANTED_FUSES) expect(fuses.get(option), FuseV1Options[option]).toBe(state);
  });

  // The real binary cannot be downloaded on this project's build machines (ELECTRON_SKIP_BINARY_DOWNLOAD);
  // where `npm ci` installed it, the same build runs against it and its own wire is read.
  it.skipIf(!realElectron)('the real Electron binary’s fuse wire, after packaging, is flipped as configured', async () => {
    const out = join(work, 'release-real');
    const real = buildUnpacked(realElectronDist, out);
    expect(real.status, `${real.stdout}${real.stderr}`).toBe(0);
    const fuses = await fusesOf(join(out, 'linux-unpacked', 'cardinal'));
    for (const [option, state] of WANTED_FUSES) expect(fuses.get(option), FuseV1Options[option]).toBe(state);
  }, 300_000);

  it('the packaged package.json points Electron at the main bundle', () => {
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; name: string };
    expect(pkg.main).toBe('dist/main/main.cjs');
  });
});
