/**
 * A fetch that lets a test act between the engine's requests: `before` runs before each request
 * goes out (the user or another client acting) and may answer it instead; `after` runs once the
 * server answered, before the engine sees the answer, and may replace the answer. Every request
 * the server saw is told to `seen`.
 */

/** What the hook sees of a request: its method, URL and body. */
export interface Sent {
  method: string;
  url: string;
  body: string;
}

export interface Hooks {
  before: (r: Sent) => Promise<Response | void>;
  after: (r: Sent, res: Response) => Promise<Response | void>;
  seen: (r: Sent) => void;
}

export function hookedFetch(hooks: Hooks): typeof fetch {
  return async (input, init) => {
    const r: Sent = { method: init?.method ?? 'GET', url: String(input), body: typeof init?.body === 'string' ? init.body : '' };
    const instead = await hooks.before(r);
    if (instead !== undefined) return instead;
    hooks.seen(r);
    const res = await fetch(input, init);
    return (await hooks.after(r, res)) ?? res;
  };
}
