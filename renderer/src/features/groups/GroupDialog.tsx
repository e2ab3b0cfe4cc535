/**
 * The one dialog for a group's life: create (then add the contacts it was opened with), rename,
 * or delete (which never deletes a contact; the dialog says how many stay).
 */
import { useId, useState } from 'react';
import { syncSoon } from '../../actions';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { groupErrorText } from './actions';

export function GroupDialog({ mode, bookId, groupKey, addIds, onClose }: { mode: 'create' | 'rename' | 'delete'; bookId: string; groupKey?: string; addIds?: readonly string[]; onClose: () => void }) {
  const services = useServices();
  const { t, groups } = services;
  const id = useId();
  const group = groupKey === undefined ? undefined : groups.group(bookId, groupKey);
  const [name, setName] = useState(mode === 'rename' ? (group?.name ?? '') : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (mode === 'create') {
        const key = await groups.create(bookId, name);
        if (addIds !== undefined && addIds.length > 0) await groups.addMembers(bookId, key, addIds);
      } else if (mode === 'rename' && groupKey !== undefined) await groups.rename(bookId, groupKey, name);
      else if (mode === 'delete' && groupKey !== undefined) {
        await groups.remove(bookId, groupKey);
        const f = useUi.getState().filter;
        if (f.kind === 'group' && f.key === groupKey) useUi.getState().setFilter({ kind: 'book', id: bookId });
      }
      syncSoon([bookId]);
      onClose();
    } catch (e) {
      setError(groupErrorText(services, e));
      setBusy(false);
    }
  };

  if (mode === 'delete') {
    return (
      <Modal title={t('groups.deleteTitle', { name: group?.name ?? '' })} role="alertdialog" size="small" describedBy={`${id}-message`} onClose={onClose} onSubmit={() => void submit()} error={error} actions={<FormActions submit={t('groups.delete')} danger busy={busy} onCancel={onClose} />}>
        <p id={`${id}-message`}>{t('groups.deleteConfirm', { count: group?.memberIds.length ?? 0 })}</p>
      </Modal>
    );
  }
  return (
    <Modal
      title={mode === 'create' ? t('groups.new') : t('groups.rename')}
      size="small"
      onClose={onClose}
      onSubmit={() => void submit()}
      error={error}
      actions={<FormActions submit={mode === 'create' ? t('groups.create') : t('groups.renameAction')} busy={busy} onCancel={onClose} />}
    >
      <div className="form-field">
        <label htmlFor={`${id}-name`}>{t('groups.name')}</label>
        <input id={`${id}-name`} dir="auto" value={name} aria-invalid={error === null ? undefined : true} onChange={(e) => setName(e.target.value)} />
      </div>
    </Modal>
  );
}
