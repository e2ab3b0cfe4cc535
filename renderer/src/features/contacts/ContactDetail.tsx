/**
 * The detail pane: the selected contact (its toolbar, sync banners, the view or the editor), a
 * new contact's editor, or what several selected contacts can do together. In the one-pane
 * layout it has a Back button to the list.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ArrowLeft, ArrowRight, History, Pencil, QrCode, Star, Trash2 } from 'lucide-react';
import { EMPTY_NAME, parseVCard, toContact, type Contact } from '../../../../shared/vcard';
import { createContact, saveContact, toggleFavorite } from '../../actions';
import type { CardRow } from '../../db/schema';
import { direction } from '../../i18n';
import { useServices } from '../../services';
import { useUi } from '../../store/ui';
import { groupsHint, useDirectory } from '../accounts/directory';
import { refusalInWords } from '../accounts/error-words';
import { applyPicks } from '../groups/GroupPicker';
import { ContactEditor } from './ContactEditor';
import { ContactView } from './ContactView';
import { LinkedView, useBookName } from './LinkedView';
import { leaveEditor } from './edit-guard';

const EMPTY_CONTACT: Contact = toContact(parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n'));

export function ContactDetail({ onDelete, onePane, targetBook }: { onDelete: (ids: readonly string[]) => void; onePane: boolean; targetBook: string }) {
  const services = useServices();
  const { t, index, repo, lang, links } = services;
  const version = useSyncExternalStore(index.subscribe, index.getVersion);
  useSyncExternalStore(links.subscribe, links.getVersion);
  const { selected, mode, setMode } = useUi();
  const bookName = useBookName();
  const accounts = useDirectory((d) => d.accounts);
  const hintOf = (bookId: string) => groupsHint(accounts, bookId, (b) => services.groups.labelAccess(b));
  const selectedOne = selected.length === 1 ? selected[0]! : null;
  // A linked contact (cards of several books as one): each card is edited on its own.
  const link = selectedOne === null ? null : links.linkOf(selectedOne);
  const [editCard, setEditCard] = useState<string | null>(null);
  // Out of the editor, the card chosen is forgotten (the next edit is the selected contact's).
  const [seenMode, setSeenMode] = useState(mode);
  if (seenMode !== mode) {
    setSeenMode(mode);
    if (mode !== 'edit') setEditCard(null);
  }
  const focused = mode === 'edit' && editCard !== null && link?.members.includes(editCard) === true ? editCard : selectedOne;
  const [loaded, setLoaded] = useState<{ id: string; contact: Contact; card: CardRow } | null>(null);
  const detail = loaded !== null && loaded.id === focused ? loaded : null;
  // After a save the editor is gone with the focus in it: the saved contact's Edit button takes it,
  // so a keyboard user goes on from the contact (set before the save, dropped if it fails).
  const focusAfterSave = useRef(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const viewShown = mode === 'view' && detail !== null && selected.length === 1;
  useEffect(() => {
    if (!viewShown || !focusAfterSave.current) return;
    focusAfterSave.current = false;
    editButton.current?.focus();
  }, [viewShown, detail?.id]);
  const savingThen = (save: () => Promise<void>) => async () => {
    focusAfterSave.current = true;
    try {
      await save();
    } catch (e) {
      focusAfterSave.current = false;
      throw e;
    }
  };

  useEffect(() => {
    let alive = true;
    if (focused === null) return;
    void repo.getCard(focused).then((card) => {
      if (alive && card !== undefined) setLoaded({ id: focused, contact: toContact(parseVCard(card.vcard)), card });
    });
    return () => {
      alive = false;
    };
  }, [focused, repo, version]);

  const back = onePane ? (
    <button
      type="button"
      className="back-button"
      onClick={() =>
        leaveEditor(() => {
          useUi.getState().setMode('view');
          useUi.getState().setDetailOpen(false);
          requestAnimationFrame(() => document.getElementById('contact-list')?.focus());
        })
      }
    >
      {direction(lang) === 'rtl' ? <ArrowRight aria-hidden="true" size={18} /> : <ArrowLeft aria-hidden="true" size={18} />}
      {t('action.back')}
    </button>
  ) : null;

  if (mode === 'new') {
    return (
      <>
        {back}
        <ContactEditor
          key="new"
          isNew
          initial={{ ...EMPTY_CONTACT, name: EMPTY_NAME }}
          groupsHint={hintOf(targetBook)}
          bookId={targetBook}
          onSave={(after, picks) =>
            savingThen(async () => {
              const id = await createContact(services, after, targetBook);
              await applyPicks(services.groups, targetBook, id, picks);
            })()
          }
          onCancel={() => setMode('view')}
        />
      </>
    );
  }
  if (selected.length > 1) {
    return (
      <div className="detail-multi">
        {back}
        <p>{t('detail.selected', { count: selected.length })}</p>
        <button type="button" className="danger" onClick={() => onDelete(selected)}>
          <Trash2 aria-hidden="true" size={16} />
          {t('action.deleteSelected', { count: selected.length })}
        </button>
      </div>
    );
  }
  if (link !== null && mode === 'view') {
    return (
      <LinkedView
        link={link}
        back={back}
        onEdit={(id) => {
          setEditCard(id);
          setMode('edit');
        }}
        onDelete={() => onDelete([link.primary])}
      />
    );
  }
  if (detail === null) return <p className="detail-empty">{t('detail.none')}</p>;
  const row = index.get(detail.id);
  if (mode === 'edit') {
    return (
      <>
        {back}
        {link !== null && row !== undefined ? <p className="muted linked-editing" data-testid="linked-editing">{t('link.editIn', { book: bookName(row.bookId) })}</p> : null}
        <ContactEditor
          key={detail.id}
          initial={detail.contact}
          groupsHint={hintOf(row?.bookId ?? '')}
          bookId={row?.bookId}
          contactId={detail.id}
          onSave={(after, picks) =>
            savingThen(async () => {
              await saveContact(services, detail.id, detail.contact, after);
              if (row !== undefined) await applyPicks(services.groups, row.bookId, detail.id, picks);
            })()
          }
          onCancel={() => setMode('view')}
        />
      </>
    );
  }
  const favorite = row?.favorite === 1;
  return (
    <div className="detail-view">
      <div className="detail-toolbar" role="toolbar" aria-label={t('detail.actions')}>
        {back}
        <button ref={editButton} type="button" className="primary" aria-keyshortcuts="Enter" onClick={() => setMode('edit')}>
          <Pencil aria-hidden="true" size={16} />
          {t('action.edit')}
        </button>
        <button type="button" aria-pressed={favorite} onClick={() => void toggleFavorite(services, detail.id)}>
          <Star aria-hidden="true" size={16} fill={favorite ? 'currentColor' : 'none'} />
          {favorite ? t('action.unfavorite') : t('action.favorite')}
        </button>
        <button type="button" onClick={() => useUi.getState().openDialog({ kind: 'share', contactId: detail.id })}>
          <QrCode aria-hidden="true" size={16} />
          {t('action.share')}
        </button>
        <button type="button" onClick={() => useUi.getState().openDialog({ kind: 'history', contactId: detail.id })}>
          <History aria-hidden="true" size={16} />
          {t('history.open')}
        </button>
        <button type="button" className="danger" aria-keyshortcuts="Delete" onClick={() => onDelete([detail.id])}>
          <Trash2 aria-hidden="true" size={16} />
          {t('action.delete')}
        </button>
      </div>
      {detail.card.conflicts !== undefined ? (
        <div className="banner warning" role="alert" data-testid="conflict-banner">
          <p>{t('conflict.banner', { count: detail.card.conflicts.length })}</p>
          <button type="button" className="primary" onClick={() => useUi.getState().openDialog({ kind: 'conflict', contactId: detail.id })}>
            {t('conflict.resolve')}
          </button>
        </div>
      ) : detail.card.error !== undefined ? (
        <div className="banner error" role="alert" data-testid="refused-banner">
          <p>{t('sync.refused', { message: refusalInWords(detail.card.error, t) })}</p>
        </div>
      ) : null}
      <ContactView contact={detail.contact} bookId={row?.bookId} />
    </div>
  );
}
