import { useId, useState } from 'react';
import { FileText } from 'lucide-react';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { useDirectory } from '../accounts/directory';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import type { CsvEncoding, CsvFormatId } from '../../../../shared/csv';
import type { MessageKey } from '../../i18n';
import { importClusters } from '../duplicates/review-view';
import { csvProblem, EncodingDoubtNotice, EncodingSelect, FirstNames, RunTogetherAlert } from './CsvNotices';
import { freshId, reclassify, releaseImport, rereadCsvImport, runImport, type ImportPreview } from './import';

const FORMAT_KEY: Record<CsvFormatId, MessageKey> = {
  google: 'csv.format.google',
  'google-legacy': 'csv.format.googleLegacy',
  'outlook-en': 'csv.format.outlookEn',
  'outlook-de': 'csv.format.outlookDe',
  'outlook-fr': 'csv.format.outlookFr',
  custom: 'csv.format.custom',
};

/**
 * The summary of an import before anything is committed (a large .vcf's new cards into this
 * computer's book are written ahead, invisibly: import.ts `previewImport`): which file, into which book (the user can
 * pick another; the cards are compared with that book again), what is new, what is here already,
 * what could not be read. Then the user's choice.
 */
export function ImportDialog({ preview: first, onClose: close }: { preview: ImportPreview; onClose: () => void }) {
  const s = useServices();
  // Closed without importing: the workers that hold the file's cards end (runImport ends them
  // after writing), and the new cards they wrote ahead are taken out.
  const onClose = () => {
    releaseImport(first.parsed, s);
    close();
  };
  const { t } = s;
  const id = useId();
  const books = useDirectory((d) => d.books);
  const [preview, setPreview] = useState(first);
  const [busy, setBusy] = useState(false);
  const [reviewLikely, setReviewLikely] = useState(true);
  const lineNumber = new Intl.NumberFormat(s.lang, { useGrouping: false });
  const bad = preview.errors.filter((e) => e.code !== 'other-component');
  // Nothing in the file could be read: said as such, never as a summary of an import.
  const readable = preview.fresh.length + preview.identical + preview.repeated + preview.conflicting.length;
  const run = async (update: boolean) => {
    setBusy(true);
    let review = null;
    try {
      const { count, freshIds } = await runImport(s, preview, update);
      const { created, joined } = preview.groupCounts;
      useUi.getState().showToast((tr) => (created + joined === 0 ? tr('import.done', { count }) : tr('import.doneGroups', { count, created, joined })));
      if (reviewLikely && preview.likely.length > 0) review = importClusters(preview.likely, new Map(freshIds.map((id, i) => [freshId(i), id])), preview.bookId);
    } catch (e) {
      // Batches already written stay (each is one transaction; cards written ahead and not
      // committed are taken out when the summary closes); say what failed.
      useUi.getState().showToast((tr) => tr('import.failed', { name: preview.fileName, message: (e as Error).message }));
    }
    onClose();
    // The new cards that look like contacts already here: offered for review, never merged unasked.
    if (review !== null && review.length > 0) useUi.getState().openDialog({ kind: 'duplicates', bookId: preview.bookId, preset: review });
  };
  const retarget = async (bookId: string) => {
    setBusy(true);
    try {
      setPreview(await reclassify(s, preview, bookId));
    } finally {
      setBusy(false);
    }
  };
  // A CSV read again in the encoding the user chose: the summary, the first names and the notes
  // are those of the new reading; a header no longer recognised goes to the column mapping.
  const reencode = async (encoding: CsvEncoding) => {
    setBusy(true);
    try {
      const next = await rereadCsvImport(s, preview, encoding);
      if ('preview' in next) setPreview(next.preview);
      else {
        const ui = useUi.getState();
        ui.closeDialog();
        ui.openDialog({ kind: 'csv-mapping', fileName: preview.fileName, data: preview.csv!.data, preview: next.mapping, bookId: preview.bookId });
      }
    } catch (e) {
      useUi.getState().showToast((tr) => tr('import.failed', { name: preview.fileName, message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const csv = preview.csv;
  // Lines without a colon the reader joined to the value above or left out: said, never silent.
  const stray = preview.parsed.stray;
  // Text outside any card (junk between cards): left out, and said with its lines, never as a card.
  const outside = preview.parsed.outside;
  const unreadable = bad.length + (csv?.skipped ?? 0);
  // Nothing new but some changed: the update is the primary action, not a greyed-out "Nothing new".
  const updateOnly = preview.fresh.length === 0 && preview.groups.length === 0 && preview.conflicting.length > 0;
  return (
    <Modal
      title={t('import.title')}
      onSubmit={() => void run(updateOnly)}
      onClose={onClose}
      actions={
        <FormActions
          submit={readable === 0 ? t('import.nothing') : updateOnly ? t('import.runWithUpdates', { count: preview.conflicting.length }) : t('import.run', { count: preview.fresh.length })}
          busy={busy}
          disabled={!updateOnly && preview.fresh.length === 0 && preview.groups.length === 0}
          onCancel={onClose}
        >
          {preview.conflicting.length > 0 && !updateOnly ? (
            <button type="button" disabled={busy} onClick={() => void run(true)}>
              {t('import.runWithUpdates', { count: preview.conflicting.length })}
            </button>
          ) : null}
        </FormActions>
      }
    >
      <div className="form-stack">
        <p className="import-file" data-testid="import-file">
          <FileText aria-hidden="true" size={18} />
          <bdi>{preview.fileName}</bdi>
        </p>
        {books.length > 1 ? (
          <div className="form-field">
            <label htmlFor={`${id}-book`}>{t('import.into')}</label>
            <select id={`${id}-book`} value={preview.bookId} disabled={busy} onChange={(e) => void retarget(e.target.value)}>
              {books.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.id === LOCAL_BOOK_ID ? t('books.local') : b.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {csv !== undefined ? (
          <>
            <p data-testid="import-format">{t(FORMAT_KEY[csv.format])}</p>
            <EncodingSelect id={`${id}-enc`} value={csv.encoding} disabled={busy} onChange={(e) => void reencode(e)} t={t} />
            <EncodingDoubtNotice doubt={csv.doubt} detected={csv.detected} t={t} n={lineNumber} />
            <RunTogetherAlert errors={csv.errors} t={t} />
          </>
        ) : null}
        <p data-testid="import-summary" role={readable === 0 ? 'alert' : undefined}>
          {readable === 0 ? t(csv !== undefined ? 'import.nothingReadCsv' : 'import.nothingRead', { total: csv?.errors.some((e) => e.code === 'no-data') === true ? 0 : preview.total }) : t('import.summary', { total: preview.total, new: preview.fresh.length, identical: preview.identical, repeated: preview.repeated, conflicting: preview.conflicting.length, bad: unreadable })}
        </p>
        {preview.sharedUid > 0 ? <p data-testid="import-shared-uid">{t('import.sharedUid', { count: preview.sharedUid })}</p> : null}
        {csv !== undefined ? <FirstNames names={csv.sample} lang={s.lang} t={t} /> : null}
        {preview.likely.length > 0 ? (
          <>
            <p data-testid="import-likely">{t('import.likely', { count: preview.likely.length })}</p>
            <label className="checkbox">
              <input type="checkbox" checked={reviewLikely} disabled={busy} onChange={(e) => setReviewLikely(e.target.checked)} />
              {t('import.reviewLikely')}
            </label>
          </>
        ) : null}
        {preview.groupCounts.created + preview.groupCounts.joined > 0 ? (
          <p data-testid="import-groups">{t('import.groups', preview.groupCounts)}</p>
        ) : null}
        {bad.length > 0 ? (
          <>
            <p>{t('import.bad', { count: bad.length })}</p>
            <ul className="import-errors" data-testid="import-errors">
              {bad.map((e) => (
                <li key={`${e.line}-${e.code}`}>
                  {e.code === 'nothing-left'
                    ? t('import.nothingLeft', { line: lineNumber.format(e.line) })
                    : e.code === 'too-many-properties' && e.limit !== undefined
                    ? e.name === undefined
                      ? t('import.tooManyProperties', { line: lineNumber.format(e.line), limit: e.limit })
                      : t('import.tooManyPropertiesNamed', { line: lineNumber.format(e.line), limit: e.limit, name: `\u2068${e.name}\u2069` })
                    : t('import.badLine', { line: lineNumber.format(e.line), message: e.message })}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {stray !== undefined ? (
          <>
            <p data-testid="import-stray">{t('import.stray', { count: stray.cards })}</p>
            <ul className="import-errors" data-testid="import-stray-lines">
              {stray.lines.map((l) => (
                <li key={l.line}>{t(l.repair === 'joined' ? 'import.strayJoined' : 'import.strayLeftOut', { line: lineNumber.format(l.line), text: `\u2068${l.text}\u2069` })}</li>
              ))}
              {stray.more > 0 ? <li>{t('import.strayMore', { count: stray.more })}</li> : null}
            </ul>
          </>
        ) : null}
        {outside !== undefined ? (
          <>
            <p data-testid="import-outside">{t('import.outside', { count: outside.lines.length + outside.more })}</p>
            <ul className="import-errors" data-testid="import-outside-lines">
              {outside.lines.map((l) => (
                <li key={l.line}>{t('import.outsideLine', { line: lineNumber.format(l.line), text: `\u2068${l.text}\u2069` })}</li>
              ))}
              {outside.more > 0 ? <li>{t('import.outsideMore', { count: outside.more })}</li> : null}
            </ul>
          </>
        ) : null}
        {csv !== undefined && csv.errors.length > 0 ? (
          <>
            <p>{t('csv.problems', { count: csv.errors.length })}</p>
            <ul className="import-errors" data-testid="import-errors">
              {csv.errors.map((e, i) => (
                <li key={i}>
                  <bdi>{csvProblem(e, t, lineNumber)}</bdi>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </Modal>
  );
}

/** The import's dialog while its .vcf is read (shown at once, the summary then in its place): the file, a progress indicator; Close stops the reading. */
export function ImportReadingDialog({ fileName, onClose }: { fileName: string; onClose: () => void }) {
  const { t } = useServices();
  return (
    <Modal
      title={t('import.title')}
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose}>
          {t('action.cancel')}
        </button>
      }
    >
      <div className="form-stack">
        <p data-testid="import-reading" role="status" aria-live="polite">
          {t('import.reading', { name: `\u2068${fileName}\u2069` })}
        </p>
        <progress className="import-progress" aria-label={t('import.readingProgress')} />
      </div>
    </Modal>
  );
}
