import { describe, expect, it } from 'vitest';
import { GOOGLE_DEFAULTS, googleClientFromEnv, googleEndpoints } from '../../../electron/auth/google-config';
import { listenForRedirect } from '../../../electron/auth/loopback';
import { keepLocalOnly, toServerVCard3 } from '../../../shared/vcard';

describe('Google endpoints and client from the environment', () => {
  it('defaults to Google; each endpoint can be overridden', () => {
    expect(googleEndpoints({})).toEqual(GOOGLE_DEFAULTS);
    expect(googleEndpoints({ CARDINAL_GOOGLE_TOKEN_URL: 'https://proxy.example.com/token' }).token).toBe('https://proxy.example.com/token');
  });

  it('plain http only to a loopback address', () => {
    expect(googleEndpoints({ CARDINAL_GOOGLE_AUTH_URL: 'http://127.0.0.1:9/auth' }).auth).toBe('http://127.0.0.1:9/auth');
    expect(googleEndpoints({ CARDINAL_GOOGLE_CARDDAV_URL: 'http://[::1]:9/.well-known/carddav' }).carddav).toBe('http://[::1]:9/.well-known/carddav');
    expect(googleEndpoints({}).people).toBe('https://people.googleapis.com/v1');
    expect(googleEndpoints({ CARDINAL_GOOGLE_PEOPLE_URL: 'http://127.0.0.1:9/v1' }).people).toBe('http://127.0.0.1:9/v1');
    expect(() => googleEndpoints({ CARDINAL_GOOGLE_PEOPLE_URL: 'http://people.example.com/v1' })).toThrow(/CARDINAL_GOOGLE_PEOPLE_URL must be https/);
    expect(() => googleEndpoints({ CARDINAL_GOOGLE_TOKEN_URL: 'http://proxy.example.com/token' })).toThrow(/CARDINAL_GOOGLE_TOKEN_URL must be https/);
    expect(() => googleEndpoints({ CARDINAL_GOOGLE_USERINFO_URL: 'ftp://127.0.0.1/' })).toThrow(/must be https/);
    expect(() => googleEndpoints({ CARDINAL_GOOGLE_REVOKE_URL: 'not a url' })).toThrow(/not a URL/);
  });

  it('the OAuth client comes from CARDINAL_GOOGLE_CLIENT_ID and _SECRET', () => {
    expect(googleClientFromEnv({})).toBeNull();
    expect(googleClientFromEnv({ CARDINAL_GOOGLE_CLIENT_ID: ' id.apps.googleusercontent.com ', CARDINAL_GOOGLE_CLIENT_SECRET: 's' })).toEqual({ clientId: 'id.apps.googleusercontent.com', clientSecret: 's', source: 'environment' });
  });
});

describe('the loopback redirect listener', () => {
  it('answers only on 127.0.0.1, only GET /, and only the matching state', async () => {
    const r = await listenForRedirect('the-state', { timeoutMs: 5000 });
    expect(r.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(`${r.redirectUri}favicon.ico`)).status).toBe(404);
    expect((await fetch(`${r.redirectUri}?state=other&code=x`)).status).toBe(400);
    const ok = await fetch(`${r.redirectUri}?state=the-state&code=the-code`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('close this tab');
    await expect(r.code).resolves.toBe('the-code');
    await expect(fetch(`${r.redirectUri}?state=the-state&code=again`)).rejects.toThrow();
  });

  it('times out', async () => {
    const r = await listenForRedirect('s', { timeoutMs: 50 });
    await expect(r.code).rejects.toThrow(/timed out/);
  });
});

describe('cards in the form Google takes', () => {
  it('vCard 4.0 becomes 3.0; FN and N are filled in from each other', () => {
    const out = toServerVCard3('BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:individual\r\nFN:Ada Lovelace\r\nEMAIL;PREF=1:ada@example.com\r\nEND:VCARD\r\n');
    expect(out).toContain('VERSION:3.0\r\n');
    expect(out).not.toContain('KIND');
    expect(out).toContain('EMAIL;TYPE=pref:ada@example.com');
    expect(out).toContain('N:Lovelace;Ada;;;\r\n');
    const fromN = toServerVCard3('BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hopper;Grace;;;\r\nEND:VCARD\r\n');
    expect(fromN).toContain('FN:Grace Hopper\r\n');
  });

  it('an inline 4.0 photo becomes a 3.0 ENCODING=b one', () => {
    const out = toServerVCard3('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P\r\nN:P;;;;\r\nPHOTO:data:image/png;base64,iVBORw0KGgo=\r\nEND:VCARD\r\n');
    expect(out).toContain('PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=');
  });

  it('what the server dropped is put back from ours; what it has is its own', () => {
    const server = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nNOTE:server\r\nEND:VCARD\r\n';
    const local = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nNOTE:local\r\nCATEGORIES:Friends\r\nEND:VCARD\r\n';
    const kept = keepLocalOnly(server, local, ['CATEGORIES']);
    expect(kept).toContain('CATEGORIES:Friends');
    expect(kept).toContain('NOTE:server');
    expect(kept).not.toContain('NOTE:local');
    expect(keepLocalOnly(server, local, [])).toBe(server);
  });
});
