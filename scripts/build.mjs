#!/usr/bin/env node
// One Vite setup builds every part: the renderer (browser page), the Electron main process and
// preload (CommonJS for Node/Electron; the sandboxed preload cannot be ESM), and the harness bridge.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const external = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const quiet = { logLevel: 'warn', configFile: false, root };

/** The answer reader's worker (`electron/dav/reader-worker.ts`) as `dav-reader.cjs` in `outDir`, after that dir's own build. */
function readerConfig(outDir) {
  return {
    ...quiet,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'node20',
      ssr: true,
      sourcemap: true,
      lib: { entry: `${root}/electron/dav/reader-worker.ts`, formats: ['cjs'] },
      rollupOptions: { external, output: { entryFileNames: 'dav-reader.cjs' } },
    },
    ssr: { noExternal: true },
  };
}

export const configs = {
  renderer: {
    ...quiet,
    root: `${root}/renderer`,
    base: './',
    build: {
      outDir: `${root}/dist/renderer`,
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: true,
      // A profiled bench run (CARDINAL_BENCH_PROFILE) reads better with the functions' own names.
      ...(process.env.CARDINAL_BENCH_PROFILE ? { minify: false } : {}),
      modulePreload: { polyfill: false },
      // A desktop page read from disk: one chunk is fine.
      chunkSizeWarningLimit: 1024,
      // lucide-react marks its modules "use client" (for React Server Components): meaningless in a bundle.
      rollupOptions: { onwarn: (w, warn) => (w.code === 'MODULE_LEVEL_DIRECTIVE' ? undefined : warn(w)) },
    },
  },
  main: {
    ...quiet,
    build: {
      outDir: `${root}/dist/main`,
      emptyOutDir: true,
      target: 'node20',
      ssr: true,
      sourcemap: true,
      lib: { entry: `${root}/electron/main/main.ts`, formats: ['cjs'], fileName: () => 'main.cjs' },
      rollupOptions: { external },
    },
    ssr: { noExternal: true },
  },
  // The answer reader's worker thread (electron/dav/reader-pool.ts), beside the main bundle that starts it.
  mainReader: readerConfig(`${root}/dist/main`),
  preload: {
    ...quiet,
    build: {
      outDir: `${root}/dist/preload`,
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: true,
      lib: { entry: `${root}/electron/preload/index.ts`, formats: ['cjs'], fileName: () => 'preload.cjs' },
      rollupOptions: { external: ['electron'] },
    },
  },
  bridge: {
    ...quiet,
    build: {
      outDir: `${root}/dist/harness`,
      emptyOutDir: true,
      target: 'chrome120',
      lib: { entry: `${root}/tests/harness/bridge.ts`, formats: ['iife'], name: 'CardinalBridge', fileName: () => 'bridge.js' },
    },
  },
  // Benchmarks run on bundled code, as the app does (not through a TS loader that adds helpers).
  bench: {
    ...quiet,
    build: {
      outDir: `${root}/dist/bench`,
      emptyOutDir: true,
      target: 'node20',
      ssr: true,
      minify: false,
      lib: { entry: process.env.BENCH_ENTRY ?? `${root}/tests/bench/run.ts`, formats: ['es'], fileName: () => 'run.mjs' },
      rollupOptions: { external: [...external, '@playwright/test', 'playwright-core', 'playwright'], output: { entryFileNames: 'run.mjs' } },
    },
    ssr: { noExternal: true },
  },
  // The bench's host runs the main process's code from dist/bench: its reader thread beside it.
  benchReader: readerConfig(`${root}/dist/bench`),
};

const DEFAULT = ['renderer', 'main', 'preload', 'bridge'];
/** Built with the part they go with (and after it: its build empties the directory first). */
const WITH = { mainReader: 'main', benchReader: 'bench' };
const only = process.argv.slice(2);
const wanted = (name) => (only.length > 0 ? only.includes(name) : DEFAULT.includes(name));
for (const [name, config] of Object.entries(configs)) {
  if (!wanted(WITH[name] ?? name)) continue;
  await build(config);
}
console.log(`built ${(only.length > 0 ? only : DEFAULT).join(', ')} into dist/`);
