/**
 * What the duplicate finder reports. Plain data: it crosses from the worker to the page as it is.
 * Nothing here merges anything; a cluster is a proposal for the user to review.
 */
import type { DuplicateKeys } from './keys';

/** One contact as the finder sees it: its id in the store, its book, and its keys. */
export interface DuplicateCandidate {
  readonly id: string;
  readonly bookId: string;
  readonly keys: DuplicateKeys;
}

/**
 * Why two contacts look like one person. `points` is what the reason added to the score;
 * `sharedBy` is how many different people (by name) hold that address or number in the book:
 * 1 when it is this person's own, more for a family address or an office line, which count less.
 * The two `different-…` reasons are evidence against, and hold the score below the threshold.
 */
export type MatchReason =
  | { readonly code: 'same-email'; readonly value: string; readonly points: number; readonly sharedBy: number }
  | { readonly code: 'same-phone'; readonly value: string; readonly points: number; readonly sharedBy: number }
  | { readonly code: 'same-name'; readonly values: readonly [string, string]; readonly points: number }
  | { readonly code: 'similar-name'; readonly values: readonly [string, string]; readonly points: number }
  /** Same name, nothing else shared, and both list e-mail addresses (or both numbers): negative points. */
  | { readonly code: 'different-details'; readonly points: number }
  | { readonly code: 'different-names'; readonly values: readonly [string, string] }
  | { readonly code: 'different-birthdays'; readonly values: readonly [string, string] };

export type MatchReasonCode = MatchReason['code'];

export interface DuplicatePair {
  readonly a: string;
  readonly b: string;
  /** 0–100; pairs at or above the threshold are proposed. */
  readonly score: number;
  readonly reasons: readonly MatchReason[];
}

export interface DuplicateCluster {
  /** Contact ids, in the order they were given. */
  readonly members: readonly string[];
  /** The proposed pairs inside the cluster, best first: the reasons to show. */
  readonly pairs: readonly DuplicatePair[];
  /** The best pair's score. */
  readonly score: number;
  /** The books its members are in; more than one only when looking across books. */
  readonly books: readonly string[];
  /** Offered after an import: the member the import just added (the others were here before). */
  readonly incoming?: string;
}

/**
 * An address, number or name held by so many different people that it says nothing about any
 * one of them (a company switchboard, a shared family address, "John Smith" in a large
 * directory): it proposes no pairs. Shown so the user knows why those contacts were not joined.
 */
export interface SharedKey {
  readonly kind: 'email' | 'phone' | 'name';
  readonly value: string;
  readonly bookId: string | null;
  readonly holders: number;
}

export interface DuplicateReport {
  readonly clusters: readonly DuplicateCluster[];
  readonly sharedKeys: readonly SharedKey[];
  readonly stats: { readonly contacts: number; readonly candidatePairs: number; readonly proposedPairs: number };
}

/** `book`: duplicates inside each book. `all-books`: also the same person in different books. */
export type DuplicateScope = 'book' | 'all-books';

export interface FindOptions {
  readonly scope?: DuplicateScope;
  /** The lowest score proposed (default `PROPOSE_AT`). */
  readonly threshold?: number;
}

/** For each incoming card that looks like contacts already in the book: those, best first. */
export interface ImportDuplicate {
  readonly incoming: string;
  readonly existing: readonly DuplicatePair[];
}
