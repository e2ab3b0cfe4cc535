/**
 * The only URLs Cardinal hands to the operating system: web pages, e-mail and phone links.
 * Anything else (file:, javascript:, custom schemes that start other programs) is refused.
 *
 * E-mail and phone links come from card values, which anyone who sends a card controls: a
 * `mailto:` carries the address alone and a `tel:` the number alone. `x@y?attach=/etc/passwd`
 * (RFC 6068 header fields: attachments, bodies, extra recipients) or `;phone-context=` never
 * reach the mail client or dialler, neither from the window nor from anything else that asks.
 */
import { hasControlChars } from './vcard/escape';

const WEB = /^https?:\/\/[^\s/?#]+[^\s]*$/i;
/** `mailto:` + one addr-spec, its characters percent-encoded where RFC 6068 wants it; no header fields. */
const MAILTO = /^mailto:(?:[A-Za-z0-9!$'*+\-.^_`{|}~]|%[0-9A-F]{2})+@(?:[A-Za-z0-9.-]|%[0-9A-F]{2})+$/;
/** `tel:` + a global or local number: digits, `*` and `#` (encoded), an optional leading `+`; no parameters. */
const TEL = /^tel:\+?(?:[0-9*]|%23)+$/;

export function isExternalUrlAllowed(url: string): boolean {
  return url.length <= 8192 && !hasControlChars(url) && (WEB.test(url) || MAILTO.test(url) || TEL.test(url));
}

/** Characters an e-mail address may not carry into a link: white space and what separates URI parts or header fields. */
const NOT_IN_ADDRESS = /[\s?#&/\\<>()[\]"',;:]/u;

/** The `mailto:` link for an e-mail address from a card, or undefined when it is not one plain address. */
export function mailtoUrl(address: string): string | undefined {
  const a = address.trim();
  const at = a.lastIndexOf('@');
  if (at <= 0 || at === a.length - 1 || hasControlChars(a) || NOT_IN_ADDRESS.test(a) || a.indexOf('@') !== at) return undefined;
  const url = `mailto:${encodeURIComponent(a.slice(0, at))}@${encodeURIComponent(a.slice(at + 1))}`;
  return isExternalUrlAllowed(url) ? url : undefined;
}

/** Arabic-Indic and Persian digits as ASCII (full-width ones are done by NFKC). */
const asciiDigits = (s: string) => s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0x0f));

/** The `tel:` link for a phone number from a card (its digits, `*`, `#` and a leading `+`), or undefined when it has no digits. */
export function telUrl(number: string): string | undefined {
  // The number ends where an extension, a pause or a parameter starts (`x12`, `ext. 5`, `,5`, `;ext=5`).
  const kept = asciiDigits(number.normalize('NFKC'))
    .replace(/^\s*tel:/i, '')
    .replace(/[\p{L};,].*$/su, '')
    .replace(/[^0-9+*#]/g, '');
  const digits = (kept.startsWith('+') ? '+' : '') + kept.replace(/\+/g, '');
  if (!/\d/.test(digits)) return undefined;
  return `tel:${digits.replace(/#/g, '%23')}`;
}
