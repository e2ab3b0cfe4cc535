/**
 * Groups through .vcf files. Import: a file's group cards (either form) and the names its
 * contacts carry in CATEGORIES become groups of the book, in the book's storage, joining a group
 * of the same name where there is one. Export: a selection keeps its groups, as the book keeps them
 * (CATEGORIES in the cards, group cards beside them), or all as CATEGORIES for programs that read
 * only those.
 */
import { serializeVCard, type VCard } from '../vcard';
import { addCategory } from './categories';
import { PlannedBook } from './compose';
import { addMembers, creation } from './edits';
import { readCardFacts } from './facts';
import { removeGroupCardMembers } from './group-card';
import { contactsByUid, listGroups } from './list';
import { foldName, uidKey } from './members';
import type { CardFacts, GroupBook, GroupCardForm, GroupChange, GroupInfo, GroupStorage } from './types';

/** A group a file names: its name, its members by UID, and the group card it came as (if one). */
export interface ImportedGroup {
  readonly name: string;
  readonly memberUids: readonly string[];
  readonly card: { readonly form: GroupCardForm; readonly vcard: string; readonly uid: string } | null;
}

export interface ImportSplit {
  /** The cards to import as contacts (group cards taken out). */
  readonly contacts: VCard[];
  readonly groups: ImportedGroup[];
}

/**
 * A file's cards split into contacts and groups (run after the import has given every card a
 * UID). CATEGORIES stay in the contacts; in a book that keeps them, they are already its groups.
 */
export function splitImport(cards: readonly VCard[], storage: GroupStorage): ImportSplit {
  return splitImportFacts(cards, (card) => ({ ...readCardFacts('', card), vcard: () => serializeVCard(card) }), storage);
}

/** What the split reads of one card: its facts (`readCardFacts`, or the list fields an import derived), and its text for a group card. */
export type ImportFacts = Omit<CardFacts, 'id'> & { readonly vcard: () => string };

/**
 * The same over cards already read (the import worker's cards carry their list fields): no vCard
 * is parsed again. Members are taken as the keys the facts hold (`memberKey`: the UID without
 * `urn:uuid:`); other URIs (mailto:) match no contact and are left to the group card itself.
 */
export function splitImportFacts<T>(cards: readonly T[], factsOf: (card: T) => ImportFacts, storage: GroupStorage): { contacts: T[]; groups: ImportedGroup[] } {
  const contacts: T[] = [];
  const groups: ImportedGroup[] = [];
  const byName = new Map<string, { name: string; uids: string[] }>();
  for (const card of cards) {
    const facts = factsOf(card);
    if (facts.group !== null) {
      groups.push({ name: facts.name, memberUids: [...facts.members], card: { form: facts.group, vcard: facts.vcard(), uid: facts.uid } });
      continue;
    }
    contacts.push(card);
    if (storage === 'categories' || storage === 'local-only' || facts.uid === '') continue;
    for (const c of facts.categories) {
      const f = foldName(c);
      if (f === '') continue;
      const g = byName.get(f) ?? { name: c.trim(), uids: [] };
      g.uids.push(facts.uid);
      byName.set(f, g);
    }
  }
  for (const g of byName.values()) groups.push({ name: g.name, memberUids: g.uids, card: null });
  return { contacts, groups };
}

/**
 * What an import will do to the book's groups, for its summary: each group name the file carries
 * (group cards and CATEGORIES alike, one name one group), made new or joined to the book's group
 * of that name.
 */
export function importGroupCounts(existing: readonly { readonly name: string }[], names: Iterable<string>): { created: number; joined: number } {
  const have = new Set(existing.map((g) => foldName(g.name)));
  const seen = new Set<string>();
  let created = 0;
  let joined = 0;
  for (const n of names) {
    const f = foldName(n);
    if (f === '' || seen.has(f)) continue;
    seen.add(f);
    if (have.has(f)) joined++;
    else created++;
  }
  return { created, joined };
}

/**
 * The writes that give the book the file's groups, once its contacts are stored (`book` includes
 * them; members are found by UID). A group joins the book's group of the same name, else is made;
 * a group card already in the book's own form is kept as it came (its other lines included).
 */
export function importGroupChanges(book: GroupBook, groups: readonly ImportedGroup[], newId: () => string): GroupChange[] {
  const plan = new PlannedBook(book);
  for (const g of groups) {
    if (foldName(g.name) === '') continue;
    const now = plan.book();
    const byUid = contactsByUid(now.cards);
    const members = g.memberUids.map((u) => byUid.get(uidKey(u))).filter((i): i is number => i !== undefined).map((i) => now.cards[i]!);
    const target = listGroups(now).find((x) => foldName(x.name) === foldName(g.name));
    const own = storageForm(now.setting.storage) !== null || now.setting.storage === 'google-labels';
    if (target !== undefined && !(own && target.card === null && target.labelId === null)) {
      plan.apply(addMembers(now, target.key, members.map((m) => m.id), newId));
      continue;
    }
    // A new group; or, in a book of group cards or labels, one of the book's own for a name that
    // only CATEGORIES carry (those stay: the listing shows both as one group).
    const sameForm = target === undefined && g.card !== null && g.card.uid !== '' && storageForm(now.setting.storage) === g.card.form && !now.cards.some((c) => uidKey(c.uid) === uidKey(g.card!.uid));
    if (sameForm) plan.apply([{ kind: 'create-card', uid: g.card!.uid, vcard: g.card!.vcard }]);
    else plan.apply(creation(now, target?.name ?? g.name.trim(), newId(), members).changes);
  }
  return plan.changes();
}

function storageForm(storage: GroupStorage): GroupCardForm | null {
  return storage === 'apple-cards' ? 'apple' : storage === 'vcard4-cards' ? 'vcard4' : null;
}

export type ExportGroupsAs = 'book' | 'categories';

/**
 * The vCards to export for a selection (card ids), with their groups: `book` writes them as the
 * book keeps them (group cards of groups the selection is in follow the contacts, naming only
 * selected members besides those from elsewhere); `categories` writes every group a contact is in
 * into its CATEGORIES and no group cards. A Google book's labels are always written as CATEGORIES.
 */
export function exportWithGroups(book: GroupBook, ids: readonly string[], as: ExportGroupsAs = 'book'): string[] {
  return exportEntries(book, ids, as).map((e) => e.vcard);
}

/** One card an export writes: a selected contact (its groups added as CATEGORIES where asked), or a group card. */
export interface ExportEntry {
  readonly id: string;
  readonly vcard: string;
  readonly groupCard: boolean;
}

/** The same, with each card's id: the contacts in the order of `ids` (the list's), then the group cards. */
export function exportEntries(book: GroupBook, ids: readonly string[], as: ExportGroupsAs = 'book'): ExportEntry[] {
  const selected = new Set(ids);
  const groups = listGroups(book);
  const out: ExportEntry[] = [];
  const namesOf = exportedCategories(groups, as, selected);
  const contacts = new Set(book.cards.filter((c) => c.group === null).map((c) => c.id));
  for (const id of new Set(ids)) {
    if (!contacts.has(id)) continue;
    const text = book.vcard(id);
    if (text === undefined) continue;
    out.push({ id, vcard: withExportedCategories(text, namesOf.get(id)), groupCard: false });
  }
  if (as === 'book') {
    const byUid = contactsByUid(book.cards);
    for (const g of groups) {
      if (g.card === null) continue;
      const chosen = selected.has(g.card.id) || g.memberIds.some((m) => selected.has(m));
      if (!chosen) continue;
      const text = book.vcard(g.card.id);
      if (text === undefined) continue;
      const facts = book.cards.find((c) => c.id === g.card!.id)!;
      const left = new Set(facts.members.filter((k) => byUid.has(k) && !selected.has(book.cards[byUid.get(k)!]!.id)));
      out.push({ id: g.card.id, vcard: left.size === 0 ? text : removeGroupCardMembers(text, left), groupCard: true });
    }
  }
  return out;
}

/**
 * The group names an export writes into each contact's CATEGORIES beyond those its card holds:
 * a Google book's labels always (they live outside the card), every group with `categories`.
 * `groups` as `listGroups` gives them (its order is the order they are written in).
 */
export function exportedCategories(groups: readonly GroupInfo[], as: ExportGroupsAs, only?: ReadonlySet<string>): Map<string, string[]> {
  const namesOf = new Map<string, string[]>();
  for (const g of groups) {
    if (as !== 'categories' && g.labelId === null) continue;
    for (const m of g.memberIds) {
      if (only !== undefined && !only.has(m)) continue;
      let names = namesOf.get(m);
      if (names === undefined) namesOf.set(m, (names = []));
      names.push(g.name);
    }
  }
  return namesOf;
}

/** A contact's card as an export writes it: `names` (from `exportedCategories`) added to its CATEGORIES. */
export function withExportedCategories(vcard: string, names: readonly string[] | undefined): string {
  let text = vcard;
  for (const name of names ?? []) text = addCategory(text, name);
  return text;
}

