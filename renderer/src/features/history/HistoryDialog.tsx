/**
 * A contact's history: its versions, the newest first, each with what changed from the one before
 * it, property by property (values isolated in <bdi>), who made it (this computer, or the server
 * of its book) and when; any older version can be restored as a new edit, which syncs.
 */
import { useMemo } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { RotateCcw } from 'lucide-react';
import type { VersionRow } from '../../db/schema';
import type { MessageKey } from '../../i18n';
import { useServices } from '../../services';
import { useDirectory } from '../accounts/directory';
import { Modal } from '../common/Modal';
import { restoreVersion } from './actions';
import { diffCards, historyTypeWord, type PropertyChange } from './diff';
import { moment, serverName } from './who';

const NAMED = new Set(['FN', 'N', 'NICKNAME', 'ORG', 'TITLE', 'ROLE', 'EMAIL', 'TEL', 'ADR', 'URL', 'BDAY', 'ANNIVERSARY', 'NOTE', 'CATEGORIES', 'PHOTO', 'IMPP', 'RELATED', 'UID']);

function Change({ change }: { change: PropertyChange }) {
  const { t } = useServices();
  const label = NAMED.has(change.name) ? t(`history.prop.${change.name}` as MessageKey) : change.name;
  return (
    <li className="history-change">
      <span className="history-prop">{NAMED.has(change.name) ? label : <bdi>{label}</bdi>}</span>
      <ul className="history-values">
        {change.removed.map((v, i) => (
          <li key={`r${i}`} className="history-removed">
            <span className="visually-hidden">{t('history.removed')}: </span>
            <del>
              <bdi>{v}</bdi>
            </del>
          </li>
        ))}
        {change.added.map((v, i) => (
          <li key={`a${i}`} className="history-added">
            <span className="visually-hidden">{t('history.added')}: </span>
            <ins>
              <bdi>{v}</bdi>
            </ins>
          </li>
        ))}
      </ul>
    </li>
  );
}

export function HistoryDialog({ contactId, onClose }: { contactId: string; onClose: () => void }) {
  const services = useServices();
  const { t, repo, index, dates } = services;
  const accounts = useDirectory((d) => d.accounts);
  const versions = useLiveQuery(() => repo.versionsOf(contactId), [repo, contactId]);
  const name = index.get(contactId)?.displayName || t('list.noName');
  const photo = t('history.photo');
  const typeWord = useMemo(() => historyTypeWord(t), [t]);
  const diffs = useMemo(() => (versions ?? []).map((v, i) => diffCards(versions![i + 1]?.vcard ?? null, v.vcard, photo, typeWord)), [versions, photo, typeWord]);
  const who = (v: VersionRow) => (v.by === 'server' ? t('history.byServer', { server: serverName(t, accounts, v.bookId) }) : t('history.byLocal'));
  return (
    <Modal title={t('history.title', { name })} size="wide" onClose={onClose} className="history-dialog">
      <p className="muted">{t('history.intro')}</p>
      {versions === undefined ? null : versions.length === 0 ? (
        <p>{t('history.none')}</p>
      ) : (
        <ol className="history-list" aria-label={t('history.versions')}>
          {versions.map((v, i) => {
            const when = moment(dates.locale, v.at);
            const changes = diffs[i] ?? [];
            return (
              <li key={v.id} className="history-version" data-source={v.source}>
                <div className="history-head">
                  <h3>{t(`history.source.${v.source}` as MessageKey)}</h3>
                  <span className="muted">{v.source === 'earlier' ? when : t('history.when', { when, who: who(v) })}</span>
                  {i === 0 ? (
                    <span className="history-current">{t('history.current')}</span>
                  ) : (
                    <button type="button" aria-label={t('history.restoreOf', { when })} onClick={() => void restoreVersion(services, contactId, v.id, when)}>
                      <RotateCcw aria-hidden="true" size={16} />
                      {t('history.restore')}
                    </button>
                  )}
                </div>
                {i === versions.length - 1 ? <p className="muted history-note">{t('history.first')}</p> : changes.length === 0 ? <p className="muted history-note">{t('history.noChange')}</p> : null}
                {i < versions.length - 1 && changes.length > 0 ? (
                  <ul className="history-changes">
                    {changes.map((c) => (
                      <Change key={c.name} change={c} />
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </Modal>
  );
}
