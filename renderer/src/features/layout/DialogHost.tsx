/**
 * The one place dialogs are shown: whichever the UI store names (one at a time). Features ask for
 * a dialog with `openDialog({kind, ...})`; a new dialog is a new member of DialogRequest and a
 * case here.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { deleteContacts } from '../../actions';
import type { CardRow } from '../../db/schema';
import { useServices } from '../../services';
import { useUi, type DialogRequest } from '../../store/ui';
import { AccountDialog } from '../accounts/AccountDialog';
import { accountHost } from '../accounts/AccountPanel';
import { accountsChanged } from '../accounts/directory';
import { errorInWords } from '../accounts/error-words';
import { GoogleDialog } from '../accounts/GoogleDialog';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { useModalDialog } from '../common/Modal';
import { UnsavedDialog } from '../contacts/UnsavedDialog';
import { DeleteLinkedDialog } from '../contacts/LinkedView';
import { CsvMappingDialog } from '../import/CsvMappingDialog';
import { GroupDialog } from '../groups/GroupDialog';
import { ImportDialog, ImportReadingDialog } from '../import/ImportDialog';
import { ExportDialog } from '../export/ExportDialog';
import { ShareDialog } from '../share/ShareDialog';
import { PrintDialog } from '../print/PrintDialog';
import { SettingsDialog } from '../settings/SettingsDialog';
import { ConflictDialog } from '../sync/ConflictDialog';
import { DuplicatesDialog } from '../duplicates/DuplicatesDialog';
import { deleteForever, emptyTrash, undoRun } from '../history/actions';
import { HistoryDialog } from '../history/HistoryDialog';

/** The sidebar as a drawer from the start edge, for windows too narrow to keep it open. */
function Drawer({ children, onClose }: { children: ReactNode; onClose: () => void }) {
  const { t } = useServices();
  const ref = useRef<HTMLDialogElement>(null);
  useModalDialog(ref, onClose, () => document.getElementById('drawer-button'));
  return (
    <dialog
      ref={ref}
      id="drawer"
      className="drawer"
      aria-label={t('books.heading')}
      onClick={(e) => {
        // A click on the backdrop (the dialog box itself, outside its content) closes it.
        if (e.target === e.currentTarget) onClose();
      }}
    >
      {children}
    </dialog>
  );
}

function ConflictLoader({ contactId, onClose }: { contactId: string; onClose: () => void }) {
  const { repo } = useServices();
  const [card, setCard] = useState<CardRow | null>(null);
  useEffect(() => {
    void repo.getCard(contactId).then((c) => (c?.conflicts === undefined ? onClose() : setCard(c)));
  }, [repo, contactId, onClose]);
  return card === null ? null : <ConflictDialog card={card} onClose={onClose} />;
}

export function DialogHost({ drawer, onImportClosed }: { drawer: ReactNode; onImportClosed: () => void }) {
  const services = useServices();
  const { t } = services;
  const dialog = useUi((s) => s.dialog);
  const close = useUi((s) => s.closeDialog);
  // A plain function, not a component: the dialog keeps its state while the window re-renders.
  return dialog === null ? null : shown(dialog);

  function shown(d: DialogRequest): ReactNode {
    switch (d.kind) {
      case 'drawer':
        return <Drawer onClose={close}>{drawer}</Drawer>;
      case 'settings':
        return <SettingsDialog />;
      case 'add-carddav':
        return <AccountDialog onClose={close} onSaved={accountsChanged} />;
      case 'edit-account':
        return <AccountDialog account={d.account} purpose={d.purpose} onClose={close} onSaved={accountsChanged} />;
      case 'add-google':
        return <GoogleDialog onClose={close} onSaved={accountsChanged} />;
      case 'add-workspace':
        return <GoogleDialog shared onClose={close} onSaved={accountsChanged} />;
      case 'remove-account':
        return (
          <ConfirmDialog
            title={t('account.removeTitle', { account: d.account.user === '' ? accountHost(d.account) : `${d.account.user} · ${accountHost(d.account)}` })}
            message={d.pending > 0 ? t('account.removeConfirmPending', { count: d.pending }) : t('account.removeConfirm')}
            confirm={t('account.removeYes')}
            danger
            onClose={close}
            onConfirm={() =>
              window.cardinal.removeAccount(d.account.id).then(accountsChanged, (e: unknown) => useUi.getState().showToast(errorInWords(e, t)))
            }
          />
        );
      case 'delete-contacts':
        return <ConfirmDialog title={t('confirm.bulkDeleteTitle', { count: d.ids.length })} message={t('confirm.bulkDelete', { count: d.ids.length })} confirm={t('action.deleteSelected', { count: d.ids.length })} danger onClose={close} onConfirm={() => deleteContacts(services, d.ids)} />;
      case 'delete-linked':
        return <DeleteLinkedDialog linkId={d.linkId} onClose={close} />;
      case 'group':
        return <GroupDialog mode={d.mode} bookId={d.bookId} groupKey={d.key} addIds={d.addIds} onClose={close} />;
      case 'conflict':
        return <ConflictLoader contactId={d.contactId} onClose={close} />;
      case 'import':
        return (
          <ImportDialog
            preview={d.preview}
            onClose={() => {
              close();
              onImportClosed();
            }}
          />
        );
      case 'import-reading':
        return (
          <ImportReadingDialog
            fileName={d.fileName}
            onClose={() => {
              d.cancel();
              close();
            }}
          />
        );
      case 'csv-mapping':
        return (
          <CsvMappingDialog
            fileName={d.fileName}
            data={d.data}
            preview={d.preview}
            bookId={d.bookId}
            onClose={() => {
              close();
              onImportClosed();
            }}
          />
        );
      case 'export':
        return <ExportDialog scope={d.scope} format={d.format} onClose={close} />;
      case 'share':
        return <ShareDialog contactId={d.contactId} onClose={close} />;
      case 'print':
        return <PrintDialog scope={d.scope} onClose={close} />;
      case 'duplicates':
        return <DuplicatesDialog bookId={d.bookId} preset={d.preset} onClose={close} />;
      case 'unsaved':
        return <UnsavedDialog proceed={d.proceed} />;
      case 'history':
        return <HistoryDialog contactId={d.contactId} onClose={close} />;
      case 'trash-forever':
        return <ConfirmDialog title={t('trash.confirmForeverTitle', { name: d.name })} message={t('trash.confirmForever')} confirm={t('trash.deleteForever')} danger onClose={close} onConfirm={() => deleteForever(services, d.ids)} />;
      case 'undo-run':
        return <ConfirmDialog title={t('changes.laterTitle', { what: d.what })} message={t('changes.later', { count: d.count })} confirm={t('changes.undoAnyway')} danger onClose={close} onConfirm={() => undoRun(services, d.runId)} />;
      case 'trash-empty':
        return <ConfirmDialog title={t('trash.confirmEmptyTitle')} message={t('trash.confirmEmpty', { count: d.count })} confirm={t('trash.emptyTrash')} danger onClose={close} onConfirm={() => emptyTrash(services)} />;
    }
  }
}

