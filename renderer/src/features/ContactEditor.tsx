/**
 * The editor: every field of the contact view. It edits a copy of the view; saving hands
 * before/after to the core's applyEdit, which patches only what changed.
 */
import { useId, useState, type ReactNode } from 'react';
import { isRealDate, type AddressItem, type Contact, type ContactItem, type DateItem, type DateValue, type ImItem } from '../../../shared/vcard';
import { nameInOrder } from '../../../shared/book/derive';
import type { MessageKey } from '../i18n';
import { useServices } from '../services';
import { Avatar } from './Avatar';
import { FormActions } from './FormDialog';
import { cropToSquare } from './photo';

const UI_TYPES = ['home', 'work', 'cell', 'fax', 'other'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Item = ContactItem | ImItem;

function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint ? <small className="muted">{hint}</small> : null}
    </div>
  );
}

function TextField({ label, value, onChange, multiline, hint }: { label: string; value: string; onChange: (v: string) => void; multiline?: boolean; hint?: string }) {
  return (
    <Field label={label} hint={hint}>
      {(id) =>
        multiline ? (
          <textarea id={id} value={value} rows={4} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input id={id} value={value} onChange={(e) => onChange(e.target.value)} />
        )
      }
    </Field>
  );
}

function TypePicker({ types, label, onChange, allowed }: { types: readonly string[]; label: string; onChange: (types: string[], label: string) => void; allowed: readonly string[] }) {
  const { t } = useServices();
  const current = label !== '' ? 'custom' : (allowed.find((a) => types.includes(a)) ?? '');
  const rest = types.filter((x) => !(UI_TYPES as readonly string[]).includes(x));
  return (
    <>
      <select
        aria-label={t('field.type')}
        value={current}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'custom') onChange(rest, label || t('type.custom'));
          else onChange(v === '' ? rest : [...rest, v], '');
        }}
      >
        <option value="">—</option>
        {allowed.map((a) => (
          <option key={a} value={a}>
            {t(`type.${a}` as MessageKey)}
          </option>
        ))}
        <option value="custom">{t('type.custom')}</option>
      </select>
      {current === 'custom' ? <input aria-label={t('field.label')} value={label} onChange={(e) => onChange(types as string[], e.target.value)} /> : null}
    </>
  );
}

function ItemsEditor<T extends Item>({ title, items, onChange, make, allowed, inputType }: { title: string; items: readonly T[]; onChange: (items: T[]) => void; make: () => T; allowed: readonly string[]; inputType?: string }) {
  const { t } = useServices();
  const set = (i: number, patch: Partial<Item>) => onChange(items.map((it, k) => (k === i ? { ...it, ...patch } : it)));
  return (
    <fieldset className="items-editor">
      <legend>{title}</legend>
      {items.map((it, i) => (
        <div className="item-row" key={it.id || `new-${i}`}>
          <TypePicker types={it.types} label={it.label} allowed={allowed} onChange={(types, label) => set(i, { types, label })} />
          <input aria-label={`${title} ${i + 1}`} type={inputType ?? 'text'} value={it.value} onChange={(e) => set(i, { value: e.target.value })} />
          <button type="button" className="icon-button" aria-label={`${t('action.remove')}: ${title} ${i + 1}`} onClick={() => onChange(items.filter((_, k) => k !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...items, make()])}>
        {t('action.add')}: {title}
      </button>
    </fieldset>
  );
}

function DateInput({ label, value, onChange }: { label: string; value: DateValue | null; onChange: (v: DateValue | null) => void }) {
  const { t, lang } = useServices();
  const months = Array.from({ length: 12 }, (_, i) => new Intl.DateTimeFormat(lang, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, i, 1))));
  const v = value ?? { year: null, month: null, day: null };
  const update = (patch: Partial<DateValue>) => {
    const next = { ...v, ...patch, text: undefined };
    onChange(next.year === null && next.month === null && next.day === null ? null : next);
  };
  return (
    <fieldset className="date-input">
      <legend>{label}</legend>
      <select aria-label={`${label}: ${t('field.month')}`} value={v.month ?? ''} onChange={(e) => update({ month: e.target.value === '' ? null : Number(e.target.value) })}>
        <option value="">—</option>
        {months.map((m, i) => (
          <option key={m} value={i + 1}>
            {m}
          </option>
        ))}
      </select>
      <input aria-label={`${label}: ${t('field.day')}`} inputMode="numeric" value={v.day ?? ''} onChange={(e) => update({ day: e.target.value === '' ? null : Number(e.target.value) || null })} />
      <input aria-label={`${label}: ${t('field.year')}`} placeholder={t('field.year')} inputMode="numeric" value={v.year ?? ''} onChange={(e) => update({ year: e.target.value === '' ? null : Number(e.target.value) || null })} />
    </fieldset>
  );
}

export function validate(c: Contact, t: (k: MessageKey, vars?: Record<string, string>) => string): string[] {
  const problems: string[] = [];
  for (const e of c.emails) if (e.value.trim() !== '' && !EMAIL.test(e.value.trim())) problems.push(t('invalid.email', { value: e.value }));
  for (const d of [c.birthday, c.anniversary, ...c.dates.map((x) => x.date)]) if (d !== null && !isRealDate(d)) problems.push(t('invalid.date'));
  const named = [c.formattedName, c.name.given, c.name.family, c.organization.name, ...c.emails.map((e) => e.value), ...c.phones.map((p) => p.value)].some((x) => x.trim() !== '');
  if (!named) problems.push(t('invalid.empty'));
  return problems;
}

/** Drop empty items and fill the display name from the structured name when it was left empty. */
export function tidy(c: Contact): Contact {
  const filled = <T extends { value: string }>(xs: readonly T[]) => xs.filter((x) => x.value.trim() !== '').map((x) => ({ ...x, value: x.value.trim() }));
  const addresses = c.addresses.filter((a) => [a.poBox, a.extended, a.street, a.locality, a.region, a.postalCode, a.country].some((x) => x.trim() !== ''));
  const out = { ...c, emails: filled(c.emails), phones: filled(c.phones), urls: filled(c.urls), ims: filled(c.ims), related: filled(c.related), addresses };
  if (out.formattedName.trim() === '') return { ...out, formattedName: nameInOrder(out) || out.organization.name || out.emails[0]?.value || out.phones[0]?.value || '' };
  return out;
}

export function ContactEditor({ initial, onSave, onCancel, googleBook = false }: { initial: Contact; onSave: (c: Contact) => Promise<void>; onCancel: () => void; googleBook?: boolean }) {
  const { t } = useServices();
  const [c, setC] = useState<Contact>(initial);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Contact>) => setC((x) => ({ ...x, ...patch }));
  const blankItem = (): ContactItem => ({ id: '', value: '', types: [], label: '', pref: false });
  const blankAddress = (): AddressItem => ({ id: '', poBox: '', extended: '', street: '', locality: '', region: '', postalCode: '', country: '', types: [], label: '', pref: false });
  const list = (v: string) =>
    v
      .split(/[,،、，]/u)
      .map((x) => x.trim())
      .filter((x) => x !== '');

  const save = async () => {
    const tidied = tidy(c);
    const found = validate(tidied, t);
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      await onSave(tidied);
    } catch (e) {
      setProblems([(e as Error).message]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="contact-editor"
      noValidate
      aria-label={t('action.edit')}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      {problems.length > 0 ? (
        <ul className="form-errors" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div className="photo-field">
        <Avatar name={c.formattedName || nameInOrder(c)} photo={c.photo?.uri ?? ''} size={72} />
        <label className="button">
          {t('action.choosePhoto')}
          <input
            type="file"
            accept="image/*"
            className="visually-hidden"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void cropToSquare(file, 256).then((uri) => set({ photo: { uri } }));
            }}
          />
        </label>
        {c.photo ? (
          <button type="button" onClick={() => set({ photo: null })}>
            {t('action.removePhoto')}
          </button>
        ) : null}
      </div>
      <div className="form-grid">
        <TextField label={t('field.prefix')} value={c.name.prefix} onChange={(v) => set({ name: { ...c.name, prefix: v } })} />
        <TextField label={t('field.given')} value={c.name.given} onChange={(v) => set({ name: { ...c.name, given: v } })} />
        <TextField label={t('field.additional')} value={c.name.additional} onChange={(v) => set({ name: { ...c.name, additional: v } })} />
        <TextField label={t('field.family')} value={c.name.family} onChange={(v) => set({ name: { ...c.name, family: v } })} />
        <TextField label={t('field.suffix')} value={c.name.suffix} onChange={(v) => set({ name: { ...c.name, suffix: v } })} />
        <TextField label={t('field.formattedName')} value={c.formattedName} onChange={(v) => set({ formattedName: v })} />
        <TextField label={t('field.phoneticGiven')} value={c.phoneticName.given} onChange={(v) => set({ phoneticName: { ...c.phoneticName, given: v } })} />
        <TextField label={t('field.phoneticFamily')} value={c.phoneticName.family} onChange={(v) => set({ phoneticName: { ...c.phoneticName, family: v } })} />
        <TextField label={t('field.nicknames')} hint={t('field.listHint')} value={c.nicknames.join(', ')} onChange={(v) => set({ nicknames: list(v) })} />
        <TextField label={t('field.organization')} value={c.organization.name} onChange={(v) => set({ organization: { ...c.organization, name: v } })} />
        <TextField label={t('field.department')} value={c.organization.units.join(', ')} onChange={(v) => set({ organization: { ...c.organization, units: list(v) } })} />
        <TextField label={t('field.title')} value={c.title} onChange={(v) => set({ title: v })} />
        <TextField label={t('field.role')} value={c.role} onChange={(v) => set({ role: v })} />
      </div>
      <ItemsEditor title={t('field.phones')} items={c.phones} onChange={(phones) => set({ phones })} make={blankItem} allowed={['cell', 'home', 'work', 'fax', 'other']} inputType="tel" />
      <ItemsEditor title={t('field.emails')} items={c.emails} onChange={(emails) => set({ emails })} make={blankItem} allowed={['home', 'work', 'other']} inputType="email" />
      <ItemsEditor title={t('field.urls')} items={c.urls} onChange={(urls) => set({ urls })} make={blankItem} allowed={['home', 'work', 'other']} inputType="url" />
      <ItemsEditor title={t('field.ims')} items={c.ims} onChange={(ims) => set({ ims })} make={(): ImItem => ({ ...blankItem(), service: '' })} allowed={['home', 'work', 'other']} />
      <ItemsEditor title={t('field.related')} items={c.related} onChange={(related) => set({ related })} make={blankItem} allowed={[]} />
      <fieldset className="items-editor">
        <legend>{t('field.addresses')}</legend>
        {c.addresses.map((a, i) => {
          const setA = (patch: Partial<AddressItem>) => set({ addresses: c.addresses.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
          return (
            <div className="address-editor" key={a.id || `new-${i}`}>
              <TypePicker types={a.types} label={a.label} allowed={['home', 'work', 'other']} onChange={(types, label) => setA({ types, label })} />
              <TextField label={t('field.street')} value={a.street} onChange={(v) => setA({ street: v })} />
              <TextField label={t('field.extended')} value={a.extended} onChange={(v) => setA({ extended: v })} />
              <TextField label={t('field.poBox')} value={a.poBox} onChange={(v) => setA({ poBox: v })} />
              <TextField label={t('field.locality')} value={a.locality} onChange={(v) => setA({ locality: v })} />
              <TextField label={t('field.region')} value={a.region} onChange={(v) => setA({ region: v })} />
              <TextField label={t('field.postalCode')} value={a.postalCode} onChange={(v) => setA({ postalCode: v })} />
              <TextField label={t('field.country')} value={a.country} onChange={(v) => setA({ country: v })} />
              <button type="button" onClick={() => set({ addresses: c.addresses.filter((_, k) => k !== i) })}>
                {t('action.remove')}: {t('field.addresses')} {i + 1}
              </button>
            </div>
          );
        })}
        <button type="button" onClick={() => set({ addresses: [...c.addresses, blankAddress()] })}>
          {t('action.add')}: {t('field.addresses')}
        </button>
      </fieldset>
      <DateInput label={t('field.birthday')} value={c.birthday} onChange={(birthday) => set({ birthday })} />
      <DateInput label={t('field.anniversary')} value={c.anniversary} onChange={(anniversary) => set({ anniversary })} />
      <fieldset className="items-editor">
        <legend>{t('field.dates')}</legend>
        {c.dates.map((d, i) => {
          const setD = (patch: Partial<DateItem>) => set({ dates: c.dates.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
          return (
            <div className="item-row" key={d.id || `new-${i}`}>
              <input aria-label={`${t('field.label')} ${i + 1}`} value={d.label} onChange={(e) => setD({ label: e.target.value })} />
              <DateInput label={`${t('field.dates')} ${i + 1}`} value={d.date} onChange={(date) => setD({ date: date ?? { year: null, month: null, day: null } })} />
              <button type="button" className="icon-button" aria-label={`${t('action.remove')}: ${t('field.dates')} ${i + 1}`} onClick={() => set({ dates: c.dates.filter((_, k) => k !== i) })}>
                ✕
              </button>
            </div>
          );
        })}
        <button type="button" onClick={() => set({ dates: [...c.dates, { id: '', label: '', date: { year: null, month: null, day: null } }] })}>
          {t('action.add')}: {t('field.dates')}
        </button>
      </fieldset>
      <TextField label={t('field.categories')} hint={googleBook ? `${t('field.listHint')} ${t('google.categoriesLocal')}` : t('field.listHint')} value={c.categories.join(', ')} onChange={(v) => set({ categories: list(v) })} />
      <TextField label={t('field.note')} multiline value={c.note} onChange={(v) => set({ note: v })} />
      <FormActions submit={t('action.save')} disabled={busy} onCancel={onCancel} />
    </form>
  );
}
