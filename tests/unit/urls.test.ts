/** What reaches the OS from a card's e-mail address or phone number: the address or the number, nothing more. */
import { describe, expect, it } from 'vitest';
import { isExternalUrlAllowed, mailtoUrl, telUrl } from '../../shared/urls';

describe('mailto: links from card values carry the address only', () => {
  it.each([
    ['x@y?attach=/etc/passwd'],
    ['x@y?subject=hi&body=there'],
    ['x@y&to=evil@example.org'],
    ['x@y#frag'],
    ['a@b.c,evil@example.org'],
    ['a@b.c;evil@example.org'],
    ['two words@example.org'],
    ['a@b@c.org'],
    ['no-at-sign'],
    ['@example.org'],
    ['ada@'],
    ['ada@example.org\r\nBcc: evil@example.org'],
    ['file:///etc/passwd@x'],
  ])('%s is no link', (value) => {
    expect(mailtoUrl(value)).toBeUndefined();
  });

  it('a plain address becomes mailto: with it alone, percent-encoded where it must be', () => {
    expect(mailtoUrl(' ada@example.org ')).toBe('mailto:ada@example.org');
    expect(mailtoUrl('ada+cards@example.org')).toBe('mailto:ada%2Bcards@example.org');
    expect(mailtoUrl('علی@مثال.ایران')).toMatch(/^mailto:(%[0-9A-F]{2})+@(%[0-9A-F]{2}|\.)+$/);
  });

  it('the main process hands a mailto: to the OS only in that form (whoever asks)', () => {
    for (const ok of ['mailto:a@b.c', 'mailto:ada%2Bcards@example.org']) expect(isExternalUrlAllowed(ok), ok).toBe(true);
    for (const bad of ['mailto:x@y?attach=/etc/passwd', 'mailto:a@b.c?subject=x', 'mailto:a@b.c,d@e.f', 'mailto:?to=a@b.c', 'mailto:a@b.c#x', 'mailto:a@b.c%0D%0Abcc:x', 'mailto:a b@c.d']) {
      expect(isExternalUrlAllowed(bad), bad).toBe(false);
    }
  });
});

describe('tel: links from card values carry the number only', () => {
  it.each([
    ['+1 (555) 010-0100', 'tel:+15550100100'],
    ['+44 20 7946 0000 ext. 12', 'tel:+442079460000'],
    ['555-0100 x99', 'tel:5550100'],
    ['555-0100;phone-context=example.com', 'tel:5550100'],
    ['555-0100,,42', 'tel:5550100'],
    ['tel:+44-20-7946-0000', 'tel:+442079460000'],
    ['*31#555', 'tel:*31%23555'],
    ['۰۹۱۲ ۳۴۵ ۶۷۸۹', 'tel:09123456789'],
    ['٠١٢٣', 'tel:0123'],
    ['＋１ ５５５', 'tel:+1555'],
    ['1+2', 'tel:12'],
  ])('%s → %s', (value, url) => {
    expect(telUrl(value)).toBe(url);
    expect(isExternalUrlAllowed(url)).toBe(true);
  });

  it('a value without digits is no link', () => {
    expect(telUrl('call me')).toBeUndefined();
    expect(telUrl('javascript:alert(1)')).toBeUndefined();
  });

  it('the main process refuses tel: with parameters or anything but the number', () => {
    for (const bad of ['tel:+1555;phone-context=x', 'tel:+1555?x', 'tel:+1 555', 'tel:+1555,1', 'tel:', 'tel:abc']) expect(isExternalUrlAllowed(bad), bad).toBe(false);
  });
});

describe('other schemes', () => {
  it('web pages go out; file:, javascript: and custom schemes never do', () => {
    expect(isExternalUrlAllowed('https://example.org/a?b=1#c')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'vbscript:x', 'ms-settings:', 'smb://host/share', 'https://', 'https://x.org/\nfoo']) expect(isExternalUrlAllowed(bad), bad).toBe(false);
  });
});
