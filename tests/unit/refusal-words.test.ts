/** Why a card was refused, in the user's language: the engine's English reasons (the URL policy's and the servers' statuses) worded in every catalogue. */
import { describe, expect, it } from 'vitest';
import { errorForStatus } from '../../electron/dav/errors';
import { memberLocation, memberUrl, RefusedUrl } from '../../electron/dav/url-policy';
import { refusalInWords } from '../../renderer/src/features/accounts/error-words';
import { CATALOGUES, translator } from '../../renderer/src/i18n';

const BOOK = 'https://dav.example.org/dav/ada/book/';
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof RefusedUrl) return e.message;
  }
  throw new Error('not refused');
};

/** What the engine stores as a card's error, one of each kind. */
const REASONS = [
  refusal(() => memberLocation(BOOK, 'https://evil.example/dav/ada/book/x.vcf')),
  refusal(() => memberUrl(BOOK, '/dav/ada/elsewhere/x.vcf')),
  refusal(() => memberUrl(BOOK, '/dav/ada/book/../x.vcf')),
  refusal(() => memberUrl(BOOK, '/dav/ada/book/a\\b')),
  refusal(() => memberUrl(BOOK, 'https://[::1/x')),
  refusal(() => memberUrl(BOOK, 'javascript:alert(1)')),
  errorForStatus(413, `${BOOK}x.vcf`, new Headers(), '')!.message,
  errorForStatus(400, `${BOOK}x.vcf`, new Headers(), '')!.message,
  errorForStatus(403, `${BOOK}x.vcf`, new Headers(), '')!.message,
  errorForStatus(418, `${BOOK}x.vcf`, new Headers(), '')!.message,
];

describe('the reason a card was refused', () => {
  it('is worded, not shown in the engine’s English, in Persian (and Chinese)', () => {
    for (const lang of ['fa', 'zh-CN', 'zh-TW'] as const) {
      const t = translator(lang);
      for (const reason of REASONS) {
        const words = refusalInWords(reason, t);
        expect(words, `${lang}: ${reason}`).not.toMatch(/\b(the|server|named|address|from|outside|origin)\b/i);
      }
    }
  });

  it('in English, says what happened', () => {
    const t = translator('en');
    expect(refusalInWords(REASONS[0]!, t)).toBe('the server named an address on another server (\u2068https://evil.example\u2069); Cardinal works only with this account’s server, so nothing was sent there');
    expect(refusalInWords(REASONS[1]!, t)).toBe('the server named an address outside this address book (\u2068/dav/ada/elsewhere/x.vcf\u2069); Cardinal works only inside the book');
    expect(refusalInWords(REASONS[6]!, t)).toBe('the card is too large for the server (413)');
    expect(refusalInWords('something unforeseen', t)).toBe('Something unforeseen');
  });

  it('every catalogue has the words', () => {
    for (const cat of Object.values(CATALOGUES)) for (const key of ['refusal.otherOrigin', 'refusal.outside', 'refusal.tooLarge'] as const) expect(cat[key]).toBeTruthy();
  });
});
