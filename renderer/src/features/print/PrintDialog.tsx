/**
 * Print: a phone list (names, numbers, e-mail addresses) or full cards, of all contacts, a book or
 * the selection, on A4 or Letter. Preview lays them out in the UI language and opens the print
 * view, from which they are printed or saved as PDF.
 */
import { useId, useState } from 'react';
import type { PrintLayout } from '../../../../shared/print';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { useDirectory } from '../accounts/directory';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { scopeCards, scopeIds, type ExportScope } from '../export/scope';
import { Choice } from '../settings/SettingsDialog';
import { makePrintJob, usePrintJob } from './print-job';

export function PrintDialog({ scope: initial, onClose }: { scope: ExportScope; onClose: () => void }) {
  const s = useServices();
  const { t } = s;
  const id = useId();
  const books = useDirectory((d) => d.books);
  const [layout, setLayout] = useState<PrintLayout>('phone-list');
  const [scopeKind, setScopeKind] = useState<ExportScope['kind']>(initial.kind);
  const [bookId, setBookId] = useState(initial.kind === 'book' ? initial.bookId : (books[0]?.id ?? LOCAL_BOOK_ID));
  const [paper, setPaper] = useState<'A4' | 'Letter'>(s.dates.locale.endsWith('-US') || s.dates.locale.endsWith('-CA') ? 'Letter' : 'A4');
  const [busy, setBusy] = useState(false);
  const selection = initial.kind === 'selection' ? initial.ids : [];
  const scope: ExportScope = scopeKind === 'book' ? { kind: 'book', bookId } : scopeKind === 'selection' ? { kind: 'selection', ids: selection } : { kind: 'all' };
  const count = scopeIds(s.index, scope).length;
  const bookName = (b: { id: string; name: string }) => (b.id === LOCAL_BOOK_ID ? t('books.local') : b.name);

  const preview = async () => {
    setBusy(true);
    const cards = await scopeCards(s, scopeIds(s.index, scope));
    const book = books.find((b) => b.id === bookId);
    const where = scope.kind === 'book' && book !== undefined ? bookName(book) : scope.kind === 'selection' ? t('print.selection') : t('books.all');
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
        <Choice<ExportScope['kind']>
          legend={t('export.scope')}
          value={scopeKind}
          options={[
            { value: 'all', label: t('export.scope.all', { count: scopeIds(s.index, { kind: 'all' }).length }) },
            { value: 'book', label: t('export.scope.book') },
            ...(selection.length > 0 ? [{ value: 'selection' as const, label: t('export.scope.selection', { count: selection.length }) }] : []),
          ]}
          onChange={setScopeKind}
        />
        {scopeKind === 'book' ? (
          <div className="form-field">
            <label htmlFor={`${id}-book`}>{t('export.book')}</label>
            <select id={`${id}-book`} value={bookId} onChange={(e) => setBookId(e.target.value)}>
              {books.map((b) => (
                <option key={b.id} value={b.id}>
                  {bookName(b)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
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
