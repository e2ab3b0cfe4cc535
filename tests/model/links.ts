/**
 * Linked contacts in the model-based tester: a card of the synced book linked with a card of this
 * computer's own book, as one shown contact (renderer/src/store/links.ts). A link is this
 * computer's only, so the model of the sync (model.ts) does not change for it: linking,
 * unlinking or starring a linked contact writes nothing the sync sees, and deleting a linked
 * contact is a deletion of each card the user ticked, in its own book (the synced book's is the
 * model's `delete`, the local book's is nothing the sync sees). The local book's cards are not in
 * the rows the invariants count (`world.local.rows()` is the synced book's), so a copy of a synced
 * card there, with its name, does not count as that contact twice.
 *
 * What is checked (`checkLinks`, after every restart and at every quiescent point; `untouched`,
 * around each act that must leave the servers alone):
 * - the links are the ones the user made, while their cards are listed: made ones survive a
 *   restart (and a card restored from the trash with its id is in its link again), unlinked ones
 *   stay apart, and no link appears that nobody made;
 * - a link, an unlink, a star of a linked contact and the deletion of its local card only change no
 *   card of the synced book (nothing to send), make no request, tell the sync nothing, and leave
 *   the server as it was;
 * - a card of this computer's book never goes anywhere (no href, no ETag; a copy on the server
 *   would be its contact twice there, which the invariants catch by name).
 */
import { LOCAL_BOOK_ID } from '../../renderer/src/db/schema';
import { LinkStore } from '../../renderer/src/store/links';
import type { World } from './world';

/** The page's links over its store as it is now: opened (and pruned) once per page life, as the window does at start. */
const opened = new WeakMap<object, Promise<LinkStore>>();
export function pageLinks(world: World): Promise<LinkStore> {
  const store = world.local.page();
  let links = opened.get(store);
  if (links === undefined) {
    links = LinkStore.open(store.repo, store.index);
    opened.set(store, links);
  }
  return links;
}

/** What the user linked, by contact id (the model's own account of the link records). */
export class LinkModel {
  /** Each link as made: its members, also those not listed now (deleted, in the trash). */
  groups: string[][] = [];
  /** Cards the tester made in this computer's book, by id (with the synced card's name). */
  readonly here = new Map<string, string>();
  /** The synced book's cards that were linked, by id, with their names. */
  readonly synced = new Map<string, string>();

  /**
   * A link of `ids` made (`joinLinks`): any link one of them is in joins it, and cards not there at
   * that moment (deleted, waiting for their server) are left out of the joined record. Null, and
   * nothing changes, where the page refuses it: a card to link is gone, or all are of one book.
   */
  join(ids: readonly string[], bookOf: (id: string) => string | undefined): string[] | null {
    if (ids.some((m) => bookOf(m) === undefined)) return null;
    const replaced = this.groups.filter((g) => g.some((m) => ids.includes(m)));
    const members = [...new Set([...ids, ...replaced.flat()])].filter((m) => bookOf(m) !== undefined);
    if (members.length < 2 || new Set(members.map(bookOf)).size < 2) return null;
    this.groups = [...this.groups.filter((g) => !replaced.includes(g)), members];
    return members;
  }

  /** The link these cards are in is gone (unlinked): every member of its record with it. */
  drop(members: readonly string[]): void {
    this.groups = this.groups.filter((g) => !g.some((m) => members.includes(m)));
  }
}

/** Each card in the store and not waiting to be deleted → its book (what a link may take). */
export async function presentIn(world: World): Promise<(id: string) => string | undefined> {
  const rows = await world.local.page().repo.db.contacts.toArray();
  const books = new Map(rows.filter((r) => r.pending !== 'deleted').map((r) => [r.id, r.bookId]));
  return (id) => books.get(id);
}

const key = (ids: readonly string[]) => [...ids].sort().join(' ');

/** The links as the page shows them now against the model's: the same, card for card. */
export async function checkLinks(world: World, model: LinkModel, when: string): Promise<string[]> {
  const links = await pageLinks(world);
  const { index } = world.local.page();
  const listed = (id: string) => {
    const r = index.get(id);
    return r !== undefined && r.pending !== 'deleted';
  };
  const name = (id: string) => `${index.get(id)?.displayName ?? id} (${index.get(id)?.bookId === LOCAL_BOOK_ID ? 'this computer' : 'server'})`;
  const expected = new Map(model.groups.map((g) => g.filter(listed)).filter((g) => g.length >= 2).map((g) => [key(g), g] as const));
  const shown = new Map<string, readonly string[]>();
  for (const rec of links.all()) {
    const live = links.linkOf(rec.members.find(listed) ?? '');
    if (live !== null) shown.set(key(live.members), live.members);
  }
  const problems: string[] = [];
  for (const [k, g] of expected) if (!shown.has(k)) problems.push(`linked ${g.map(name).join(' + ')}, but after ${when} they are ${describeShown(g, links, name)}`);
  for (const [k, g] of shown) if (!expected.has(k)) problems.push(`after ${when} ${g.map(name).join(' + ')} are shown linked, which nobody made so`);
  const { db } = world.local.page().repo;
  // A linked card of the synced book gone for good (not in the store, not in the trash) while its
  // contact is here under another id: the sync replaced the card, and the link lost it.
  const listedByName = new Map([...index.all()].filter((r) => r.bookId === world.bookId && r.pending !== 'deleted').map((r) => [r.displayName, r.id] as const));
  for (const g of model.groups) {
    for (const m of g) {
      const fn = model.synced.get(m);
      const other = fn === undefined ? undefined : listedByName.get(fn);
      if (other === undefined || g.includes(other) || listed(m)) continue;
      if ((await db.contacts.get(m)) === undefined && (await db.trash.get(m)) === undefined) problems.push(`${fn}: linked, then its card was replaced by another of the same contact (${other}), and the link lost it (after ${when})`);
    }
  }
  // This computer's cards stay on this computer.
  for (const [id, fn] of model.here) {
    const [row, card] = await Promise.all([db.contacts.get(id), db.cards.get(id)]);
    if (row === undefined || card === undefined) continue;
    if (row.bookId !== LOCAL_BOOK_ID || card.href !== '' || card.etag !== '') problems.push(`${fn}: this computer's card is in book ${row.bookId} with href "${card.href}" after ${when}`);
  }
  return problems;
}

function describeShown(g: readonly string[], links: LinkStore, name: (id: string) => string): string {
  const of = g.map((m) => links.linkOf(m));
  return of.every((l) => l === null) ? 'not linked' : `linked as ${[...new Set(of.map((l) => (l === null ? 'none' : l.members.map(name).join(' + '))))].join('; ')}`;
}

/** Everything of the synced book the sync reads (text, base, queue mark, revision), and what it would send. */
async function syncedState(world: World): Promise<string> {
  const { repo, index } = world.local.page();
  const rows = await repo.db.contacts.where('bookId').equals(world.bookId).toArray();
  const cards = await repo.db.cards.bulkGet(rows.map((r) => r.id));
  const state = rows.map((r, i) => {
    const c = cards[i];
    return [r.id, r.pending, r.updatedAt, c?.vcard, c?.base, c?.href, c?.etag, c?.revision ?? 0, c?.attempted === true].join('|');
  });
  return JSON.stringify([state.sort(), index.pendingIn(new Set([world.bookId]))]);
}

const serverState = async (world: World) =>
  JSON.stringify(
    (await world.remote.list())
      .map((s) => [s.path, s.card.fn, s.card.note, ...s.emails].join('|'))
      .sort(),
  );

/**
 * Run an act that must leave the sync alone: afterwards no card of the synced book changed,
 * nothing more waits to be sent, no request went, the sync was told nothing and the server holds
 * what it held. Returns the act's result and what did not hold.
 */
export async function untouched<T>(world: World, what: string, act: () => Promise<T>): Promise<{ result: T; problems: string[] }> {
  const bridge = (globalThis as unknown as { cardinal: { localChanged: (bookId: string) => Promise<void> } }).cardinal;
  const told: string[] = [];
  const localChanged = bridge.localChanged;
  const [state, server, requests] = [await syncedState(world), await serverState(world), world.requests.length];
  bridge.localChanged = async (bookId) => {
    told.push(bookId);
    return localChanged(bookId);
  };
  let result: T;
  try {
    result = await act();
  } finally {
    bridge.localChanged = localChanged;
  }
  const problems: string[] = [];
  if ((await syncedState(world)) !== state) problems.push(`${what} changed a card of the synced book, or what waits to be sent`);
  if (world.requests.length !== requests) problems.push(`${what} made ${world.requests.length - requests} request(s): ${world.requests.slice(requests).join(', ')}`);
  if (told.length > 0) problems.push(`${what} told the sync of book(s) ${told.join(', ')}`);
  if ((await serverState(world)) !== server) problems.push(`${what} changed the server`);
  return { result, problems };
}
