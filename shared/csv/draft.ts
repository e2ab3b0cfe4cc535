/**
 * A contact as the CSV layer sees it: the vCard core's contact view, plus the few things Google's
 * and Outlook's columns carry that the view has no field for. Both directions go through it:
 * rows are read into drafts and built into vCards; vCards are read back into drafts and written
 * as rows.
 */
import { EMPTY_NAME, type Contact } from '../vcard';

export interface CustomField {
  readonly label: string;
  readonly value: string;
}

export interface ContactDraft {
  readonly contact: Contact;
  /** vCard 4.0's sex letter (M, F, O, N, U) or the text the file gave. */
  readonly gender: string;
  /** Outlook's and Google's "File As": how the contact is filed (vCard 3.0 SORT-STRING). */
  readonly fileAs: string;
  /** The organisation's reading (Google's "Organization 1 - Yomi Name"; Apple's X-PHONETIC-ORG). */
  readonly phoneticOrg: string;
  /** Columns with no vCard field of their own, each under its name (Google's "Custom Field 1"). */
  readonly custom: readonly CustomField[];
}

export const EMPTY_CONTACT: Contact = {
  version: '3.0',
  uid: '',
  kind: '',
  formattedName: '',
  name: EMPTY_NAME,
  phoneticName: { family: '', given: '', additional: '' },
  nicknames: [],
  organization: { name: '', units: [] },
  title: '',
  role: '',
  emails: [],
  phones: [],
  urls: [],
  ims: [],
  related: [],
  addresses: [],
  birthday: null,
  anniversary: null,
  dates: [],
  note: '',
  categories: [],
  photo: null,
};
