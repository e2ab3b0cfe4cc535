/**
 * Share one contact: a QR code a phone's camera reads (a vCard 3.0 of what a phone needs, small
 * enough to scan: shared/share), what was left out of the code, and the whole card as a .vcf file
 * to save. A linked contact is shared as one: every card's items in the shown card (as-shown.ts).
 */
import { useEffect, useState } from 'react';
import { Download } from 'lucide-react';
import { safeBaseName } from '../../../../shared/export';
import { qrPayload, qrSvg, type QrDropped } from '../../../../shared/share';
import { parseVCard } from '../../../../shared/vcard';
import type { MessageKey } from '../../i18n';
import { useServices } from '../../services';
import { Modal } from '../common/Modal';
import { download } from '../export/files';
import { linkedCard } from '../export/as-shown';
import { appRegion } from '../duplicates/finder';

const DROPPED_KEY: Record<QrDropped, MessageKey> = {
  photo: 'share.dropped.photo',
  note: 'share.dropped.note',
  birthday: 'share.dropped.birthday',
  anniversary: 'share.dropped.anniversary',
  dates: 'share.dropped.dates',
  nicknames: 'share.dropped.nicknames',
  'phonetic-name': 'share.dropped.phoneticName',
  ims: 'share.dropped.ims',
  related: 'share.dropped.related',
  categories: 'share.dropped.categories',
  labels: 'share.dropped.labels',
  'other-properties': 'share.dropped.otherProperties',
  'some-addresses': 'share.dropped.someAddresses',
  'some-urls': 'share.dropped.someUrls',
  'some-emails': 'share.dropped.someEmails',
  'some-phones': 'share.dropped.somePhones',
};

interface Loaded {
  vcard: string;
  qr: { dataUrl: string; text: string; dropped: readonly QrDropped[] } | null;
}

export function ShareDialog({ contactId, onClose }: { contactId: string; onClose: () => void }) {
  const { t, repo, index, links } = useServices();
  // A linked contact is shared as the one contact it is shown as: its shown card with every card's items (as-shown.ts).
  const link = links.linkOf(contactId);
  const shownId = link?.primary ?? contactId;
  const name = index.get(shownId)?.displayName || t('list.noName');
  const members = (link === null ? [contactId] : [link.primary, ...link.members.filter((m) => m !== link.primary)]).join(' ');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    let alive = true;
    void (async () => {
      const cards = (await repo.db.cards.bulkGet(members.split(' '))).filter((c) => c !== undefined);
      const vcard = cards.length > 1 ? linkedCard(cards, cards[0]!.id, await appRegion()) : cards[0]?.vcard;
      if (!alive) return;
      if (vcard === undefined) return onClose();
      const payload = qrPayload(parseVCard(vcard));
      const qr = payload === null ? null : { dataUrl: qrSvg(payload.text, name).dataUrl, text: payload.text, dropped: payload.dropped };
      setLoaded({ vcard, qr });
    })();
    return () => {
      alive = false;
    };
  }, [repo, members, name, onClose]);
  const save = () => {
    if (loaded === null) return;
    download({ name: `${safeBaseName(name)}.vcf`, mime: 'text/vcard;charset=utf-8', bytes: new TextEncoder().encode(loaded.vcard) });
  };
  return (
    <Modal
      title={t('share.title', { name })}
      onClose={onClose}
      actions={
        <div className="form-actions">
          <button type="button" className="primary" disabled={loaded === null} onClick={save}>
            <Download aria-hidden="true" size={16} />
            {t('share.saveVcf')}
          </button>
          <button type="button" onClick={onClose}>
            {t('action.close')}
          </button>
        </div>
      }
    >
      {loaded === null ? (
        <p className="waiting">{t('app.loading')}</p>
      ) : loaded.qr === null ? (
        <p role="alert">{t('share.tooLarge')}</p>
      ) : (
        <div className="share-body">
          <p>{t('share.scan')}</p>
          <img className="share-qr" src={loaded.qr.dataUrl} alt={t('share.qrAlt', { name })} data-testid="share-qr" data-payload-bytes={new TextEncoder().encode(loaded.qr.text).length} />
          {loaded.qr.dropped.length > 0 ? (
            <p className="muted" data-testid="share-dropped">
              {t('share.notInCode', { list: loaded.qr.dropped.map((d) => t(DROPPED_KEY[d])).join(t('share.listSeparator')) })}
            </p>
          ) : null}
        </div>
      )}
    </Modal>
  );
}
