/**
 * The column-mapping step of a CSV import, for CSVs that are neither Google's nor Outlook's: each
 * column with its first values and what it is imported as (proposed from its header and values,
 * changeable), the encoding and delimiter as detected (changeable: the preview is read again),
 * whether the first row names the columns, and how numeric dates are ordered. Continue reads
 * every row in the worker and goes on to the usual import summary.
 */
import { useId, useState } from 'react';
import { FileText } from 'lucide-react';
import { CSV_DELIMITERS, MAPPING_CHOICES, choiceId, customFieldTarget, type ColumnMapping, type ColumnTarget, type CsvDelimiter, type CsvEncoding, type CsvPreview, type DateOrder } from '../../../../shared/csv';
import type { MessageKey } from '../../i18n';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { csvProblem, EncodingDoubtNotice, EncodingSelect, RunTogetherAlert } from './CsvNotices';
import { previewCsvImport, previewCsvInWorker } from './import';

const SAMPLE_VALUES = 3;
const DELIMITER_KEY: Record<CsvDelimiter, MessageKey> = { ',': 'csv.delimiter.comma', ';': 'csv.delimiter.semicolon', '\t': 'csv.delimiter.tab' };
const DATE_ORDER_KEY: Record<DateOrder, MessageKey> = { ymd: 'csv.dateOrder.ymd', mdy: 'csv.dateOrder.mdy', dmy: 'csv.dateOrder.dmy' };

/** What a select shows for a column: a choice's id, "custom" (kept under its header), "" (left out), or "proposed" (a target of a known format's). */
function selectValue(target: ColumnTarget | null): string {
  if (target === null || target.kind === 'ignore') return '';
  if (target.kind === 'item' && target.field === 'custom') return 'custom';
  return choiceId(target) || 'proposed';
}

export function CsvMappingDialog({ fileName, data, preview: first, bookId, onClose }: { fileName: string; data: ArrayBuffer; preview: CsvPreview; bookId: string; onClose: () => void }) {
  const s = useServices();
  const { t } = s;
  const id = useId();
  const [preview, setPreview] = useState(first);
  const [mapping, setMapping] = useState<ColumnMapping>(first.mapping);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lineNumber = new Intl.NumberFormat(s.lang, { useGrouping: false });

  const reread = async (options: { encoding: CsvEncoding; delimiter: CsvDelimiter }) => {
    setBusy(true);
    try {
      const next = await previewCsvInWorker(data, options);
      setPreview(next);
      setMapping({ ...next.mapping, format: 'custom' });
      setError(null);
    } catch (e) {
      setError(t('import.failed', { name: fileName, message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const setColumn = (i: number, value: string) => {
    const header = preview.header[i] ?? '';
    const target = value === '' ? null : value === 'custom' ? customFieldTarget(header || t('csv.column', { n: i + 1 })) : value === 'proposed' ? (first.mapping.columns[i] ?? null) : (MAPPING_CHOICES.find((c) => c.id === value)?.target ?? null);
    setMapping((m) => ({ ...m, columns: preview.header.map((_, j) => (j === i ? target : (m.columns[j] ?? null))) }));
  };
  const imported = mapping.columns.filter((c) => c !== null && c.kind !== 'ignore').length;
  const run = async () => {
    setBusy(true);
    try {
      const next = await previewCsvImport(s, fileName, data, preview, mapping, bookId);
      const ui = useUi.getState();
      ui.closeDialog();
      ui.openDialog({ kind: 'import', preview: next });
    } catch (e) {
      setError(t('import.failed', { name: fileName, message: (e as Error).message }));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={t('csv.mapTitle')}
      size="wide"
      error={error}
      onSubmit={() => void run()}
      onClose={onClose}
      actions={<FormActions submit={t('csv.continue')} busy={busy} disabled={imported === 0} onCancel={onClose} />}
    >
      <div className="form-stack">
        <p className="import-file" data-testid="csv-file">
          <FileText aria-hidden="true" size={18} />
          <bdi>{fileName}</bdi>
        </p>
        <p>{t('csv.mapIntro', { rows: preview.rowCount, columns: preview.header.length })}</p>
        <EncodingDoubtNotice doubt={preview.doubt} detected={preview.detected} t={t} n={lineNumber} />
        <RunTogetherAlert errors={preview.quoteProblems} t={t} />
        {preview.quoteProblems.length > 0 ? (
          <ul className="import-errors" data-testid="csv-quote-problems">
            {preview.quoteProblems.map((e, i) => (
              <li key={i}>
                <bdi>{csvProblem(e, t, lineNumber)}</bdi>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="csv-options">
          <EncodingSelect id={`${id}-enc`} value={preview.encoding} disabled={busy} onChange={(encoding) => void reread({ encoding, delimiter: preview.delimiter })} t={t} />
          <div className="form-field">
            <label htmlFor={`${id}-delim`}>{t('csv.delimiter')}</label>
            <select id={`${id}-delim`} value={preview.delimiter} disabled={busy} onChange={(e) => void reread({ encoding: preview.encoding, delimiter: e.target.value as CsvDelimiter })}>
              {CSV_DELIMITERS.map((d) => (
                <option key={d} value={d}>
                  {t(DELIMITER_KEY[d])}
                </option>
              ))}
            </select>
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-dates`}>{t('csv.dateOrder')}</label>
            <select id={`${id}-dates`} value={mapping.dateOrder} disabled={busy} onChange={(e) => setMapping((m) => ({ ...m, dateOrder: e.target.value as DateOrder }))}>
              {(['ymd', 'dmy', 'mdy'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(DATE_ORDER_KEY[o])}
                </option>
              ))}
            </select>
          </div>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={mapping.hasHeader} disabled={busy} onChange={(e) => setMapping((m) => ({ ...m, hasHeader: e.target.checked }))} />
          {t('csv.hasHeader')}
        </label>
        <div className="csv-table-wrap">
          <table className="csv-mapping" data-testid="csv-mapping">
            <caption className="visually-hidden">{t('csv.mapTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('csv.columnHead')}</th>
                <th scope="col">{t('csv.importAs')}</th>
                <th scope="col">{t('csv.firstValues')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.header.map((h, i) => {
                const value = selectValue(mapping.columns[i] ?? null);
                const name = h.trim() || t('csv.column', { n: i + 1 });
                return (
                  <tr key={i}>
                    <th scope="row">
                      <bdi>{name}</bdi>
                    </th>
                    <td>
                      <select aria-label={t('csv.importAsFor', { column: name })} value={value} disabled={busy} onChange={(e) => setColumn(i, e.target.value)}>
                        <option value="">{t('csv.leaveOut')}</option>
                        {selectValue(first.mapping.columns[i] ?? null) === 'proposed' ? <option value="proposed">{t('csv.asProposed')}</option> : null}
                        {MAPPING_CHOICES.map((c) => (
                          <option key={c.id} value={c.id}>
                            {t(`csv.field.${c.id}` as MessageKey)}
                          </option>
                        ))}
                        <option value="custom">{t('csv.customField')}</option>
                      </select>
                    </td>
                    <td className="csv-sample">
                      {preview.sample.slice(0, SAMPLE_VALUES).map((row, r) => (
                        <bdi key={r}>{row[i] ?? ''}</bdi>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
    </Modal>
  );
}
