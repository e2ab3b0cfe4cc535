/** Sharing one contact: the QR code payload and its image. */
export { qrPayload, QR_MAX_BYTES, type QrPayload, type QrDropped } from './qr-payload';
export { qrSvg, qrMatrix, QUIET_ZONE, type QrImage, type QrMatrix } from './qr-render';
