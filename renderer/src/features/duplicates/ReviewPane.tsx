/**
 * One group of likely duplicates, side by side: a column per card. Where the cards hold different
 * values of a single-valued property, a radio in the column of the card it comes from (the value
 * the card that stays holds is chosen first); every other value (e-mails, numbers, addresses,
 * groups, unknown properties…) of every card is kept, the same value once, each with a tick to
 * leave it out. "Merge" writes the core's `applyMerge` result; undo puts every card back.
 */
import { useEffect, useId, useState } from 'react';
import { applyMerge, buildReview, defaultChoices, type FieldChoice, type MergeChoices, type MergeReview } from '../../../../shared/duplicates/review';
import type { DuplicateCluster } from '../../../../shared/duplicates/types';
import { parseVCard } from '../../../../shared/vcard';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { Avatar } from '../contacts/Avatar';
import { Modal } from '../common/Modal';
import { appRegion } from './finder';
import { ChangedMeanwhile, MergedChangedSince, undoMerge, writeMerge } from './merge';
import { chooseSurvivor, fieldCells, FIELD_KEY, itemKindText, shownValue, typeWords } from './review-view';
import type { Translate } from '../../i18n';

const isDateField = (field: string) => field === 'BDAY' || field === 'ANNIVERSARY';

interface Loaded {
  review: MergeReview;
  /** Each card's text as reviewed. */
  texts: Map<string, string>;
}

export function ReviewPane({
  cluster,
  bookName,
  onClose,
  onBack,
  onDismissed,
  onMerged,
}: {
  cluster: DuplicateCluster;
  bookName: (id: string) => string;
  onClose: () => void;
  onBack: () => void;
  onDismissed: () => void;
  onMerged: (message: string) => void;
}) {
  const services = useServices();
  const { t, repo, index, dates } = services;
  const id = useId();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [choices, setChoices] = useState<MergeChoices | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const across = cluster.books.length > 1;
  // Across books: the card whose name the linked contact shows (the card that would stay, first).
  const [shownName, setShownName] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const cards = await repo.db.cards.bulkGet([...cluster.members]);
      const region = await appRegion();
      if (cards.some((c) => c === undefined)) throw new ChangedMeanwhile();
      const texts = new Map(cards.map((c) => [c!.id, c!.vcard]));
      const parsed = cards.map((c) => ({ id: c!.id, card: parseVCard(c!.vcard) }));
      // When each contact's oldest kept version was recorded: the one here longest stays.
      const since = await repo.firstVersionAt(parsed.map((p) => p.id));
      const survivor = chooseSurvivor(
        parsed.map((p, i) => ({ row: index.get(p.id), lines: p.card.properties.length, ...(since[i] === undefined ? {} : { since: since[i] }) })),
        parsed.map((p) => p.id),
        cluster.incoming,
      );
      const review = buildReview(parsed, { region, survivor });
      if (!live) return;
      setLoaded({ review, texts });
      setChoices(defaultChoices(review));
    })().catch((e: unknown) => {
      if (live) setError(e instanceof ChangedMeanwhile ? t('dup.changedMeanwhile') : t('dup.mergeFailed', { message: e instanceof Error ? e.message : String(e) }));
    });
    return () => {
      live = false;
    };
  }, [cluster, repo, index, t]);

  const merge = async () => {
    if (loaded === null || choices === null) return;
    setBusy(true);
    try {
      const outcome = applyMerge(loaded.review, choices);
      // A merged-away card linked to cards of other books: the card that stays takes its place.
      const linked = outcome.replaces.flatMap((r) => services.links.linkOf(r) ?? []);
      const done = await writeMerge(services, outcome, loaded.texts);
      if (linked.length > 0) await services.links.carryOver(linked, outcome.replaces, outcome.survivor);
      const message = (tr: Translate) => tr('dup.merged', { count: cluster.members.length, name: done.survivor.displayName || tr('list.noName') });
      useUi.getState().showToast(message, async () => {
        try {
          await undoMerge(services, done);
        } catch (e) {
          useUi.getState().showToast(e instanceof MergedChangedSince ? t('dup.undoChanged') : t('dup.mergeFailed', { message: (e as Error).message }));
        }
      });
      onMerged(message(t));
    } catch (e) {
      setBusy(false);
      setError(e instanceof ChangedMeanwhile ? t('dup.changedMeanwhile') : t('dup.mergeFailed', { message: (e as Error).message }));
    }
  };

  const link = async () => {
    if (loaded === null) return;
    setBusy(true);
    try {
      const primary = shownName ?? loaded.review.survivor;
      const done = await services.links.link(cluster.members, primary);
      const message = (tr: Translate) => tr('link.linked', { count: done.record.members.length, name: index.get(primary)?.displayName || tr('list.noName') });
      useUi.getState().showToast(message, () => services.links.undoLink(done.record, done.replaced));
      onMerged(message(t));
    } catch (e) {
      setBusy(false);
      setError(t('link.failed', { message: (e as Error).message }));
    }
  };

  const review = loaded?.review;
  const sources = review?.sources ?? [];
  const cardLabel = (cardId: string) => t('dup.card', { n: sources.indexOf(cardId) + 1 });
  const setField = (field: string, choice: FieldChoice) => setChoices((c) => (c === null ? c : { ...c, fields: { ...c.fields, [field]: choice } }));
  const toggleItem = (key: string, keep: boolean) => setChoices((c) => (c === null ? c : { ...c, excluded: keep ? c.excluded.filter((k) => k !== key) : [...c.excluded, key] }));
  const differing = review?.fields.filter((f) => f.candidates.length > 1) ?? [];
  const same = review?.fields.filter((f) => f.candidates.length === 1) ?? [];

  const actions = (
    <div className="form-actions">
      {across ? (
        <button type="button" className="primary" disabled={busy || loaded === null} aria-busy={busy || undefined} onClick={() => void link()}>
          {t('link.link')}
        </button>
      ) : (
        <button type="button" className="primary" disabled={busy || loaded === null} aria-busy={busy || undefined} onClick={() => void merge()}>
          {t('dup.merge')}
        </button>
      )}
      <button type="button" disabled={busy} onClick={onDismissed}>
        {t('dup.notDuplicates')}
      </button>
      <button type="button" disabled={busy} onClick={onBack}>
        {t('dup.back')}
      </button>
    </div>
  );
  return (
    <Modal title={t(across ? 'link.reviewTitle' : 'dup.reviewTitle', { count: cluster.members.length })} onClose={onClose} size="wide" className="dup-dialog" actions={actions}>
    <div className="dup-review form-stack" data-testid="dup-review">
      <p>{across ? t('link.intro') : t('dup.reviewIntro')}</p>
      {error !== null ? (
        <p className="form-error" role="alert" tabIndex={-1} ref={(el) => el?.focus()}>
          {error}
        </p>
      ) : null}
      {review === undefined || choices === null ? null : (
        <>
          <div className="dup-table-wrap">
            <table className="dup-table">
              <caption className="visually-hidden">{t('dup.choose')}</caption>
              <thead>
                <tr>
                  <td />
                  {sources.map((cardId) => {
                    const row = index.get(cardId);
                    return (
                      <th key={cardId} scope="col" className={cardId === (across ? (shownName ?? review.survivor) : review.survivor) ? 'dup-kept' : undefined}>
                        <span className="dup-card-name">{cardLabel(cardId)}</span>
                        <bdi className="dup-card-title">{row?.displayName || t('list.noName')}</bdi>
                        {row !== undefined ? <span className="muted dup-card-book">{t('dup.cardIn', { book: bookName(row.bookId) })}</span> : null}
                        {across ? (
                          <label className="dup-choice dup-shown-name">
                            <input type="radio" name={`${id}-shown`} aria-label={t('link.shownNameOf', { card: cardLabel(cardId) })} checked={(shownName ?? review.survivor) === cardId} onChange={() => setShownName(cardId)} />
                            {t('link.shownName')}
                          </label>
                        ) : cardId === review.survivor ? (
                          <span className="muted dup-card-kept">{t('dup.keptCard')}</span>
                        ) : null}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {differing.map((f) => {
                  const cells = fieldCells(f, sources);
                  const chosen = choices.fields[f.field];
                  const name = `${id}-${f.field}`;
                  return [
                    <tr key={f.field} data-testid="dup-field" data-field={f.field}>
                      <th scope="row">{t(FIELD_KEY[f.field])}</th>
                      {cells.map((cell, i) => (
                        <td key={sources[i]}>
                          {cell.kind === 'choice' ? (
                            <label className="dup-choice">
                              {across ? null : <input type="radio" name={name} checked={chosen === cell.candidate} onChange={() => setField(f.field, cell.candidate)} />}
                              {f.field === 'PHOTO' || f.field === 'LOGO' ? (
                                <Avatar name={t('dup.photoOf', { n: i + 1 })} photo={f.candidates[cell.candidate]!.text} size={48} bookId={index.get(sources[i]!)?.bookId} />
                              ) : (
                                <bdi className="dup-value">{shownValue(isDateField(f.field), f.candidates[cell.candidate]!.text, dates)}</bdi>
                              )}
                            </label>
                          ) : cell.kind === 'same' ? (
                            <span className="muted">{t('dup.same')}</span>
                          ) : (
                            <span className="muted" aria-label={t('conflict.none')}>
                              {t('dup.absent')}
                            </span>
                          )}
                        </td>
                      ))}
                    </tr>,
                    f.canKeepAll && !across ? (
                      <tr key={`${f.field}-all`} className="dup-keep-all">
                        <td />
                        <td colSpan={sources.length}>
                          <label className="dup-choice">
                            <input type="radio" name={name} checked={chosen === 'all'} onChange={() => setField(f.field, 'all')} />
                            {t('dup.keepAll')}
                          </label>
                        </td>
                      </tr>
                    ) : null,
                  ];
                })}
                {same.map((f) => (
                  <tr key={f.field} className="dup-same-row">
                    <th scope="row">{t(FIELD_KEY[f.field])}</th>
                    <td colSpan={sources.length}>
                      {f.field === 'PHOTO' || f.field === 'LOGO' ? (
                        <Avatar name={t(FIELD_KEY[f.field])} photo={f.candidates[0]!.text} size={48} bookId={index.get(review.survivor)?.bookId} />
                      ) : (
                        <bdi className="dup-value">{shownValue(isDateField(f.field), f.candidates[0]!.text, dates)}</bdi>
                      )}
                      <span className="muted"> · {f.candidates[0]!.from.length === sources.length ? t('dup.sameAll') : t('dup.fromCards', { cards: f.candidates[0]!.from.map(cardLabel).join(t('share.listSeparator')) })}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {review.items.length > 0 ? (
            <fieldset className="dup-items">
              <legend>{across ? t('link.together') : t('dup.united')}</legend>
              <ul>
                {review.items.map((item) => {
                  const what = itemKindText(item.kind, item.property, t);
                  const extra = typeWords(item.label, item.types, t);
                  return (
                    <li key={item.key} data-testid="dup-item">
                      <label className="dup-choice">
                        {across ? null : <input type="checkbox" checked={!choices.excluded.includes(item.key)} onChange={(e) => toggleItem(item.key, e.target.checked)} aria-label={t('dup.keepItem', { what: `${what}: ${shownValue(item.kind === 'date', item.text, dates)}` })} />}
                        <span className="dup-item-kind">{what}</span>
                        <bdi className="dup-value" dir={item.kind === 'email' || item.kind === 'phone' || item.kind === 'url' ? 'ltr' : undefined}>
                          {shownValue(item.kind === 'date', item.text, dates)}
                        </bdi>
                        {extra !== '' ? <bdi className="muted">({extra})</bdi> : null}
                        <span className="muted">{t('dup.fromCards', { cards: item.from.map(cardLabel).join(t('share.listSeparator')) })}</span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          ) : null}
        </>
      )}
    </div>
    </Modal>
  );
}
