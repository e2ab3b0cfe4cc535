#!/usr/bin/env node
// `npm test`: typecheck, lint, unit, integration, the model-based tester's slice, build, packaging,
// end-to-end, in that order, then one summary.
// Every step runs even when an earlier one failed, so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prepareTestEnvironment } from './prepare-test-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const reports = `${root}test-results/reports`;
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

prepareTestEnvironment();

const bin = (name) => `${root}node_modules/.bin/${name}`;
const vitestCounts = (file) => {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
};
const playwrightCounts = (file) => {
  if (!existsSync(file)) return null;
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
};

const steps = [
  { name: 'typecheck', cmd: ['npm', ['run', '--silent', 'typecheck']] },
  { name: 'lint', cmd: ['npm', ['run', '--silent', 'lint']] },
  { name: 'unit', cmd: [bin('vitest'), ['run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile=${reports}/unit.json`]], counts: () => vitestCounts(`${reports}/unit.json`) },
  {
    name: 'integration',
    cmd: [bin('vitest'), ['run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile=${reports}/integration.json`]],
    counts: () => vitestCounts(`${reports}/integration.json`),
  },
  {
    name: 'model',
    cmd: [bin('vitest'), ['run', '--project', 'model', '--reporter=default', '--reporter=json', `--outputFile=${reports}/model.json`]],
    counts: () => vitestCounts(`${reports}/model.json`),
  },
  { name: 'build', cmd: [process.execPath, ['scripts/build.mjs']] },
  {
    name: 'packaging',
    cmd: [bin('vitest'), ['run', '--project', 'packaging', '--reporter=default', '--reporter=json', `--outputFile=${reports}/packaging.json`]],
    counts: () => vitestCounts(`${reports}/packaging.json`),
  },
  {
    name: 'e2e',
    cmd: [bin('playwright'), ['test', '-c', 'tests/e2e/playwright.config.ts', '--reporter=list,json']],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/e2e.json` },
    counts: () => playwrightCounts(`${reports}/e2e.json`),
  },
];

const results = [];
for (const step of steps) {
  console.log(`\n━━ ${step.name} ━━`);
  const started = Date.now();
  const run = spawnSync(step.cmd[0], step.cmd[1], { cwd: root, stdio: 'inherit', env: { ...process.env, ...step.env } });
  results.push({ name: step.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000, counts: step.counts?.() ?? null });
}

console.log('\n━━ summary ━━');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const r of results) {
  const c = r.counts;
  if (c) for (const k of Object.keys(total)) total[k] += c[k];
  const detail = c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : '';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(12)} ${r.seconds.toFixed(1).padStart(6)} s  ${detail}`);
}
const failedSteps = results.filter((r) => !r.ok).length;
if (failedSteps > 0) total.failed = Math.max(total.failed, failedSteps);
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedSteps === 0 ? 0 : 1);
