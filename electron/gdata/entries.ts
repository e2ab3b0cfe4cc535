/**
 * Entries as the store keeps them: keyed by the entry's id in the `full` projection, whatever
 * projection an answer names it in (a deleted placeholder carries only `<id>…/base/<id>` and
 * `<gd:deleted>`, a live entry its self link in `full`), with its vCard view and the entry itself
 * kept as received (the base of its next PUT).
 */
import { keepLocalOnly } from '../../shared/vcard';
import type { RemoteCard } from '../sync/local';
import { entryToVCard, type AtomEntry } from './atom';

/** Groups are not mapped to the directory (GData groups are per user): they stay on this computer. */
export const LOCAL_ONLY = ['CATEGORIES'];

/**
 * The local href of an entry: `<feed path>/full/<contact id>`, from its `<id>` (`…/contacts/
 * <domain>/<projection>/<contact id>`, the same across projections and versions), else its self link.
 */
export function hrefOf(entry: AtomEntry): string {
  const path = new URL(entry.id !== '' ? entry.id : (entry.self ?? '')).pathname;
  const m = /^(.*\/contacts\/[^/]+)\/[^/]+\/([^/]+)$/.exec(path);
  return m === null ? path : `${m[1]}/full/${m[2]}`;
}

export function remoteOf(entry: AtomEntry, localVcard?: string): RemoteCard {
  const vcard = entryToVCard(entry);
  return { href: hrefOf(entry), etag: entry.etag, vcard: localVcard === undefined ? vcard : keepLocalOnly(vcard, localVcard, LOCAL_ONLY), source: entry.xml };
}
