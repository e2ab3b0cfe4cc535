/**
 * The page-side logic of the Duplicates dialog, apart from React so it is tested on its own: a
 * reason in words, which card stays, the side-by-side cells of a review, the import's offer as
 * clusters, and the dismissals ("Not duplicates") kept on this computer.
 */
import type { DuplicateCluster, DuplicatePair, ImportDuplicate, MatchReason } from '../../../../shared/duplicates/types';
import type { ItemKind, MergeField, SingleFieldId } from '../../../../shared/duplicates/review';
import type { ContactRow } from '../../db/schema';
import type { MessageKey, Translate } from '../../i18n';
import { parseDate } from '../../../../shared/vcard';
import { shownPhoneKey } from '../../../../shared/duplicates/phone';
import { formatDate, type DateFormatting } from '../dates/format';

/** A reason the finder gave, in the UI language. */
export function reasonText(r: MatchReason, t: Translate, dates?: DateFormatting): string {
  switch (r.code) {
    case 'same-email':
      return t('dup.reason.sameEmail', { value: r.value, sharedBy: r.sharedBy });
    case 'same-phone':
      return t('dup.reason.samePhone', { value: shownPhoneKey(r.value), sharedBy: r.sharedBy });
    case 'same-name':
      return r.values[0] === r.values[1] ? t('dup.reason.sameNameOnce', { a: r.values[0] }) : t('dup.reason.sameName', { a: r.values[0], b: r.values[1] });
    case 'similar-name':
      return t('dup.reason.similarName', { a: r.values[0], b: r.values[1] });
    case 'different-details':
      return t('dup.reason.differentDetails');
    case 'different-names':
      return t('dup.reason.differentNames', { a: r.values[0], b: r.values[1] });
    case 'different-birthdays':
      return t('dup.reason.differentBirthdays', dates === undefined ? { a: r.values[0], b: r.values[1] } : { a: shownValue(true, r.values[0], dates), b: shownValue(true, r.values[1], dates) });
  }
}

/** What a reason added to the score (the evidence against adds none). */
export function reasonPoints(r: MatchReason): number | null {
  return 'points' in r ? r.points : null;
}

/** The reasons of a cluster's pairs, each said once, strongest first. */
export function clusterReasons(cluster: DuplicateCluster, t: Translate, dates?: DateFormatting): { text: string; points: number | null }[] {
  const seen = new Map<string, number | null>();
  for (const pair of cluster.pairs) {
    for (const r of pair.reasons) {
      const text = reasonText(r, t, dates);
      if (!seen.has(text)) seen.set(text, reasonPoints(r));
    }
  }
  return [...seen.entries()].map(([text, points]) => ({ text, points })).sort((a, b) => (b.points ?? -1000) - (a.points ?? -1000));
}

/** A cluster's identity for dismissals: its members, in any order. */
export function clusterKey(members: readonly string[]): string {
  return [...members].sort().join('\u0000');
}

/** Where dismissals are kept between sessions (the page's localStorage; nothing in tests). */
export interface DismissalStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const DISMISSALS_KEY = 'cardinal.duplicates.dismissed';

/**
 * "Not duplicates", remembered on this computer (the page's localStorage, beside the settings):
 * the same group of contacts is not proposed again, in this session or the next. A group that
 * gains a contact (a new import) is another group, shown. The newest `limit` groups are kept.
 */
export class Dismissals {
  private readonly keys = new Set<string>();
  /** One more with each dismissal (what the dialog's list is worked out again on). */
  version = 0;
  constructor(
    private readonly store: DismissalStore | null = null,
    private readonly limit = 5000,
  ) {
    if (store === null) return;
    try {
      const saved: unknown = JSON.parse(store.getItem(DISMISSALS_KEY) ?? '[]');
      if (Array.isArray(saved)) for (const k of saved) if (typeof k === 'string') this.keys.add(k);
    } catch {
      // A damaged value is forgotten: at worst a group is proposed again.
    }
  }
  dismiss(members: readonly string[]): void {
    const key = clusterKey(members);
    this.version++;
    this.keys.delete(key);
    this.keys.add(key);
    while (this.keys.size > this.limit) this.keys.delete(this.keys.values().next().value!);
    try {
      this.store?.setItem(DISMISSALS_KEY, JSON.stringify([...this.keys]));
    } catch {
      // Storage full or refused: kept for this session only.
    }
  }
  has(members: readonly string[]): boolean {
    return this.keys.has(clusterKey(members));
  }
  visible<T extends { readonly members: readonly string[] }>(clusters: readonly T[]): T[] {
    return this.keys.size === 0 ? [...clusters] : clusters.filter((c) => !this.has(c.members));
  }
}

export const savedDismissals = new Dismissals(typeof localStorage === 'undefined' ? null : localStorage);

/** A value of the review as the UI writes it: a birthday or other date in the UI's calendar and digits. */
export function shownValue(isDate: boolean, text: string, dates: DateFormatting): string {
  if (!isDate) return text;
  return text
    .split('\n\n')
    .map((one) => formatDate(parseDate(one), dates))
    .join('\n\n');
}

/**
 * The card that stays (is updated; the others are removed): one the server already holds, so a
 * synced book updates it there rather than uploading a new one; then one that was here before an
 * import brought the others (`incoming`: its UID and its forms stay, and undoing that import
 * leaves the contact in place); then the one here longest (`since`: when its oldest kept version
 * was recorded; none, a contact from before the history began, is the oldest), so that a merge
 * found later in the sidebar keeps the contact the user had too, not an import's newer card
 * (which undoing the import would take away); among those, the fullest card (most lines), then
 * the first.
 */
export function chooseSurvivor(members: readonly { row: ContactRow | undefined; lines: number; since?: number }[], ids: readonly string[], incoming?: string): string {
  let best = 0;
  const rank = (i: number): [number, number, number, number] => {
    const m = members[i]!;
    const onServer = m.row !== undefined && m.row.pending !== 'created' ? 1 : 0;
    return [onServer, ids[i] === incoming ? 0 : 1, m.since === undefined ? Number.POSITIVE_INFINITY : -m.since, m.lines];
  };
  const better = (a: readonly number[], b: readonly number[]) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! > b[k]!;
    return false;
  };
  for (let i = 1; i < members.length; i++) if (better(rank(i), rank(best))) best = i;
  return ids[best]!;
}

/** One card's cell in a field's row: the radio of a value first held by it, the same value as another's, or nothing. */
export type FieldCell = { readonly kind: 'choice'; readonly candidate: number } | { readonly kind: 'same'; readonly candidate: number } | { readonly kind: 'absent' };

/** A single-valued property across the cards, side by side (cards in `sources` order). */
export function fieldCells(field: MergeField, sources: readonly string[]): FieldCell[] {
  return sources.map((id) => {
    const candidate = field.candidates.findIndex((c) => c.from.includes(id));
    if (candidate < 0) return { kind: 'absent' };
    return field.candidates[candidate]!.from[0] === id ? { kind: 'choice', candidate } : { kind: 'same', candidate };
  });
}

export const FIELD_KEY: Readonly<Record<SingleFieldId, MessageKey>> = {
  FN: 'dup.field.FN',
  N: 'dup.field.N',
  PHONETIC: 'dup.field.PHONETIC',
  ORG: 'dup.field.ORG',
  TITLE: 'dup.field.TITLE',
  ROLE: 'dup.field.ROLE',
  BDAY: 'dup.field.BDAY',
  ANNIVERSARY: 'dup.field.ANNIVERSARY',
  GENDER: 'dup.field.GENDER',
  KIND: 'dup.field.KIND',
  NOTE: 'dup.field.NOTE',
  PHOTO: 'dup.field.PHOTO',
  LOGO: 'dup.field.LOGO',
  TZ: 'dup.field.TZ',
  GEO: 'dup.field.GEO',
};

const KIND_KEY: Readonly<Record<Exclude<ItemKind, 'other'>, MessageKey>> = {
  email: 'dup.kind.email',
  phone: 'dup.kind.phone',
  address: 'dup.kind.address',
  url: 'dup.kind.url',
  im: 'dup.kind.im',
  related: 'dup.kind.related',
  date: 'dup.kind.date',
  label: 'dup.kind.label',
  category: 'dup.kind.category',
  nickname: 'dup.kind.nickname',
};

/** What a united item is called: its kind, or (an unknown property) its name as written. */
export function itemKindText(kind: ItemKind, property: string, t: Translate): string {
  return kind === 'other' ? property : t(KIND_KEY[kind]);
}

/**
 * The import's offer as clusters for the dialog: each incoming card (by the id it got when it was
 * written) with the existing contacts it looks like. `newIds` maps the ids the finder was given
 * to the stored ones; incoming cards not written (left out) are dropped.
 */
export function importClusters(found: readonly ImportDuplicate[], newIds: ReadonlyMap<string, string>, bookId: string): DuplicateCluster[] {
  const out: DuplicateCluster[] = [];
  for (const d of found) {
    const id = newIds.get(d.incoming);
    if (id === undefined || d.existing.length === 0) continue;
    const pairs: DuplicatePair[] = d.existing.map((p) => ({ ...p, a: id }));
    out.push({ members: [id, ...d.existing.map((p) => p.b)], pairs, score: pairs[0]!.score, books: [bookId], incoming: id });
  }
  return out;
}

/** vCard TYPE values with words of their own (home, work, mobile, fax and other as the contact view names them). */
const TYPE_KEY: Readonly<Record<string, MessageKey>> = {
  home: 'type.home',
  work: 'type.work',
  cell: 'type.cell',
  mobile: 'type.cell',
  fax: 'type.fax',
  other: 'type.other',
  voice: 'dup.type.voice',
  pager: 'dup.type.pager',
  text: 'dup.type.text',
  video: 'dup.type.video',
  main: 'dup.type.main',
  iphone: 'dup.type.iphone',
  car: 'dup.type.car',
  textphone: 'dup.type.textphone',
  postal: 'dup.type.postal',
  parcel: 'dup.type.parcel',
  pref: 'dup.type.pref',
};

/**
 * An item's label and TYPEs as the review shows them (in brackets): a custom label as written,
 * each known type in the UI language, `internet` (every 3.0 e-mail has it) left out, any other
 * type (an `X-` one of some program) as the card has it.
 */
export function typeWords(label: string, types: readonly string[], t: Translate): string {
  const words = types.flatMap((ty) => (ty === 'internet' ? [] : [TYPE_KEY[ty] === undefined ? ty : t(TYPE_KEY[ty])]));
  return [...new Set([label, ...words])].filter((x) => x !== '').join(t('share.listSeparator'));
}
