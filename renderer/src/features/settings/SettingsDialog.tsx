/**
 * Settings (Ctrl/Cmd+,): language, theme, how names are shown and sorted, where new contacts go,
 * how dates are written. Each choice applies at once and is kept (settings.ts); Done closes.
 */
import { useId, type ReactNode } from 'react';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../i18n';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { useDirectory } from '../accounts/directory';
import { Modal } from '../common/Modal';
import { CalendarFileSetting } from '../export/calendar-file';
import { formatDate } from '../dates/format';
import { useSettings, type DateStyle, type NameOrder, type SortBy, type Theme } from './settings';

export function Choice<T extends string>({ legend, value, options, onChange, hint }: { legend: string; value: T; options: readonly { value: T; label: string }[]; onChange: (v: T) => void; hint?: string }) {
  const name = useId();
  return (
    <fieldset className="choice" aria-describedby={hint === undefined ? undefined : `${name}-hint`}>
      <legend>{legend}</legend>
      <div className="choice-options">
        {options.map((o) => (
          <label key={o.value} className="radio">
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <bdi>{o.label}</bdi>
          </label>
        ))}
      </div>
      {hint === undefined ? null : (
        <small className="muted" id={`${name}-hint`}>
          {hint}
        </small>
      )}
    </fieldset>
  );
}

export function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

export function SettingsDialog() {
  const { t, dates } = useServices();
  const settings = useSettings();
  const close = useUi((s) => s.closeDialog);
  const books = useDirectory((s) => s.books);
  const sample = { year: 1990, month: 3, day: 14 };
  return (
    <Modal
      title={t('settings.title')}
      onClose={close}
      actions={
        <div className="form-actions">
          <button type="button" className="primary" onClick={close}>
            {t('action.done')}
          </button>
        </div>
      }
    >
      <div className="form-stack settings">
        <Field label={t('settings.language')}>
          {(id) => (
            <select id={id} value={settings.language ?? ''} onChange={(e) => settings.change({ language: e.target.value === '' ? null : (e.target.value as Language) })}>
              <option value="">{t('settings.languageAuto')}</option>
              {LANGUAGES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Choice<Theme>
          legend={t('settings.theme')}
          value={settings.theme}
          onChange={(theme) => settings.change({ theme })}
          options={[
            { value: 'system', label: t('settings.themeSystem') },
            { value: 'light', label: t('settings.themeLight') },
            { value: 'dark', label: t('settings.themeDark') },
          ]}
        />
        <Choice<NameOrder>
          legend={t('settings.nameOrder')}
          value={settings.nameOrder}
          onChange={(nameOrder) => settings.change({ nameOrder })}
          hint={t('settings.cjkOrder')}
          options={[
            { value: 'first-last', label: t('settings.firstLast') },
            { value: 'last-first', label: t('settings.lastFirst') },
          ]}
        />
        <Choice<SortBy>
          legend={t('settings.sortBy')}
          value={settings.sortBy}
          onChange={(sortBy) => settings.change({ sortBy })}
          hint={t('settings.honorifics')}
          options={[
            { value: 'first', label: t('settings.sortFirst') },
            { value: 'last', label: t('settings.sortLast') },
          ]}
        />
        <Field label={t('settings.defaultBook')}>
          {(id) => (
            <select id={id} value={settings.defaultBook ?? LOCAL_BOOK_ID} onChange={(e) => settings.change({ defaultBook: e.target.value === LOCAL_BOOK_ID ? null : e.target.value })}>
              {books.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.id === LOCAL_BOOK_ID ? t('books.local') : b.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Choice<DateStyle>
          legend={t('settings.dateStyle')}
          value={settings.dateStyle}
          onChange={(dateStyle) => settings.change({ dateStyle })}
          options={[
            { value: 'region', label: t('settings.dateRegion', { example: formatDate(sample, { ...dates, style: 'region' }) }) },
            { value: 'iso', label: t('settings.dateIso', { example: formatDate(sample, { ...dates, style: 'iso' }) }) },
          ]}
        />
        <CalendarFileSetting />
      </div>
    </Modal>
  );
}
