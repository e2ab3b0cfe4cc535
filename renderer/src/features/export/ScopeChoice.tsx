/**
 * Which contacts an export or a print takes: all, a book, the group in view, or the selection. One
 * piece for both dialogs: the choice, the book picker under it, and what the choice names.
 */
import { useId, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
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

const NO_SELECTION: readonly string[] = Object.freeze([]);

/** `selection`: the selection offered when the dialog was not opened on one (the export takes the list's). */
export function useScopeChoice(initial: ExportScope, selectionFallback: readonly string[] = NO_SELECTION): ScopeChoice {
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
  const scope: ExportScope = useMemo(
    () => (kind === 'book' ? { kind: 'book', bookId } : kind === 'group' && group !== null ? group : kind === 'selection' ? { kind: 'selection', ids: selection } : { kind: 'all' }),
    [kind, bookId, group, selection],
  );
  // Counted again only when the contacts, links or groups change, not on every render of the
  // dialog (a print's progress re-renders it; each count walks 50,000 rows).
  const version = useSyncExternalStore(s.index.subscribe, s.index.getVersion);
  const linksVersion = useSyncExternalStore(s.links.subscribe, s.links.getVersion);
  const groupsVersion = useSyncExternalStore(s.groups.subscribe, s.groups.getVersion);
  const counts = useMemo(
    () => ({ all: scopeCount(s, { kind: 'all' }), group: group === null ? 0 : scopeCount(s, group), selection: selection.length === 0 ? 0 : scopeCount(s, { kind: 'selection', ids: selection }), scope: scope.kind === 'all' ? -1 : scopeCount(s, scope) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the versions say when the stores changed
    [s, scope, group, selection, version, linksVersion, groupsVersion],
  );
  const bookName = (b: { id: string; name: string }) => (b.id === LOCAL_BOOK_ID ? t('books.local') : b.name);
  const book = books.find((b) => b.id === bookId);
  const name = scope.kind === 'book' && book !== undefined ? bookName(book) : scope.kind === 'group' && groupName ? groupName : undefined;
  const picker = (
    <>
      <Choice<ExportScope['kind']>
        legend={t('export.scope')}
        value={kind}
        options={[
          { value: 'all', label: t('export.scope.all', { count: counts.all }) },
          { value: 'book', label: t('export.scope.book') },
          ...(group !== null ? [{ value: 'group' as const, label: t('export.scope.group', { name: `\u2068${groupName ?? ''}\u2069`, count: counts.group }) }] : []),
          ...(selection.length > 0 ? [{ value: 'selection' as const, label: t('export.scope.selection', { count: counts.selection }) }] : []),
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
  return { scope, count: scope.kind === 'all' ? counts.all : counts.scope, name, picker };
}
