/**
 * The only URLs Cardinal hands to the operating system: web pages, e-mail and phone links.
 * Anything else (file:, javascript:, custom schemes that start other programs) is refused.
 */
import { hasControlChars } from './vcard/escape';

const ALLOWED = /^(https?:\/\/[^\s/?#]+[^\s]*|mailto:[^\s]+|tel:[^\s]+)$/i;

export function isExternalUrlAllowed(url: string): boolean {
  return url.length <= 8192 && ALLOWED.test(url) && !hasControlChars(url);
}
