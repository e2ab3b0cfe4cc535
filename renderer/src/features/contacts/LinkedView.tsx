/**
 * A linked contact (cards of different address books shown as one, store/links.ts): the name it
 * is shown by, then every card in turn under the book it is in, each with its own Edit (the edit
 * goes to that card, and syncs with that book only) and History. Share shares it as one contact
 * (every card's items in the shown card, export/as-shown.ts); Unlink makes them separate
 * contacts again; Delete asks which cards go (DeleteLinkedDialog). No card is changed by any of
 * it but an edit the user makes.
 */
import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import { History, Pencil, QrCode, Star, Trash2, Unlink } from 'lucide-react';
import { parseVCard, toContact, type Contact } from '../../../../shared/vcard';
import { deleteContacts, toggleFavorite } from '../../actions';
import { LOCAL_BOOK_ID, type CardRow } from '../../db/schema';
import type { Translate } from '../../i18n';
import { useServices } from '../../services';
import { isFavorite, type LiveLink } from '../../store/links';
import { useUi } from '../../store/ui';
import { useDirectory } from '../accounts/directory';
import { refusalInWords } from '../accounts/error-words';
import { FormActions } from '../common/FormActions';
import { Modal } from '../common/Modal';
import { ContactView } from './ContactView';

/** A book's name as the window shows it. */
export function useBookName(): (bookId: string) => string {
  const { t } = useServices();
  const books = useDirectory((d) => d.books);
  return (id: string) => (id === LOCAL_BOOK_ID ? t('books.local') : (books.find((b) => b.id === id)?.name ?? ''));
}

/** The link's cards, the shown one first, as they are in the store (read again when the list changes). */
function useLinkedCards(link: LiveLink): { id: string; card: CardRow; contact: Contact }[] | null {
  const { repo, index } = useServices();
  const version = useSyncExternalStore(index.subscribe, index.getVersion);
  const [cards, setCards] = useState<{ id: string; card: CardRow; contact: Contact }[] | null>(null);
  const ids = [link.primary, ...link.members.filter((m) => m !== link.primary)];
  const key = ids.join(' ');
  useEffect(() => {
    let alive = true;
    void repo.db.cards.bulkGet(key.split(' ')).then((found) => {
      if (alive) setCards(found.flatMap((card) => (card === undefined ? [] : [{ id: card.id, card, contact: toContact(parseVCard(card.vcard)) }])));
    });
    return () => {
      alive = false;
    };
  }, [key, repo, version]);
  return cards;
}

export function LinkedView({ link, back, onEdit, onDelete }: { link: LiveLink; back: React.ReactNode; onEdit: (cardId: string) => void; onDelete: () => void }) {
  const services = useServices();
  const { t, index, links } = services;
  const bookName = useBookName();
  const cards = useLinkedCards(link);
  // One person: a favourite when any of its cards is; the star does them all (actions.ts).
  const favorite = isFavorite(link.primary, links.linkOf, (id) => index.get(id));
  const unlink = async () => {
    const record = await links.unlink(link.id);
    useUi.getState().showToast((tr: Translate) => tr('link.unlinked'), record === undefined ? undefined : () => links.restore(record));
  };
  return (
    <div className="detail-view" data-testid="linked-view">
      <div className="detail-toolbar" role="toolbar" aria-label={t('detail.actions')}>
        {back}
        <button type="button" aria-pressed={favorite} onClick={() => void toggleFavorite(services, link.primary)}>
          <Star aria-hidden="true" size={16} fill={favorite ? 'currentColor' : 'none'} />
          {favorite ? t('action.unfavorite') : t('action.favorite')}
        </button>
        <button type="button" onClick={() => useUi.getState().openDialog({ kind: 'share', contactId: link.primary })}>
          <QrCode aria-hidden="true" size={16} />
          {t('action.share')}
        </button>
        <button type="button" onClick={() => void unlink()}>
          <Unlink aria-hidden="true" size={16} />
          {t('link.unlink')}
        </button>
        <button type="button" className="danger" aria-keyshortcuts="Delete" onClick={onDelete}>
          <Trash2 aria-hidden="true" size={16} />
          {t('action.delete')}
        </button>
      </div>
      <p className="muted linked-count">{t('link.heading', { count: link.members.length })}</p>
      {(cards ?? []).map(({ id, card, contact }) => {
        const row = index.get(id);
        const book = bookName(row?.bookId ?? card.bookId);
        return (
          <section key={id} className="linked-card" aria-label={t('link.cardIn', { book })} data-testid="linked-card" data-book={row?.bookId ?? card.bookId}>
            <div className="linked-card-head">
              <span className="linked-book">{t('link.cardIn', { book })}</span>
              <div className="linked-card-actions">
                <button type="button" onClick={() => onEdit(id)}>
                  <Pencil aria-hidden="true" size={16} />
                  {t('link.editIn', { book })}
                </button>
                <button type="button" onClick={() => useUi.getState().openDialog({ kind: 'history', contactId: id })}>
                  <History aria-hidden="true" size={16} />
                  {t('link.historyOf', { book })}
                </button>
                {id !== link.primary ? (
                  <button type="button" onClick={() => void links.setPrimary(link.id, id)}>
                    {t('link.showThis')}
                  </button>
                ) : null}
              </div>
            </div>
            {card.conflicts !== undefined ? (
              <div className="banner warning" role="alert">
                <p>{t('conflict.banner', { count: card.conflicts.length })}</p>
                <button type="button" className="primary" onClick={() => useUi.getState().openDialog({ kind: 'conflict', contactId: id })}>
                  {t('conflict.resolve')}
                </button>
              </div>
            ) : card.error !== undefined ? (
              <div className="banner error" role="alert">
                <p>{t('sync.refused', { message: refusalInWords(card.error, t) })}</p>
              </div>
            ) : null}
            <ContactView contact={contact} bookId={row?.bookId} place={book} />
          </section>
        );
      })}
    </div>
  );
}

/** Which cards of a linked contact to delete (all ticked at first); each goes as Delete does (trash, server, undo). */
export function DeleteLinkedDialog({ linkId, onClose }: { linkId: string; onClose: () => void }) {
  const services = useServices();
  const { t, index, links } = services;
  const bookName = useBookName();
  const id = useId();
  const link = links.all().find((l) => l.id === linkId);
  const live = link === undefined ? null : links.linkOf(link.members.find((m) => index.get(m) !== undefined) ?? '');
  const members = live?.members ?? [];
  const [chosen, setChosen] = useState<readonly string[]>(members);
  const picked = members.filter((m) => chosen.includes(m));
  return (
    <Modal
      title={t('link.deleteTitle')}
      role="alertdialog"
      size="small"
      describedBy={`${id}-message`}
      onClose={onClose}
      onSubmit={() => {
        if (picked.length === 0) return;
        onClose();
        void deleteContacts(services, picked);
      }}
      actions={<FormActions submit={t('link.deleteChosen', { count: picked.length })} disabled={picked.length === 0} danger onCancel={onClose} />}
    >
      <p id={`${id}-message`}>{t('link.deleteAsk')}</p>
      <ul className="linked-delete">
        {members.map((m) => {
          const row = index.get(m);
          return (
            <li key={m}>
              <label className="checkbox">
                <input type="checkbox" checked={chosen.includes(m)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, m] : c.filter((x) => x !== m)))} />
                <bdi>{t('link.deleteCard', { name: row?.displayName || t('list.noName'), book: bookName(row?.bookId ?? '') })}</bdi>
              </label>
            </li>
          );
        })}
      </ul>
    </Modal>
  );
}
