/**
 * What a CSV import says before anything is written, in the mapping step and in the summary: an
 * encoding that was a guess (a UTF-8 file with a stray byte, a code page guessed from letters)
 * beside the encoding to choose instead, and rows a broken quote ran together, by their lines.
 */
import type { CsvEncoding, CsvRowError, EncodingDoubt } from '../../../../shared/csv';
import { CSV_ENCODINGS } from '../../../../shared/csv';
import type { MessageKey, Translate } from '../../i18n';
import { rowsLeftOut } from './import';

const PROBLEM_KEY: Record<CsvRowError['code'], MessageKey> = {
  'bad-date': 'csv.problem.badDate',
  'exchange-address': 'csv.problem.exchangeAddress',
  'bad-quotes': 'csv.problem.badQuotes',
  'run-together': 'csv.problem.runTogether',
  'empty-row': 'csv.problem.emptyRow',
  'no-data': 'csv.problem.noData',
  'too-many-rows': 'csv.problem.tooManyRows',
};

/** A CSV row's problem in the UI language, from its code (the core's message is for logs). */
export function csvProblem(e: CsvRowError, t: Translate, n: Intl.NumberFormat): string {
  const line = n.format(e.line ?? e.row);
  if (e.code === 'run-together') return t('csv.problem.runTogether', { line, endLine: n.format(e.endLine ?? e.row) });
  const problem = t(PROBLEM_KEY[e.code], { column: e.column ?? '', value: e.value ?? '' });
  if (e.row === 0) return problem;
  return e.line !== undefined && e.line !== e.row ? t('csv.rowLineProblem', { row: n.format(e.row), line, problem }) : t('csv.rowProblem', { row: n.format(e.row), problem });
}

/** The encoding as detected, and why it may be wrong; nothing when it is certain. */
export function EncodingDoubtNotice({ doubt, detected, t, n }: { doubt: EncodingDoubt | undefined; detected: CsvEncoding | undefined; t: Translate; n: Intl.NumberFormat }) {
  if (doubt === undefined) return null;
  const line = n.format(doubt.line);
  return (
    <p className="warning" role="status" data-testid="csv-encoding-doubt">
      {doubt.kind === 'invalid-utf8' ? t('csv.doubt.invalidUtf8', { count: doubt.invalidBytes, line }) : t('csv.doubt.guessed', { line, encoding: `\u2066${detected ?? ''}\u2069` })}
    </p>
  );
}

/** The encoding choice: every encoding a CSV is read in, by its standard label. */
export function EncodingSelect({ id, value, disabled, onChange, t }: { id: string; value: CsvEncoding; disabled: boolean; onChange: (e: CsvEncoding) => void; t: Translate }) {
  return (
    <div className="form-field">
      <label htmlFor={id}>{t('csv.encoding')}</label>
      <select id={id} value={value} disabled={disabled} data-testid="csv-encoding" onChange={(e) => onChange(e.target.value as CsvEncoding)}>
        {CSV_ENCODINGS.map((enc) => (
          <option key={enc} value={enc} dir="ltr">
            {enc}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Rows a broken quote ran together: an alert with how many lines were left out. */
export function RunTogetherAlert({ errors, t }: { errors: readonly CsvRowError[]; t: Translate }) {
  const run = errors.filter((e) => e.code === 'run-together');
  if (run.length === 0) return null;
  return (
    <p className="warning" role="alert" data-testid="csv-run-together">
      {t('csv.runTogetherAlert', { count: rowsLeftOut(run) })}
    </p>
  );
}

/** The names of the first contacts as read, each isolated (a name may be right to left), joined as the UI language lists. */
export function FirstNames({ names, lang, t }: { names: readonly string[]; lang: string; t: Translate }) {
  if (names.length === 0) return null;
  const parts = new Intl.ListFormat(lang, { type: 'unit' }).formatToParts(names.map((_, i) => `\u0000${i}`));
  return (
    <p data-testid="csv-first-contacts">
      {t('csv.firstContacts')}{' '}
      {parts.map((p, i) => (p.type === 'element' ? <bdi key={i}>{names[Number(p.value.slice(1))]}</bdi> : <span key={i}>{p.value}</span>))}
    </p>
  );
}
