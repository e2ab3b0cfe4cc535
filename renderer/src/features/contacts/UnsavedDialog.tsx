import { useId } from 'react';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { saveOpenEditor } from './edit-guard';

/** Leaving a changed editor: Save (and go on), Discard (and go on), or Cancel (stay). */
export function UnsavedDialog({ proceed }: { proceed: () => void }) {
  const { t } = useServices();
  const close = useUi((s) => s.closeDialog);
  const id = useId();
  const save = async () => {
    // Closed first, so a form with errors can take the focus to its first one; nothing is left.
    close();
    if (await saveOpenEditor()) proceed();
  };
  return (
    <Modal
      title={t('unsaved.title')}
      role="alertdialog"
      size="small"
      describedBy={`${id}-text`}
      onClose={close}
      onSubmit={() => void save()}
      actions={
        <FormActions submit={t('action.save')} onCancel={close}>
          <button
            type="button"
            onClick={() => {
              close();
              useUi.getState().setMode('view');
              proceed();
            }}
          >
            {t('unsaved.discard')}
          </button>
        </FormActions>
      }
    >
      <p id={`${id}-text`}>{t('unsaved.text')}</p>
    </Modal>
  );
}
