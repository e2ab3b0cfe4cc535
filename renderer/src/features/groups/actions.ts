/**
 * Group actions as the window does them: through the group store (one transaction each, the list
 * following after it commits), a sync soon for a synced book, and a failure in words.
 */
import { GroupError } from '../../../../shared/groups/types';
import { syncSoon } from '../../actions';
import type { Services } from '../../services';
import { useUi } from '../../store/ui';

/** A group failure in the user's language. */
export function groupErrorText(s: Pick<Services, 't'>, e: unknown): string {
  if (e instanceof GroupError) return s.t(`groups.error.${e.code}`);
  return s.t('groups.error.failed', { message: e instanceof Error ? e.message : String(e) });
}

/** Run a group action on a book; a failure is shown, never swallowed. Says whether it worked. */
export async function runGroupAction(s: Services, bookId: string, action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    syncSoon([bookId]);
    return true;
  } catch (e) {
    useUi.getState().showToast(groupErrorText(s, e));
    return false;
  }
}

/** Add contacts to a group (those of other books are left out), with a toast saying how many. */
export async function addToGroup(s: Services, bookId: string, key: string, ids: readonly string[]): Promise<void> {
  const before = new Set(s.groups.memberIds(bookId, key));
  const name = s.groups.group(bookId, key)?.name ?? '';
  if (!(await runGroupAction(s, bookId, () => s.groups.addMembers(bookId, key, ids)))) return;
  const added = s.groups.memberIds(bookId, key).filter((id) => !before.has(id)).length;
  // Contacts of other books are no members of this book's group: said, not counted as "0 added".
  const elsewhere = ids.filter((id) => s.index.get(id)?.bookId !== bookId).length;
  useUi.getState().showToast((tr) => {
    const other = tr('groups.otherBook', { count: elsewhere });
    if (elsewhere > 0 && added === 0) return other;
    const done = tr('groups.added', { count: added, name });
    return elsewhere > 0 ? `${done} · ${other}` : done;
  });
}

export async function removeFromGroup(s: Services, bookId: string, key: string, ids: readonly string[]): Promise<void> {
  const before = s.groups.memberIds(bookId, key).length;
  const name = s.groups.group(bookId, key)?.name ?? '';
  if (!(await runGroupAction(s, bookId, () => s.groups.removeMembers(bookId, key, ids)))) return;
  useUi.getState().showToast((tr) => tr('groups.removed', { count: before - s.groups.memberIds(bookId, key).length, name }));
}

/** The drag payload of list rows (their ids), read by the sidebar's groups. */
export const CONTACTS_DRAG_TYPE = 'application/x-cardinal-contacts';
