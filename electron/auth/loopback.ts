/**
 * The loopback redirect of RFC 8252 §7.3: a listener on 127.0.0.1 at a port the OS picks, which
 * takes exactly one redirect carrying the expected `state`, answers the browser with a short page,
 * and closes. A redirect with another state is answered 400 and ignored (it cannot end or steer
 * the sign-in); anything after the one accepted redirect finds the port closed. A timeout and a
 * cancel end the wait.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class SignInCancelled extends Error {
  override name = 'SignInCancelled';
}

export class SignInRefused extends Error {
  override name = 'SignInRefused';
}

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/` — the redirect URI sent to the authorisation server. */
  readonly redirectUri: string;
  /** The authorisation code, once the matching redirect arrived. */
  readonly code: Promise<string>;
  cancel(): void;
}

export interface LoopbackPages {
  /** The page shown in the browser after the accepted redirect. */
  readonly done: string;
  /** The page shown when Google answered with an error (the user declined). */
  readonly failed: string;
}

const DEFAULT_PAGES: LoopbackPages = {
  done: 'Cardinal is signed in. You can close this tab and go back to Cardinal.',
  failed: 'Cardinal was not signed in. You can close this tab and try again from Cardinal.',
};

function page(text: string): string {
  const escaped = text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Cardinal</title></head><body style="font-family:system-ui,sans-serif;margin:3em auto;max-width:32em"><h1>Cardinal</h1><p>${escaped}</p></body></html>`;
}

export async function listenForRedirect(state: string, opts: { timeoutMs?: number; pages?: LoopbackPages } = {}): Promise<LoopbackRedirect> {
  const pages = opts.pages ?? DEFAULT_PAGES;
  let settle!: { resolve: (code: string) => void; reject: (e: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may await it before the redirect comes; keep an unobserved rejection from crashing.
  code.catch(() => {});
  let finished = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" };
    if (finished || req.method !== 'GET' || url.pathname !== '/') {
      res.writeHead(404, headers).end(page('Not found.'));
      return;
    }
    if (url.searchParams.get('state') !== state) {
      // Not our sign-in (a stale tab, or a page trying to plant its own code): refuse and keep waiting.
      res.writeHead(400, headers).end(page('This sign-in link does not belong to the sign-in Cardinal is waiting for.'));
      return;
    }
    const error = url.searchParams.get('error');
    const got = url.searchParams.get('code');
    finished = true;
    if (error !== null || got === null || got === '') {
      res.writeHead(200, headers).end(page(pages.failed));
      end(new SignInRefused(error === 'access_denied' ? 'access was not granted in the browser' : `the sign-in failed: ${error ?? 'no code'}`));
    } else {
      res.writeHead(200, headers).end(page(pages.done));
      end(null, got);
    }
  });
  const timer = setTimeout(() => end(new SignInCancelled('the sign-in timed out')), opts.timeoutMs ?? 5 * 60_000);
  let ended = false;
  function end(err: Error | null, value?: string): void {
    if (ended) return;
    ended = true;
    finished = true;
    clearTimeout(timer);
    // Close at once: a second redirect finds nothing listening.
    server.close();
    server.closeAllConnections();
    if (err !== null) settle.reject(err);
    else settle.resolve(value!);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${port}/`, code, cancel: () => end(new SignInCancelled('the sign-in was cancelled')) };
}
