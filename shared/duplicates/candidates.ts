/**
 * Which pairs are worth scoring: those that share an e-mail address, a phone number or a name.
 * Every key lists its holders; a key held by several different people is worth less to each
 * pair, and one held by many proposes nothing at all (a switchboard number on 300 employees'
 * cards would otherwise make 45,000 pairs and chain them all into one "person").
 */
import { nameRelation } from './names';
import type { SharedLink } from './score';
import type { DuplicateCandidate, DuplicateScope, SharedKey } from './types';

/** A key whose holders carry more than this many different names proposes no pairs. */
export const MAX_PEOPLE_PER_KEY = 3;
/** Holders of one e-mail address or phone number looked at name by name; more is a shared key. */
export const MAX_HOLDERS = 12;
/** A name held by more contacts than this proposes no pairs by itself ("John Smith" in a directory). */
export const MAX_NAME_HOLDERS = 8;
/** Copies of one card beyond this are paired with the first only, which joins them just the same. */
const STAR_FROM = 24;

type Kind = SharedKey['kind'];

/** Holders of one key: a single index (most keys: nobody else has them), or the list. */
type Holders = number | number[];

/** The keys of one scope (a book, or all books), one map per kind so no key string is built. */
type Index = Record<Kind, Map<string, Holders>>;

export interface Candidates {
  /** Pair id (`a * count + b`, a < b) → the e-mail addresses and numbers it shares (none: by name). */
  readonly pairs: Map<number, SharedLink[]>;
  /** How many contacts in the scope have entry i's name. */
  readonly nameHolders: (i: number) => number;
  readonly shared: SharedKey[];
}

export const nameKey = (c: DuplicateCandidate): string => c.keys.name.join(' ');

/** How many people hold a key: holders' names that could be one person are counted once. */
function peopleAmong(holders: readonly number[], entries: readonly DuplicateCandidate[]): number {
  const names = new Map<string, readonly string[]>();
  for (const i of holders) {
    const tokens = entries[i]!.keys.name;
    if (tokens.length > 0) names.set(tokens.join(' '), tokens);
  }
  if (names.size <= 1) return 1;
  if (holders.length > MAX_HOLDERS) return Infinity;
  const people: (readonly string[])[] = [];
  // Longest names first (John A. Smith takes in J. Smith), then by name, whatever the book's order.
  const byLength = [...names.entries()].sort(([kx, x], [ky, y]) => y.length - x.length || (kx < ky ? -1 : kx > ky ? 1 : 0));
  for (const [, tokens] of byLength) {
    if (!people.some((p) => nameRelation(p, tokens) !== 'different')) people.push(tokens);
  }
  return people.length;
}

/**
 * `involves(i, j)`: which pairs the caller wants (import: those with an incoming card); all
 * holders still count toward how widely a key is shared.
 */
export function findCandidates(
  entries: readonly DuplicateCandidate[],
  scope: DuplicateScope,
  involves: (i: number, j: number) => boolean = () => true,
): Candidates {
  const indexes = new Map<string, Index>();
  const indexOf = (c: DuplicateCandidate): Index => {
    const id = scope === 'book' ? c.bookId : '';
    let index = indexes.get(id);
    if (index === undefined) indexes.set(id, (index = { email: new Map(), phone: new Map(), name: new Map() }));
    return index;
  };
  const post = (map: Map<string, Holders>, value: string, i: number): void => {
    const h = map.get(value);
    if (h === undefined) map.set(value, i);
    else if (typeof h === 'number') {
      if (h !== i) map.set(value, [h, i]);
    } else if (h[h.length - 1] !== i) h.push(i);
  };
  entries.forEach((c, i) => {
    const index = indexOf(c);
    for (const e of c.keys.emails) post(index.email, e, i);
    for (const p of c.keys.phones) post(index.phone, p, i);
    if (c.keys.name.length > 0) post(index.name, nameKey(c), i);
  });

  const count = entries.length;
  const pairs = new Map<number, SharedLink[]>();
  const link = (i: number, j: number, shared: SharedLink | null): void => {
    const [a, b] = i < j ? [i, j] : [j, i];
    if (!involves(a, b)) return;
    const id = a * count + b;
    let links = pairs.get(id);
    if (links === undefined) pairs.set(id, (links = []));
    if (shared !== null) links.push(shared);
  };
  const shared: SharedKey[] = [];

  for (const [bookId, index] of indexes) {
    const book = scope === 'book' ? bookId : null;
    for (const kind of ['email', 'phone', 'name'] as const) {
      for (const [value, holders] of index[kind]) {
        if (typeof holders === 'number') continue;
        if (kind === 'name') {
          if (holders.length > MAX_NAME_HOLDERS) shared.push({ kind, value, bookId: book, holders: holders.length });
          else forEachPair(holders, (i, j) => link(i, j, null));
          continue;
        }
        const people = peopleAmong(holders, entries);
        if (people > MAX_PEOPLE_PER_KEY) {
          shared.push({ kind, value, bookId: book, holders: holders.length });
          continue;
        }
        const via: SharedLink = { kind, value, sharedBy: people };
        if (holders.length >= STAR_FROM) for (let k = 1; k < holders.length; k++) link(holders[0]!, holders[k]!, via);
        else forEachPair(holders, (i, j) => link(i, j, via));
      }
    }
  }

  const nameHolders = (i: number): number => {
    const h = indexOf(entries[i]!).name.get(nameKey(entries[i]!));
    return h === undefined || typeof h === 'number' ? 1 : h.length;
  };
  return { pairs, nameHolders, shared };
}

function forEachPair(holders: readonly number[], f: (i: number, j: number) => void): void {
  for (let x = 0; x < holders.length; x++) for (let y = x + 1; y < holders.length; y++) f(holders[x]!, holders[y]!);
}
