/**
 * The preload: exposes the contract's named methods as `window.cardinal` and nothing else.
 * Raw ipcRenderer never reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createCardinalApi, eventChannel, STORE_REPLY_CHANNEL, STORE_REQUEST_CHANNEL } from '../../shared/ipc/api';
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
    ipcRenderer.removeAllListeners(STORE_REQUEST_CHANNEL);
    ipcRenderer.on(STORE_REQUEST_CHANNEL, (_e, message: { id: number; name: never; args: unknown[] }) => {
      void handler(message.name, message.args).then((reply) => ipcRenderer.send(STORE_REPLY_CHANNEL, { id: message.id, reply }));
    });
  },
};

const api: CardinalApi = createCardinalApi(transport);
contextBridge.exposeInMainWorld('cardinal', api);
