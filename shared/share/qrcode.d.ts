/**
 * The slice of node-qrcode (qrcode, pinned in package.json) that Cardinal uses: `create`, which
 * encodes text (UTF-8 in byte mode) into a module matrix with Reed–Solomon error correction and
 * the best mask. Typed here because @types/qrcode pulls Node's typings into every importer.
 */
declare module 'qrcode' {
  export interface BitMatrix {
    readonly size: number;
    get(row: number, col: number): number;
  }
  export interface QRCode {
    readonly modules: BitMatrix;
    readonly version: number;
  }
  export interface QRCodeOptions {
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    version?: number;
  }
  export function create(text: string, options?: QRCodeOptions): QRCode;
  const QR: { create: typeof create };
  export default QR;
}
