/**
 * Groups through .vcf files. Import: a file's group cards (either form) and the names its
 * contacts carry in CATEGORIES become groups of the book, in the book's storage, joining a group
 * of the same name where there is one. Export: a selection keeps its groups, as the book keeps them
 * (CATEGORIES in the cards, group cards beside them), or all as CATEGORIES for programs that read
 * only those.
 */
import { serializeVCard, textValue, versionOf, type VCard } from '../vcard';
import { addCategory } from './categories';
import { PlannedBook } from './compose';
import { addMembers, creation } from './edits';
import { groupCardName, groupFormOf, readCardFacts } from './facts';
import { removeGroupCardMembers } from './group-card';
import { contactsByUid, listGroups } from './list';
import { foldName, uidKey } from './members';
import type { GroupBook, GroupCardForm, GroupChange, GroupStorage } from './types';

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
  const contacts: VCard[] = [];
  const groups: ImportedGroup[] = [];
  const byName = new Map<string, { name: string; uids: string[] }>();
  for (const card of cards) {
    const form = groupFormOf(card);
    const facts = readCardFacts('', card);
    if (form !== null) {
      const version = versionOf(card);
      const uids = card.properties
        .filter((p) => /^(X-ADDRESSBOOKSERVER-)?MEMBER$/i.test(p.name))
        .map((p) => textValue(p, version).trim().replace(/^urn:uuid:/i, ''))
        .filter((u) => u !== '');
      groups.push({ name: groupCardName(card), memberUids: uids, card: { form, vcard: serializeVCard(card), uid: facts.uid } });
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
  const selected = new Set(ids);
  const groups = listGroups(book);
  const out: string[] = [];
  const namesOf = new Map<string, string[]>();
  for (const g of groups) {
    const asCategories = as === 'categories' || g.labelId !== null;
    if (!asCategories) continue;
    for (const m of g.memberIds) if (selected.has(m)) namesOf.set(m, [...(namesOf.get(m) ?? []), g.name]);
  }
  for (const c of book.cards) {
    if (!selected.has(c.id) || c.group !== null) continue;
    let text = book.vcard(c.id);
    if (text === undefined) continue;
    for (const name of namesOf.get(c.id) ?? []) text = addCategory(text, name);
    out.push(text);
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
      out.push(left.size === 0 ? text : removeGroupCardMembers(text, left));
    }
  }
  return out;
}
