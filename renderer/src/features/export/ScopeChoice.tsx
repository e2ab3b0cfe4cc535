/**
 * Which contacts an export or a print takes: all, a book, the group in view, or the selection. One
 * piece for both dialogs: the choice, the book picker under it, and what the choice names.
 */
import { useId, useState, type ReactNode } from 'react';
import { LOCAL_BOOK_ID } from '../../db/schema';
import { useServices } from '../../services';
import { useDirectory } from '../accounts/directory';
import { Choice } from '../settings/SettingsDialog';
import { scopeCount, type ExportScope } from './scope';

export interface ScopeChoice {
  readonly scope: ExportScope;
  /** How many contacts the scope holds now. */
  readonly count: number;
  /** The chosen book's or group's name (for a file name or a title), else undefined. */
  readonly name: string | undefined;
  readonly picker: ReactNode;
}

/** `selection`: the selection offered when the dialog was not opened on one (the export takes the list's). */
export function useScopeChoice(initial: ExportScope, selectionFallback: readonly string[] = []): ScopeChoice {
  const s = useServices();
  const { t } = s;
  const id = useId();
  const books = useDirectory((d) => d.books);
  const [kind, setKind] = useState<ExportScope['kind']>(initial.kind);
  const [bookId, setBookId] = useState(initial.kind === 'book' ? initial.bookId : (books[0]?.id ?? LOCAL_BOOK_ID));
  const selection = initial.kind === 'selection' ? initial.ids : selectionFallback;
  // The group in view when the dialog opened (App.tsx scope()): offered by its name and count.
  const group = initial.kind === 'group' ? initial : null;
  const groupName = group === null ? undefined : s.groups.group(group.bookId, group.key)?.name;
  const scope: ExportScope = kind === 'book' ? { kind: 'book', bookId } : kind === 'group' && group !== null ? group : kind === 'selection' ? { kind: 'selection', ids: selection } : { kind: 'all' };
  const bookName = (b: { id: string; name: string }) => (b.id === LOCAL_BOOK_ID ? t('books.local') : b.name);
  const book = books.find((b) => b.id === bookId);
  const name = scope.kind === 'book' && book !== undefined ? bookName(book) : scope.kind === 'group' && groupName ? groupName : undefined;
  const picker = (
    <>
      <Choice<ExportScope['kind']>
        legend={t('export.scope')}
        value={kind}
        options={[
          { value: 'all', label: t('export.scope.all', { count: scopeCount(s, { kind: 'all' }) }) },
          { value: 'book', label: t('export.scope.book') },
          ...(group !== null ? [{ value: 'group' as const, label: t('export.scope.group', { name: `\u2068${groupName ?? ''}\u2069`, count: scopeCount(s, group) }) }] : []),
          ...(selection.length > 0 ? [{ value: 'selection' as const, label: t('export.scope.selection', { count: scopeCount(s, { kind: 'selection', ids: selection }) }) }] : []),
        ]}
        onChange={setKind}
      />
      {kind === 'book' ? (
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
    </>
  );
  return { scope, count: scopeCount(s, scope), name, picker };
}
