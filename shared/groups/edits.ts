/**
 * Group actions as the writes they need. Each returns `GroupChange`s for the store to make (card
 * patches are pending edits the sync uploads like any other); none deletes a contact. A group kept
 * in several forms (a group card and a category of the same name) is changed in all of them;
 * members are added in the form the group already has (card, then label, then CATEGORIES).
 */
import { applyEdit, parseVCard, serializeVCard, toContact } from '../vcard';
import { addCategory, removeCategory, renameCategory } from './categories';
import { addGroupCardMembers, newGroupCard, removeGroupCardMembers, renameGroupCard } from './group-card';
import { newLabel, type StoredLabel } from './labels';
import { findGroup, listGroups, nameKey } from './list';
import { foldName, uidKey } from './members';
import { GroupError, type BookGroupSetting, type CardFacts, type GroupBook, type GroupChange, type GroupInfo } from './types';

function checkName(name: string): string {
  const n = name.normalize('NFC').trim();
  if (n === '') throw new GroupError('empty-name', 'A group needs a name.');
  if (/[\r\n]/.test(n)) throw new GroupError('empty-name', 'A group name is one line.');
  return n;
}

function checkFree(groups: readonly GroupInfo[], name: string, except?: string): void {
  if (groups.some((g) => g.key !== except && foldName(g.name) === foldName(name))) {
    throw new GroupError('duplicate-name', `There is already a group named “${name}”.`);
  }
}

function group(book: GroupBook, key: string): { groups: GroupInfo[]; group: GroupInfo } {
  const groups = listGroups(book);
  const g = findGroup(groups, key);
  if (g === undefined) throw new GroupError('unknown-group', 'That group no longer exists.');
  return { groups, group: g };
}

function text(book: GroupBook, id: string): string {
  const v = book.vcard(id);
  if (v === undefined) throw new GroupError('unknown-group', `The card ${id} is not in this book.`);
  return v;
}

function label(book: GroupBook, id: string): StoredLabel {
  const l = book.labels?.find((x) => x.id === id);
  if (l === undefined) throw new GroupError('unknown-group', 'That label no longer exists.');
  return l;
}

function setting(book: GroupBook, empty: readonly string[]): GroupChange[] {
  const s = book.setting;
  if (empty.length === s.empty.length && empty.every((e, i) => e === s.empty[i])) return [];
  const next: BookGroupSetting = { ...s, empty: [...empty] };
  return [{ kind: 'setting', setting: next }];
}

/** Patches for every card that changed. */
function patches(book: GroupBook, ids: Iterable<string>, edit: (vcard: string) => string): GroupChange[] {
  const out: GroupChange[] = [];
  for (const id of ids) {
    const before = text(book, id);
    const after = edit(before);
    if (after !== before) out.push({ kind: 'update-card', id, vcard: after });
  }
  return out;
}

/** A new, empty group in the book's storage. Its key is returned with the writes. */
export function createGroup(book: GroupBook, name: string, id: string): { key: string; changes: GroupChange[] } {
  const n = checkName(name);
  checkFree(listGroups(book), n);
  return creation(book, n, id);
}

/**
 * The writes that make a group in the book's storage, holding `members` from the start, without
 * looking at the names already there (an import gives a name that only CATEGORIES carry in an
 * Apple book a group card of its own).
 */
export function creation(book: GroupBook, name: string, id: string, members: readonly CardFacts[] = []): { key: string; changes: GroupChange[] } {
  switch (book.setting.storage) {
    case 'apple-cards':
    case 'vcard4-cards': {
      const form = book.setting.storage === 'apple-cards' ? 'apple' : 'vcard4';
      const uids = members.map((m) => m.uid).filter((u) => u !== '');
      return { key: `card:${uidKey(id)}`, changes: [{ kind: 'create-card', uid: id, vcard: newGroupCard(form, id, name, uids) }] };
    }
    case 'google-labels':
      return { key: `label:${id}`, changes: [{ kind: 'label', label: newLabel(id, name, members.map((m) => m.id)) }] };
    case 'categories':
    case 'local-only': {
      const key = nameKey(name);
      if (members.length === 0) return { key, changes: setting(book, [...book.setting.empty, name]) };
      return { key, changes: patches(book, members.map((m) => m.id), (v) => addCategory(v, name)) };
    }
  }
}

export function renameGroup(book: GroupBook, key: string, name: string): GroupChange[] {
  const n = checkName(name);
  const { groups, group: g } = group(book, key);
  checkFree(groups, n, key);
  if (n === g.name) return [];
  const changes: GroupChange[] = [];
  if (g.card !== null) changes.push(...patches(book, [g.card.id], (v) => renameGroupCard(v, n)));
  if (g.labelId !== null) changes.push({ kind: 'label', label: { ...label(book, g.labelId), name: n } });
  if (g.inCategories) changes.push(...patches(book, g.memberIds, (v) => renameCategory(v, g.name, n)));
  const f = foldName(g.name);
  if (book.setting.empty.some((e) => foldName(e) === f)) {
    changes.push(...setting(book, book.setting.empty.map((e) => (foldName(e) === f ? n : e))));
  }
  return changes;
}

/** The group goes; its members stay in the book, only no longer in it. */
export function deleteGroup(book: GroupBook, key: string): GroupChange[] {
  const { group: g } = group(book, key);
  const changes: GroupChange[] = [];
  if (g.card !== null) changes.push({ kind: 'delete-card', id: g.card.id });
  if (g.labelId !== null) changes.push({ kind: 'label', label: { ...label(book, g.labelId), deleted: true } });
  if (g.inCategories) changes.push(...patches(book, g.memberIds, (v) => removeCategory(v, g.name)));
  const f = foldName(g.name);
  changes.push(...setting(book, book.setting.empty.filter((e) => foldName(e) !== f)));
  return changes;
}

function contacts(book: GroupBook, ids: readonly string[]): CardFacts[] {
  const wanted = new Set(ids);
  return book.cards.filter((c) => wanted.has(c.id) && c.group === null);
}

/**
 * Put these contacts in the group (group cards and ids of other books are left out). A contact
 * without a UID gets one (`newUid`), since a group card names its members by UID.
 */
export function addMembers(book: GroupBook, key: string, ids: readonly string[], newUid: () => string): GroupChange[] {
  const { group: g } = group(book, key);
  const already = new Set(g.memberIds);
  const adding = contacts(book, ids).filter((c) => !already.has(c.id));
  if (adding.length === 0) return [];
  const changes: GroupChange[] = [];
  if (g.card !== null) {
    const uids: string[] = [];
    for (const c of adding) {
      if (c.uid !== '') {
        uids.push(c.uid);
        continue;
      }
      const uid = newUid();
      const card = parseVCard(text(book, c.id));
      const before = toContact(card);
      changes.push({ kind: 'update-card', id: c.id, vcard: serializeVCard(applyEdit(card, before, { ...before, uid })) });
      uids.push(uid);
    }
    changes.push(...patches(book, [g.card.id], (v) => addGroupCardMembers(v, uids)));
  } else if (g.labelId !== null) {
    const l = label(book, g.labelId);
    changes.push({ kind: 'label', label: { ...l, members: [...new Set([...l.members, ...adding.map((c) => c.id)])] } });
  } else {
    changes.push(...patches(book, adding.map((c) => c.id), (v) => addCategory(v, g.name)));
    const f = foldName(g.name);
    changes.push(...setting(book, book.setting.empty.filter((e) => foldName(e) !== f)));
  }
  return changes;
}

/** Take these contacts out of the group, in every form it is kept in. */
export function removeMembers(book: GroupBook, key: string, ids: readonly string[]): GroupChange[] {
  const { group: g } = group(book, key);
  const inGroup = new Set(g.memberIds);
  const leaving = contacts(book, ids).filter((c) => inGroup.has(c.id));
  if (leaving.length === 0) return [];
  const changes: GroupChange[] = [];
  if (g.card !== null) {
    const keys = new Set(leaving.filter((c) => c.uid !== '').map((c) => uidKey(c.uid)));
    changes.push(...patches(book, [g.card.id], (v) => removeGroupCardMembers(v, keys)));
  }
  if (g.labelId !== null) {
    const l = label(book, g.labelId);
    const gone = new Set(leaving.map((c) => c.id));
    changes.push({ kind: 'label', label: { ...l, members: l.members.filter((m) => !gone.has(m)) } });
  }
  if (g.inCategories) {
    const f = foldName(g.name);
    const carrying = leaving.filter((c) => c.categories.some((x) => foldName(x) === f)).map((c) => c.id);
    changes.push(...patches(book, carrying, (v) => removeCategory(v, g.name)));
  }
  return changes;
}
