/**
 * Print: a phone list (names, numbers, e-mail addresses) or full cards, of all contacts, a book or
 * the group in view or the selection, on A4 or Letter. Preview lays them out in the UI language and opens the print
 * view, from which they are printed or saved as PDF.
 */
import { useState } from 'react';
import type { PrintLayout } from '../../../../shared/print';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { scopeCards, scopeIds, type ExportScope } from '../export/scope';
import { useScopeChoice } from '../export/ScopeChoice';
import { Choice } from '../settings/SettingsDialog';
import { makePrintJob, usePrintJob } from './print-job';

export function PrintDialog({ scope: initial, onClose }: { scope: ExportScope; onClose: () => void }) {
  const s = useServices();
  const { t } = s;
  const [layout, setLayout] = useState<PrintLayout>('phone-list');
  const [paper, setPaper] = useState<'A4' | 'Letter'>(s.dates.locale.endsWith('-US') || s.dates.locale.endsWith('-CA') ? 'Letter' : 'A4');
  const [busy, setBusy] = useState(false);
  const { scope, count, name: scopeName, picker } = useScopeChoice(initial);
  const preview = async () => {
    setBusy(true);
    const cards = await scopeCards(s, scopeIds(s.index, s.groups, scope));
    const where = scopeName ?? (scope.kind === 'selection' ? t('print.selection') : t('books.all'));
    const title = t(layout === 'phone-list' ? 'print.title.phoneList' : 'print.title.cards', { where });
    usePrintJob.getState().show(makePrintJob(cards.map((c) => c.vcard), { layout, lang: s.lang, title, paper, t }));
    useUi.getState().closeDialog();
  };

  return (
    <Modal title={t('print.title')} onSubmit={() => void preview()} onClose={onClose} actions={<FormActions submit={t('print.preview')} busy={busy} disabled={count === 0} onCancel={onClose} />}>
      <div className="form-stack">
        <Choice<PrintLayout>
          legend={t('print.layout')}
          value={layout}
          options={[
            { value: 'phone-list', label: t('print.layout.phoneList') },
            { value: 'cards', label: t('print.layout.cards') },
          ]}
          onChange={setLayout}
        />
        {picker}
        <Choice<'A4' | 'Letter'>
          legend={t('print.paper')}
          value={paper}
          options={[
            { value: 'A4', label: 'A4' },
            { value: 'Letter', label: 'Letter' },
          ]}
          onChange={setPaper}
        />
      </div>
    </Modal>
  );
}
