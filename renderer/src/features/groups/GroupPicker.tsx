/**
 * The contact editor's groups: a checkbox per group of the contact's book. A group that CATEGORIES
 * keep is the editor's own field (ticking it edits the card's CATEGORIES, which the Groups text
 * field shows too); a group kept in a group card (or a Google label) is ticked here and changed
 * by the group store when the contact is saved, since it lives outside the card.
 */
import { useSyncExternalStore } from 'react';
import { foldName } from '../../../../shared/groups/members';
import type { GroupInfo } from '../../../../shared/groups/types';
import { useServices } from '../../services';

/** Membership ticks not yet saved, by group key (true: join, false: leave). */
export type GroupPicks = ReadonlyMap<string, boolean>;

export const inCategoriesOnly = (g: GroupInfo): boolean => g.card === null && g.labelId === null;

export function GroupPicker({ bookId, contactId, categories, onCategories, picks, onPicks }: { bookId: string; contactId: string | null; categories: readonly string[]; onCategories: (next: string[]) => void; picks: GroupPicks; onPicks: (next: GroupPicks) => void }) {
  const { t, groups } = useServices();
  useSyncExternalStore(groups.subscribe, groups.getVersion);
  const list = groups.groups(bookId);
  if (list.length === 0) return null;
  const folded = new Set(categories.map(foldName));
  const checked = (g: GroupInfo) => (inCategoriesOnly(g) ? folded.has(foldName(g.name)) : (picks.get(g.key) ?? (contactId !== null && g.memberIds.includes(contactId))));
  const toggle = (g: GroupInfo, on: boolean) => {
    if (inCategoriesOnly(g)) {
      const f = foldName(g.name);
      onCategories(on ? [...categories.filter((c) => foldName(c) !== f), g.name] : categories.filter((c) => foldName(c) !== f));
    } else {
      const next = new Map(picks);
      const was = contactId !== null && g.memberIds.includes(contactId);
      if (on === was) next.delete(g.key);
      else next.set(g.key, on);
      onPicks(next);
    }
  };
  return (
    <fieldset className="items-editor group-picker">
      <legend>{t('groups.picker')}</legend>
      {list.map((g) => (
        <label key={g.key} className="checkbox">
          <input type="checkbox" checked={checked(g)} onChange={(e) => toggle(g, e.target.checked)} /> <bdi>{g.name}</bdi>
        </label>
      ))}
    </fieldset>
  );
}

/** After the contact is saved: the group-card and label ticks, through the group store. */
export async function applyPicks(groupsStore: { addMembers(b: string, k: string, ids: readonly string[]): Promise<void>; removeMembers(b: string, k: string, ids: readonly string[]): Promise<void> }, bookId: string, contactId: string, picks: GroupPicks): Promise<void> {
  for (const [key, on] of picks) {
    if (on) await groupsStore.addMembers(bookId, key, [contactId]);
    else await groupsStore.removeMembers(bookId, key, [contactId]);
  }
}
