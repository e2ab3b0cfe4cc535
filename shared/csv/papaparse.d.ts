/**
 * The slice of Papa Parse (papaparse, pinned in package.json) that Cardinal uses, typed here
 * because @types/papaparse pulls Node's typings (`/// <reference types="node" />`) into every
 * project that imports it, which would let `shared/` and the renderer type-check against Node.
 */
declare module 'papaparse' {
  export interface ParseError {
    type: 'Quotes' | 'Delimiter' | 'FieldMismatch';
    code: 'MissingQuotes' | 'UndetectableDelimiter' | 'TooFewFields' | 'TooManyFields' | 'InvalidQuotes';
    message: string;
    /** 0-based index of the row in `data`. */
    row?: number;
  }
  export interface ParseMeta {
    delimiter: string;
    linebreak: string;
    aborted: boolean;
    truncated: boolean;
  }
  export interface ParseResult {
    data: string[][];
    errors: ParseError[];
    meta: ParseMeta;
  }
  export interface ParseConfig {
    delimiter?: string;
    delimitersToGuess?: string[];
    newline?: string;
    quoteChar?: string;
    header?: false;
    skipEmptyLines?: boolean | 'greedy';
    preview?: number;
  }
  export interface UnparseConfig {
    quotes?: boolean | boolean[];
    delimiter?: string;
    newline?: string;
    header?: boolean;
    /** Prefix cells that start with =, +, -, @ so a spreadsheet does not run them as formulas. */
    escapeFormulae?: boolean;
  }
  export function parse(input: string, config: ParseConfig): ParseResult;
  export function unparse(data: { fields: string[]; data: string[][] }, config?: UnparseConfig): string;
  const Papa: { parse: typeof parse; unparse: typeof unparse };
  export default Papa;
}
