import { useId, useState } from 'react';
import { canKeepBoth, parseVCard, resolveConflicts, type ConflictChoice, type MergeConflict } from '../../../../shared/vcard';
import { syncSoon } from '../../actions';
import type { CardRow } from '../../db/schema';
import type { MessageKey } from '../../i18n';
import { useServices } from '../../services';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';

/** The field names the editor uses, for the properties it has them for; others show as written. */
const FIELD_OF: Record<string, MessageKey> = {
  FN: 'field.formattedName',
  N: 'field.family',
  NICKNAME: 'field.nicknames',
  ORG: 'field.organization',
  TITLE: 'field.title',
  ROLE: 'field.role',
  EMAIL: 'field.emails',
  TEL: 'field.phones',
  URL: 'field.urls',
  IMPP: 'field.ims',
  'X-SOCIALPROFILE': 'field.urls',
  RELATED: 'field.related',
  ADR: 'field.addresses',
  BDAY: 'field.birthday',
  ANNIVERSARY: 'field.anniversary',
  NOTE: 'field.note',
  CATEGORIES: 'field.categories',
  PHOTO: 'field.photo',
};

/** A conflict's lines as a person reads them: the value after the colon, unescaped lightly. */
function shown(lines: readonly string[] | null, none: string): string {
  if (lines === null || lines.length === 0) return none;
  return lines
    .map((l) => {
      const colon = l.indexOf(':');
      return (colon >= 0 ? l.slice(colon + 1) : l).replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1').replace(/;+$/, '').replace(/;/g, ' ');
    })
    .join('\n');
}

/**
 * Both versions side by side, property by property: the user keeps this computer's value, the
 * server's, or (for properties a card can have several of) both. Saving uploads the result.
 */
export function ConflictDialog({ card, onClose }: { card: CardRow; onClose: () => void }) {
  const services = useServices();
  const { t, repo, index } = services;
  const conflicts: readonly MergeConflict[] = card.conflicts ?? [];
  const [choices, setChoices] = useState<ConflictChoice[]>(conflicts.map(() => 'local'));
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const save = async () => {
    try {
      const resolved = resolveConflicts(parseVCard(card.vcard), conflicts, choices);
      const stored = await repo.resolveConflict(card.id, resolved);
      index.upsert([stored.row]);
      syncSoon([stored.row.bookId]);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal title={t('conflict.title')} error={error} onSubmit={() => void save()} onClose={onClose} size="wide" actions={<FormActions submit={t('conflict.save')} onCancel={onClose} />}>
      <p>{t('conflict.explain')}</p>
      <table className="conflict-table">
        <thead>
          <tr>
            <th scope="col">{t('conflict.property')}</th>
            <th scope="col">{t('conflict.local')}</th>
            <th scope="col">{t('conflict.remote')}</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.map((c, i) => {
            const pick = (choice: ConflictChoice) => setChoices((prev) => prev.map((x, j) => (j === i ? choice : x)));
            return [
              <tr key={`${c.property}-${i}`} data-testid="conflict-row">
                <th scope="row">{FIELD_OF[c.property.toUpperCase()] !== undefined ? t(FIELD_OF[c.property.toUpperCase()]!) : c.property}</th>
                <td>
                  <label className="conflict-side">
                    <input type="radio" name={`${id}-${i}`} checked={choices[i] === 'local'} onChange={() => pick('local')} />
                    <bdi className="conflict-value">{shown(c.local, t('conflict.none'))}</bdi>
                  </label>
                </td>
                <td>
                  <label className="conflict-side">
                    <input type="radio" name={`${id}-${i}`} checked={choices[i] === 'remote'} onChange={() => pick('remote')} />
                    <bdi className="conflict-value">{shown(c.remote, t('conflict.none'))}</bdi>
                  </label>
                </td>
              </tr>,
              // "Keep both" belongs to neither side: a row of its own under both values.
              canKeepBoth(c) ? (
                <tr key={`${c.property}-${i}-both`} className="conflict-both-row">
                  <td />
                  <td colSpan={2}>
                    <label className="conflict-side">
                      <input type="radio" name={`${id}-${i}`} checked={choices[i] === 'both'} onChange={() => pick('both')} />
                      {t('conflict.both')}
                    </label>
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
    </Modal>
  );
}
