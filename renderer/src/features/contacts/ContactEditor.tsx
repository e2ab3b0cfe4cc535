/**
 * The editor: every field of the contact view. It edits a copy of the view; saving hands
 * before/after to the core's applyEdit, which patches only what changed. Leaving it with changes
 * asks first (edit-guard.ts); problems are shown at their field and the first one is focused.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { ImagePlus, Plus, Trash2, X } from 'lucide-react';
import type { AddressItem, Contact, ContactItem, DateItem, ImItem } from '../../../../shared/vcard';
import { VCardError } from '../../../../shared/vcard';
import { nameInOrder } from '../../../../shared/book/derive';
import type { MessageKey } from '../../i18n';
import { useServices } from '../../services';
import { ContactGone } from '../../actions';
import { GroupPicker, type GroupPicks } from '../groups/GroupPicker';
import type { GroupsHint } from '../accounts/directory';
import { FormActions } from '../common/FormActions';
import { DateInput } from '../dates/DateInput';
import { Avatar } from './Avatar';
import { leaveEditor, registerEditor } from './edit-guard';
import { cropToSquare } from './photo';
import { tidy, validate, type Problem } from './validate';

const UI_TYPES = ['home', 'work', 'cell', 'fax', 'other'] as const;

type Item = ContactItem | ImItem;

/** Problems by field path, and the DOM id of each field. */
interface FieldErrors {
  prefix: string;
  of(path: string): string | undefined;
}

function ErrorText({ id, message }: { id: string; message: string | undefined }) {
  return message === undefined ? null : (
    <small className="field-error" id={id}>
      {message}
    </small>
  );
}

function TextField({ path, label, value, onChange, errors, multiline, hint, dir = 'auto', type = 'text' }: { path: string; label: string; value: string; onChange: (v: string) => void; errors: FieldErrors; multiline?: boolean; hint?: string; dir?: 'auto' | 'ltr'; type?: string }) {
  const id = `${errors.prefix}-${path}`;
  const error = errors.of(path);
  const described = [error === undefined ? undefined : `${id}-error`, hint === undefined ? undefined : `${id}-hint`].filter(Boolean).join(' ') || undefined;
  const common = { id, value, dir, 'aria-invalid': error === undefined ? undefined : true, 'aria-describedby': described };
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea {...common} rows={4} onChange={(e) => onChange(e.target.value)} /> : <input {...common} type={type} onChange={(e) => onChange(e.target.value)} />}
      {hint ? (
        <small className="muted" id={`${id}-hint`}>
          {hint}
        </small>
      ) : null}
      <ErrorText id={`${id}-error`} message={error} />
    </div>
  );
}

/** Notes longer than this open for editing when asked: a browser's textarea takes seconds to lay out a megabyte. */
export const LONG_NOTE = 100_000;
const PREVIEW = 300;

/**
 * The note, uncontrolled: notes of a megabyte are met (pasted logs, mail threads), and a textarea
 * React drives copies, compares and writes back the whole text (its defaultValue) and re-renders
 * the whole form at every key. Here the browser keeps the text; the editor hears only that it
 * changed (once) and reads it when it saves or is asked whether it has changes. A note longer
 * than LONG_NOTE shows its beginning and opens in its textarea when the user asks: the editor
 * opens at once, and the other fields stay quick.
 */
function NoteField({ id, label, initial, area, onFirstChange }: { id: string; label: string; initial: string; area: RefObject<HTMLTextAreaElement | null>; onFirstChange: () => void }) {
  const { t } = useServices();
  const changed = useRef(false);
  const [open, setOpen] = useState(initial.length <= LONG_NOTE);
  const asked = useRef(false);
  useEffect(() => {
    if (open && asked.current) area.current?.focus();
  }, [open, area]);
  if (!open) {
    return (
      <div className="form-field note-field" role="group" aria-labelledby={`${id}-label`}>
        <span className="form-label" id={`${id}-label`}>
          {label}
        </span>
        <p className="note-preview" dir="auto">
          {initial.slice(0, PREVIEW)}…
        </p>
        <small className="muted" id={`${id}-hint`}>
          {t('editor.longNote', { count: initial.length })}
        </small>
        <button
          type="button"
          aria-describedby={`${id}-hint`}
          onClick={() => {
            asked.current = true;
            setOpen(true);
          }}
        >
          {t('editor.editNote')}
        </button>
      </div>
    );
  }
  return (
    <div className="form-field note-field">
      <label htmlFor={id}>{label}</label>
      <textarea
        ref={area}
        id={id}
        dir="auto"
        rows={4}
        defaultValue={initial}
        onChange={() => {
          if (changed.current) return;
          changed.current = true;
          onFirstChange();
        }}
      />
    </div>
  );
}

function TypePicker({ types, label, onChange, allowed, field, n }: { types: readonly string[]; label: string; onChange: (types: string[], label: string) => void; allowed: readonly string[]; field: string; n: number }) {
  const { t } = useServices();
  const current = label !== '' ? 'custom' : (allowed.find((a) => types.includes(a)) ?? '');
  const rest = types.filter((x) => !(UI_TYPES as readonly string[]).includes(x));
  return (
    <>
      <select
        aria-label={t('editor.itemType', { field, n })}
        value={current}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'custom') onChange(rest, label || t('type.custom'));
          else onChange(v === '' ? rest : [...rest, v], '');
        }}
      >
        <option value="">{t('type.none')}</option>
        {allowed.map((a) => (
          <option key={a} value={a}>
            {t(`type.${a}` as MessageKey)}
          </option>
        ))}
        <option value="custom">{t('type.custom')}</option>
      </select>
      {current === 'custom' ? <input aria-label={t('editor.itemLabel', { field, n })} dir="auto" value={label} onChange={(e) => onChange(types as string[], e.target.value)} /> : null}
    </>
  );
}

/**
 * Adds a blank item and moves the focus into it (its first field: the value of an e-mail or phone,
 * an address's first line, a date's label), where the user types next.
 */
function AddButton({ field, onClick }: { field: string; onClick: () => void }) {
  const { t } = useServices();
  return (
    <button
      type="button"
      className="add-item"
      onClick={(e) => {
        const button = e.currentTarget;
        flushSync(onClick);
        const row = button.previousElementSibling;
        (row?.querySelector<HTMLElement>('.address-grid input, input[id]') ?? row?.querySelector<HTMLElement>('input'))?.focus();
      }}
    >
      <Plus aria-hidden="true" size={16} />
      {t('editor.addItem', { field })}
    </button>
  );
}

function ItemsEditor<T extends Item>({ path, title, items, onChange, make, allowed, inputType, errors }: { path: string; title: string; items: readonly T[]; onChange: (items: T[]) => void; make: () => T; allowed: readonly string[]; inputType?: string; errors: FieldErrors }) {
  const { t } = useServices();
  const set = (i: number, patch: Partial<Item>) => onChange(items.map((it, k) => (k === i ? { ...it, ...patch } : it)));
  // Phone numbers, e-mail addresses and URLs are left-to-right in every language.
  const dir = inputType === undefined ? 'auto' : 'ltr';
  return (
    <fieldset className="items-editor">
      <legend>{title}</legend>
      {items.map((it, i) => {
        const id = `${errors.prefix}-${path}.${i}`;
        const error = errors.of(`${path}.${i}`);
        return (
          <div className="item-row" key={it.id || `new-${i}`}>
            <TypePicker types={it.types} label={it.label} allowed={allowed} field={title} n={i + 1} onChange={(types, label) => set(i, { types, label })} />
            <input
              id={id}
              aria-label={t('editor.item', { field: title, n: i + 1 })}
              type={inputType ?? 'text'}
              dir={dir}
              value={it.value}
              aria-invalid={error === undefined ? undefined : true}
              aria-describedby={error === undefined ? undefined : `${id}-error`}
              onChange={(e) => set(i, { value: e.target.value })}
            />
            <button type="button" className="icon-button" aria-label={t('editor.removeItem', { field: title, n: i + 1 })} title={t('action.remove')} onClick={() => onChange(items.filter((_, k) => k !== i))}>
              <X aria-hidden="true" size={16} />
            </button>
            <ErrorText id={`${id}-error`} message={error} />
          </div>
        );
      })}
      <AddButton field={title} onClick={() => onChange([...items, make()])} />
    </fieldset>
  );
}

function Section({ children }: { children: ReactNode }) {
  return <div className="form-grid">{children}</div>;
}

export function ContactEditor({
  initial,
  onSave,
  onCancel,
  groupsHint = null,
  isNew = false,
  bookId,
  contactId = null,
}: {
  initial: Contact;
  /** `picks`: the group ticks kept outside the card (group cards, labels), for after the save. */
  onSave: (c: Contact, picks: GroupPicks) => Promise<void>;
  onCancel: () => void;
  /** What the Groups field says of where its names go (Google, Workspace), null for a plain book. */
  groupsHint?: GroupsHint;
  isNew?: boolean;
  /** The contact's book, whose groups the picker lists. */
  bookId?: string;
  contactId?: string | null;
}) {
  const { t, lang } = useServices();
  const [c, setC] = useState<Contact>(initial);
  const [picks, setPicks] = useState<GroupPicks>(new Map());
  const [problems, setProblems] = useState<Problem[]>([]);
  /** Date fields whose inputs name no date; the contact keeps its last real value meanwhile. */
  const [badDates, setBadDates] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const prefix = useId().replace(/:/g, '');
  const form = useRef<HTMLFormElement>(null);
  const [focusTick, setFocusTick] = useState(0);
  const set = (patch: Partial<Contact>) => setC((x) => ({ ...x, ...patch }));
  const blankItem = (): ContactItem => ({ id: '', value: '', types: [], label: '', pref: false });
  const blankAddress = (): AddressItem => ({ id: '', poBox: '', extended: '', street: '', locality: '', region: '', postalCode: '', country: '', types: [], label: '', pref: false });
  const list = (v: string) =>
    v
      .split(/[,،、，]/u)
      .map((x) => x.trim())
      .filter((x) => x !== '');
  const errors: FieldErrors = { prefix, of: (path) => problems.find((p) => p.field === path)?.message };
  const dateChanged = (path: string, valid: boolean) =>
    setBadDates((prev) => {
      const next = new Set(prev);
      if (valid) next.delete(path);
      else next.add(path);
      return next;
    });

  // The note's text lives in its textarea (NoteField); `withNote` puts it into the contact.
  const noteArea = useRef<HTMLTextAreaElement | null>(null);
  const [noteTouched, setNoteTouched] = useState(false);
  const withNote = (x: Contact): Contact => {
    const note = noteArea.current?.value;
    return note === undefined || note === x.note ? x : { ...x, note };
  };
  const latest = useRef({ c, badDates, initial, picks, noteTouched });
  useLayoutEffect(() => {
    latest.current = { c, badDates, initial, picks, noteTouched };
  });

  const save = async (): Promise<boolean> => {
    const { badDates: bad, picks: ticked } = latest.current;
    const current = withNote(latest.current.c);
    const found = validate(current, t, bad);
    setProblems(found);
    setFailure(null);
    if (found.length > 0) {
      setFocusTick((n) => n + 1);
      return false;
    }
    setBusy(true);
    try {
      await onSave(tidy(current, latest.current.initial), ticked);
      return true;
    } catch (e) {
      setFailure(e instanceof ContactGone ? t('editor.deletedMeanwhile') : e instanceof VCardError ? t('editor.tooLarge') : (e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const saveRef = useRef(save);
  useLayoutEffect(() => {
    saveRef.current = save;
  });

  useEffect(
    () =>
      registerEditor({
        isDirty: () =>
          (latest.current.noteTouched && (noteArea.current?.value ?? latest.current.c.note) !== latest.current.initial.note) ||
          JSON.stringify(latest.current.c) !== JSON.stringify(latest.current.initial) ||
          latest.current.badDates.size > 0 ||
          latest.current.picks.size > 0,
        save: () => saveRef.current(),
      }),
    [],
  );

  // Edit, Enter or Ctrl/Cmd+N bring the keyboard here: the name the culture writes first takes the focus.
  const familyFirst = lang === 'zh-TW' || lang === 'zh-CN';
  useEffect(() => {
    document.getElementById(`${prefix}-name.${familyFirst ? 'family' : 'given'}`)?.focus();
  }, [prefix, familyFirst]);

  // A save that failed (the store refused it): the message takes the focus, which Save, disabled
  // while it was busy, had lost to the page's body.
  const failureRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (failure === null) return;
    failureRef.current?.scrollIntoView({ block: 'nearest' });
    failureRef.current?.focus();
  }, [failure]);

  // After a failed save: the first field with a problem, focused and in view.
  useEffect(() => {
    if (focusTick === 0 || problems.length === 0) return;
    const first = problems[0]!;
    const id = `${prefix}-${first.field === 'name' ? 'name.given' : first.field}`;
    const el = document.getElementById(id);
    const target = el instanceof HTMLFieldSetElement ? el.querySelector<HTMLElement>('select, input') : el;
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
  }, [focusTick, problems, prefix]);

  const cancel = () => leaveEditor(onCancel);
  // Family name first where that is how names are written (Chinese).
  const nameFields = [
    <TextField key="prefix" path="name.prefix" errors={errors} label={t('field.prefix')} value={c.name.prefix} onChange={(v) => set({ name: { ...c.name, prefix: v } })} />,
    <TextField key="given" path="name.given" errors={errors} label={t('field.given')} value={c.name.given} onChange={(v) => set({ name: { ...c.name, given: v } })} />,
    <TextField key="additional" path="name.additional" errors={errors} label={t('field.additional')} value={c.name.additional} onChange={(v) => set({ name: { ...c.name, additional: v } })} />,
    <TextField key="family" path="name.family" errors={errors} label={t('field.family')} value={c.name.family} onChange={(v) => set({ name: { ...c.name, family: v } })} />,
    <TextField key="suffix" path="name.suffix" errors={errors} label={t('field.suffix')} value={c.name.suffix} onChange={(v) => set({ name: { ...c.name, suffix: v } })} />,
  ];
  const orderedNames = familyFirst ? [nameFields[3], nameFields[1], nameFields[2], nameFields[0], nameFields[4]] : nameFields;
  const nameError = errors.of('name');

  return (
    <form
      ref={form}
      className="contact-editor"
      noValidate
      aria-labelledby={`${prefix}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          cancel();
        }
      }}
    >
      <div className="editor-scroll">
        <h2 className="editor-title" id={`${prefix}-heading`}>{isNew ? t('editor.newTitle') : t('editor.editTitle', { name: initial.formattedName || nameInOrder(initial) || t('list.noName') })}</h2>
        {problems.length > 0 ? (
          <p className="form-error" role="alert">
            {t('editor.problems', { count: problems.length })}
          </p>
        ) : null}
        <div className="photo-field">
          <Avatar name={c.formattedName || nameInOrder(c)} photo={c.photo?.uri ?? ''} size={72} />
          <label className="button">
            <ImagePlus aria-hidden="true" size={16} />
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
              <Trash2 aria-hidden="true" size={16} />
              {t('action.removePhoto')}
            </button>
          ) : null}
        </div>
        {nameError !== undefined ? (
          <p className="field-error" id={`${prefix}-name-error`}>
            {nameError}
          </p>
        ) : null}
        <Section>
          {orderedNames}
          <TextField path="formattedName" errors={errors} label={t('field.formattedName')} value={c.formattedName} onChange={(v) => set({ formattedName: v })} />
          <TextField path="phonetic.given" errors={errors} label={t('field.phoneticGiven')} value={c.phoneticName.given} onChange={(v) => set({ phoneticName: { ...c.phoneticName, given: v } })} />
          <TextField path="phonetic.family" errors={errors} label={t('field.phoneticFamily')} value={c.phoneticName.family} onChange={(v) => set({ phoneticName: { ...c.phoneticName, family: v } })} />
          <TextField path="nicknames" errors={errors} label={t('field.nicknames')} hint={t('field.listHint')} value={c.nicknames.join(', ')} onChange={(v) => set({ nicknames: list(v) })} />
          <TextField path="organization" errors={errors} label={t('field.organization')} value={c.organization.name} onChange={(v) => set({ organization: { ...c.organization, name: v } })} />
          <TextField path="department" errors={errors} label={t('field.department')} value={c.organization.units.join(', ')} onChange={(v) => set({ organization: { ...c.organization, units: list(v) } })} />
          <TextField path="title" errors={errors} label={t('field.title')} value={c.title} onChange={(v) => set({ title: v })} />
          <TextField path="role" errors={errors} label={t('field.role')} value={c.role} onChange={(v) => set({ role: v })} />
        </Section>
        <ItemsEditor path="phones" errors={errors} title={t('field.phones')} items={c.phones} onChange={(phones) => set({ phones })} make={blankItem} allowed={['cell', 'home', 'work', 'fax', 'other']} inputType="tel" />
        <ItemsEditor path="emails" errors={errors} title={t('field.emails')} items={c.emails} onChange={(emails) => set({ emails })} make={blankItem} allowed={['home', 'work', 'other']} inputType="email" />
        <ItemsEditor path="urls" errors={errors} title={t('field.urls')} items={c.urls} onChange={(urls) => set({ urls })} make={blankItem} allowed={['home', 'work', 'other']} inputType="url" />
        <ItemsEditor path="ims" errors={errors} title={t('field.ims')} items={c.ims} onChange={(ims) => set({ ims })} make={(): ImItem => ({ ...blankItem(), service: '' })} allowed={['home', 'work', 'other']} />
        <ItemsEditor path="related" errors={errors} title={t('field.related')} items={c.related} onChange={(related) => set({ related })} make={blankItem} allowed={[]} />
        <fieldset className="items-editor">
          <legend>{t('field.addresses')}</legend>
          {c.addresses.map((a, i) => {
            const setA = (patch: Partial<AddressItem>) => set({ addresses: c.addresses.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
            const p = `addresses.${i}`;
            const parts = [
              <TextField key="street" path={`${p}.street`} errors={errors} label={t('field.street')} value={a.street} onChange={(v) => setA({ street: v })} />,
              <TextField key="extended" path={`${p}.extended`} errors={errors} label={t('field.extended')} value={a.extended} onChange={(v) => setA({ extended: v })} />,
              <TextField key="poBox" path={`${p}.poBox`} errors={errors} label={t('field.poBox')} value={a.poBox} onChange={(v) => setA({ poBox: v })} />,
              <TextField key="locality" path={`${p}.locality`} errors={errors} label={t('field.locality')} value={a.locality} onChange={(v) => setA({ locality: v })} />,
              <TextField key="region" path={`${p}.region`} errors={errors} label={t('field.region')} value={a.region} onChange={(v) => setA({ region: v })} />,
              <TextField key="postalCode" path={`${p}.postalCode`} errors={errors} label={t('field.postalCode')} value={a.postalCode} onChange={(v) => setA({ postalCode: v })} dir="ltr" />,
              <TextField key="country" path={`${p}.country`} errors={errors} label={t('field.country')} value={a.country} onChange={(v) => setA({ country: v })} />,
            ];
            // Chinese addresses are written from the largest place to the smallest.
            const ordered = familyFirst ? [parts[6], parts[4], parts[3], parts[0], parts[1], parts[2], parts[5]] : parts;
            return (
              <div className="address-editor" key={a.id || `new-${i}`}>
                <div className="item-row">
                  <TypePicker types={a.types} label={a.label} allowed={['home', 'work', 'other']} field={t('field.addresses')} n={i + 1} onChange={(types, label) => setA({ types, label })} />
                  <button type="button" className="icon-button" aria-label={t('editor.removeItem', { field: t('field.addresses'), n: i + 1 })} title={t('action.remove')} onClick={() => set({ addresses: c.addresses.filter((_, k) => k !== i) })}>
                    <X aria-hidden="true" size={16} />
                  </button>
                </div>
                <div className="address-grid">{ordered}</div>
              </div>
            );
          })}
          <AddButton field={t('field.addresses')} onClick={() => set({ addresses: [...c.addresses, blankAddress()] })} />
        </fieldset>
        <div className="date-row">
          <DateInput id={`${prefix}-birthday`} errorId={errors.of('birthday') === undefined ? undefined : `${prefix}-birthday-error`} label={t('field.birthday')} value={c.birthday} onChange={(birthday, valid) => (set({ birthday }), dateChanged('birthday', valid))} />
          <ErrorText id={`${prefix}-birthday-error`} message={errors.of('birthday')} />
          <DateInput id={`${prefix}-anniversary`} errorId={errors.of('anniversary') === undefined ? undefined : `${prefix}-anniversary-error`} label={t('field.anniversary')} value={c.anniversary} onChange={(anniversary, valid) => (set({ anniversary }), dateChanged('anniversary', valid))} />
          <ErrorText id={`${prefix}-anniversary-error`} message={errors.of('anniversary')} />
        </div>
        <fieldset className="items-editor">
          <legend>{t('field.dates')}</legend>
          {c.dates.map((d, i) => {
            const setD = (patch: Partial<DateItem>) => set({ dates: c.dates.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
            const path = `dates.${i}`;
            return (
              <div className="item-row" key={d.id || `new-${i}`}>
                <input aria-label={t('editor.itemLabel', { field: t('field.dates'), n: i + 1 })} dir="auto" value={d.label} onChange={(e) => setD({ label: e.target.value })} />
                <DateInput
                  id={`${prefix}-${path}`}
                  errorId={errors.of(path) === undefined ? undefined : `${prefix}-${path}-error`}
                  label={t('editor.item', { field: t('field.dates'), n: i + 1 })}
                  value={d.date}
                  onChange={(date, valid) => (setD({ date: date ?? { year: null, month: null, day: null } }), dateChanged(path, valid))}
                />
                <button type="button" className="icon-button" aria-label={t('editor.removeItem', { field: t('field.dates'), n: i + 1 })} title={t('action.remove')} onClick={() => set({ dates: c.dates.filter((_, k) => k !== i) })}>
                  <X aria-hidden="true" size={16} />
                </button>
                <ErrorText id={`${prefix}-${path}-error`} message={errors.of(path)} />
              </div>
            );
          })}
          <AddButton field={t('field.dates')} onClick={() => set({ dates: [...c.dates, { id: '', label: '', date: { year: null, month: null, day: null } }] })} />
        </fieldset>
        {bookId === undefined ? null : <GroupPicker bookId={bookId} contactId={contactId} categories={c.categories} onCategories={(categories) => set({ categories })} picks={picks} onPicks={setPicks} />}
        <TextField path="categories" errors={errors} label={t('field.categories')} hint={t(groupsHint === 'google' ? 'field.listHintGoogle' : groupsHint === 'google-refused' ? 'field.listHintGoogleRefused' : groupsHint === 'workspace' ? 'field.listHintWorkspace' : 'field.listHint')} value={c.categories.join(', ')} onChange={(v) => set({ categories: list(v) })} />
        <NoteField id={`${prefix}-note`} label={t('field.note')} initial={initial.note} area={noteArea} onFirstChange={() => setNoteTouched(true)} />
      </div>
      {failure !== null ? (
        <p ref={failureRef} className="form-error" role="alert" tabIndex={-1}>
          {failure}
        </p>
      ) : null}
      <FormActions submit={busy ? t('action.saving') : t('action.save')} busy={busy} onCancel={cancel} />
    </form>
  );
}
