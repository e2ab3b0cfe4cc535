/**
 * Runs in the page, in the browser harness only: gives the page the same `window.cardinal` the
 * Electron preload gives it, carried over the host's WebSocket. The secret comes from the page URL.
 */
import { createCardinalApi } from '../../shared/ipc/api';
import type { Reply } from '../../shared/errors';
import type { CardinalApi, EventName, StoreRequestName, Transport } from '../../shared/ipc/contract';

type ServerMessage =
  | { type: 'reply'; id: number; reply: Reply<unknown> }
  | { type: 'event'; event: EventName; payload: unknown }
  | { type: 'store-request'; id: number; name: StoreRequestName; args: unknown[] };

const secret = new URLSearchParams(location.search).get('k') ?? '';
const socket = new WebSocket(`ws://${location.host}/ipc?k=${encodeURIComponent(secret)}`);
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve());
  socket.addEventListener('error', () => reject(new Error('cannot reach the Cardinal harness host')));
});
let nextId = 1;
const pending = new Map<number, (reply: Reply<unknown>) => void>();
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let storeHandler: ((name: StoreRequestName, args: readonly unknown[]) => Promise<Reply<unknown>>) | null = null;

socket.addEventListener('message', (event: MessageEvent<string>) => {
  const msg = JSON.parse(event.data) as ServerMessage;
  if (msg.type === 'reply') {
    pending.get(msg.id)?.(msg.reply);
    pending.delete(msg.id);
  } else if (msg.type === 'event') {
    for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
  } else if (storeHandler !== null) {
    void storeHandler(msg.name, msg.args).then((reply) => socket.send(JSON.stringify({ type: 'store-reply', id: msg.id, reply })));
  }
});
socket.addEventListener('close', () => {
  for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'unavailable', message: 'the harness host went away' } });
  pending.clear();
});

const transport: Transport = {
  invoke: async (channel, args) => {
    await opened;
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
  },
};

const api: CardinalApi = createCardinalApi(transport);
Object.defineProperty(window, 'cardinal', { value: Object.freeze(api), writable: false, configurable: false });
