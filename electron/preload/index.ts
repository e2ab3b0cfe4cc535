/**
 * The preload: exposes the contract's named methods as `window.cardinal` and nothing else.
 * Raw ipcRenderer never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createCardinalApi, eventChannel, STORE_HELLO_CHANNEL, STORE_REPLY_CHANNEL, STORE_REQUEST_CHANNEL } from '../../shared/ipc/api';
import type { Reply } from '../../shared/errors';
import type { CardinalApi, Transport } from '../../shared/ipc/contract';

const transport: Transport = {
  invoke: (channel, args) => ipcRenderer.invoke(channel, ...args) as Promise<Reply<unknown>>,
  subscribe: (event, listener) => {
    const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(eventChannel(event), wrapped);
    return () => {
      ipcRenderer.off(eventChannel(event), wrapped);
    };
  },
  serve: (handler) => {
    served = handler;
    for (const message of early.splice(0)) answerStore(handler, message);
  },
};

type StoreMessage = { id: number; name: never; args: unknown[] };
type StoreHandler = Parameters<Transport['serve']>[0];
let served: StoreHandler | null = null;
/** Store requests that came before the page served its store (a sync asking while it loads), answered once it does. */
const early: StoreMessage[] = [];
function answerStore(handler: StoreHandler, message: StoreMessage): void {
  void handler(message.name, message.args).then((reply) => ipcRenderer.send(STORE_REPLY_CHANNEL, { id: message.id, reply }));
}
ipcRenderer.on(STORE_REQUEST_CHANNEL, (_e, message: StoreMessage) => {
  if (served !== null) answerStore(served, message);
  else early.push(message);
});
// This document takes store requests from now on: main fails what it sent to the one before
// (a reload, a crash), which nobody will answer, instead of waiting out their timeout.
ipcRenderer.send(STORE_HELLO_CHANNEL);

const api: CardinalApi = createCardinalApi(transport);
contextBridge.exposeInMainWorld('cardinal', api);
