/**
 * The finder: candidate pairs (shared keys) → scores → clusters. Pure and synchronous; the
 * worker (`renderer/src/workers/duplicates.worker.ts`) runs it off the UI thread. It proposes,
 * never merges.
 */
import { findCandidates } from './candidates';
import { clusterEdges, type Edge } from './cluster';
import { PROPOSE_AT, scorePair } from './score';
import type { DuplicateCandidate, DuplicateCluster, DuplicatePair, DuplicateReport, FindOptions, ImportDuplicate } from './types';

interface Scored extends Edge {
  readonly tie: string;
  readonly pair: DuplicatePair;
}

function scoreCandidates(
  entries: readonly DuplicateCandidate[],
  threshold: number,
  candidates: ReturnType<typeof findCandidates>,
): Scored[] {
  const count = entries.length;
  const scored: Scored[] = [];
  for (const [id, links] of candidates.pairs) {
    const a = Math.floor(id / count);
    const b = id - a * count;
    const ka = entries[a]!.keys;
    const kb = entries[b]!.keys;
    const { score, reasons } = scorePair(ka, kb, links, candidates.nameHolders(a));
    if (score < threshold) continue;
    const [ia, ib] = [entries[a]!.id, entries[b]!.id];
    scored.push({ a, b, score, tie: ia < ib ? `${ia}\u0000${ib}` : `${ib}\u0000${ia}`, pair: { a: ia, b: ib, score, reasons } });
  }
  // Best first; ties by the contacts' ids, so a book gives the same clusters in any order.
  return scored.sort((x, y) => y.score - x.score || (x.tie < y.tie ? -1 : x.tie > y.tie ? 1 : 0));
}

export function findDuplicates(entries: readonly DuplicateCandidate[], options: FindOptions = {}): DuplicateReport {
  const threshold = options.threshold ?? PROPOSE_AT;
  const candidates = findCandidates(entries, options.scope ?? 'book');
  const scored = scoreCandidates(entries, threshold, candidates);
  const roots = clusterEdges(
    entries.map((e) => e.keys),
    scored,
  );
  const pairsOf = new Map<number, DuplicatePair[]>();
  for (const s of scored) {
    const root = roots[s.a]!;
    if (root !== roots[s.b]) continue; // a union refused: different people on either side
    const list = pairsOf.get(root);
    if (list === undefined) pairsOf.set(root, [s.pair]);
    else list.push(s.pair);
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    if (!pairsOf.has(root)) continue;
    const list = members.get(root);
    if (list === undefined) members.set(root, [i]);
    else list.push(i);
  }
  const clusters: DuplicateCluster[] = [...pairsOf.entries()]
    .map(([root, pairs]) => {
      const list = members.get(root)!;
      return {
        members: list.map((i) => entries[i]!.id),
        pairs, // already best first
        score: pairs[0]!.score,
        books: [...new Set(list.map((i) => entries[i]!.bookId))],
        first: list[0]!,
      };
    })
    .sort((x, y) => y.score - x.score || x.first - y.first)
    .map(({ first: _first, ...cluster }) => cluster);
  return {
    clusters,
    sharedKeys: candidates.shared,
    stats: { contacts: entries.length, candidatePairs: candidates.pairs.size, proposedPairs: scored.length },
  };
}

/**
 * Incoming cards (an import) against the contacts already there: for each incoming card that
 * looks like existing ones, those, best first. Same keys, scores and threshold as the finder;
 * how widely a key is shared is counted over both.
 */
export function findImportDuplicates(
  incoming: readonly DuplicateCandidate[],
  existing: readonly DuplicateCandidate[],
  options: Pick<FindOptions, 'threshold'> = {},
): ImportDuplicate[] {
  const entries = [...existing, ...incoming];
  const firstIncoming = existing.length;
  // Pair ids have a < b, and incoming cards come last: b is the incoming one, a the existing.
  const candidates = findCandidates(entries, 'all-books', (a, b) => a < firstIncoming && b >= firstIncoming);
  const scored = scoreCandidates(entries, options.threshold ?? PROPOSE_AT, candidates);
  const byIncoming = new Map<number, DuplicatePair[]>();
  for (const s of scored) {
    const pair: DuplicatePair = { ...s.pair, a: entries[s.b]!.id, b: entries[s.a]!.id };
    const list = byIncoming.get(s.b);
    if (list === undefined) byIncoming.set(s.b, [pair]);
    else list.push(pair);
  }
  return [...byIncoming.entries()].sort(([x], [y]) => x - y).map(([i, pairs]) => ({ incoming: entries[i]!.id, existing: pairs }));
}
