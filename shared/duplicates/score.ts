/**
 * The score of one pair of contacts, 0–100, with its reasons. Points per shared key, divided by
 * how many people hold it; names count less the more often they occur; different names or
 * birthdays cap the score below the threshold, because a family address or an office line
 * shared by two people is not one person.
 *
 *   same e-mail 60 · same phone 55 · same full name 50 (one-word name 20) · similar name 15
 *   a name-only match whose cards both list e-mail addresses (or both numbers), all different: −25
 *   proposed at 50: one own e-mail or phone + nothing against; or the same full name alone,
 *   when the cards do not contradict it (one has only a phone, the other only an address)
 */
import type { DuplicateKeys } from './keys';
import { isFullName, nameRelation } from './names';
import type { MatchReason } from './types';

export const PROPOSE_AT = 50;
export const POINTS = { email: 60, phone: 55, fullName: 50, singleName: 20, similarName: 15 } as const;
/** Where evidence against holds a score: below any threshold a caller would use by default. */
export const CAPPED_AT = 40;
/**
 * A name held by up to this many contacts counts fully; beyond, its points shrink in proportion:
 * one person added twice is the common case, and a third holder suggests a common name.
 */
export const NAME_FULL_UP_TO = 2;
/** Taken from a name-only match whose cards both list addresses, or both numbers, all different. */
export const DIFFERENT_DETAILS = 25;

function listsApart(a: DuplicateKeys, b: DuplicateKeys): boolean {
  return (a.emails.length > 0 && b.emails.length > 0) || (a.phones.length > 0 && b.phones.length > 0);
}

/** One e-mail address or phone number a pair shares, and how many people hold it. */
export interface SharedLink {
  readonly kind: 'email' | 'phone';
  readonly value: string;
  readonly sharedBy: number;
}

export interface PairScore {
  readonly score: number;
  readonly reasons: MatchReason[];
}

function monthDay(date: string): string {
  return date.startsWith('--') ? date.slice(2) : date.slice(5).replace('-', '');
}

/** Two birthdays that cannot be the same person's (a year-less one matches any year). */
export function birthdaysDiffer(a: string, b: string): boolean {
  if (a === '' || b === '' || a === b) return false;
  if (monthDay(a) !== monthDay(b)) return true;
  return !a.startsWith('--') && !b.startsWith('--');
}

/** Hard evidence that two contacts are different people, whatever they share. */
export function areDifferentPeople(a: DuplicateKeys, b: DuplicateKeys): boolean {
  return nameRelation(a.name, b.name) === 'different' || birthdaysDiffer(a.birthday, b.birthday);
}

/** `nameHolders`: how many contacts (in the scope) have the pair's name, when it is the same. */
export function scorePair(a: DuplicateKeys, b: DuplicateKeys, links: readonly SharedLink[], nameHolders: number): PairScore {
  const reasons: MatchReason[] = [];
  let points = 0;
  for (const link of links) {
    const p = Math.round(POINTS[link.kind] / link.sharedBy);
    points += p;
    reasons.push({ code: link.kind === 'email' ? 'same-email' : 'same-phone', value: link.value, points: p, sharedBy: link.sharedBy });
  }
  const names = [a.displayName, b.displayName] as const;
  const relation = nameRelation(a.name, b.name);
  if (relation === 'same') {
    const full = isFullName(a.name) ? POINTS.fullName : POINTS.singleName;
    const p = Math.round(full * Math.min(1, NAME_FULL_UP_TO / Math.max(1, nameHolders)));
    points += p;
    reasons.push({ code: 'same-name', values: names, points: p });
    if (links.length === 0 && listsApart(a, b)) {
      // Both list e-mail addresses (or both numbers), and none is the same: two people of one name.
      points -= DIFFERENT_DETAILS;
      reasons.push({ code: 'different-details', points: -DIFFERENT_DETAILS });
    }
  } else if (relation === 'similar') {
    points += POINTS.similarName;
    reasons.push({ code: 'similar-name', values: names, points: POINTS.similarName });
  } else if (relation === 'different') {
    reasons.push({ code: 'different-names', values: names });
  }
  const otherBirthday = birthdaysDiffer(a.birthday, b.birthday);
  if (otherBirthday) reasons.push({ code: 'different-birthdays', values: [a.birthday, b.birthday] });
  const against = relation === 'different' || otherBirthday;
  const score = Math.max(0, Math.min(100, points));
  return { score: against ? Math.min(score, CAPPED_AT) : score, reasons };
}
