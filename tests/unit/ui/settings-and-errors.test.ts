import { describe, expect, it } from 'vitest';
import { CardinalError } from '../../../shared/errors';
import { targetBook } from '../../../renderer/src/actions';
import { looksLikeServer } from '../../../renderer/src/features/accounts/AccountDialog';
import { errorInWords, plainMessage } from '../../../renderer/src/features/accounts/error-words';
import { DEFAULT_SETTINGS, parseSettings } from '../../../renderer/src/features/settings/settings';
import { translator } from '../../../renderer/src/i18n';
import { menuTemplate } from '../../../electron/main/menu';

describe('settings', () => {
  it('read back checked: unknown or damaged values are the defaults; 0.1’s language key is taken over', () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('{not json')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings(JSON.stringify({ theme: 'purple', sortBy: 'last', language: 'xx', defaultBook: 'b1' }))).toEqual({ ...DEFAULT_SETTINGS, sortBy: 'last', defaultBook: 'b1' });
    expect(parseSettings(null, 'fa').language).toBe('fa');
    expect(parseSettings(JSON.stringify({ language: 'zh-TW' }), 'fa').language).toBe('zh-TW');
  });

  it('new contacts go to the book in view, else the default book while it exists, else this computer', () => {
    const known = new Set(['local', 'b1']);
    expect(targetBook({ kind: 'book', id: 'b1' }, null, known)).toBe('b1');
    expect(targetBook({ kind: 'all' }, 'b1', known)).toBe('b1');
    expect(targetBook({ kind: 'all' }, 'gone', known)).toBe('local');
    expect(targetBook({ kind: 'favorites' }, null, known)).toBe('local');
  });

  it('the menu has Settings… on Ctrl/Cmd+, on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const ran: string[] = [];
      const items = menuTemplate(platform, 'en', (c) => ran.push(c), false).flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []));
      const settings = items.find((i) => 'label' in i && i.label === 'Settings…') as { accelerator?: string; click?: () => void } | undefined;
      expect(settings?.accelerator, platform).toBe('CmdOrCtrl+,');
      settings?.click?.();
      expect(ran).toEqual(['settings']);
    }
  });
});

describe('errors in the user’s words', () => {
  const t = translator('en');
  it('from the code and cause, with the host; never the channel or the argument path', () => {
    expect(errorInWords(new CardinalError('network', 'The server could not be reached: PROPFIND http://127.0.0.1:1/: fetch failed', { cause: 'connection-refused', host: '127.0.0.1:1' }), t)).toBe('Could not reach 127.0.0.1:1 (connection refused). Check the address and that the server is running.');
    expect(errorInWords(new CardinalError('not-found', 'No address book was found at this address.', { cause: 'no-carddav', host: 'example.com' }), t)).toContain('No CardDAV server found for example.com');
    expect(errorInWords(new CardinalError('network', 'x', { cause: 'certificate', host: 'dav.example.com' }), t)).toBe('Could not connect securely to dav.example.com: the certificate is not valid.');
    expect(errorInWords(new CardinalError('invalid-argument', 'discoverCardDav: give the server address (https://…) or your e-mail address (argument 0.url)'), t)).toBe('Give the server address (https://…) or your e-mail address');
    expect(errorInWords(new Error('boom'), t)).toBe(t('error.internal'));
    // The shape is what counts: the preload's CardinalError is another copy of the class.
    expect(errorInWords({ code: 'unauthorized', message: '…' }, t)).toBe(t('error.unauthorized'));
    expect(plainMessage('setGoogleClient: a client ID has letters')).toBe('A client ID has letters');
  });

  it('the address field takes a URL, an e-mail address or a domain', () => {
    for (const ok of ['https://dav.example.com', 'http://127.0.0.1:5232/', 'you@example.com', 'example.com', 'dav.example.com:8443/dav']) expect(looksLikeServer(ok), ok).toBe(true);
    for (const bad of ['not an address', 'foo', '', 'http://']) expect(looksLikeServer(bad), bad).toBe(false);
  });
});
