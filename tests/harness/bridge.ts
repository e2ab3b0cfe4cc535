/**
 * Runs in the page, in the browser harness only: gives the page the same `window.cardinal` the
 * Electron preload gives it, carried over the host's WebSocket. The secret comes from the page URL.
 * The host is a process of its own here (in Electron the window closes with the main process), so
 * the page can outlive it: the bridge says so (`onConnection`) and keeps trying to reach it.
 */
import { createCardinalApi } from '../../shared/ipc/api';
import type { Reply } from '../../shared/errors';
import type { CardinalApi, EventName, StoreRequestName, Transport } from '../../shared/ipc/contract';

type ServerMessage =
  | { type: 'reply'; id: number; reply: Reply<unknown> }
  | { type: 'event'; event: EventName; payload: unknown }
  | { type: 'store-request'; id: number; name: StoreRequestName; args: unknown[] };

const secret = new URLSearchParams(location.search).get('k') ?? '';
const address = `ws://${location.host}/ipc?k=${encodeURIComponent(secret)}`;
/** What a request gets while the host is away: the reply the Electron side gives for a peer gone (store-port's "the window went away"), with why. */
const HOST_GONE: Reply<unknown> = { ok: false, error: { code: 'unavailable', message: 'the harness host went away', cause: 'host-gone' } };
/** Between attempts to reach the host again: doubling from 1 s, at most 10 s. */
const RETRY_FIRST_MS = 1000;
const RETRY_MOST_MS = 10_000;

let nextId = 1;
const pending = new Map<number, (reply: Reply<unknown>) => void>();
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
const connectionListeners = new Set<(connected: boolean, stale: boolean) => void>();
let storeHandler: ((name: StoreRequestName, args: readonly unknown[]) => Promise<Reply<unknown>>) | null = null;
/** Whether the page is connected now; listeners are told when it changes (the first connection is no news). */
let state: 'starting' | 'up' | 'gone' = 'starting';
/** The host was started again with another key: this page can never reach it. */
let stale = false;
let retryMs = RETRY_FIRST_MS;
let socket: WebSocket;
/** Settles when the socket in use opens (true) or fails first (false). */
let opened: Promise<boolean>;

function tell(now: 'up' | 'gone'): void {
  if (state === now) return;
  const was = state;
  state = now;
  if (was === 'starting' && now === 'up') return;
  for (const l of connectionListeners) l(now === 'up', stale);
}

function onMessage(event: MessageEvent<string>): void {
  const msg = JSON.parse(event.data) as ServerMessage;
  if (msg.type === 'reply') {
    pending.get(msg.id)?.(msg.reply);
    pending.delete(msg.id);
  } else if (msg.type === 'event') {
    for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
  } else if (storeHandler !== null) answerStore(storeHandler, msg);
  // Before the app serves its store (a page just loaded, a sync already asking): kept until it does.
  else early.push(msg);
}

/** Store requests that came before the app served its store, answered once it does. */
const early: Extract<ServerMessage, { type: 'store-request' }>[] = [];

function answerStore(handler: NonNullable<typeof storeHandler>, msg: Extract<ServerMessage, { type: 'store-request' }>): void {
  const from = socket;
  void handler(msg.name, msg.args).then((reply) => {
    if (from.readyState === WebSocket.OPEN) from.send(JSON.stringify({ type: 'store-reply', id: msg.id, reply }));
  });
}

/**
 * Reach the host, and again whenever the socket closes (the host process stopped, or dropped the
 * page): requests in flight and those made meanwhile fail at once with HOST_GONE (never hang), the
 * window is told (its banner), and an attempt is made again until the host answers. The store's
 * handler and the event listeners stay the page's, so a host that comes back finds them.
 */
/** Whether the host is up but refuses this page's key (a 403 to the key check; down: no answer). */
async function keyRefused(): Promise<boolean> {
  try {
    const res = await fetch(`/ipc-key?k=${encodeURIComponent(secret)}`, { cache: 'no-store' });
    return res.status === 403;
  } catch {
    return false;
  }
}

function connect(): void {
  const ws = new WebSocket(address);
  socket = ws;
  opened = new Promise<boolean>((resolve) => {
    ws.addEventListener('open', () => resolve(true));
    ws.addEventListener('close', () => resolve(false));
  });
  ws.addEventListener('open', () => {
    retryMs = RETRY_FIRST_MS;
    tell('up');
  });
  ws.addEventListener('message', onMessage);
  ws.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve(HOST_GONE);
    pending.clear();
    void keyRefused().then((refused) => {
      if (refused) {
        // The host answers, with a key of its own: it was started again, and this page, kept from
        // its earlier start, never gets in. Say so, and stop trying.
        stale = true;
        tell('gone');
        return;
      }
      tell('gone');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MOST_MS);
    });
  });
}
connect();

const transport: Transport = {
  invoke: async (channel, args) => {
    if (state !== 'up' && !(await opened)) return HOST_GONE;
    if (socket.readyState !== WebSocket.OPEN) return HOST_GONE;
    const id = nextId++;
    return new Promise<Reply<unknown>>((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ type: 'request', id, channel, args }));
    });
  },
  subscribe: (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  },
  serve: (handler) => {
    storeHandler = handler;
    for (const msg of early.splice(0)) answerStore(handler, msg);
  },
  onConnection: (listener) => {
    connectionListeners.add(listener);
    // The host may have gone before the window listened (it never answered at all).
    if (state === 'gone') listener(false, stale);
    return () => connectionListeners.delete(listener);
  },
};

const api: CardinalApi = createCardinalApi(transport);
Object.defineProperty(window, 'cardinal', { value: Object.freeze(api), writable: false, configurable: false });
