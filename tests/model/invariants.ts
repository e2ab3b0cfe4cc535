/**
 * A quiescent point: no more faults, the app syncs (as the user would press Sync, sign in again
 * when asked, answer a mass removal it asks about with "Remove them" or "Keep them", wait out a
 * Retry-After) until nothing waits to go, and then the invariants hold:
 *
 * - every acknowledged edit is on both sides, or in an open conflict the user can see (the card
 *   marked, this computer's write in it, the other client's on the server); the user then settles
 *   each conflict, and after one more sync both sides agree;
 * - no contact exists twice on either side;
 * - both sides are equal (every e-mail address of a card, not only the first), and nothing stays
 *   pending;
 * - what an action left to check here holds (a merged card keeps every address of both cards);
 * - the links the user made are shown as made, and this computer's cards stay on this computer;
 * - the status tells the truth: idle only with nothing left to send, "restored" only for contacts
 *   deleted here that came back.
 */
import type { RowView } from '../integration/local-books';
import { cardOf, emailsOf, FIELDS, type Card } from './cards';
import { checkRestored, type Context } from './actions';
import { checkLinks } from './links';
import type { ModelContact } from './model';
import type { Rng } from './rng';

export class Violation extends Error {
  override name = 'Violation';
}

/**
 * The user answers a mass removal: "Remove them", or "Keep them", which keeps the contacts the
 * server no longer has here and puts them back there. In the model a kept contact is the user's
 * new card with the values it had here (as a restore from the trash is), so it must exist on
 * both sides afterwards.
 */
async function answerRemoval(ctx: Context, rng: Rng, notes: string[]): Promise<void> {
  const { world, model } = ctx;
  if (rng.chance(0.5)) {
    await world.run(null, (m) => m.confirmDeletions(world.account.id));
    return;
  }
  // What the run would remove: clean contacts here whose card the server no longer has.
  const there = new Set((await world.remote.list()).map((s) => s.card.fn));
  const before = (await world.local.rows()).filter((r) => r.visible && r.pending === '' && model.contacts.has(cardOf(r.vcard).fn) && !there.has(cardOf(r.vcard).fn));
  await world.run(null, (m) => m.keepRemoved(world.account.id));
  // Kept once the run got that far: waiting to go back up, or back on the server already.
  const after = new Map((await world.local.rows()).map((r) => [r.id, r]));
  const thereNow = new Set((await world.remote.list()).map((s) => s.card.fn));
  for (const r of before) {
    const now = after.get(r.id);
    const fn = cardOf(r.vcard).fn;
    if (now === undefined || !now.visible || (now.pending === '' && !thereNow.has(fn))) continue;
    const kept = cardOf(now.vcard);
    model.wrote('local', fn, 'create');
    for (const f of FIELDS) model.wrote('local', fn, 'edit', f, kept[f]);
  }
  notes.push(`kept ${before.length} the server no longer had`);
}

/** Sync until nothing is left to do (a bounded number of rounds). */
async function settle(ctx: Context, rng: Rng): Promise<string[]> {
  const { world } = ctx;
  const notes: string[] = [];
  await world.wait(0);
  for (let round = 0; round < 8; round++) {
    const status = await world.run(null, (m) => m.syncNow(world.account.id));
    await checkRestored(ctx, status);
    if (status === null) continue;
    if (status.action === 'sign-in') {
      await world.signInAgain();
      continue;
    }
    if (status.phase === 'confirm') {
      await answerRemoval(ctx, rng, notes);
      continue;
    }
    if (status.phase !== 'idle') {
      notes.push(`round ${round}: ${status.phase} ${status.code ?? ''} ${status.message}`);
      // Wait out the server's Retry-After (or the backoff) on the scheduler's clock.
      await world.wait(((status.retryIn ?? 0) + 1) * 1000);
      continue;
    }
    const waiting = (await world.local.rows()).filter((r) => r.pending !== '' && r.conflicts === undefined);
    if (waiting.length === 0) return notes;
    notes.push(`round ${round}: idle with ${waiting.length} waiting`);
  }
  return notes;
}

const byName = <T>(items: readonly T[], name: (t: T) => string) => {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(name(i), [...(out.get(name(i)) ?? []), i]);
  return out;
};

/** The values of `property` a conflict showed as this computer's side (`EMAIL;TYPE=x:v` → `v`). */
function shownHere(conflicts: NonNullable<RowView['conflicts']>, property: string): string[] {
  return conflicts.filter((x) => x.property === property).flatMap((x) => (x.local ?? []).map((line) => line.slice(line.indexOf(':') + 1)));
}

export async function quiesce(ctx: Context, rng: Rng): Promise<void> {
  const { world, model } = ctx;
  const problems: string[] = ctx.problems.splice(0);
  const notes = await settle(ctx, rng);

  // Open conflicts: visible, each side's write where it belongs; then the user settles them (a
  // round may bring new ones: other writes were waiting behind them).
  for (let round = 0; round < 3; round++) {
    const conflicted = (await world.local.rows()).filter((r) => r.conflicts !== undefined);
    if (conflicted.length === 0) break;
    const serverByName = byName(await world.remote.list(), (s) => s.card.fn);
    for (const row of conflicted) problems.push(...checkConflict(ctx, row, serverByName.get(cardOf(row.vcard).fn)?.[0]?.card));
    for (const row of conflicted) {
      const choice = rng.pick(['local', 'remote'] as const);
      const before = cardOf(row.vcard);
      if (process.env.CARDINAL_MODEL_DEBUG) console.log(`  [resolve ${choice}] ${JSON.stringify(row.conflicts)} in ${JSON.stringify(row.vcard)}`);
      await world.local.resolve(row.id, choice);
      const settledText = ((await world.local.row(row.id)) as RowView).vcard;
      const settled = cardOf(settledText);
      // Keeping this computer's value is a write of it; taking the server's adopts the server's
      // (or a newer one there, if another client wrote again meanwhile).
      for (const f of FIELDS) {
        if (!row.conflicts!.some((x) => x.property === (f === 'email' ? 'EMAIL' : 'NOTE'))) continue;
        const w = model.wrote('local', before.fn, 'edit', f, settled[f]);
        w.adopts = choice === 'remote';
        w.settles = true;
        if (f === 'email' && choice === 'remote') w.discards = shownHere(row.conflicts!, 'EMAIL').filter((e) => !emailsOf(settledText).includes(e));
      }
      world.manager.localChanged(world.bookId);
    }
    notes.push(...(await settle(ctx, rng)));
  }

  // Both sides, as they are now.
  const finalRows = await world.local.rows();
  const visible = finalRows.filter((r) => r.visible);
  const hidden = finalRows.filter((r) => !r.visible);
  const finalServer = await world.remote.list();
  const localBy = byName(visible, (r) => cardOf(r.vcard).fn);
  const serverBy = byName(finalServer, (s) => s.card.fn);
  for (const r of hidden) problems.push(`${cardOf(r.vcard).fn}: still waiting to be deleted on the server (${r.pending})`);
  for (const r of finalRows) if (r.pending !== '' && r.visible) problems.push(`${cardOf(r.vcard).fn}: still pending (${r.pending}${r.error !== undefined ? `, refused: ${r.error}` : ''}${r.conflicts !== undefined ? ', in conflict' : ''})`);
  for (const [fn, list] of localBy) if (list.length > 1) problems.push(`${fn}: ${list.length} times on this computer`);
  for (const [fn, list] of serverBy) if (list.length > 1) problems.push(`${fn}: ${list.length} times on the server`);
  for (const fn of new Set([...localBy.keys(), ...serverBy.keys()])) if (!model.contacts.has(fn)) problems.push(`${fn}: a contact nobody made`);
  for (const check of ctx.checks.splice(0)) problems.push(...check.run({ here: localBy, there: serverBy }));
  // The links the user made are as made (links.ts): none of the above counts this computer's own
  // book, whose cards a link joins to the synced book's, so a link changes nothing expected here.
  problems.push(...(await checkLinks(world, ctx.links, 'a quiescent point')));

  const held = new Map<string, Card | null>();
  for (const c of model.contacts.values()) {
    const here = localBy.get(c.fn)?.[0];
    const there = serverBy.get(c.fn)?.[0];
    const e = model.expectation(c);
    const history = describe(c);
    if ((here === undefined) !== (there === undefined)) problems.push(`${c.fn}: ${here === undefined ? 'only on the server' : 'only on this computer'} (${history})`);
    const exists = here !== undefined || there !== undefined;
    if (exists && !e.mayExist) problems.push(`${c.fn}: exists, but was deleted (${history})`);
    if (!exists && !e.mayBeGone) problems.push(`${c.fn}: lost (${history})`);
    const mine = here === undefined ? null : cardOf(here.vcard);
    const theirs = there?.card ?? null;
    if (mine !== null && theirs !== null) {
      for (const f of FIELDS) {
        if (mine[f] !== theirs[f]) problems.push(`${c.fn}: ${f} is "${mine[f]}" here and "${theirs[f]}" on the server (${history})`);
        else if (!e.values[f].includes(mine[f])) problems.push(`${c.fn}: ${f} is "${mine[f]}", expected one of ${JSON.stringify(e.values[f])} (${history})`);
      }
      const [hereAll, thereAll] = [emailsOf(here!.vcard), there!.emails].map((l) => [...l].sort().join(', '));
      if (hereAll !== thereAll) problems.push(`${c.fn}: e-mail addresses "${hereAll}" here and "${thereAll}" on the server (${history})`);
    }
    held.set(c.fn, mine ?? theirs);
  }

  // The status tells the truth (restored contacts are checked after every run, `checkRestored`).
  const last = world.manager.statuses()[0];
  if (last !== undefined && last.phase === 'idle' && finalRows.some((r) => r.pending !== '' && r.conflicts === undefined)) problems.push(`the status says synced with work left`);

  if (problems.length > 0) throw new Violation([...problems, ...(notes.length > 0 ? [`(while settling: ${notes.join('; ')})`] : [])].join('\n'));
  for (const [fn, card] of held) model.agree(fn, card);
}

/** An open conflict: visible, this computer's last write in the card, the other client's on the server. */
function checkConflict(ctx: Context, row: RowView, there: Card | undefined): string[] {
  const problems: string[] = [];
  const local = cardOf(row.vcard);
  const c = ctx.model.contacts.get(local.fn);
  if (!row.visible) problems.push(`${local.fn}: a conflict the user cannot see`);
  if (c === undefined) return problems;
  const e = ctx.model.expectation(c);
  for (const conflict of row.conflicts!) {
    const field = conflict.property === 'EMAIL' ? 'email' : conflict.property === 'NOTE' ? 'note' : null;
    if (field === null) {
      problems.push(`${local.fn}: a conflict on ${conflict.property}, which neither side writes`);
      continue;
    }
    const last = e.lastBy[field];
    // A merge or a restored version that changed the card's other addresses wrote its EMAIL lines
    // here, and which of them comes first in a conflict is the three-way merge's (seed 1).
    if ((last.local === undefined && last.linesHere !== true) || last.remote === undefined) problems.push(`${local.fn}: a conflict on ${field} that only one side wrote (${JSON.stringify(last)}; ${describe(c)})`);
    if (last.local !== undefined && last.linesHere !== true && local[field] !== last.local) problems.push(`${local.fn}: the conflict keeps ${field} "${local[field]}" here, not the last write here "${last.local}" (${describe(c)})`);
    if (there !== undefined && last.remote !== undefined && there[field] !== last.remote && !c.writes.some((w) => w.exposed === true))
      problems.push(`${local.fn}: the server holds ${field} "${there[field]}" in a conflict, not the other client's last write "${last.remote}" (${describe(c)})`);
  }
  return problems;
}

function describe(c: ModelContact): string {
  const w = c.writes.map((x) => `${x.side} ${x.kind}${x.field !== undefined ? ` ${x.field}=${x.value}` : ''}${x.exposed === true ? ' (exposed)' : ''}`);
  return `agreed ${c.agreed.exists ? `${c.agreed.email}/${c.agreed.note}` : 'none'}; ${w.length > 0 ? w.join(', ') : 'no writes'}`;
}
