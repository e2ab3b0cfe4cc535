/**
 * A book's groups with their members, from the cards' facts (and a Google book's labels). Every form
 * the book holds is listed, whatever its setting says: a Nextcloud book's group cards and the
 * CATEGORIES an imported file brought are both groups, and one name is one group (a category and a
 * group card of the same name are shown, and edited, as one).
 */
import { foldName, uidKey } from './members';
import type { CardFacts, GroupBook, GroupCardForm, GroupInfo } from './types';

interface Building {
  key: string;
  name: string;
  positions: Set<number>;
  card: { id: string; form: GroupCardForm } | null;
  labelId: string | null;
  inCategories: boolean;
  external: number;
}

/** The book's contacts (not group cards) by UID key, first card wins. */
export function contactsByUid(cards: readonly CardFacts[]): Map<string, number> {
  const out = new Map<string, number>();
  cards.forEach((c, i) => {
    if (c.group !== null || c.uid === '') return;
    const k = uidKey(c.uid);
    if (!out.has(k)) out.set(k, i);
  });
  return out;
}

export function groupCardKey(card: CardFacts): string {
  return card.uid === '' ? `card:#${card.id}` : `card:${uidKey(card.uid)}`;
}

export function nameKey(name: string): string {
  return `name:${foldName(name)}`;
}

export function listGroups(book: GroupBook, compare: (a: string, b: string) => number = (a, b) => a.localeCompare(b)): GroupInfo[] {
  const { cards } = book;
  const byUid = contactsByUid(cards);
  const position = new Map(cards.map((c, i) => [c.id, i]));
  const groups: Building[] = [];
  // Folding is the costly part at 50,000 cards (NFC); a book repeats few names.
  const folded = new Map<string, string>();
  const fold = (name: string): string => {
    let f = folded.get(name);
    if (f === undefined) folded.set(name, (f = foldName(name)));
    return f;
  };
  /** The group each folded name belongs to (the first to claim it). */
  const byName = new Map<string, Building>();
  const claim = (g: Building): void => {
    groups.push(g);
    const f = fold(g.name);
    if (!byName.has(f)) byName.set(f, g);
  };

  if (book.setting.storage === 'google-labels') {
    for (const l of book.labels ?? []) {
      if (l.deleted) continue;
      const positions = new Set<number>();
      for (const m of l.members) {
        const p = position.get(m);
        if (p !== undefined && cards[p]!.group === null) positions.add(p);
      }
      claim({ key: `label:${l.id}`, name: l.name, positions, card: null, labelId: l.id, inCategories: false, external: 0 });
    }
  }
  cards.forEach((c) => {
    if (c.group === null) return;
    const positions = new Set<number>();
    let external = 0;
    for (const m of c.members) {
      const p = byUid.get(m);
      if (p === undefined) external++;
      else positions.add(p);
    }
    claim({ key: groupCardKey(c), name: c.name, positions, card: { id: c.id, form: c.group }, labelId: null, inCategories: false, external });
  });
  cards.forEach((c, i) => {
    if (c.group !== null) return;
    for (const cat of c.categories) {
      const f = fold(cat);
      if (f === '') continue;
      let g = byName.get(f);
      if (g === undefined) {
        g = { key: nameKey(cat), name: cat.trim(), positions: new Set(), card: null, labelId: null, inCategories: true, external: 0 };
        claim(g);
      }
      g.inCategories = true;
      g.positions.add(i);
    }
  });
  for (const name of book.setting.empty) {
    if (foldName(name) !== '' && !byName.has(foldName(name))) {
      claim({ key: nameKey(name), name: name.trim(), positions: new Set(), card: null, labelId: null, inCategories: false, external: 0 });
    }
  }
  return groups
    .map((g) => ({
      key: g.key,
      name: g.name,
      memberIds: [...g.positions].sort((a, b) => a - b).map((p) => cards[p]!.id),
      card: g.card,
      labelId: g.labelId,
      inCategories: g.inCategories,
      external: g.external,
    }))
    .sort((a, b) => compare(a.name, b.name) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The group with this key, or undefined. */
export function findGroup(groups: readonly GroupInfo[], key: string): GroupInfo | undefined {
  return groups.find((g) => g.key === key);
}
