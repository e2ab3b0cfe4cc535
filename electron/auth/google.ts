/**
 * Google sign-in for an installed app (RFC 8252), on google-auth-library's OAuth2Client: PKCE S256
 * and a random state, the consent page in the system browser, the code taken by a one-shot loopback
 * listener and exchanged for tokens. Then, per account, a token source that hands the CardDAV (and
 * GData) client a valid access token, refreshes it when it expires or a server answers 401, saves
 * the new one sealed, and turns a revoked or expired grant into `SignInRequired`.
 *
 * Tokens never leave this module except to the request that needs them and to the sealed store:
 * errors are rewritten so no message carries one (gaxios errors hold the request body).
 */
import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { GOOGLE_SCOPES, type GoogleClientConfig, type GoogleEndpoints } from './google-config';
import { listenForRedirect, SignInCancelled, SignInRefused } from './loopback';

export { SignInCancelled, SignInRefused };

/** What is kept (sealed) for a Google account. */
export interface GoogleTokens {
  readonly refreshToken: string;
  readonly accessToken: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  readonly scopes: readonly string[];
}

/** Google no longer accepts the grant (revoked, expired, password changed): sign in again. */
export class SignInRequired extends Error {
  override name = 'SignInRequired';
}

/** The token endpoint could not be reached or answered something other than a grant error. */
export class TokenEndpointError extends Error {
  override name = 'TokenEndpointError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface SignInResult {
  readonly email: string;
  readonly tokens: GoogleTokens;
}

export interface SignInOptions {
  readonly scopes: readonly string[];
  /** Asked for too, but the sign-in goes through without them (the user may untick them on Google's page). */
  readonly optionalScopes?: readonly string[];
  /** The account to sign in again (Google preselects it). */
  readonly loginHint?: string;
  readonly timeoutMs?: number;
  /** Hands the consent URL to the system browser. */
  readonly open: (url: string) => Promise<void>;
  /** Lets the caller cancel the wait (the dialog's Cancel button). */
  readonly onCancel?: (cancel: () => void) => void;
}

/** Whatever gaxios threw, as an error that carries no token and says what happened. */
function clean(e: unknown, what: string): Error {
  const err = e as { response?: { status?: number; data?: { error?: string; error_description?: string } }; code?: string; message?: string };
  const data = err.response?.data;
  const code = typeof data?.error === 'string' ? data.error : undefined;
  if (code === 'invalid_grant' || (err.message ?? '').startsWith('invalid_grant')) return new SignInRequired(`${what}: Google no longer accepts this sign-in (invalid_grant)`);
  const status = err.response?.status ?? 0;
  const detail = code !== undefined ? `${code}${typeof data?.error_description === 'string' ? ` (${data.error_description.slice(0, 200)})` : ''}` : status === 0 ? 'no answer' : `HTTP ${status}`;
  return new TokenEndpointError(`${what}: ${detail}`, status);
}

export class GoogleAuth {
  constructor(
    private readonly endpoints: GoogleEndpoints,
    private readonly client: GoogleClientConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private oauth(redirectUri?: string): OAuth2Client {
    return new OAuth2Client({
      clientId: this.client.clientId,
      clientSecret: this.client.clientSecret === '' ? undefined : this.client.clientSecret,
      redirectUri,
      endpoints: { oauth2AuthBaseUrl: this.endpoints.auth, oauth2TokenUrl: this.endpoints.token, oauth2RevokeUrl: this.endpoints.revoke },
    });
  }

  /** The whole browser round trip: consent, the loopback redirect, the code exchange, the e-mail. */
  async signIn(opts: SignInOptions): Promise<SignInResult> {
    const state = randomBytes(24).toString('base64url');
    const redirect = await listenForRedirect(state, { timeoutMs: opts.timeoutMs });
    opts.onCancel?.(() => redirect.cancel());
    const oauth = this.oauth(redirect.redirectUri);
    const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
    const url = oauth.generateAuthUrl({
      access_type: 'offline',
      // A refresh token every time (Google gives one only on consent).
      prompt: 'consent',
      scope: [...opts.scopes, ...(opts.optionalScopes ?? []), ...GOOGLE_SCOPES.identity],
      include_granted_scopes: true,
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: codeChallenge,
      ...(opts.loginHint !== undefined ? { login_hint: opts.loginHint } : {}),
    });
    try {
      await opts.open(url);
    } catch (e) {
      redirect.cancel();
      throw e;
    }
    const code = await redirect.code;
    let tokens;
    try {
      tokens = (await oauth.getToken({ code, codeVerifier, redirect_uri: redirect.redirectUri })).tokens;
    } catch (e) {
      const err = clean(e, 'exchanging the sign-in code');
      // A code the token endpoint refuses (wrong verifier, replayed code) is a failed sign-in.
      throw err instanceof SignInRequired ? new SignInRefused('Google refused the sign-in code (invalid_grant)') : err;
    }
    if (typeof tokens.access_token !== 'string' || typeof tokens.refresh_token !== 'string') {
      throw new SignInRefused('Google did not grant offline access (no refresh token)');
    }
    const granted = typeof tokens.scope === 'string' ? tokens.scope.split(' ') : [...opts.scopes];
    const missing = opts.scopes.filter((s) => !granted.includes(s));
    if (missing.length > 0) throw new SignInRefused(`access to ${missing.join(', ')} was not granted`);
    const email = await this.email(tokens.access_token);
    return {
      email,
      tokens: { refreshToken: tokens.refresh_token, accessToken: tokens.access_token, expiresAt: tokens.expiry_date ?? Date.now() + 3000_000, scopes: granted },
    };
  }

  /** The signed-in user's e-mail address, from the userinfo endpoint. */
  async email(accessToken: string): Promise<string> {
    const res = await this.fetchImpl(this.endpoints.userinfo, { headers: { Authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new TokenEndpointError(`reading the account's e-mail address: HTTP ${res.status}`, res.status);
    const body = (await res.json()) as { email?: unknown };
    if (typeof body.email !== 'string' || body.email === '') throw new TokenEndpointError('Google did not say which account signed in', 200);
    return body.email;
  }

  /** A fresh access token from the refresh token. */
  async refresh(tokens: GoogleTokens): Promise<GoogleTokens> {
    const oauth = this.oauth();
    oauth.setCredentials({ refresh_token: tokens.refreshToken });
    try {
      const r = await oauth.refreshAccessToken();
      const c = r.credentials;
      if (typeof c.access_token !== 'string') throw new TokenEndpointError('refreshing the access token: no token in the answer', 200);
      return {
        refreshToken: typeof c.refresh_token === 'string' && c.refresh_token !== '' ? c.refresh_token : tokens.refreshToken,
        accessToken: c.access_token,
        expiresAt: c.expiry_date ?? Date.now() + 3000_000,
        scopes: typeof c.scope === 'string' ? c.scope.split(' ') : tokens.scopes,
      };
    } catch (e) {
      if (e instanceof TokenEndpointError) throw e;
      throw clean(e, 'refreshing the access token');
    }
  }

  /** Sign-out: tell Google to forget the grant (revoking the refresh token ends its access tokens too). */
  async revoke(tokens: GoogleTokens): Promise<void> {
    try {
      await this.oauth().revokeToken(tokens.refreshToken);
    } catch (e) {
      throw clean(e, 'revoking the sign-in');
    }
  }
}

/**
 * The access token for one account's requests: the stored one while it is valid (with a minute to
 * spare), else a refreshed one, saved at once. Concurrent callers share one refresh.
 */
export class TokenSource {
  private refreshing: Promise<GoogleTokens> | null = null;

  constructor(
    private readonly auth: GoogleAuth,
    private tokens: GoogleTokens,
    private readonly save: (tokens: GoogleTokens) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  async accessToken(): Promise<string> {
    if (this.tokens.expiresAt - 60_000 > this.now()) return this.tokens.accessToken;
    return (await this.refresh()).accessToken;
  }

  /** Force a refresh (a server answered 401 to the current token). */
  async forceRefresh(): Promise<void> {
    await this.refresh();
  }

  private refresh(): Promise<GoogleTokens> {
    this.refreshing ??= this.auth
      .refresh(this.tokens)
      .then(async (t) => {
        this.tokens = t;
        await this.save(t);
        return t;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}
