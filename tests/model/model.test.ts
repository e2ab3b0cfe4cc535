/**
 * The bounded slice of the model-based tester that `npm test` runs: on each kind of server, fixed
 * seeds (CARDINAL_MODEL_SEED moves them) until the steps are done; at least 2,000 steps in all. A
 * violation fails with its seed and the shrunk sequence, which `npm run test:model -- --replay`
 * runs again. Long runs: `npm run test:model -- --steps 100000`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serverPool } from './pool';
import { explore, KIND_NAMES, runSequence, type KindName, type Sequence } from './runner';

const STEPS_PER_KIND = Number(process.env.CARDINAL_MODEL_STEPS ?? '360');
const SEED = Number(process.env.CARDINAL_MODEL_SEED ?? '13000');

describe('the model-based tester (a bounded slice)', () => {
  const pools: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const p of pools) await p.stop();
  });

  for (const [i, kind] of KIND_NAMES.entries()) {
    it(`${STEPS_PER_KIND} steps on ${kind}: nothing lost, nothing twice, both sides equal, the status true`, async () => {
      const pool = serverPool([kind]);
      pools.push(pool);
      const lines: string[] = [];
      const figures = await explore({ seed: SEED + i * 1000, steps: STEPS_PER_KIND, length: 30, pool, stopAtFirst: true, shrinkBudget: 60, log: (l) => lines.push(l) });
      const failure = figures.failures[0];
      expect(failure === undefined ? '' : `seed ${failure.seed}: ${failure.message}\nreplay: npm run test:model -- --replay '${JSON.stringify(failure.sequence)}'`).toBe('');
      expect(figures.steps).toBeGreaterThanOrEqual(STEPS_PER_KIND);
      console.log(`model ${kind}: ${figures.steps} steps, ${figures.sequences} sequences, ${figures.violations} violations, ${(figures.ms / 1000).toFixed(1)} s`);
    });
  }
});

/** Every shrunk sequence a long run found, once fixed, replays clean from then on. */
describe('the counterexamples the tester found replay clean', () => {
  const dir = fileURLToPath(new URL('./counterexamples/', import.meta.url));
  const pools = new Map<KindName, { stop(): Promise<void> }>();
  afterAll(async () => {
    for (const p of pools.values()) await p.stop();
  });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const seq = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Sequence;
    const kind = (seq.kind.kind === 'carddav' ? seq.kind.server : seq.kind.kind) as KindName;
    it(`seed ${seq.seed} on ${kind}`, async () => {
      const pool = pools.get(kind) ?? serverPool([kind]);
      pools.set(kind, pool);
      const o = await runSequence(seq, pool as ReturnType<typeof serverPool>);
      expect(o.failure?.message ?? '').toBe('');
    });
  }
});
