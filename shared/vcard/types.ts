/**
 * The lossless vCard model. A card is the ordered list of its content lines; every value and
 * parameter is kept as it was written (escaped form, spelling and case), so that serialising an
 * untouched card gives the same properties back. Meaning is read from it by `contact.ts`.
 */

export type VCardVersion = '2.1' | '3.0' | '4.0';

/**
 * One parameter. `name` is null for vCard 2.1's bare parameters (`TEL;HOME;VOICE:`), whose single
 * value is the type. Values are kept unquoted but otherwise raw (RFC 6868 `^` escapes included).
 */
export interface VParam {
  readonly name: string | null;
  readonly values: readonly string[];
  /**
   * Written in double quotes (true) or not (false) in the input, or one flag a value when only some
   * were quoted (`X="a",b`); undefined for one we made.
   */
  readonly quoted?: boolean | readonly boolean[];
}

export interface VProperty {
  /** `item1` in `item1.EMAIL`, as spelled; null when there is none. */
  readonly group: string | null;
  /** As spelled in the input (`tel`, `TEL`, `X-ABLabel`). */
  readonly name: string;
  readonly params: readonly VParam[];
  /** The raw value after unfolding: still escaped, still quoted-printable where it was. */
  readonly value: string;
}

export interface VCard {
  /** Every content line between BEGIN:VCARD and END:VCARD, VERSION included, in order. */
  readonly properties: readonly VProperty[];
}

export interface ParseLimits {
  /** Longest logical (unfolded) line accepted, in characters. */
  readonly maxLineLength: number;
  /** Most properties one card may hold. */
  readonly maxPropertiesPerCard: number;
  /** Largest card accepted, in characters of unfolded text. */
  readonly maxCardLength: number;
  /** Most cards returned from one input; the rest are reported. */
  readonly maxCards: number;
  /** Most parameters one property may carry (real writers use a handful; a line of 10⁵ `;` is no card). */
  readonly maxParamsPerProperty: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxLineLength: 10 * 1024 * 1024,
  maxPropertiesPerCard: 10_000,
  maxCardLength: 20 * 1024 * 1024,
  maxCards: 1_000_000,
  maxParamsPerProperty: 1_000,
};

export type ParseErrorCode =
  | 'missing-begin'
  | 'missing-end'
  | 'bad-line'
  | 'line-too-long'
  | 'card-too-large'
  | 'too-many-properties'
  | 'too-many-parameters'
  | 'too-many-cards'
  | 'bad-encoding'
  /** A block that is not a vCard (SOGo's BEGIN:VLIST, a calendar): skipped, reported once. */
  | 'other-component'
  /** The import's: a card with nothing in it once its lines without a colon were left out (not imported). */
  | 'nothing-left';

/** A card (or a stretch of input) that could not be read, with the 1-based line where it failed. */
export interface VCardParseError {
  readonly code: ParseErrorCode;
  readonly line: number;
  readonly message: string;
  /** too-many-properties: the card's FN when it has one, and the limit it ran over. */
  readonly name?: string;
  readonly limit?: number;
  /**
   * A card's warning for a line without a colon: `joined` to the value above as a line break (a
   * writer that forgot to fold), or `left-out` (the property above holds no line break: a name,
   * VERSION, UID, a number...). `text`: the line, cut to 40 characters (also of a `missing-begin`
   * error: the first line of the text outside a card, which is left out).
   */
  readonly repair?: 'joined' | 'left-out';
  readonly text?: string;
}

export interface ParsedCard {
  readonly card: VCard;
  /** 1-based physical line of its BEGIN:VCARD in the input. */
  readonly line: number;
  /** Things that were read leniently (a line without a colon kept as an unknown property, ...). */
  readonly warnings: readonly VCardParseError[];
}

export interface ParseResult {
  readonly cards: readonly ParsedCard[];
  readonly errors: readonly VCardParseError[];
  /**
   * The text ended inside a card or another component (BEGIN:VCALENDAR …). A part of a file
   * parsed on its own (the import's split) that ends so was split in the wrong place.
   */
  readonly unfinished?: true;
}
