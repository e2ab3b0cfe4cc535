/**
 * A QR code as an SVG image. The QR package encodes (byte mode, UTF-8, error correction M so a
 * scuffed screen or print still reads); this draws its modules as one SVG path with the 4-module
 * quiet zone the standard asks for. The SVG has no script and no style, and goes into the page as
 * a `data:` URL in an <img>, which the renderer's CSP allows (img-src 'self' data: blob:).
 */
import QRCode from 'qrcode';

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  readonly size: number;
  readonly version: number;
  readonly dark: (row: number, col: number) => boolean;
}

export const QUIET_ZONE = 4;

export function qrMatrix(text: string): QrMatrix {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: code.modules.size, version: code.version, dark: (r, c) => code.modules.get(r, c) === 1 };
}

export interface QrImage {
  readonly svg: string;
  /** `data:image/svg+xml,…` for an <img src>. */
  readonly dataUrl: string;
  readonly matrix: QrMatrix;
}

/** The QR code for `text` as SVG; `title` names the image for screen readers. */
export function qrSvg(text: string, title: string): QrImage {
  const matrix = qrMatrix(text);
  const side = matrix.size + 2 * QUIET_ZONE;
  let d = '';
  for (let r = 0; r < matrix.size; r++) {
    for (let c = 0; c < matrix.size; c++) if (matrix.dark(r, c)) d += `M${c + QUIET_ZONE} ${r + QUIET_ZONE}h1v1h-1z`;
  }
  const safeTitle = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges" role="img"><title>${safeTitle}</title><rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
  return { svg, dataUrl: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, matrix };
}
