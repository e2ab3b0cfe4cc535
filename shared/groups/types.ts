/**
 * The group model. Servers disagree on what a group is, so a book keeps its groups in one of
 * these forms (DAVx⁵ does the same per account); the window sees one list of groups whatever the
 * form. Types only, shared by the store (renderer) and the sync (main).
 */
import type { StoredLabel } from './labels';

/**
 * Where a book keeps its groups:
 * - `categories`: each member card names the group in CATEGORIES (vCard 3; Radicale, Fastmail, most servers);
 * - `apple-cards`: a group card `X-ADDRESSBOOKSERVER-KIND:group` listing `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:…` (iCloud, Nextcloud);
 * - `vcard4-cards`: a vCard 4.0 group card `KIND:group` with `MEMBER:urn:uuid:…` (RFC 6350 §6.1.4, §6.6.5);
 * - `google-labels`: Google's labels, through the People API (its CardDAV keeps no groups);
 * - `local-only`: CATEGORIES kept on this computer only (Workspace shared contacts have no groups).
 */
export type GroupStorage = 'categories' | 'apple-cards' | 'vcard4-cards' | 'google-labels' | 'local-only';

/** The two forms of a group card. */
export type GroupCardForm = 'apple' | 'vcard4';

/** How a book's storage was chosen: read from its cards, expected of its server, or picked by the user. */
export type StorageDecision = 'cards' | 'server' | 'user';

/** What the store keeps per book (one small value): the storage, and groups that have no member yet. */
export interface BookGroupSetting {
  readonly storage: GroupStorage;
  readonly decidedBy: StorageDecision;
  /**
   * Groups made here that have no member yet, by name. CATEGORIES cannot hold an empty group, so
   * this computer remembers them until they get members (or are deleted).
   */
  readonly empty: readonly string[];
}

/**
 * What a card says about groups, read once when the card is stored (`readCardFacts`) and kept
 * beside it, so listing a 50,000-card book's groups never parses a vCard.
 */
export interface CardFacts {
  /** The local card id. */
  readonly id: string;
  /** The card's UID as written (unescaped), '' when it has none. */
  readonly uid: string;
  /** The group-card form, or null for a contact. */
  readonly group: GroupCardForm | null;
  /** A group card's name (FN, else N). '' for contacts. */
  readonly name: string;
  /** A group card's members as keys (`memberKey`): contacts' UIDs, or other URIs (mailto:) as written. */
  readonly members: readonly string[];
  /** The CATEGORIES values, unique, as written. */
  readonly categories: readonly string[];
}

/** One group as the window lists it. */
export interface GroupInfo {
  /**
   * Stable while the group lives: `card:<uid>` for a group card, `label:<id>` for a Google label,
   * `name:<folded name>` for a group that CATEGORIES (or an empty group made here) names.
   */
  readonly key: string;
  readonly name: string;
  /** The book's contacts in the group (card ids), in the order of the book's cards. */
  readonly memberIds: readonly string[];
  /** The group card behind it, if any. */
  readonly card: { readonly id: string; readonly form: GroupCardForm } | null;
  /** The Google label behind it (its local id), if any. */
  readonly labelId: string | null;
  /** Contacts carry the name in CATEGORIES. */
  readonly inCategories: boolean;
  /**
   * Members the group card names that are not in this book (a mailto: list entry, a card not
   * synced yet): never dropped by an edit, and counted apart.
   */
  readonly external: number;
}

/** A book as the group functions see it. */
export interface GroupBook {
  readonly setting: BookGroupSetting;
  readonly cards: readonly CardFacts[];
  /** The book's Google labels (storage `google-labels`). */
  readonly labels?: readonly StoredLabel[];
  /** A card's vCard text, for patches. */
  readonly vcard: (id: string) => string | undefined;
}

/**
 * A write the store makes for a group action. Contacts are only ever patched (`update-card`),
 * never deleted: `delete-card` names group cards only.
 */
export type GroupChange =
  | { readonly kind: 'update-card'; readonly id: string; readonly vcard: string }
  | { readonly kind: 'create-card'; readonly uid: string; readonly vcard: string }
  | { readonly kind: 'delete-card'; readonly id: string }
  | { readonly kind: 'setting'; readonly setting: BookGroupSetting }
  | { readonly kind: 'label'; readonly label: StoredLabel };

export type GroupErrorCode = 'empty-name' | 'duplicate-name' | 'unknown-group' | 'not-a-contact';

/** A group action that cannot be done, with a code the window words in the user's language. */
export class GroupError extends Error {
  override name = 'GroupError';
  constructor(
    readonly code: GroupErrorCode,
    message: string,
  ) {
    super(message);
  }
}
