/**
 * The tester's actions: what the user does (create, edit, delete, undo), what another client
 * does on the server, a sync with acts at its boundaries (saves, other clients' writes, faults
 * before or after the server acted, the app killed), the scheduler's own time, clocks that jump 30
 * days, expired tokens, revoked grants, invalidated sync tokens, restarts, and quiescent points.
 *
 * The page's own safety nets run through the page's real code: a merge of two contacts as the
 * review screen writes it with its default choices (`writeMerge`), a restore from the trash and a
 * restore of an older version from a contact's history (`features/history/actions.ts`). In the
 * model each is what it writes: a merge is an edit of the card that stays and a deletion of the
 * other, a restore from the trash is the undo of the deletion (or, once the card is gone from the
 * store, a new contact with the trashed card's values), a restored version is an edit to its
 * values. A merge leaves a check for the next quiescent point: the merged card holds every e-mail
 * of both, here and on the server.
 *
 * Linked contacts too (`links.ts`), through the page's code: `local-link` links a contact of the
 * synced book with a card of this computer's book (a copy of its values with a UID of its own,
 * made through the repo, or one made before) as the review screen's Link does, `local-unlink` as
 * the linked view's Unlink, `local-favorite` stars or unstars a linked contact (every card), and
 * `local-delete-linked` deletes the cards DeleteLinkedDialog has ticked (all, the synced book's,
 * or this computer's) with Delete's own `deleteContacts`. A merge of a linked card carries its
 * link over to the card that stays, as the review screen does. In the model a link is nothing (it
 * writes no card); a deleted synced card is a deletion. Each of them but the deletion of a synced
 * card must leave the sync and the server alone (`untouched`).
 *
 * A command is plain JSON (a sequence replays from its JSON), and names its contact by a number
 * resolved when it runs, so a shrunk sequence is still a valid one. New actions are new entries in
 * `ACTIONS` with a generator and a run; the model and the invariants stay as they are.
 */
// Before Dexie loads (the page's code below imports it): the store runs on fake-indexeddb.
import 'fake-indexeddb/auto';
import { deleteContacts, toggleFavorite } from '../../renderer/src/actions';
import { LOCAL_BOOK_ID } from '../../renderer/src/db/schema';
import { writeMerge } from '../../renderer/src/features/duplicates/merge';
import { chooseSurvivor } from '../../renderer/src/features/duplicates/review-view';
import { restoreFromTrash, restoreVersion, undoRun } from '../../renderer/src/features/history/actions';
import { sameContent } from '../../renderer/src/db/history';
import { translator } from '../../renderer/src/i18n';
import type { Services } from '../../renderer/src/services';
import type { LiveLink } from '../../renderer/src/store/links';
import { useUi } from '../../renderer/src/store/ui';
import { applyMerge, buildReview, defaultChoices } from '../../shared/duplicates/review';
import { parseVCard } from '../../shared/vcard';
import type { RowView } from '../integration/local-books';
import { cardOf, emailsOf, fieldLines, vcardOf, withField, FIELDS, type Card, type Field } from './cards';
import { checkLinks, pageLinks, presentIn, untouched, type LinkModel } from './links';
import type { Model, Write } from './model';
import type { ServerCard } from './remote-sides';
import type { Rng } from './rng';
import type { Boundary, Fault, Kill, ServerKind, World } from './world';

export type Command =
  | { readonly do: 'local-create' }
  | { readonly do: 'local-edit'; readonly pick: number; readonly field: Field }
  | { readonly do: 'local-delete'; readonly pick: number }
  | { readonly do: 'local-undo' }
  | { readonly do: 'local-merge'; readonly pick: number; readonly other: number }
  | { readonly do: 'trash-restore'; readonly pick: number }
  | { readonly do: 'history-restore'; readonly pick: number; readonly version: number }
  | { readonly do: 'undo-run'; readonly pick: number }
  | { readonly do: 'local-link'; readonly pick: number; readonly fresh: boolean; readonly shown: 'synced' | 'here' }
  | { readonly do: 'local-unlink'; readonly pick: number }
  | { readonly do: 'local-favorite'; readonly pick: number }
  | { readonly do: 'local-delete-linked'; readonly pick: number; readonly cards: 'all' | 'synced' | 'here' }
  | { readonly do: 'remote-create' }
  | { readonly do: 'remote-create-few'; readonly count: number }
  | { readonly do: 'remote-edit'; readonly pick: number; readonly field: Field }
  | { readonly do: 'remote-delete'; readonly pick: number }
  | { readonly do: 'sync'; readonly during: readonly Interjection[] }
  | { readonly do: 'wait'; readonly ms: number }
  | { readonly do: 'jump' }
  | { readonly do: 'expire-tokens' }
  | { readonly do: 'revoke-grant' }
  | { readonly do: 'invalidate-token' }
  | { readonly do: 'restart'; readonly what: Kill }
  | { readonly do: 'quiesce' };

/** Something done at one boundary of a sync's run. */
export interface Interjection {
  readonly at: number;
  readonly when: 'before' | 'after';
  readonly act: Extract<Command, { do: `local-${string}` | `remote-${string}` | 'trash-restore' | 'history-restore' | 'undo-run' }> | { readonly do: 'fault'; readonly fault: Fault } | { readonly do: 'kill'; readonly what: Kill };
}

/** Both sides at a quiescent point, once settled: each contact's rows here and cards there, by name. */
export interface Sides {
  readonly here: ReadonlyMap<string, readonly RowView[]>;
  readonly there: ReadonlyMap<string, readonly ServerCard[]>;
}

/** What a command runs with. */
export interface Context {
  readonly world: World;
  readonly model: Model;
  /**
   * The last local deletion, while it can still be undone: its toast lives as long as the page, or
   * until another action's toast (a merge's, a restore's, an undone run's) takes its place.
   */
  /** The toast's Undo; `hereOnly` where it deleted only this computer's card of a linked contact (their ids; nothing the model follows, but they must be back). */
  undo: { fn: string; run: () => Promise<void>; pageLife: number; hereOnly?: readonly string[] } | null;
  /** Quiescent points check the invariants (`invariants.ts`); set by the runner. */
  quiesce: () => Promise<void>;
  /** Found between quiescent points; reported at the next one. */
  problems: string[];
  /** Checked at the next quiescent point on both sides as they are then (a merge's), then dropped. */
  checks: { readonly about: string; run(sides: Sides): string[] }[];
  /** The links the user made, by card id (`links.ts`), checked after each restart and at quiescent points. */
  readonly links: LinkModel;
}

export interface ActionDef<C extends Command = Command> {
  /** How often it is generated, per server kind (0: never there). */
  weight(kind: ServerKind): number;
  generate(rng: Rng, kind: ServerKind): C;
  run(ctx: Context, command: C): Promise<void>;
}

const local = (ctx: Context) => ctx.world.manager.localChanged(ctx.world.bookId);

/** The visible local rows the model knows, by name (the store's order is its random ids': a replay picks the same contact). */
async function localRows(ctx: Context) {
  return byName((await ctx.world.local.rows()).filter((r) => r.visible && ctx.model.contacts.has(nameOf(r.vcard))), (r) => nameOf(r.vcard));
}
const nameOf = (vcard: string) => /^FN:(.*?)\r?$/m.exec(vcard)?.[1] ?? '';
const byName = <T>(items: T[], name: (t: T) => string): T[] => items.sort((x, y) => (name(x) < name(y) ? -1 : name(x) > name(y) ? 1 : 0));

/** The page's services, as the window builds them, over the page's store as it is now. */
const EN = translator('en');
async function services(ctx: Context): Promise<Services> {
  const { repo, index, groups } = ctx.world.local.page();
  return { repo, index, groups, links: await pageLinks(ctx.world), t: EN, lang: 'en' } as unknown as Services;
}

// What the page's delete reads of the document (where the keyboard is): no element has the focus here.
(globalThis as { document?: unknown }).document ??= { activeElement: null, body: {}, getElementById: () => null };

/** The synced book's contacts the model knows that are linked now, each link once, by name. */
async function linkedRows(ctx: Context): Promise<{ row: RowView; link: LiveLink }[]> {
  const links = await pageLinks(ctx.world);
  const seen = new Set<string>();
  const out: { row: RowView; link: LiveLink }[] = [];
  for (const row of await localRows(ctx)) {
    const link = links.linkOf(row.id);
    if (link === null || seen.has(link.id)) continue;
    seen.add(link.id);
    out.push({ row, link });
  }
  return out;
}

/**
 * A card written here by the page (a merge, a restored version), in the model: an edit of each
 * field it changed. A field set back to the value of the card's base (what the server held when
 * last seen) is no change for the sync's three-way merge: the server's value, or another client's
 * newer one there, stands (as when a conflict is settled with the server's value: `adopts`).
 */
function wroteCard(ctx: Context, fn: string, beforeText: string, afterText: string, base: string): void {
  const [before, after] = [cardOf(beforeText), cardOf(afterText)];
  const server = base === '' ? null : cardOf(base);
  for (const f of FIELDS) {
    if (after[f] === before[f]) continue;
    const w = ctx.model.wrote('local', fn, 'edit', f, after[f]);
    if (server !== null && server[f] === after[f]) w.adopts = true;
  }
  // Its other addresses changed, not the first: no value of the model's e-mail (seed 19200649),
  // but a write of the card's EMAIL lines here, so a conflict on them is one both sides wrote (seed 1).
  if (after.email === before.email && emailsOf(afterText).join() !== emailsOf(beforeText).join()) ctx.model.wrote('local', fn, 'edit', 'email', after.email).lines = true;
}

function newCard(model: Model, side: 'local' | 'remote'): Card {
  const fn = model.newName(side);
  return { fn, email: model.newValue('email'), note: model.newValue('note') };
}

export const ACTIONS: { [K in Command['do']]: ActionDef<Extract<Command, { do: K }>> } = {
  'local-create': {
    weight: () => 3,
    generate: () => ({ do: 'local-create' }),
    run: async (ctx) => {
      const card = newCard(ctx.model, 'local');
      await ctx.world.local.create(vcardOf(card, `model-${card.fn.replace(/\W/g, '')}-${Date.now()}`));
      ctx.model.created('local', card);
      local(ctx);
    },
  },
  'local-edit': {
    weight: () => 6,
    generate: (rng) => ({ do: 'local-edit', pick: rng.int(0, 99), field: rng.pick(FIELDS) }),
    run: async (ctx, c) => {
      const rows = await localRows(ctx);
      if (rows.length === 0) return;
      const row = rows[c.pick % rows.length]!;
      const value = ctx.model.newValue(c.field);
      await ctx.world.local.edit(row.id, withField(row.vcard, c.field, value));
      ctx.model.wrote('local', nameOf(row.vcard), 'edit', c.field, value);
      local(ctx);
    },
  },
  'local-delete': {
    weight: () => 2,
    generate: (rng) => ({ do: 'local-delete', pick: rng.int(0, 99) }),
    run: async (ctx, c) => {
      const rows = await localRows(ctx);
      if (rows.length === 0) return;
      const row = rows[c.pick % rows.length]!;
      const fn = nameOf(row.vcard);
      ctx.undo = { fn, run: await ctx.world.local.remove(row.id), pageLife: ctx.world.pageLife };
      ctx.model.wrote('local', fn, 'delete');
      local(ctx);
    },
  },
  'local-undo': {
    weight: () => 1,
    generate: () => ({ do: 'local-undo' }),
    run: async (ctx) => {
      const undo = ctx.undo;
      if (undo === null || undo.pageLife !== ctx.world.pageLife) return;
      ctx.undo = null;
      if (undo.hereOnly !== undefined) {
        // It brings back this computer's card of a linked contact: nothing for the synced book,
        // whatever its card went through meanwhile (deleted by another client, seed 26000795).
        const { problems } = await untouched(ctx.world, `undoing the deletion of the local card of ${undo.fn}`, () => undo.run());
        ctx.problems.push(...problems);
        const s = await services(ctx);
        const missing = undo.hereOnly.filter((id) => s.index.get(id) === undefined);
        if (missing.length > 0) ctx.problems.push(`undoing the deletion of the local card of ${undo.fn}: ${missing.length} card(s) not back`);
        return;
      }
      // Where the contact is already back (the deletion was refused and it came back), the undo
      // leaves it as it is: no write of the user's.
      const before = (await localRows(ctx)).find((r) => nameOf(r.vcard) === undo.fn);
      await undo.run();
      if (before !== undefined) return;
      // Within the window the undo cancels the deletion; after a quiescent point agreed the contact
      // gone, it brings it back as it was: a new contact, with those values.
      const c = ctx.model.contacts.get(undo.fn);
      const deletedInWindow = c?.writes.some((w) => w.side === 'local' && w.kind === 'delete') === true;
      ctx.model.wrote('local', undo.fn, 'undo');
      const back = (await localRows(ctx)).find((r) => nameOf(r.vcard) === undo.fn);
      if (!deletedInWindow && back !== undefined) for (const f of FIELDS) ctx.model.wrote('local', undo.fn, 'edit', f, cardOf(back.vcard)[f]);
      local(ctx);
    },
  },
  'local-merge': {
    weight: () => 1,
    generate: (rng) => ({ do: 'local-merge', pick: rng.int(0, 99), other: rng.int(0, 99) }),
    run: async (ctx, c) => {
      const rows = await localRows(ctx);
      if (rows.length < 2) return;
      const a = rows[c.pick % rows.length]!;
      const rest = rows.filter((r) => r !== a);
      const b = rest[c.other % rest.length]!;
      // As the review screen builds it: the card that stays chosen as there, the default choices.
      const s = await services(ctx);
      const texts = new Map([a, b].map((r) => [r.id, r.vcard]));
      const parsed = [a, b].map((r) => ({ id: r.id, card: parseVCard(r.vcard) }));
      const survivor = chooseSurvivor(
        parsed.map((p) => ({ row: s.index.get(p.id), lines: p.card.properties.length })),
        parsed.map((p) => p.id),
      );
      const review = buildReview(parsed, { region: 'US', survivor });
      const outcome = applyMerge(review, defaultChoices(review));
      // As the review screen: a merged-away card's link takes the card that stays in its place.
      const linked = outcome.replaces.flatMap((r) => s.links.linkOf(r) ?? []);
      const done = await writeMerge(s, outcome, texts);
      if (linked.length > 0) {
        await s.links.carryOver(linked, outcome.replaces, outcome.survivor);
        const present = await presentIn(ctx.world);
        for (const link of linked) {
          const others = link.members.filter((m) => !outcome.replaces.includes(m) && m !== outcome.survivor);
          if (others.length > 0 && ctx.links.join([outcome.survivor, ...others], present) !== null) ctx.links.synced.set(outcome.survivor, nameOf((survivor === a.id ? a : b).vcard));
        }
      }
      // The merge's own toast (with its Undo) takes the place of a deletion's (seed 20000532).
      ctx.undo = null;
      const kept = survivor === a.id ? a : b;
      const gone = survivor === a.id ? b : a;
      const fn = nameOf(kept.vcard);
      wroteCard(ctx, fn, kept.vcard, done.merged, kept.base);
      ctx.model.wrote('local', nameOf(gone.vcard), 'delete');
      const own = emailsOf(kept.vcard);
      const joined = emailsOf(gone.vcard).filter((e) => !own.includes(e));
      const from = ctx.model.contacts.get(fn)!.writes.length;
      // A merge whose addresses are those of the version last synced (the user went back to an
      // older version and merged again) changes no address against it: to a three-way merge it is
      // no edit of them, and another client's change of them since wins (seed 24001271).
      const asSynced = kept.base !== '' && sameSet(emailsOf(done.merged), emailsOf(kept.base));
      const synced = kept.base === '' ? [] : emailsOf(kept.base);
      ctx.checks.push({ about: fn, run: (sides) => mergeKept(ctx, fn, own, joined, from, sides, asSynced, synced) });
    },
  },
  'trash-restore': {
    weight: () => 1,
    generate: (rng) => ({ do: 'trash-restore', pick: rng.int(0, 99) }),
    run: async (ctx, c) => {
      const s = await services(ctx);
      const visible = new Set((await ctx.world.local.rows()).filter((r) => r.visible).map((r) => nameOf(r.vcard)));
      // Contacts of the book that are not here to see, by name (the trash's own order has ties).
      const trash = (await s.repo.trash())
        .filter((t) => t.bookId === ctx.world.bookId && ctx.model.contacts.has(nameOf(t.card.vcard)) && !visible.has(nameOf(t.card.vcard)))
        .sort((x, y) => (nameOf(x.card.vcard) < nameOf(y.card.vcard) ? -1 : nameOf(x.card.vcard) > nameOf(y.card.vcard) ? 1 : x.deletedAt - y.deletedAt));
      if (trash.length === 0) return;
      const item = trash[c.pick % trash.length]!;
      const fn = nameOf(item.card.vcard);
      const waiting = (await s.repo.db.contacts.get(item.id)) !== undefined;
      await restoreFromTrash(s, [item.id]);
      ctx.undo = null; // its toast replaces a deletion's, and that deletion's Undo with it
      if (waiting) {
        // Still waiting to be deleted on the server: the restore is the undo of that deletion.
        ctx.model.wrote('local', fn, 'undo');
        return;
      }
      // Gone from the store (deleted on the server, by the user's deletion or another client's):
      // a new contact with the trashed card's values, on the server too once it syncs.
      const back = cardOf(item.card.vcard);
      ctx.model.wrote('local', fn, 'create');
      for (const f of FIELDS) ctx.model.wrote('local', fn, 'edit', f, back[f]);
    },
  },
  'history-restore': {
    weight: () => 1,
    generate: (rng) => ({ do: 'history-restore', pick: rng.int(0, 99), version: rng.int(0, 99) }),
    run: async (ctx, c) => {
      const rows = await localRows(ctx);
      if (rows.length === 0) return;
      const row = rows[c.pick % rows.length]!;
      const s = await services(ctx);
      const versions = (await s.repo.versionsOf(row.id)).filter((v) => !sameContent(v.vcard, row.vcard));
      if (versions.length === 0) return;
      const version = versions[c.version % versions.length]!;
      await restoreVersion(s, row.id, version.id, 'earlier');
      ctx.undo = null; // its toast replaces a deletion's, and that deletion's Undo with it
      const after = await ctx.world.local.row(row.id);
      if (after === undefined) return;
      const fn = nameOf(row.vcard);
      wroteCard(ctx, fn, row.vcard, after.vcard, row.base);
      // A version that differs only in a field's form (a parameter the server added, `EMAIL;TYPE=other`)
      // is still an edit of that field here: it is sent, and it outlives a deletion elsewhere.
      for (const f of FIELDS) {
        if (cardOf(row.vcard)[f] === cardOf(after.vcard)[f] && fieldLines(row.vcard, f) !== fieldLines(after.vcard, f)) ctx.model.wrote('local', fn, 'edit', f, cardOf(after.vcard)[f]);
      }
      // Its e-mail addresses are that version's now: a merge's check no longer applies to it.
      if (emailsOf(after.vcard).join() !== emailsOf(row.vcard).join()) ctx.checks = ctx.checks.filter((k) => k.about !== fn);
    },
  },
  'undo-run': {
    weight: () => 1,
    generate: (rng) => ({ do: 'undo-run', pick: rng.int(0, 99) }),
    run: async (ctx, c) => {
      // As "Recent changes" offers them: the book's finished runs not undone yet, newest first.
      const s = await services(ctx);
      const runs = (await s.repo.runsOf(ctx.world.bookId)).filter((r) => r.undoneAt === undefined && r.open !== true);
      if (runs.length === 0) return;
      const run = runs[c.pick % runs.length]!;
      const before = new Map((await ctx.world.local.rows()).map((r) => [r.id, r]));
      if (process.env.CARDINAL_MODEL_DEBUG) console.log(`  [undo-run] ${run.kind} of ${run.entries.length}: ${run.entries.map((e) => e.change).join(',')}`);
      await undoRun(s, run.id);
      ctx.undo = null; // its toast replaces a deletion's, and that deletion's Undo with it
      const after = new Map((await ctx.world.local.rows()).map((r) => [r.id, r]));
      // What the undo did to each contact is an edit made here, as if the user had made it.
      for (const id of new Set([...before.keys(), ...after.keys()])) {
        const b = before.get(id);
        const a = after.get(id);
        const fn = nameOf((a ?? b)!.vcard);
        if (!ctx.model.contacts.has(fn)) continue;
        const was = b?.visible === true;
        const is = a?.visible === true;
        if (was && !is) {
          ctx.model.wrote('local', fn, 'delete');
          continue;
        }
        if (!is || a === undefined) continue;
        if (!was) {
          if (b !== undefined) ctx.model.wrote('local', fn, 'undo'); // waiting to be deleted: back
          else {
            ctx.model.wrote('local', fn, 'create'); // from the trash: a new card
            for (const f of FIELDS) ctx.model.wrote('local', fn, 'edit', f, cardOf(a.vcard)[f]);
            continue;
          }
        }
        wroteCard(ctx, fn, b!.vcard, a.vcard, b!.base);
        for (const f of FIELDS) {
          if (cardOf(b!.vcard)[f] === cardOf(a.vcard)[f] && fieldLines(b!.vcard, f) !== fieldLines(a.vcard, f)) ctx.model.wrote('local', fn, 'edit', f, cardOf(a.vcard)[f]);
        }
        if (emailsOf(a.vcard).join() !== emailsOf(b!.vcard).join()) ctx.checks = ctx.checks.filter((k) => k.about !== fn);
      }
    },
  },
  'local-link': {
    weight: () => 1.5,
    generate: (rng) => ({ do: 'local-link', pick: rng.int(0, 99), fresh: rng.chance(0.3), shown: rng.pick(['synced', 'here'] as const) }),
    run: async (ctx, c) => {
      const rows = await localRows(ctx);
      if (rows.length === 0) return;
      const row = rows[c.pick % rows.length]!;
      const fn = nameOf(row.vcard);
      const s = await services(ctx);
      const { result, problems } = await untouched(ctx.world, `linking ${fn}`, async () => {
        // A card of this computer's book to link it with: one made for it before (by id, in order), or a new copy of its values.
        const copies = [...ctx.links.here].filter(([id, name]) => name === fn && s.index.get(id) !== undefined).map(([id]) => id);
        let here = c.fresh ? undefined : copies[0];
        if (here === undefined) {
          const stored = await s.repo.create(LOCAL_BOOK_ID, parseVCard(vcardOf(cardOf(row.vcard), `model-here-${ctx.links.here.size + 1}-${Date.now()}`)));
          s.index.upsert([stored.row]);
          here = stored.row.id;
          ctx.links.here.set(here, fn);
        }
        const present = await presentIn(ctx.world);
        ctx.links.synced.set(row.id, fn);
        // As the review screen's Link: the cards, and the one whose name is shown.
        const done = await s.links.link([row.id, here], c.shown === 'synced' ? row.id : here);
        return { done, expected: ctx.links.join([row.id, here], present) };
      });
      ctx.undo = null; // its toast replaces a deletion's, and that deletion's Undo with it
      ctx.problems.push(...problems);
      if (process.env.CARDINAL_MODEL_DEBUG) console.log(`  [link] ${fn}: ${result.done.record.members.length} cards`);
      const made = [...result.done.record.members].sort().join();
      if (result.expected === null || made !== [...result.expected].sort().join()) ctx.problems.push(`linking ${fn}: the link holds ${result.done.record.members.length} cards, expected ${result.expected?.length ?? 'a refusal'}`);
    },
  },
  'local-unlink': {
    weight: () => 0.7,
    generate: (rng) => ({ do: 'local-unlink', pick: rng.int(0, 99) }),
    run: async (ctx, c) => {
      const linked = await linkedRows(ctx);
      if (linked.length === 0) return;
      const { row, link } = linked[c.pick % linked.length]!;
      const s = await services(ctx);
      // As the linked view's Unlink.
      const { problems } = await untouched(ctx.world, `unlinking ${nameOf(row.vcard)}`, () => s.links.unlink(link.id));
      ctx.links.drop(link.members);
      if (process.env.CARDINAL_MODEL_DEBUG) console.log(`  [unlink] ${nameOf(row.vcard)}: ${link.members.length} cards`);
      ctx.undo = null; // its toast replaces a deletion's
      ctx.problems.push(...problems);
    },
  },
  'local-favorite': {
    weight: () => 0.5,
    generate: (rng) => ({ do: 'local-favorite', pick: rng.int(0, 99) }),
    run: async (ctx, c) => {
      const linked = await linkedRows(ctx);
      if (linked.length === 0) return;
      const { row, link } = linked[c.pick % linked.length]!;
      const s = await services(ctx);
      const fn = nameOf(row.vcard);
      // The linked view's star: one person, every card of it; a mark of this computer's, nothing for a server.
      const { problems } = await untouched(ctx.world, `starring ${fn}`, () => toggleFavorite(s, link.primary));
      ctx.problems.push(...problems);
      if (process.env.CARDINAL_MODEL_DEBUG) console.log(`  [star linked] ${fn}`);
      const stars = new Set(link.members.map((m) => s.index.get(m)?.favorite ?? 0));
      if (stars.size > 1) ctx.problems.push(`starring ${fn}: its linked cards are not all starred alike`);
    },
  },
  'local-delete-linked': {
    weight: () => 1,
    generate: (rng) => ({ do: 'local-delete-linked', pick: rng.int(0, 99), cards: rng.pick(['all', 'synced', 'here'] as const) }),
    run: async (ctx, c) => {
      const linked = await linkedRows(ctx);
      if (linked.length === 0) return;
      const { row, link } = linked[c.pick % linked.length]!;
      const s = await services(ctx);
      const book = (id: string) => s.index.get(id)?.bookId;
      // As DeleteLinkedDialog: the cards ticked (all at first), each deleted in its own book by Delete's own code.
      const picked = link.members.filter((m) => c.cards === 'all' || (c.cards === 'synced') === (book(m) === ctx.world.bookId));
      if (picked.length === 0) return;
      const byId = new Map((await ctx.world.local.rows()).map((r) => [r.id, r]));
      const synced = picked.filter((m) => book(m) === ctx.world.bookId).map((m) => nameOf(byId.get(m)!.vcard));
      if (synced.length === 0) {
        // Only this computer's card: nothing for the sync or the server.
        const { problems } = await untouched(ctx.world, `deleting the local card of ${nameOf(row.vcard)}`, () => deleteContacts(s, picked));
        ctx.problems.push(...problems);
      } else await deleteContacts(s, picked);
      const undo = useUi.getState().toast?.undo;
      // The toast's Undo brings back every card it deleted; the model follows one contact's undo.
      ctx.undo = undo === undefined || synced.length > 1 ? null : { fn: synced[0] ?? nameOf(row.vcard), run: undo, pageLife: ctx.world.pageLife, ...(synced.length === 0 ? { hereOnly: picked } : {}) };
      for (const fn of synced) ctx.model.wrote('local', fn, 'delete');
      if (process.env.CARDINAL_MODEL_DEBUG) console.log(`  [delete linked] ${nameOf(row.vcard)}: ${picked.length} of ${link.members.length} cards (${c.cards})`);
    },
  },
  'remote-create': {
    weight: () => 2,
    generate: () => ({ do: 'remote-create' }),
    run: async (ctx) => {
      const card = newCard(ctx.model, 'remote');
      await ctx.world.remote.create(card);
      ctx.model.created('remote', card);
    },
  },
  // Google only: several cards made at once by another client, so that a download into a book
  // with none of them yet (the first sync's, or one still empty) fetches them by several
  // multigets (the world asks one card a multiget), each applied as it is read.
  'remote-create-few': {
    weight: (kind) => (kind.kind === 'google' ? 1 : 0),
    generate: (rng) => ({ do: 'remote-create-few', count: rng.int(2, 4) }),
    run: async (ctx, c) => {
      for (let i = 0; i < c.count; i++) {
        const card = newCard(ctx.model, 'remote');
        await ctx.world.remote.create(card);
        ctx.model.created('remote', card);
      }
    },
  },
  'remote-edit': {
    weight: () => 5,
    generate: (rng) => ({ do: 'remote-edit', pick: rng.int(0, 99), field: rng.pick(FIELDS) }),
    run: async (ctx, c) => {
      const cards = byName((await ctx.world.remote.list()).filter((s) => ctx.model.contacts.has(s.card.fn)), (s) => s.card.fn);
      if (cards.length === 0) return;
      const fn = cards[c.pick % cards.length]!.card.fn;
      const value = ctx.model.newValue(c.field);
      const path = await ctx.world.remote.edit(fn, c.field, value);
      if (path !== null) markExposed(ctx, ctx.model.wrote('remote', fn, 'edit', c.field, value), path);
    },
  },
  'remote-delete': {
    weight: () => 2,
    generate: (rng) => ({ do: 'remote-delete', pick: rng.int(0, 99) }),
    run: async (ctx, c) => {
      const cards = byName((await ctx.world.remote.list()).filter((s) => ctx.model.contacts.has(s.card.fn)), (s) => s.card.fn);
      if (cards.length === 0) return;
      const fn = cards[c.pick % cards.length]!.card.fn;
      const path = await ctx.world.remote.remove(fn);
      if (path !== null) markExposed(ctx, ctx.model.wrote('remote', fn, 'delete'), path);
    },
  },
  sync: {
    weight: () => 8,
    generate: (rng, kind) => ({ do: 'sync', during: rng.chance(0.6) ? Array.from({ length: rng.int(1, 3) }, () => interjection(rng, kind)) : [] }),
    run: async (ctx, c) => {
      const pending = [...c.during];
      const deletesBefore = localDeletes(ctx);
      const status = await ctx.world.run(
        async (b: Boundary) => {
          for (const i of pending.filter((x) => x.at === b.index && x.when === b.when)) {
            pending.splice(pending.indexOf(i), 1);
            if (i.act.do === 'fault') {
              if (b.what.startsWith('HTTP')) b.fault = i.act.fault;
            } else if (i.act.do === 'kill') b.kill = i.act.what;
            else await runCommand(ctx, i.act);
          }
        },
        (m) => m.sync(ctx.world.account.id),
      );
      // A contact deleted here before the run and deleted again during it may have come back
      // (restored) and been deleted once more by the user: it counts as back.
      const again = [...localDeletes(ctx)].filter(([fn, n]) => n > (deletesBefore.get(fn) ?? 0) && (deletesBefore.get(fn) ?? 0) > 0).map(([fn]) => fn);
      await checkRestored(ctx, status, again);
    },
  },
  wait: {
    weight: () => 2,
    generate: (rng) => ({ do: 'wait', ms: rng.pick([2500, 60_000, 3_600_000]) }),
    run: (ctx, c) => ctx.world.wait(c.ms),
  },
  jump: {
    weight: () => 0.5,
    generate: () => ({ do: 'jump' }),
    run: async (ctx) => {
      ctx.world.jump(30);
      await ctx.world.wait(30 * 86_400_000);
    },
  },
  'expire-tokens': {
    weight: (kind) => (kind.kind === 'carddav' ? 0 : 1),
    generate: () => ({ do: 'expire-tokens' }),
    run: async (ctx) => ctx.world.expireTokens(),
  },
  'revoke-grant': {
    weight: (kind) => (kind.kind === 'carddav' ? 0 : 0.5),
    generate: () => ({ do: 'revoke-grant' }),
    run: async (ctx) => ctx.world.revokeGrant(),
  },
  'invalidate-token': {
    weight: () => 0.7,
    generate: () => ({ do: 'invalidate-token' }),
    run: (ctx) => ctx.world.invalidateToken(),
  },
  restart: {
    weight: () => 1,
    generate: (rng) => ({ do: 'restart', what: rng.pick(['main', 'page', 'both'] as const) }),
    run: async (ctx, c) => {
      await ctx.world.restart(c.what);
      // The page's links as it reads them at start: those made are there while their cards are.
      ctx.problems.push(...(await checkLinks(ctx.world, ctx.links, `a restart (${c.what})`)));
    },
  },
  quiesce: {
    weight: () => 1.5,
    generate: () => ({ do: 'quiesce' }),
    run: (ctx) => ctx.quiesce(),
  },
};

/**
 * Nothing a merge joined is lost: the card that stayed holds every e-mail address of both cards,
 * here and on the server. Its own addresses, unless someone wrote its address or deleted it since
 * the last quiescent point (another client may have changed it before the merge saw it); the
 * addresses merged into it, unless someone wrote its address or deleted it after the merge.
 * Settling a conflict on its address replaces that address only: the others stay, unless the
 * conflict showed them as this computer's side and the user chose the server's.
 */
function mergeKept(ctx: Context, fn: string, own: readonly string[], joined: readonly string[], from: number, sides: Sides, asSynced = false, synced: readonly string[] = []): string[] {
  const c = ctx.model.contacts.get(fn);
  if (c === undefined) return [];
  // (A write of the card's other addresses only, such as the merge's own, leaves `own` as the merge read it.)
  const touched = (w: (typeof c.writes)[number]) => (w.field === 'email' && w.settles !== true && w.lines !== true) || w.kind === 'delete' || w.kind === 'undo' || w.kind === 'create';
  const after = c.writes.slice(from);
  if (after.some(touched)) return [];
  // Merged back to the synced version's addresses while another client had changed them.
  const changedThere = c.writes.slice(0, from).some((w) => w.side === 'remote' && touched(w));
  if (asSynced && changedThere) return [];
  const settled = after.some((w) => w.field === 'email');
  // An address the user saw on this computer's side of a conflict and settled against is theirs to drop.
  const dropped = new Set(after.flatMap((w) => w.discards ?? []));
  // An address merged in that the synced version held already (an edit here had taken it out, the
  // merge brought it back) is, to a three-way merge, one this computer kept: another client's
  // removal of it since wins (seed 29001524; the merged-away card is in the trash).
  if (changedThere) for (const e of joined) if (synced.includes(e)) dropped.add(e);
  const expected = [...(c.writes.slice(0, from).some(touched) || settled ? [] : own), ...joined].filter((e) => !dropped.has(e));
  const problems: string[] = [];
  const here = sides.here.get(fn)?.[0];
  const there = sides.there.get(fn)?.[0];
  if (here === undefined && there === undefined) problems.push(`${fn}: merged, then lost`);
  for (const [where, held] of [
    ['here', here === undefined ? null : emailsOf(here.vcard)],
    ['on the server', there === undefined ? null : there.emails],
  ] as const) {
    const missing = held === null ? [] : expected.filter((e) => !held.includes(e));
    if (missing.length > 0) problems.push(`${fn}: merged with ${JSON.stringify([...own, ...joined])}, but ${JSON.stringify(missing)} missing ${where} (holds ${JSON.stringify(held)}; ${describeWrites(c.writes)})`);
  }
  return problems;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

const describeWrites = (writes: readonly Write[]) => writes.map((x) => `${x.side} ${x.kind}${x.field !== undefined ? ` ${x.field}=${x.value}` : ''}`).join(', ');

/**
 * The status tells the truth about restored contacts: when it says n came back, n contacts deleted
 * here since the last quiescent point are there to see.
 */
export async function checkRestored(ctx: Context, status: { restored?: number } | null, deletedAgain: readonly string[] = []): Promise<void> {
  const n = status?.restored ?? 0;
  if (n === 0) return;
  const visible = new Set((await localRows(ctx)).map((r) => nameOf(r.vcard)));
  const back = ctx.model.live().filter((c) => c.writes.some((w) => w.side === 'local' && w.kind === 'delete') && (visible.has(c.fn) || deletedAgain.includes(c.fn))).length;
  if (back < n) ctx.problems.push(`the status said ${n} restored; ${back} contacts deleted here are back`);
}

/** How many times each contact was deleted here since the last quiescent point. */
function localDeletes(ctx: Context): Map<string, number> {
  return new Map(ctx.model.live().map((c) => [c.fn, c.writes.filter((w) => w.side === 'local' && w.kind === 'delete').length] as const));
}

/** On a server that does not enforce If-Match, another client's write between the engine's check and its write of that card. */
function markExposed(ctx: Context, write: { exposed?: boolean }, path: string): void {
  if (ctx.world.ifMatchEnforced) return;
  if (ctx.world.requests.includes(`HTTP GET ${path}`)) write.exposed = true;
}

const FAULTS_BEFORE: readonly Fault[] = [
  { before: 'status', status: 500 },
  { before: 'status', status: 502 },
  { before: 'status', status: 503, retryAfter: 120 },
  { before: 'status', status: 429, retryAfter: 30 },
  { before: 'status', status: 413 },
  { before: 'reset' },
  { before: 'timeout' },
];
const FAULTS_AFTER: readonly Fault[] = [{ after: 'reset' }, { after: 'truncate' }, { after: 'status', status: 500 }, { after: 'status', status: 503 }];

function interjection(rng: Rng, kind: ServerKind): Interjection {
  const at = rng.int(0, 10);
  const when = rng.pick(['before', 'after'] as const);
  const what = rng.weighted([
    ['local', 4],
    ['remote', 3],
    ['fault', 3],
    ['kill', 1],
    ['page', 1],
    ['link', 1],
  ] as const);
  if (what === 'fault') {
    const faults = [...FAULTS_BEFORE, ...FAULTS_AFTER, ...(kind.kind === 'carddav' ? [] : [{ before: 'status', status: 401 } as const])];
    const fault = rng.pick(faults);
    return { at, when: 'before' in fault ? 'before' : 'after', act: { do: 'fault', fault } };
  }
  if (what === 'kill') return { at, when, act: { do: 'kill', what: rng.pick(['main', 'page', 'both'] as const) } };
  const names =
    what === 'local'
      ? (['local-create', 'local-edit', 'local-edit', 'local-delete', 'local-undo'] as const)
      : what === 'page'
        ? (['local-merge', 'trash-restore', 'history-restore', 'undo-run'] as const)
        : what === 'link'
          ? (['local-link', 'local-link', 'local-unlink', 'local-favorite', 'local-delete-linked'] as const)
          : (['remote-create', 'remote-edit', 'remote-edit', 'remote-delete'] as const);
  const act = ACTIONS[rng.pick(names)].generate(rng, kind) as Interjection['act'];
  return { at, when, act };
}

export async function runCommand(ctx: Context, command: Command): Promise<void> {
  const def = ACTIONS[command.do] as ActionDef;
  await def.run(ctx, command);
}

/** One command, drawn by weight for this kind of server. */
export function generateCommand(rng: Rng, kind: ServerKind): Command {
  const names = Object.keys(ACTIONS) as Command['do'][];
  const name = rng.weighted(names.map((n) => [n, ACTIONS[n].weight(kind)] as const).filter(([, w]) => w > 0));
  return (ACTIONS[name] as ActionDef).generate(rng, kind);
}

/** Steps a command counts for: itself and what it does at boundaries. */
export function stepsOf(command: Command): number {
  return command.do === 'sync' ? 1 + command.during.length : 1;
}
