/**
 * What the trash, the history panel and the recent-changes list do: each writes through the
 * store (repo.ts, one transaction per batch), then the in-memory list follows, then the sync is
 * told about the books that changed and a toast says what happened.
 */
import { syncSoon } from '../../actions';
import type { RestoreResult } from '../../db/repo';
import { LOCAL_BOOK_ID } from '../../db/schema';
import type { Services } from '../../services';
import { useUi } from '../../store/ui';
import { useDirectory } from '../accounts/directory';
import { useSettings } from '../settings/settings';
import { bookName } from './who';

/** Where a contact whose book is gone is restored: the settings' default book, else this computer's. */
function fallbackBook(): string {
  return useSettings.getState().defaultBook ?? LOCAL_BOOK_ID;
}

function follow(s: Services, result: RestoreResult): void {
  s.index.remove(result.removed);
  if (result.hidden.length > 0) s.index.upsert(result.hidden);
  s.index.upsert(result.changed);
  syncSoon([...result.changed, ...result.hidden].map((r) => r.bookId));
}

export async function restoreFromTrash(s: Services, ids: readonly string[]): Promise<void> {
  const result = await s.repo.restoreFromTrash(ids, fallbackBook());
  // Back in its book, a linked card is linked again (its link kept it); one put in another book is a new contact there.
  if (result.moved.length > 0) await s.links.leave(result.moved);
  follow(s, result);
  const name = result.changed[0]?.displayName || s.t('list.noName');
  const target = result.changed.find((r) => result.moved.includes(r.id))?.bookId ?? LOCAL_BOOK_ID;
  const books = useDirectory.getState().books;
  useUi.getState().showToast((tr) => {
    const restored = tr('trash.restored', { count: result.changed.length, name });
    return result.moved.length === 0 ? restored : `${restored} · ${tr('trash.restoredElsewhere', { count: result.moved.length, book: bookName(tr, books, target) })}`;
  });
}

export async function deleteForever(s: Services, ids: readonly string[]): Promise<void> {
  await s.repo.deleteForever(ids);
  useUi.getState().showToast((tr) => tr('trash.deletedForever'));
}

export async function emptyTrash(s: Services): Promise<void> {
  const count = await s.repo.emptyTrash();
  useUi.getState().showToast((tr) => tr('trash.emptied', { count }));
}

export async function restoreVersion(s: Services, contactId: string, versionId: string, when: string): Promise<void> {
  const stored = await s.repo.restoreVersion(contactId, versionId);
  if (stored === undefined) {
    useUi.getState().showToast((tr) => tr('history.gone'));
    return;
  }
  s.index.upsert([stored.row]);
  syncSoon([stored.row.bookId]);
  useUi.getState().showToast((tr) => tr('history.restored', { when }));
}

export async function undoRun(s: Services, runId: string): Promise<void> {
  // The button says how far it got (a large import's undo is batches of thousands); the list
  // follows once, at the end, or with what the committed batches did if a later one failed.
  let sofar: RestoreResult | undefined;
  let result: RestoreResult;
  try {
    result = await s.repo.undoRun(runId, fallbackBook(), (done, total, committed) => {
      sofar = committed;
      useUi.setState({ undoing: { runId, done, total } });
    });
  } catch (e) {
    if (sofar !== undefined) follow(s, sofar);
    throw e;
  } finally {
    useUi.setState({ undoing: null });
  }
  follow(s, result);
  // What the undo did, in two parts: contacts put back as they were, and those the run had added,
  // now in the Trash (an import's undo is mostly the second).
  const trashed = new Set(result.removed);
  const back = new Set(result.changed.map((r) => r.id).filter((id) => !trashed.has(id))).size;
  const books = useDirectory.getState().books;
  const target = fallbackBook();
  useUi.getState().showToast((tr) => {
    const parts = [...(back > 0 || trashed.size === 0 ? [tr('changes.undoneToast', { count: back })] : []), ...(trashed.size > 0 ? [tr('changes.undoneTrashed', { count: trashed.size })] : [])];
    const undone = parts.join(' · ');
    return result.moved.length === 0 ? undone : `${undone} · ${tr('trash.restoredElsewhere', { count: result.moved.length, book: bookName(tr, books, target) })}`;
  });
}
