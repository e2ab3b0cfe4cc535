import { useId } from 'react';
import { FormActions } from './FormActions';
import { Modal } from './Modal';

/**
 * A question before something that cannot be taken back easily: what will happen, the action
 * named by what it does ("Delete 3 contacts"), and Cancel. Focus starts on Cancel when the action
 * destroys something, so Enter alone never does it.
 */
export function ConfirmDialog({ title, message, confirm, danger = false, onConfirm, onClose }: { title: string; message: string; confirm: string; danger?: boolean; onConfirm: () => void | Promise<void>; onClose: () => void }) {
  const id = useId();
  return (
    <Modal
      title={title}
      role="alertdialog"
      size="small"
      describedBy={`${id}-message`}
      onClose={onClose}
      onSubmit={() => {
        onClose();
        void onConfirm();
      }}
      actions={<FormActions submit={confirm} danger={danger} onCancel={onClose} />}
    >
      <p id={`${id}-message`}>{message}</p>
    </Modal>
  );
}
