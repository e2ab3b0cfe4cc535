/**
 * `npm run test:model -- [--steps N] [--seed S] [--length L] [--kinds radicale,xandikos,sabredav,davical,google,workspace] [--replay FILE|JSON] [--keep-going]`
 *
 * Runs sequences from seed S on until N steps have run and prints the figures (steps, sequences,
 * invariant violations, wall time, steps per server kind). A violation prints its seed and the
 * shrunk sequence, written to test-results/model-failure-<seed>.json; `--replay` runs that file
 * (or a sequence given as JSON) again.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { serverPool } from './pool';
import { explore, KIND_NAMES, runSequence, type KindName, type Sequence } from './runner';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const kinds = (option('kinds')?.split(',') as KindName[] | undefined) ?? [...KIND_NAMES];
const pool = serverPool(kinds);

async function main(): Promise<number> {
  const replay = option('replay');
  if (replay !== undefined) {
    const seq = JSON.parse(existsSync(replay) ? readFileSync(replay, 'utf8') : replay) as Sequence;
    const o = await runSequence(seq, pool);
    console.log(o.failure === null ? `replayed ${o.steps} steps: no violation` : `violation at command ${o.failure.at}:\n${o.failure.message}`);
    return o.failure === null ? 0 : 1;
  }
  const steps = Number(option('steps') ?? '2000');
  const seed = Number(option('seed') ?? String(Date.now() % 1_000_000));
  const length = Number(option('length') ?? '30');
  console.log(`model-based tester: ${steps} steps from seed ${seed}, sequences of ${length}, servers ${kinds.join(', ')}`);
  const figures = await explore({ seed, steps, length, pool, stopAtFirst: !flag('keep-going'), log: (l) => console.log(l) });
  for (const f of figures.failures) {
    mkdirSync('test-results', { recursive: true });
    const file = `test-results/model-failure-${f.seed}.json`;
    writeFileSync(file, JSON.stringify(f.sequence, null, 1));
    console.log(`replay with: npm run test:model -- --replay ${file}`);
  }
  console.log(
    `steps ${figures.steps}, sequences ${figures.sequences}, invariant violations ${figures.violations}, wall time ${(figures.ms / 1000).toFixed(1)} s; steps by server: ${Object.entries(figures.byKind)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  return figures.violations === 0 ? 0 : 1;
}

main()
  .then(async (code) => {
    await pool.stop();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    console.error(e);
    await pool.stop();
    process.exit(2);
  });
