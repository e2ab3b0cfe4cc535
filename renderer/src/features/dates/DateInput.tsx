/**
 * A date picked as the UI's calendar and region write it: fields in the locale's order (day
 * month year for en-GB, year month day in Chinese and Persian), month names of that calendar
 * (Solar Hijri months in Persian), the year optional. What is stored is always Gregorian.
 */
import { useState } from 'react';
import type { DateValue } from '../../../../shared/vcard';
import { asciiDigits } from '../../../../shared/search/normalize';
import { useServices } from '../../services';
import { persianToGregorian, gregorianToPersian } from './calendar';
import { fieldOrder, formatGregorianDayMonth, isPersian, monthNames } from './format';

interface Draft {
  year: string;
  month: string;
  day: string;
}

/** What the fields say, as a stored date: null when empty, 'invalid' when they name no date. */
export function readDraft(d: Draft, persian: boolean): DateValue | null | 'invalid' {
  const num = (s: string): number | null => {
    const t = asciiDigits(s).trim();
    return t === '' ? null : /^\d+$/.test(t) ? Number(t) : NaN;
  };
  const year = num(d.year);
  const month = d.month === '' ? null : Number(d.month);
  const day = num(d.day);
  if (year === null && month === null && day === null) return null;
  if (Number.isNaN(year) || Number.isNaN(day)) return 'invalid';
  if (!persian) return { year, month, day };
  if (month === null || day === null) return 'invalid';
  return persianToGregorian({ year, month, day }) ?? 'invalid';
}

export function DateInput({ label, value, onChange, id, errorId }: { label: string; value: DateValue | null; onChange: (v: DateValue | null, valid: boolean) => void; id: string; errorId?: string }) {
  const { t, dates } = useServices();
  const persian = isPersian(dates.locale);
  const digits = new Intl.NumberFormat(dates.locale, { useGrouping: false });
  const [draft, setDraft] = useState<Draft>(() => {
    if (value === null || value.text !== undefined) return { year: '', month: '', day: '' };
    const v = persian ? gregorianToPersian(value) : value;
    return { year: v.year === null ? '' : digits.format(v.year), month: v.month === null ? '' : String(v.month), day: v.day === null ? '' : digits.format(v.day) };
  });
  const update = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    const read = readDraft(next, persian);
    if (read === 'invalid') onChange(value, false);
    else onChange(read, true);
  };
  const read = readDraft(draft, persian);
  // A year-less Solar Hijri pick: say which Gregorian day it is kept as.
  const yearless = persian && read !== null && read !== 'invalid' && read.year === null && read.month !== null && read.day !== null ? { month: read.month, day: read.day } : null;
  const months = monthNames(dates.locale);
  const describedBy = [errorId, yearless !== null ? `${id}-yearless` : undefined].filter(Boolean).join(' ') || undefined;
  const fields = {
    month: (
      <select key="month" id={`${id}-month`} aria-label={t('date.month', { field: label })} value={draft.month} onChange={(e) => update({ month: e.target.value })} aria-describedby={describedBy} aria-invalid={errorId !== undefined || undefined}>
        <option value="">{t('date.monthNone')}</option>
        {months.map((m, i) => (
          <option key={m} value={i + 1}>
            {m}
          </option>
        ))}
      </select>
    ),
    day: <input key="day" id={`${id}-day`} className="date-day" aria-label={t('date.day', { field: label })} inputMode="numeric" value={draft.day} onChange={(e) => update({ day: e.target.value })} aria-describedby={describedBy} aria-invalid={errorId !== undefined || undefined} />,
    year: <input key="year" id={`${id}-year`} className="date-year" aria-label={t('date.year', { field: label })} placeholder={t('date.yearPlaceholder')} inputMode="numeric" value={draft.year} onChange={(e) => update({ year: e.target.value })} aria-describedby={describedBy} aria-invalid={errorId !== undefined || undefined} />,
  };
  return (
    <fieldset className="date-input" id={id}>
      <legend>{label}</legend>
      <div className="date-fields">{fieldOrder(dates.locale).map((f) => fields[f])}</div>
      {persian ? <small className="muted">{t('date.persianCalendar')}</small> : null}
      {yearless !== null ? (
        <small className="hint" id={`${id}-yearless`}>
          {t('date.yearlessPersian', { gregorian: formatGregorianDayMonth(yearless.month, yearless.day, 'fa') })}
        </small>
      ) : null}
    </fieldset>
  );
}
