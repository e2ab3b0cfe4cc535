/**
 * Duplicates: look for contacts that seem to be one person (in the duplicates worker, with
 * progress), list each group with its score and reasons, and review one side by side before
 * merging it. Nothing is merged without the user's "Merge"; "Not duplicates" sets a group aside
 * for the session. Opened from the sidebar (the book in view preselected), or by an import with
 * the groups it found.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DuplicateCluster } from '../../../../shared/duplicates/types';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { useDirectory } from '../accounts/directory';
import { Modal } from '../common/Modal';
import { appRegion, duplicateFinder, type FindProgress } from './finder';
import { ReviewPane } from './ReviewPane';
import { clusterReasons, savedDismissals } from './review-view';

/** Groups drawn at a time (a large book can have thousands). */
const PAGE = 50;

type Step = { kind: 'finding'; progress: FindProgress | null } | { kind: 'list' } | { kind: 'review'; cluster: DuplicateCluster } | { kind: 'failed'; message: string };

export function DuplicatesDialog({ bookId: firstBook, preset, onClose }: { bookId: string | null; preset?: readonly DuplicateCluster[]; onClose: () => void }) {
  const services = useServices();
  const { t, index, repo, dates } = services;
  const books = useDirectory((d) => d.books);
  const [bookId, setBookId] = useState<string | null>(firstBook);
  const [across, setAcross] = useState(false);
  const [clusters, setClusters] = useState<readonly DuplicateCluster[]>(preset ?? []);
  const [stats, setStats] = useState<{ contacts: number; shared: number; unreadable: number } | null>(null);
  const [step, setStep] = useState<Step>(preset === undefined ? { kind: 'finding', progress: null } : { kind: 'list' });
  const [run, setRun] = useState(preset === undefined ? 1 : 0);
  const [notice, setNotice] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (run === 0) return;
    let live = true;
    performance.mark('cardinal:duplicates-start');
    const rows = index.query('', bookId).filter((r) => r.pending !== 'deleted');
    void appRegion()
      .then((region) =>
        duplicateFinder.find(
          rows,
          repo.db.name,
          region,
          bookId === null && across ? 'all-books' : 'book',
          (progress) => {
            if (live) setStep({ kind: 'finding', progress });
          },
        ),
      )
      .then(
        (found) => {
          if (!live) return;
          performance.mark('cardinal:duplicates-found');
          setClusters(found.report.clusters);
          setStats({ contacts: found.report.stats.contacts, shared: found.report.sharedKeys.length, unreadable: found.unreadable.length });
          setStep({ kind: 'list' });
        },
        (e: unknown) => {
          if (live) setStep({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
        },
      );
    return () => {
      live = false;
    };
  }, [run, index, repo, bookId, across]);

  // Groups whose cards are all linked already (one contact) are not proposed again.
  const linked = (c: DuplicateCluster) => {
    const link = services.links.linkOf(c.members[0]!);
    return link !== null && c.members.every((id) => link.members.includes(id));
  };
  // Worked out when the list is shown and only again when the groups, the list, the links or the
  // dismissals change: not on each progress message of a run (3,000 groups at 50,000 contacts made
  // every such render a long task of the window's).
  const listShown = step.kind === 'list';
  const { links } = services;
  const visible = useMemo(
    () => (listShown ? savedDismissals.visible(clusters).filter((c) => c.members.every((id) => index.get(id) !== undefined && index.get(id)?.pending !== 'deleted') && !linked(c)) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the versions say when the index, the links and the dismissals changed
    [clusters, listShown, index, index.version, links, links.version, savedDismissals.version],
  );
  const nameOf = useCallback((id: string) => index.get(id)?.displayName || t('list.noName'), [index, t]);
  const names = (c: DuplicateCluster) => c.members.map(nameOf).join(' · ');
  const bookName = (id: string) => (id === LOCAL_BOOK_ID ? t('books.local') : (books.find((b) => b.id === id)?.name ?? ''));
  const backToList = (message: string | null) => {
    setNotice(message);
    setStep({ kind: 'list' });
  };
  useEffect(() => {
    // Back on the list, the keyboard goes to its first control (the review's buttons are gone).
    if (step.kind === 'list') listRef.current?.querySelector<HTMLElement>('button, select, input')?.focus();
  }, [step.kind]);

  if (step.kind === 'review') {
    return (
        <ReviewPane
          cluster={step.cluster}
          onClose={onClose}
          bookName={bookName}
          onBack={() => backToList(null)}
          onDismissed={() => {
            savedDismissals.dismiss(step.cluster.members);
            backToList(t('dup.dismissed'));
          }}
          onMerged={(message) => {
            // A merge leaves one of its cards (a link across books removes none): the count follows.
            const gone = step.cluster.books.length > 1 ? 0 : step.cluster.members.length - 1;
            setStats((s) => (s === null ? s : { ...s, contacts: Math.max(0, s.contacts - gone) }));
            backToList(message);
          }}
        />
    );
  }

  const progressText = (p: FindProgress | null): string => {
    if (p === null || p.step === 'comparing') return t('dup.comparing');
    return t(p.step === 'reading' ? 'dup.reading' : 'dup.keys', { done: p.done, total: p.total });
  };

  return (
    <Modal title={t('dup.title')} onClose={onClose} size="wide" className="dup-dialog">
      <div className="form-stack" ref={listRef}>
        {preset === undefined ? (
          <div className="dup-scope">
            <div className="form-field">
              <label htmlFor="dup-book">{t('dup.lookIn')}</label>
              <select id="dup-book" value={bookId ?? ''} disabled={step.kind === 'finding'} onChange={(e) => {
                  setStep({ kind: 'finding', progress: null });
                  setBookId(e.target.value === '' ? null : e.target.value);
                }}>
                <option value="">{t('dup.allBooks')}</option>
                {books.map((b) => (
                  <option key={b.id} value={b.id}>
                    {bookName(b.id)}
                  </option>
                ))}
              </select>
            </div>
            {bookId === null && books.length > 1 ? (
              <label className="checkbox">
                <input type="checkbox" checked={across} disabled={step.kind === 'finding'} onChange={(e) => {
                    setStep({ kind: 'finding', progress: null });
                    setAcross(e.target.checked);
                  }} />
                {t('dup.acrossBooks')}
              </label>
            ) : null}
            <button type="button" disabled={step.kind === 'finding'} onClick={() => {
                setStep({ kind: 'finding', progress: null });
                setRun((r) => r + 1);
              }}>
              {t('dup.findAgain')}
            </button>
          </div>
        ) : null}
        {step.kind === 'finding' ? (
          <div className="dup-progress" role="status" aria-live="polite">
            <progress max={step.progress?.total ?? 1} value={step.progress === null || step.progress.step === 'comparing' ? undefined : step.progress.done} aria-label={progressText(step.progress)} />
            <span>{progressText(step.progress)}</span>
          </div>
        ) : step.kind === 'failed' ? (
          <p role="alert" className="form-error">
            {t('dup.failed', { message: step.message })}
          </p>
        ) : (
          <>
            <p role="status" data-testid="dup-summary">
              {notice !== null ? `${notice} ` : ''}
              {preset !== undefined ? (visible.length === 0 ? t('dup.importReviewed') : t('dup.fromImport', { clusters: visible.length })) : visible.length === 0 ? t('dup.none', { count: stats?.contacts ?? 0 }) : t('dup.found', { clusters: visible.length })}
            </p>
            {stats !== null && stats.shared > 0 ? <p className="muted">{t('dup.shared', { count: stats.shared })}</p> : null}
            {stats !== null && stats.unreadable > 0 ? <p className="muted">{t('dup.unreadable', { count: stats.unreadable })}</p> : null}
            {visible.length > 0 ? (
              <ul className="dup-clusters" aria-label={t('dup.clusterList')}>
                {visible.slice(0, shown).map((c) => {
                  const label = names(c);
                  return (
                    <li key={c.members.join(' ')} className="dup-cluster" data-testid="dup-cluster">
                      <div className="dup-cluster-head">
                        <bdi className="dup-names">{label}</bdi>
                        <span className="dup-score">{t('dup.score', { score: c.score })}</span>
                      </div>
                      {c.books.length > 1 ? <p className="muted">{c.books.map(bookName).join(' · ')}</p> : null}
                      <ul className="dup-reasons">
                        {clusterReasons(c, t, dates).map((r) => (
                          <li key={r.text}>
                            <bdi>{r.text}</bdi>
                            {r.points !== null ? <span className="muted"> · {t('dup.points', { points: r.points })}</span> : null}
                          </li>
                        ))}
                      </ul>
                      <div className="dup-cluster-actions">
                        <button type="button" className="primary" aria-label={t('dup.reviewOf', { names: label })} onClick={() => setStep({ kind: 'review', cluster: c })}>
                          {t('dup.review')}
                        </button>
                        <button
                          type="button"
                          aria-label={t('dup.notDuplicatesOf', { names: label })}
                          onClick={() => {
                            savedDismissals.dismiss(c.members);
                            setNotice(t('dup.dismissed'));
                            setClusters((list) => [...list]);
                          }}
                        >
                          {t('dup.notDuplicates')}
                        </button>
                      </div>
                    </li>
                  );
                })}
              </ul>
            ) : null}
            {visible.length > shown ? (
              <button type="button" onClick={() => setShown((k) => k + PAGE)}>
                {t('dup.showMore', { count: Math.min(PAGE, visible.length - shown) })}
              </button>
            ) : null}
            {stats !== null ? <p className="muted dup-count">{t('list.count', { count: stats.contacts })}</p> : null}
          </>
        )}
      </div>
    </Modal>
  );
}

/** Open the dialog for the book in view (or every book). */
export function openDuplicates(): void {
  const f = useUi.getState().filter;
  useUi.getState().openDialog({ kind: 'duplicates', bookId: f.kind === 'book' ? f.id : f.kind === 'group' ? f.bookId : null });
}
