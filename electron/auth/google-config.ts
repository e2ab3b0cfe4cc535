/**
 * Where Google lives, and which OAuth client Cardinal signs in with. Every endpoint can be
 * overridden (tests, proxies) through `CARDINAL_GOOGLE_*`; an override must be https, or plain http
 * to this machine. The OAuth client comes from `CARDINAL_GOOGLE_CLIENT_ID`/`_SECRET`, or from the
 * settings the user saved (their own "Desktop app" client).
 */
import { isLoopback } from '../dav/http';

export interface GoogleEndpoints {
  readonly auth: string;
  readonly token: string;
  readonly revoke: string;
  readonly userinfo: string;
  /** The CardDAV well-known URL (answers 301 to the user's address book). */
  readonly carddav: string;
  /** The GData `m8/feeds` base for Workspace domain shared contacts. */
  readonly sharedContacts: string;
  /** The People API base (labels: `contactGroups`). */
  readonly people: string;
}

export const GOOGLE_DEFAULTS: GoogleEndpoints = {
  auth: 'https://accounts.google.com/o/oauth2/v2/auth',
  token: 'https://oauth2.googleapis.com/token',
  revoke: 'https://oauth2.googleapis.com/revoke',
  userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
  carddav: 'https://www.googleapis.com/.well-known/carddav',
  sharedContacts: 'https://www.google.com/m8/feeds',
  people: 'https://people.googleapis.com/v1',
};

const ENV: Record<keyof GoogleEndpoints, string> = {
  auth: 'CARDINAL_GOOGLE_AUTH_URL',
  token: 'CARDINAL_GOOGLE_TOKEN_URL',
  revoke: 'CARDINAL_GOOGLE_REVOKE_URL',
  userinfo: 'CARDINAL_GOOGLE_USERINFO_URL',
  carddav: 'CARDINAL_GOOGLE_CARDDAV_URL',
  sharedContacts: 'CARDINAL_GOOGLE_SHARED_CONTACTS_URL',
  people: 'CARDINAL_GOOGLE_PEOPLE_URL',
};

export const GOOGLE_SCOPES = {
  carddav: 'https://www.googleapis.com/auth/carddav',
  contacts: 'https://www.googleapis.com/auth/contacts',
  sharedContacts: 'https://www.google.com/m8/feeds',
  identity: ['openid', 'email'],
} as const;

/** An endpoint override must be https, or http to a loopback address. */
export function checkEndpoint(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${value}`);
  }
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && isLoopback(url)) return url.href;
  throw new Error(`${name} must be https (plain http only to 127.0.0.1, localhost or [::1]): ${value}`);
}

export function googleEndpoints(env: Record<string, string | undefined> = process.env): GoogleEndpoints {
  const out: Record<string, string> = {};
  for (const key of Object.keys(GOOGLE_DEFAULTS) as (keyof GoogleEndpoints)[]) {
    const value = env[ENV[key]];
    out[key] = value === undefined || value.trim() === '' ? GOOGLE_DEFAULTS[key] : checkEndpoint(ENV[key], value.trim());
  }
  return out as unknown as GoogleEndpoints;
}

export interface GoogleClientConfig {
  readonly clientId: string;
  /** Desktop clients have a secret Google does not treat as confidential; it may be empty. */
  readonly clientSecret: string;
  readonly source: 'environment' | 'settings';
}

/** The OAuth client from the environment, or null (the settings may supply one). */
export function googleClientFromEnv(env: Record<string, string | undefined> = process.env): GoogleClientConfig | null {
  const clientId = env.CARDINAL_GOOGLE_CLIENT_ID?.trim();
  if (clientId === undefined || clientId === '') return null;
  return { clientId, clientSecret: env.CARDINAL_GOOGLE_CLIENT_SECRET?.trim() ?? '', source: 'environment' };
}
