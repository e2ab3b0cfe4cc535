/**
 * Sequences: drawn from a seed (the server kind, with Google's quirks on or off, and the
 * commands), run against a fresh world, checked at every quiescent point and at the end. A failing
 * sequence is shrunk (commands, then what a sync does at its boundaries, are taken out while it
 * still fails) and reported with its seed and the shrunk sequence as JSON, which replays.
 */
import type { GoogleQuirks } from '../servers/fake-google';
import type { ServerName, TestServer } from '../servers/servers';
import { generateCommand, runCommand, stepsOf, type Command, type Context, type Interjection } from './actions';
import { quiesce, Violation } from './invariants';
import { LinkModel } from './links';
import { Model } from './model';
import { Rng } from './rng';
import { World, type ServerKind } from './world';

export interface Sequence {
  readonly seed: number;
  readonly kind: ServerKind;
  readonly commands: readonly Command[];
}

export interface Outcome {
  readonly steps: number;
  /** The violation, with the index of the command that found it. */
  readonly failure: { readonly at: number; readonly message: string } | null;
}

/** The kinds of server: the four real ones, and the fake Google's CardDAV and Workspace feed. */
export type KindName = ServerName | 'google' | 'workspace';
export const KIND_NAMES: readonly KindName[] = ['radicale', 'xandikos', 'sabredav', 'davical', 'google', 'workspace'];

/** Which kinds of server a run may use, and the real servers it started. */
export interface Pool {
  readonly kinds: readonly KindName[];
  get(name: ServerName): Promise<TestServer>;
}

const BOOLEAN_QUIRKS = ['ifMatchIgnored', 'emptyTokenRejected', 'depth0NoChanges', 'replaceUid', 'relocatePut', 'rewrite', 'unknownDeletions', 'principalFails'] as const;

function drawKind(rng: Rng, pool: Pool): ServerKind {
  // The fakes are cheap and have many switches: drawn more often.
  const k = rng.weighted(pool.kinds.map((n) => [n, n === 'google' ? 2 : n === 'workspace' ? 1.5 : 1] as const));
  if (k !== 'google' && k !== 'workspace') return { kind: 'carddav', server: k as ServerName };
  const quirks: Partial<Record<keyof GoogleQuirks, unknown>> = {};
  for (const q of BOOLEAN_QUIRKS) quirks[q] = rng.chance(0.5);
  quirks.expiredTokenStatus = rng.pick([400, 403, 409, 410, 412]);
  if (k === 'workspace') quirks.batchRefused = rng.pick([null, null, 400, 404, 501]);
  return { kind: k, quirks: quirks as Partial<GoogleQuirks> };
}

/** A sequence from a seed: its server kind and `length` commands, ending at a quiescent point. */
export function drawSequence(seed: number, length: number, pool: Pool): Sequence {
  const rng = new Rng(seed);
  const kind = drawKind(rng, pool);
  const commands: Command[] = [];
  while (commands.length < length - 1) commands.push(generateCommand(rng, kind));
  commands.push({ do: 'quiesce' });
  return { seed, kind, commands };
}

let worlds = 0;

/** Run one sequence in a fresh world; the first violation stops it. */
export async function runSequence(seq: Sequence, pool: Pool): Promise<Outcome> {
  const world = await World.open(seq.kind, (name) => pool.get(name), `model-${process.pid}-${++worlds}`);
  const model = new Model();
  const rng = new Rng(seq.seed ^ 0x5eed);
  const ctx: Context = { world, model, undo: null, quiesce: async () => {}, problems: [], checks: [], links: new LinkModel() };
  ctx.quiesce = () => quiesce(ctx, rng);
  let steps = 0;
  try {
    for (const [i, command] of seq.commands.entries()) {
      try {
        await runCommand(ctx, command);
      } catch (e) {
        return { steps, failure: { at: i, message: e instanceof Violation ? e.message : `${(e as Error).stack ?? String(e)}` } };
      }
      steps += stepsOf(command);
    }
    return { steps, failure: null };
  } finally {
    await world.close();
  }
}

/** Smaller variants of a sequence: chunks of commands out, then single ones, then boundary acts. */
function* smaller(seq: Sequence): Generator<Sequence> {
  const cmds = seq.commands;
  for (let size = Math.max(1, Math.floor(cmds.length / 2)); size >= 1; size = Math.floor(size / 2)) {
    for (let i = 0; i + size <= cmds.length - 1; i += size) yield { ...seq, commands: [...cmds.slice(0, i), ...cmds.slice(i + size)] };
    if (size === 1) break;
  }
  for (const [i, c] of cmds.entries()) {
    if (c.do !== 'sync') continue;
    for (const j of c.during.keys()) {
      const during: Interjection[] = c.during.filter((_, k) => k !== j);
      yield { ...seq, commands: [...cmds.slice(0, i), { do: 'sync', during }, ...cmds.slice(i + 1)] };
    }
  }
}

/** Shrink a failing sequence: keep any smaller one that still fails, until none does (bounded). */
export async function shrink(seq: Sequence, pool: Pool, log: (line: string) => void, budget = 200): Promise<{ sequence: Sequence; message: string }> {
  let best = seq;
  let message = (await runSequence(seq, pool)).failure?.message ?? '';
  for (let tries = 0; tries < budget; ) {
    let improved = false;
    for (const candidate of smaller(best)) {
      if (++tries > budget) break;
      const o = await runSequence(candidate, pool);
      if (o.failure !== null) {
        best = { ...candidate, commands: candidate.commands.slice(0, o.failure.at + 1) };
        message = o.failure.message;
        log(`  shrunk to ${best.commands.length} commands`);
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return { sequence: best, message };
}

export interface RunFigures {
  steps: number;
  sequences: number;
  violations: number;
  ms: number;
  byKind: Record<string, number>;
  failures: { seed: number; message: string; sequence: Sequence }[];
}

/** Sequences from `seed` on until `steps` steps have run (or a sequence fails, if `stopAtFirst`). */
export async function explore(opts: { seed: number; steps: number; length: number; pool: Pool; stopAtFirst: boolean; shrinkBudget?: number; log: (line: string) => void }): Promise<RunFigures> {
  const started = Date.now();
  const figures: RunFigures = { steps: 0, sequences: 0, violations: 0, ms: 0, byKind: {}, failures: [] };
  for (let seed = opts.seed; figures.steps < opts.steps; seed++) {
    const seq = drawSequence(seed, opts.length, opts.pool);
    const o = await runSequence(seq, opts.pool);
    figures.steps += o.steps;
    figures.sequences++;
    const kind = seq.kind.kind === 'carddav' ? seq.kind.server : seq.kind.kind;
    figures.byKind[kind] = (figures.byKind[kind] ?? 0) + o.steps;
    if (o.failure !== null) {
      figures.violations++;
      opts.log(`seed ${seed} (${kind}): violation at command ${o.failure.at}:\n${o.failure.message}`);
      const shrunk = await shrink({ ...seq, commands: seq.commands.slice(0, o.failure.at + 1) }, opts.pool, opts.log, opts.shrinkBudget);
      figures.failures.push({ seed, message: shrunk.message, sequence: shrunk.sequence });
      opts.log(`shrunk (seed ${seed}): ${JSON.stringify(shrunk.sequence)}\n${shrunk.message}`);
      if (opts.stopAtFirst) break;
    }
    if (figures.sequences % 25 === 0) opts.log(`${figures.sequences} sequences, ${figures.steps} steps, ${figures.violations} violations, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  figures.ms = Date.now() - started;
  return figures;
}
