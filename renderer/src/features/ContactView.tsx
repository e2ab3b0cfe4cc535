import { useState } from 'react';
import type { Contact, ContactItem, DateValue } from '../../../shared/vcard';
import { nameInOrder } from '../../../shared/book/derive';
import { mailtoUrl, telUrl } from '../../../shared/urls';
import type { MessageKey } from '../i18n';
import { useServices } from '../services';
import { Avatar } from './Avatar';

const KNOWN_TYPES = ['home', 'work', 'cell', 'fax', 'other'] as const;

/** The label to show: a custom label, else the first known type, translated. */
export function itemLabel(t: (k: MessageKey) => string, item: { types: readonly string[]; label: string }): string {
  if (item.label !== '') return item.label;
  const known = KNOWN_TYPES.find((k) => item.types.includes(k) || (k === 'cell' && item.types.includes('mobile')));
  return known === undefined ? '' : t(`type.${known}`);
}

export function formatDate(date: DateValue, lang: string): string {
  if (date.text !== undefined) return date.text;
  if (date.month === null || date.day === null) return [date.year, date.month, date.day].filter((x) => x !== null).join('-');
  const d = new Date(Date.UTC(date.year ?? 2000, date.month - 1, date.day));
  const opts: Intl.DateTimeFormatOptions = date.year === null ? { month: 'long', day: 'numeric', timeZone: 'UTC' } : { dateStyle: 'long', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(lang, opts).format(d);
}

function CopyButton({ value }: { value: string }) {
  const { t } = useServices();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={`${t('action.copy')}: ${value}`}
      onClick={() => {
        void navigator.clipboard.writeText(value).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? t('action.copied') : t('action.copy')}
    </button>
  );
}

function Row({ label, value, href }: { label: string; value: string; href?: string }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>
        {href === undefined ? (
          <bdi className="field-value">{value}</bdi>
        ) : (
          <button type="button" className="link" onClick={() => void window.cardinal.openExternal(href)}>
            <bdi>{value}</bdi>
          </button>
        )}
        <CopyButton value={value} />
      </dd>
    </div>
  );
}

function Items({ title, items, href }: { title: string; items: readonly ContactItem[]; href?: (v: string) => string | undefined }) {
  const { t } = useServices();
  if (items.length === 0) return null;
  return (
    <section className="field-group" aria-label={title}>
      <h3>{title}</h3>
      <dl>
        {items.map((it) => (
          <Row key={it.id} label={itemLabel(t, it)} value={it.value} href={href?.(it.value)} />
        ))}
      </dl>
    </section>
  );
}

export function ContactView({ contact, bookId }: { contact: Contact; bookId?: string }) {
  const { t, lang } = useServices();
  const name = contact.formattedName || nameInOrder(contact);
  const address = (a: Contact['addresses'][number]) =>
    [a.poBox, a.extended, a.street, [a.postalCode, a.locality].filter(Boolean).join(' '), a.region, a.country].filter((x) => x !== '').join('\n');
  const safeHref = (v: string) => (/^https?:\/\//i.test(v) ? v : undefined);
  return (
    <article className="contact-view" aria-label={name}>
      <header className="contact-head">
        <Avatar name={name} photo={contact.photo?.uri ?? ''} size={72} bookId={bookId} />
        <div>
          <h2>{name || t('list.noName')}</h2>
          {contact.phoneticName.family || contact.phoneticName.given ? (
            <p className="muted">{[contact.phoneticName.given, contact.phoneticName.family].filter(Boolean).join(' ')}</p>
          ) : null}
          {contact.nicknames.length > 0 ? <p className="muted">“{contact.nicknames.join(', ')}”</p> : null}
          {contact.title || contact.organization.name ? (
            <p>{[contact.title, contact.role, [contact.organization.name, ...contact.organization.units].filter(Boolean).join(' · ')].filter(Boolean).join(' — ')}</p>
          ) : null}
        </div>
      </header>
      <Items title={t('field.phones')} items={contact.phones} href={telUrl} />
      <Items title={t('field.emails')} items={contact.emails} href={mailtoUrl} />
      <Items title={t('field.urls')} items={contact.urls} href={safeHref} />
      <Items title={t('field.ims')} items={contact.ims} />
      {contact.addresses.length > 0 ? (
        <section className="field-group" aria-label={t('field.addresses')}>
          <h3>{t('field.addresses')}</h3>
          <dl>
            {contact.addresses.map((a) => (
              <Row key={a.id} label={itemLabel(t, a)} value={address(a)} />
            ))}
          </dl>
        </section>
      ) : null}
      {contact.birthday || contact.anniversary || contact.dates.length > 0 ? (
        <section className="field-group" aria-label={t('field.dates')}>
          <h3>{t('field.dates')}</h3>
          <dl>
            {contact.birthday ? <Row label={t('field.birthday')} value={formatDate(contact.birthday, lang)} /> : null}
            {contact.anniversary ? <Row label={t('field.anniversary')} value={formatDate(contact.anniversary, lang)} /> : null}
            {contact.dates.map((d) => (
              <Row key={d.id} label={d.label} value={formatDate(d.date, lang)} />
            ))}
          </dl>
        </section>
      ) : null}
      <Items title={t('field.related')} items={contact.related} />
      {contact.categories.length > 0 ? (
        <section className="field-group" aria-label={t('field.categories')}>
          <h3>{t('field.categories')}</h3>
          <p>{contact.categories.join(', ')}</p>
        </section>
      ) : null}
      {contact.note ? (
        <section className="field-group" aria-label={t('field.note')}>
          <h3>{t('field.note')}</h3>
          <p className="note">{contact.note}</p>
        </section>
      ) : null}
    </article>
  );
}
