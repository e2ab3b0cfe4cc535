/**
 * The .vcf export choices: vCard 3.0 or 4.0, photos in or out, one file or one per contact. The
 * caller picks the cards (all, a book, a group, the selection); this turns them into files.
 */
import { displayName, parseVCard, serializeVCard, toContact, type VCard } from '../vcard';
import { FileNamer, safeBaseName } from './file-names';
import { convertVCard, type VCardTarget } from './vcard-version';

export interface VCardExportOptions {
  readonly version: VCardTarget;
  /** False leaves PHOTO out (the largest part of most cards); LOGO and other properties stay. */
  readonly photos: boolean;
  readonly layout: 'one-file' | 'file-per-contact';
  /** The one file's name without extension ("Contacts", the group's name). */
  readonly fileName?: string;
}

export interface ExportedFile {
  readonly name: string;
  readonly text: string;
}

function withoutPhoto(card: VCard): VCard {
  return { properties: card.properties.filter((p) => p.name.toUpperCase() !== 'PHOTO') };
}

/** The card as exported with these options. */
export function exportCard(vcard: string, options: Pick<VCardExportOptions, 'version' | 'photos'>): VCard {
  const card = convertVCard(parseVCard(vcard), options.version);
  return options.photos ? card : withoutPhoto(card);
}

/** Cards (vCard text, as stored) → the files to write. */
export function exportVCards(vcards: readonly string[], options: VCardExportOptions): ExportedFile[] {
  const cards = vcards.map((v) => exportCard(v, options));
  if (options.layout === 'one-file') {
    return [{ name: `${safeBaseName(options.fileName ?? 'Contacts', 'Contacts')}.vcf`, text: cards.map(serializeVCard).join('') }];
  }
  const namer = new FileNamer('.vcf');
  return cards.map((card) => ({ name: namer.next(displayName(toContact(card))), text: serializeVCard(card) }));
}
