/**
 * Draft ↔ vCard. A draft becomes a vCard 3.0 through the vCard core's own editor: `applyEdit`
 * from an empty card to the draft's contact view, exactly as the contact editor saves a new
 * contact, so the card parses back to the same view. The extras go after it as properties of
 * their own: X-GENDER, SORT-STRING, X-PHONETIC-ORG, and each custom field as an `itemN.X-CUSTOM-FIELD`
 * named by its `itemN.X-ABLabel` (the label convention Apple and Google use for every item).
 */
import {
  applyEdit,
  escapeText,
  newCard,
  paramValues,
  structuredValue,
  textValue,
  toContact,
  versionOf,
  type VCard,
  type VProperty,
} from '../vcard';
import type { ContactDraft, CustomField } from './draft';

const CUSTOM = 'X-CUSTOM-FIELD';

function nextItemNumber(props: readonly VProperty[]): number {
  let max = 0;
  for (const p of props) {
    const m = /^item(\d+)$/i.exec(p.group ?? '');
    if (m !== null) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

const text = (name: string, value: string): VProperty => ({ group: null, name, params: [], value: escapeText(value, '3.0') });

/** The vCard 3.0 for a draft. It has no UID: the import adds one, as it does for a .vcf card without. */
export function draftToCard(draft: ContactDraft): VCard {
  const base = newCard('', '3.0');
  const edited = applyEdit(base, toContact(base), { ...draft.contact, version: '3.0', uid: '' });
  const props = edited.properties.filter((p) => !(p.name === 'UID' && p.value === ''));
  if (draft.gender !== '') props.push(text('X-GENDER', draft.gender));
  if (draft.fileAs !== '') props.push(text('SORT-STRING', draft.fileAs));
  if (draft.phoneticOrg !== '') props.push(text('X-PHONETIC-ORG', draft.phoneticOrg));
  let n = nextItemNumber(props);
  for (const field of draft.custom) {
    const group = `item${n++}`;
    props.push({ ...text(CUSTOM, field.value), group }, { ...text('X-ABLabel', field.label), group });
  }
  return { properties: props };
}

/** A vCard's draft: its contact view and the extras, read from the spellings other writers use too. */
export function cardToDraft(card: VCard): ContactDraft {
  const version = versionOf(card);
  const contact = toContact(card);
  let gender = '';
  let fileAs = '';
  let phoneticOrg = '';
  const labels = new Map<string, string>();
  for (const p of card.properties) if (p.group !== null && p.name.toUpperCase() === 'X-ABLABEL') labels.set(p.group.toLowerCase(), textValue(p, version));
  const custom: CustomField[] = [];
  for (const p of card.properties) {
    const name = p.name.toUpperCase();
    if ((name === 'GENDER' || name === 'X-GENDER') && gender === '') gender = structuredValue(p, version)[0] ?? '';
    else if (name === 'SORT-STRING' && fileAs === '') fileAs = textValue(p, version);
    else if (name === 'N' && fileAs === '') fileAs = paramValues(p, 'SORT-AS').join(', ');
    else if (name === 'X-PHONETIC-ORG' && phoneticOrg === '') phoneticOrg = textValue(p, version);
    else if (name === CUSTOM) custom.push({ label: p.group === null ? '' : (labels.get(p.group.toLowerCase()) ?? ''), value: textValue(p, version) });
  }
  return { contact, gender, fileAs, phoneticOrg, custom };
}
