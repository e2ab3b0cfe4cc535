/**
 * What the Google and Outlook exporters share: the cards they take, the file they give back, and
 * reading a card into what a row is made of.
 */
import { nameInOrder } from '../book/derive';
import { displayName, parseVCard, type Contact, type VCard } from '../vcard';
import { cardToDraft } from './card-builder';
import type { ContactDraft } from './draft';
import { unreadProperties, type CsvLoss, type CsvLossKind } from './losses';

export interface ExportCard {
  readonly vcard: string;
  /** A favourite: Google's "* starred" label. */
  readonly favorite?: boolean;
}

export interface CsvExport {
  readonly text: string;
  /** The file's bytes in its encoding (with a BOM where the format wants one). */
  readonly bytes: Uint8Array;
  readonly losses: readonly CsvLoss[];
}

export interface ExportSubject {
  readonly card: VCard;
  readonly draft: ContactDraft;
  readonly contact: Contact;
  /** The display name, for loss reports. */
  readonly shown: string;
  readonly favorite: boolean;
  /** Record that this contact's `kind` could not be written. */
  readonly lose: (kind: CsvLossKind, detail?: string) => void;
}

export function exportSubjects(cards: readonly ExportCard[], losses: CsvLoss[]): ExportSubject[] {
  return cards.map((c) => {
    const card = parseVCard(c.vcard);
    const draft = cardToDraft(card);
    const shown = displayName(draft.contact) || nameInOrder(draft.contact);
    const lose = (kind: CsvLossKind, detail = '') => losses.push({ kind, contact: shown, detail });
    const unread = unreadProperties(card);
    if (unread.length > 0) lose('other-properties', unread.join(', '));
    return { card, draft, contact: draft.contact, shown, favorite: c.favorite === true, lose };
  });
}

/**
 * The name parts to write. A format without a display-name column shows the parts, so a display
 * name that differs from them is lost; a card with a display name and no parts (a name typed as
 * one string) keeps it as the first name, unless it is just what the importer would show anyway
 * (the organisation, the e-mail address or the phone number).
 */
export function nameParts(s: ExportSubject): Contact['name'] {
  const c = s.contact;
  const composed = nameInOrder(c);
  const fn = c.formattedName.trim();
  if (composed === '') return fn === '' || fn === displayName({ ...c, formattedName: '' }) ? c.name : { ...c.name, given: fn };
  if (fn !== '' && fn !== composed) s.lose('formatted-name', fn);
  return c.name;
}
