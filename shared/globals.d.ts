/**
 * The few platform globals shared code may use. They exist alike in browsers, Electron's renderer
 * and Node, so declaring them here keeps `shared/` free of both DOM and Node typings.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
  /** The encoding's name (lower case), whatever label chose it. */
  readonly encoding: string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
