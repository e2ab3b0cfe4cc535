/**
 * A contact as read: every field that has a value (an empty one has no row), values isolated from
 * the UI's direction (a phone number in a Persian window reads left to right), links for what can
 * be opened (through the OS: mail, phone, web, and a map for addresses), Copy beside each value,
 * shown on hover or focus.
 */
import { createContext, useContext, useState } from 'react';
import { Cake, Check, Copy, ExternalLink, Globe, Mail, MapPin, MessageSquare, Phone, StickyNote, Tag, Users } from 'lucide-react';
import type { Contact, ContactItem } from '../../../../shared/vcard';
import { nameInOrder } from '../../../../shared/book/derive';
import { mailtoUrl, telUrl } from '../../../../shared/urls';
import type { Translate } from '../../i18n';
import { useServices } from '../../services';
import { formatDate } from '../dates/format';
import { Avatar } from './Avatar';

const KNOWN_TYPES = ['home', 'work', 'cell', 'fax', 'other'] as const;

/**
 * The label to show: a custom label, else the first known type, translated, else `fallback` (what
 * the value is: "E-mail", "Phone", or "Other"), so an untyped value never has an empty label.
 */
export function itemLabel(t: Translate, item: { types: readonly string[]; label: string }, fallback: string): string {
  if (item.label.trim() !== '') return item.label;
  const known = KNOWN_TYPES.find((k) => item.types.includes(k) || (k === 'cell' && item.types.includes('mobile')));
  return known === undefined ? fallback : t(`type.${known}`);
}

function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useServices();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="icon-button copy-button"
      aria-label={t('action.copyField', { field: label })}
      title={done ? t('action.copied') : t('action.copy')}
      onClick={() => {
        void navigator.clipboard.writeText(value).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? <Check aria-hidden="true" size={16} /> : <Copy aria-hidden="true" size={16} />}
      <span className="visually-hidden" aria-live="polite">
        {done ? t('action.copied') : ''}
      </span>
    </button>
  );
}

/** `dir`: phone numbers, e-mail and web addresses are left to right in every language (a number
 * has no strong direction of its own, so in a Persian window it would read backwards). */
function Row({ label, value, href, extra, field, dir }: { label: string; value: string; href?: string; extra?: React.ReactNode; field: string; dir?: 'ltr' }) {
  return (
    <div className="field-row">
      <dt>{label === '' ? <span className="visually-hidden">{field}</span> : label}</dt>
      <dd>
        {href === undefined ? (
          <bdi className="field-value" dir={dir}>
            {value}
          </bdi>
        ) : (
          <button type="button" className="link field-value" onClick={() => void window.cardinal.openExternal(href)}>
            <bdi dir={dir}>{value}</bdi>
          </button>
        )}
        {extra}
        <CopyButton value={value} label={label === '' || label === field ? field : `${field} (${label})`} />
      </dd>
    </div>
  );
}

/** The book a card is in, when several cards are shown together (a linked contact): each group's name says it. */
const PlaceContext = createContext<string | null>(null);

/** A group's accessible name: its title, and the card's book when several cards are shown. */
function useGroupLabel(title: string): string {
  const { t } = useServices();
  const place = useContext(PlaceContext);
  return place === null ? title : t('link.groupIn', { group: title, book: place });
}

function Group({ title, icon, children }: { title: string; icon: React.ReactNode; children: React.ReactNode }) {
  return (
    <section className="field-group" aria-label={useGroupLabel(title)}>
      <h3>
        {icon}
        {title}
      </h3>
      <dl>{children}</dl>
    </section>
  );
}

/** `untyped`: the label of a value with no label and no known type (the field's name, or "Other"). */
function Items({ title, untyped, icon, items, href, dir }: { title: string; untyped: string; icon: React.ReactNode; items: readonly ContactItem[]; href?: (v: string) => string | undefined; dir?: 'ltr' }) {
  const { t } = useServices();
  const shown = items.filter((it) => it.value.trim() !== '');
  if (shown.length === 0) return null;
  return (
    <Group title={title} icon={icon}>
      {shown.map((it) => (
        <Row key={it.id} field={title} label={itemLabel(t, it, untyped)} value={it.value} href={href?.(it.value)} dir={dir} />
      ))}
    </Group>
  );
}

/** A search for the address on OpenStreetMap, opened in the OS's browser. */
export function mapUrl(address: string): string {
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(address.replace(/\n/g, ', '))}`;
}

const ICON = { 'aria-hidden': true, size: 16 } as const;

export function ContactView({ contact, bookId, place }: { contact: Contact; bookId?: string; place?: string }) {
  return (
    <PlaceContext.Provider value={place ?? null}>
      <ContactFields contact={contact} bookId={bookId} />
    </PlaceContext.Provider>
  );
}

function LabelledSection({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="field-group" aria-label={useGroupLabel(title)}>
      {children}
    </section>
  );
}

function ContactFields({ contact, bookId }: { contact: Contact; bookId?: string }) {
  const { t, dates } = useServices();
  const name = contact.formattedName || nameInOrder(contact);
  const address = (a: Contact['addresses'][number]) =>
    [a.poBox, a.extended, a.street, [a.postalCode, a.locality].filter(Boolean).join(' '), a.region, a.country].filter((x) => x.trim() !== '').join('\n');
  const safeHref = (v: string) => (/^https?:\/\//i.test(v) ? v : undefined);
  const addresses = contact.addresses.filter((a) => address(a) !== '');
  const otherDates = contact.dates.filter((d) => d.date.text !== undefined || d.date.month !== null || d.date.year !== null);
  const work = [contact.title, contact.role, [contact.organization.name, ...contact.organization.units].filter(Boolean).join(' · ')].filter(Boolean);
  return (
    <article className="contact-view" aria-label={name || t('list.noName')}>
      <header className="contact-head">
        <Avatar name={name} photo={contact.photo?.uri ?? ''} size={80} bookId={bookId} />
        <div className="contact-head-text">
          <h2 title={name.length > 80 ? name : undefined}>
            <bdi>{name || t('list.noName')}</bdi>
          </h2>
          {contact.phoneticName.family || contact.phoneticName.given ? (
            <p className="muted">
              <bdi>{[contact.phoneticName.given, contact.phoneticName.family].filter(Boolean).join(' ')}</bdi>
            </p>
          ) : null}
          {contact.nicknames.length > 0 ? (
            <p className="muted">
              <bdi>{t('view.nicknames', { names: contact.nicknames.join(', ') })}</bdi>
            </p>
          ) : null}
          {work.length > 0 ? (
            <p>
              <bdi>{work.join(' — ')}</bdi>
            </p>
          ) : null}
        </div>
      </header>
      <Items title={t('field.phones')} untyped={t('field.phones')} icon={<Phone {...ICON} />} items={contact.phones} dir="ltr" href={telUrl} />
      <Items title={t('field.emails')} untyped={t('field.emails')} icon={<Mail {...ICON} />} items={contact.emails} dir="ltr" href={mailtoUrl} />
      <Items title={t('field.urls')} untyped={t('field.urls')} icon={<Globe {...ICON} />} items={contact.urls} dir="ltr" href={safeHref} />
      <Items title={t('field.ims')} untyped={t('type.other')} icon={<MessageSquare {...ICON} />} items={contact.ims} dir="ltr" />
      {addresses.length > 0 ? (
        <Group title={t('field.addresses')} icon={<MapPin {...ICON} />}>
          {addresses.map((a) => (
            <Row
              key={a.id}
              field={t('field.addresses')}
              label={itemLabel(t, a, t('field.addresses'))}
              value={address(a)}
              extra={
                <button type="button" className="link map-link" onClick={() => void window.cardinal.openExternal(mapUrl(address(a)))}>
                  <ExternalLink {...ICON} />
                  {t('view.openMap')}
                </button>
              }
            />
          ))}
        </Group>
      ) : null}
      {contact.birthday || contact.anniversary || otherDates.length > 0 ? (
        <Group title={t('view.dates')} icon={<Cake {...ICON} />}>
          {contact.birthday ? <Row field={t('field.birthday')} label={t('field.birthday')} value={formatDate(contact.birthday, dates)} /> : null}
          {contact.anniversary ? <Row field={t('field.anniversary')} label={t('field.anniversary')} value={formatDate(contact.anniversary, dates)} /> : null}
          {otherDates.map((d) => (
            <Row key={d.id} field={t('field.dates')} label={d.label.trim() === '' ? t('type.other') : d.label} value={formatDate(d.date, dates)} />
          ))}
        </Group>
      ) : null}
      <Items title={t('field.related')} untyped={t('type.other')} icon={<Users {...ICON} />} items={contact.related} />
      {contact.categories.length > 0 ? (
        <LabelledSection title={t('field.categories')}>
          <h3>
            <Tag {...ICON} />
            {t('field.categories')}
          </h3>
          <ul className="chips">
            {contact.categories.map((g) => (
              <li key={g} className="chip">
                <bdi>{g}</bdi>
              </li>
            ))}
          </ul>
        </LabelledSection>
      ) : null}
      {contact.note.trim() !== '' ? (
        <LabelledSection title={t('field.note')}>
          <h3>
            <StickyNote {...ICON} />
            {t('field.note')}
          </h3>
          <p className="note" dir="auto">
            {contact.note}
          </p>
        </LabelledSection>
      ) : null}
    </article>
  );
}
