/**
 * The packaging check: electron-builder validates electron-builder.yml and builds the unpacked
 * Linux layout (`--dir`) against a placeholder Electron distribution (`electronDist`), since the
 * Electron binary cannot be downloaded here; then app.asar is listed: the main, preload and
 * renderer bundles and package.json, nothing else (no sources, tests, maps or node_modules), within
 * a size budget. Needs `npm run build` first (npm test runs it before this project).
 */
import { listPackage, extractFile } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/csp';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BUDGET_BYTES = 5 * 1024 * 1024;

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
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho "placeholder Electron for the packaging check" >&2\nexit 1\n');
    chmodSync(join(dist, 'electron'), 0o755);
    writeFileSync(join(dist, 'version'), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.electron);
    writeFileSync(join(dist, 'LICENSE'), '');
    writeFileSync(join(dist, 'LICENSES.chromium.html'), '');
    const out = join(work, 'release');
    build = spawnSync(join(root, 'node_modules/.bin/electron-builder'), ['--linux', '--dir', '--publish', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${out}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: 'true' },
    });
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
    for (const needed of ['/dist/main/main.cjs', '/dist/preload/preload.cjs', '/dist/renderer/index.html']) expect(files).toContain(needed);
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

  it('the packaged package.json points Electron at the main bundle', () => {
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main: string; name: string };
    expect(pkg.main).toBe('dist/main/main.cjs');
  });
});
