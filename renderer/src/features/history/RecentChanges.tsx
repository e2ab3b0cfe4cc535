/**
 * A book's recent changes: its sync runs and imports of the last 90 days, the latest first, each
 * with what it added, changed and deleted, and Undo (every contact it touched back to the version
 * it had before, as edits here that sync; asked first when some of them were changed again since).
 */
import { useState, type ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { Undo2 } from 'lucide-react';
import { LOCAL_BOOK_ID, type RunRow } from '../../db/schema';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { useDirectory } from '../accounts/directory';
import { undoRun } from './actions';
import { VirtualRows } from './VirtualRows';
import { bookName, moment, serverName } from './who';

const ROW = 64;

export function RecentChanges({ toolbar, bookId: initial }: { toolbar: ReactNode; bookId?: string }) {
  const services = useServices();
  const { t, repo, dates } = services;
  const { books, accounts } = useDirectory();
  // Until the user picks one: the book of the latest run (an import just made shows at once),
  // else a server's book, else this computer's.
  const [picked, setBookId] = useState<string | null>(initial ?? null);
  const latest = useLiveQuery(() => (picked === null ? repo.db.runs.orderBy('at').last() : undefined), [repo, picked]);
  const bookId = picked ?? (latest !== undefined && books.some((b) => b.id === latest.bookId) ? latest.bookId : (books.find((b) => b.id !== LOCAL_BOOK_ID)?.id ?? LOCAL_BOOK_ID));
  const runs = useLiveQuery(() => repo.runsOf(bookId), [repo, bookId]);
  const [asking, setBusy] = useState<string | null>(null);
  // An undo under way (from here or from the dialog that asked first): how far it got.
  const undoing = useUi((s) => s.undoing);
  const busy = asking ?? undoing?.runId ?? null;
  const title = (r: RunRow) => (r.kind === 'sync' ? t('changes.sync', { server: `\u2068${serverName(t, accounts, r.bookId)}\u2069` }) : r.name !== undefined ? t('changes.import', { file: `\u2068${r.name}\u2069` }) : t('changes.importNoName'));
  const row = (r: RunRow) => {
    const when = moment(dates.locale, r.at);
    const n = (c: RunRow['entries'][number]['change']) => r.entries.filter((e) => e.change === c).length;
    return (
      <div className="run-row">
        <span className="list-text">
          <span className="list-name" id={`run-title-${r.id}`}>
            <bdi>{title(r)}</bdi>
          </span>
          <span className="list-sub">
            {when} · {t('changes.counts', { created: n('created'), updated: n('updated'), deleted: n('deleted') })}
          </span>
        </span>
        {r.undoneAt !== undefined ? (
          <span className="muted run-undone">{t('changes.undone', { when: moment(dates.locale, r.undoneAt) })}</span>
        ) : (
          <button
            type="button"
            // Under way, its name is what it shows ("Undoing… 3 of 8"), the run it undoes its description.
            aria-label={busy === r.id ? undefined : t('changes.undoLabel', { what: title(r), when })}
            aria-describedby={busy === r.id ? `run-title-${r.id}` : undefined}
            aria-busy={busy === r.id}
            disabled={busy !== null}
            onClick={() => {
              setBusy(r.id);
              // Contacts changed again since the run would lose those changes (History keeps
              // them): ask first, with how many.
              void (async () => {
                const later = await repo.changedAfterRun(r.id);
                if (later > 0) useUi.getState().openDialog({ kind: 'undo-run', runId: r.id, what: title(r), count: later });
                else await undoRun(services, r.id);
              })().finally(() => setBusy(null));
            }}
          >
            <Undo2 aria-hidden="true" size={16} />
            {/* A large import's undo takes a while: the button says it is under way, and how far it got. */}
            {busy !== r.id ? t('changes.undo') : undoing?.runId === r.id ? t('changes.undoingCount', { done: undoing.done, total: undoing.total }) : t('changes.undoing')}
          </button>
        )}
      </div>
    );
  };
  return (
    <section className="wide-pane" aria-labelledby="changes-heading">
      <div className="list-toolbar">
        {toolbar}
        <h2 id="changes-heading" className="pane-heading">
          {t('books.changes')}
        </h2>
        <label className="changes-book">
          <span>{t('changes.book')}</span>
          <select value={bookId} onChange={(e) => setBookId(e.target.value)}>
            {books.map((b) => (
              <option key={b.id} value={b.id}>
                {bookName(t, books, b.id)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="pane-intro muted">{t('changes.intro')}</p>
      {runs === undefined ? null : runs.length === 0 ? (
        <p className="list-empty">{t('changes.none')}</p>
      ) : (
        <VirtualRows items={runs} rowHeight={ROW} label={t('changes.list')} keyOf={(r) => r.id} render={row} />
      )}
    </section>
  );
}
