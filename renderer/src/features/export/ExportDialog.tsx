/**
 * Export: a format (vCard 4.0 or 3.0, Google CSV, Outlook CSV, the birthdays calendar), which
 * contacts (all, a book, the group in view, the selection), and for vCards one file or one per contact and photos in
 * or out. Next runs the export in a worker and shows what the format cannot hold before anything
 * is saved; Save downloads the files (Electron: several files go into one folder chosen once).
 */
import { useState } from 'react';
import type { CsvLossKind, OutlookLanguage } from '../../../../shared/csv';
import type { MessageKey, Translate } from '../../i18n';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { Choice, Field } from '../settings/SettingsDialog';
import type { ExportFormat, ExportRequest, ExportResult } from './export-run';
import { saveFiles } from './files';
import { explicitSelection, scopeCards, scopeCardsWithGroups, scopeIds, type ExportScope } from './scope';
import { useScopeChoice } from './ScopeChoice';
import type { ExportReply } from '../../workers/export.worker';

export function runExportInWorker(request: ExportRequest): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../../workers/export.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<ExportReply>) => {
      worker.terminate();
      if (e.data.ok) resolve(e.data.result);
      else reject(new Error(e.data.message));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message));
    };
    worker.postMessage(request);
  });
}

const FORMATS: readonly { value: ExportFormat; key: MessageKey }[] = [
  { value: 'vcard', key: 'export.format.vcard' },
  { value: 'vcard-4.0', key: 'export.format.vcard4' },
  { value: 'vcard-3.0', key: 'export.format.vcard3' },
  { value: 'google-csv', key: 'export.format.google' },
  { value: 'outlook-csv', key: 'export.format.outlook' },
  { value: 'ics', key: 'export.format.ics' },
];

export const LOSS_KEY: Record<CsvLossKind, MessageKey> = {
  photo: 'loss.photo',
  'broken-photo': 'loss.brokenPhoto',
  'formatted-name': 'loss.formattedName',
  nickname: 'loss.nickname',
  'phonetic-name': 'loss.phoneticName',
  'file-as': 'loss.fileAs',
  gender: 'loss.gender',
  role: 'loss.role',
  'org-units': 'loss.orgUnits',
  ims: 'loss.ims',
  related: 'loss.related',
  dates: 'loss.dates',
  'yearless-birthday': 'loss.yearlessBirthday',
  'yearless-anniversary': 'loss.yearlessAnniversary',
  'partial-date': 'loss.partialDate',
  'extra-emails': 'loss.extraEmails',
  'extra-phones': 'loss.extraPhones',
  'extra-addresses': 'loss.extraAddresses',
  'extra-urls': 'loss.extraUrls',
  'address-extended': 'loss.addressExtended',
  labels: 'loss.labels',
  'custom-fields': 'loss.customFields',
  'separator-in-value': 'loss.separatorInValue',
  'unencodable-characters': 'loss.unencodable',
  'other-properties': 'loss.otherProperties',
};

const NAMES_SHOWN = 5;

export function ExportDialog({ scope: initial, format: initialFormat = 'vcard', onClose }: { scope: ExportScope; format?: ExportFormat; onClose: () => void }) {
  const s = useServices();
  const { t } = s;
  const selected = useUi((u) => u.selected);
  const [format, setFormat] = useState<ExportFormat>(initialFormat);
  const [layout, setLayout] = useState<'one-file' | 'file-per-contact'>('one-file');
  const [photos, setPhotos] = useState(true);
  const [outlookLanguage, setOutlookLanguage] = useState<OutlookLanguage>('en');
  const [result, setResult] = useState<ExportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [writing, setWriting] = useState<{ done: number; total: number } | null>(null);
  const { scope, count, name: scopeName, picker } = useScopeChoice(initial, explicitSelection(selected));
  const vcard = format === 'vcard' || format === 'vcard-4.0' || format === 'vcard-3.0';

  const next = async () => {
    setBusy(true);
    setError(null);
    try {
      // Groups go with the contacts: as the book keeps them in a .vcf, as CATEGORIES in a CSV; a calendar needs none.
      const ids = scopeIds(s.index, s.groups, scope);
      const cards = format === 'ics' ? await scopeCards(s, ids) : await scopeCardsWithGroups(s, ids, vcard ? 'book' : 'categories');
      const baseName = scopeName ?? t('export.fileName');
      setResult(await runExportInWorker({ format, cards, baseName, layout: vcard ? layout : 'one-file', photos: vcard ? photos : true, outlookLanguage, lang: s.lang }));
    } catch (e) {
      setError(t('export.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    if (result === null) return;
    setBusy(true);
    setError(null);
    try {
      const { shell } = await window.cardinal.getAppInfo();
      const outcome = await saveFiles(result.files, { shell, api: window.cardinal, title: t('export.folderTitle'), progress: (done, total) => setWriting({ done, total }) });
      if (outcome.kind === 'cancelled') return;
      const toast = (tr: Translate) => (format === 'ics' ? tr('export.savedCalendar', { count: result.events ?? 0 }) : outcome.kind === 'folder' ? tr('export.savedFolder', { count: outcome.names.length, folder: outcome.path }) : tr('toast.exported', { count }));
      useUi.getState().showToast(toast);
      onClose();
    } catch (e) {
      setError(t('export.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
      setWriting(null);
    }
  };

  if (result !== null) {
    return (
      <Modal
        title={t('export.reviewTitle')}
        error={error}
        onSubmit={() => void save()}
        onClose={onClose}
        actions={
          <FormActions submit={result.files.length === 1 ? t('export.save') : t('export.saveFiles', { count: result.files.length })} busy={busy} onCancel={onClose}>
            <button type="button" disabled={busy} onClick={() => setResult(null)}>
              {t('action.back')}
            </button>
          </FormActions>
        }
      >
        <div className="form-stack" data-testid="export-review">
          <p>
            {t('export.summary', { count, files: result.files.length })} <bdi dir="auto">{result.files.length === 1 ? result.files[0]!.name : ''}</bdi>
          </p>
          {writing !== null ? (
            <p role="status" data-testid="export-writing">
              {t('export.writing', writing)}
            </p>
          ) : null}
          {format === 'ics' ? <p data-testid="export-events">{t('export.events', { events: result.events ?? 0, skipped: result.skippedDates ?? 0 })}</p> : null}
          {result.losses.length === 0 ? (
            <p data-testid="export-losses-none">{t('export.noLosses')}</p>
          ) : (
            <>
              <p>{t('export.lossesIntro')}</p>
              <ul className="export-losses" data-testid="export-losses">
                {result.losses.map((l) => (
                  <li key={l.kind}>
                    <strong>{t(LOSS_KEY[l.kind], { count: l.count })}</strong>{' '}
                    <span className="muted">
                      <bdi>{l.contacts.slice(0, NAMES_SHOWN).join(t('share.listSeparator'))}</bdi>
                      {l.contacts.length > NAMES_SHOWN ? ` ${t('export.andMore', { count: l.contacts.length - NAMES_SHOWN })}` : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      </Modal>
    );
  }

  return (
    <Modal title={t('export.title')} error={error} onSubmit={() => void next()} onClose={onClose} actions={<FormActions submit={t('export.next')} busy={busy} disabled={count === 0} onCancel={onClose} />}>
      <div className="form-stack">
        <div className="stacked-choice">
          <Choice<ExportFormat> legend={t('export.format')} value={format} options={FORMATS.map((f) => ({ value: f.value, label: t(f.key) }))} onChange={setFormat} />
        </div>
        {format === 'outlook-csv' ? (
          <Field label={t('export.outlookLanguage')}>
            {(fid) => (
              <select id={fid} value={outlookLanguage} onChange={(e) => setOutlookLanguage(e.target.value as OutlookLanguage)}>
                <option value="en" lang="en">English</option>
                <option value="de" lang="de">Deutsch</option>
                <option value="fr" lang="fr">Français</option>
              </select>
            )}
          </Field>
        ) : null}
        {picker}
        {vcard ? (
          <>
            <Choice<'one-file' | 'file-per-contact'>
              legend={t('export.layout')}
              value={layout}
              options={[
                { value: 'one-file', label: t('export.layout.one') },
                { value: 'file-per-contact', label: t('export.layout.each') },
              ]}
              onChange={setLayout}
            />
            <label className="checkbox">
              <input type="checkbox" checked={photos} onChange={(e) => setPhotos(e.target.checked)} />
              {t('export.photos')}
            </label>
          </>
        ) : null}
        <p className="muted" data-testid="export-count">
          {t('export.count', { count })}
        </p>
      </div>
    </Modal>
  );
}
