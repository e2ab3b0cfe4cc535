/**
 * How a server differs from the RFCs, as switches on the one sync engine (never a fork of it).
 * `STANDARD` is every server that follows RFC 6352/6578 (Radicale, Xandikos, SabreDAV, Nextcloud,
 * Fastmail, iCloud); `GOOGLE` is Google's CardDAV as `../shared/guide/google-contacts.md` describes it.
 */
import { toServerVCard3 } from '../../shared/vcard';

export interface ServerProfile {
  readonly name: 'standard' | 'google';
  /** First sync and full resyncs by a Depth 1 PROPFIND listing with the collection's sync-token
   * (Google has refused sync-collection with an empty token). */
  readonly listingForFullSync: boolean;
  /** Ask `getctag` as the change gate where sync-collection is missing (Google throttles clients that poll it). */
  readonly askCtag: boolean;
  /** Without an advertised add-member URL, POST creates to the collection itself. */
  readonly postToCollection: boolean;
  /** The card as this server will take it. */
  readonly prepareUpload: (vcard: string) => string;
  /** Properties the server does not store: the local ones are kept on this computer. */
  readonly localOnly: readonly string[];
  /** The server gives created cards its own UID: a create whose answer was lost is recognised by
   * its content (name, e-mail addresses, phone numbers) among the cards new since the last sync. */
  readonly replacesUid: boolean;
  /** The server refuses a stale If-Match (RFC 7232). Where it is not enforced (Google), the
   * current ETag is checked right before every write, deletes included. */
  readonly enforcesIfMatch: boolean;
  /** A 5xx answer to a sync-collection may be the server's way of refusing a token it does not
   * know (Xandikos answers 500): when a second try fails the same way while the server answers a
   * probe from its current token, the old token is taken as invalid. Where the server names its
   * invalid tokens (Google's 4xx forms), a 5xx is only ever its own trouble: back off. */
  readonly serverErrorMayMeanInvalidToken: boolean;
}

export const STANDARD: ServerProfile = {
  name: 'standard',
  listingForFullSync: false,
  askCtag: true,
  postToCollection: false,
  prepareUpload: (v) => v,
  localOnly: [],
  replacesUid: false,
  enforcesIfMatch: true,
  serverErrorMayMeanInvalidToken: true,
};

export const GOOGLE: ServerProfile = {
  name: 'google',
  listingForFullSync: true,
  askCtag: false,
  postToCollection: true,
  // A card Cardinal cannot read is sent as it is: the server's answer marks that card alone.
  prepareUpload: (v) => {
    try {
      return toServerVCard3(v);
    } catch {
      return v;
    }
  },
  // What Google's vCard 3.0 cannot hold (groups, and the vCard 4.0 properties `toServerVCard3`
  // leaves out) stays on this computer.
  localOnly: ['CATEGORIES', 'KIND', 'GENDER', 'LANG', 'CLIENTPIDMAP', 'XML'],
  replacesUid: true,
  enforcesIfMatch: false,
  serverErrorMayMeanInvalidToken: false,
};
