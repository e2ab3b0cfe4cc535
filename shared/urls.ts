/**
 * The only URLs Cardinal hands to the operating system: web pages, e-mail and phone links.
 * Anything else (file:, javascript:, custom schemes that start other programs) is refused.
 */
const ALLOWED = /^(https?:\/\/[^\s/?#]+[^\s]*|mailto:[^\s]+|tel:[^\s]+)$/i;

export function isExternalUrlAllowed(url: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  return url.length <= 8192 && ALLOWED.test(url) && !/[\u0000-\u001f\u007f]/.test(url);
}
