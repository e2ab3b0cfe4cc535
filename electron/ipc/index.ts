/**
 * The only place that binds the contract to `ipcMain`. Every message is checked to come from our
 * own window's main frame; arguments are validated by the handlers; errors cross as `{code, message}`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron';
import type { Reply } from '../../shared/errors';
import { eventChannel, STORE_REPLY_CHANNEL, STORE_REQUEST_CHANNEL } from '../../shared/ipc/api';
import type { EventName, Events } from '../../shared/ipc/contract';
import { dispatch } from '../core/dispatch';
import { REQUEST_NAMES, type RequestHandlers } from '../core/handlers';
import { PendingStoreRequests, type StorePort } from '../core/store-port';
import { isTrustedFrame } from './sender';


export interface IpcBinding {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  store: StorePort;
  dispose(): void;
}

export function bindIpc(makeHandlers: (store: StorePort, emit: IpcBinding['emit']) => RequestHandlers, getWindow: () => WebContents | null, appOrigin: string): IpcBinding {
  const trusted = (frame: WebFrameMain | null, sender: WebContents): boolean =>
    isTrustedFrame({ frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame === sender.mainFrame, senderId: sender.id, windowId: getWindow()?.id ?? null }, appOrigin);

  const store = new PendingStoreRequests((message) => getWindow()?.send(STORE_REQUEST_CHANNEL, message));
  const emit: IpcBinding['emit'] = (event, payload) => getWindow()?.send(eventChannel(event), payload);
  const handlers = makeHandlers(store, emit);

  for (const channel of REQUEST_NAMES) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Reply<unknown>> => {
      if (!trusted(event.senderFrame, event.sender)) {
        return { ok: false, error: { code: 'forbidden-sender', message: 'request from an unknown frame refused' } };
      }
      return dispatch(handlers, channel, args);
    });
  }

  const onReply = (event: Electron.IpcMainEvent, message: unknown): void => {
    if (trusted(event.senderFrame, event.sender)) store.receive(message);
  };
  ipcMain.on(STORE_REPLY_CHANNEL, onReply);

  return {
    emit,
    store,
    dispose: () => {
      for (const channel of REQUEST_NAMES) ipcMain.removeHandler(channel);
      ipcMain.off(STORE_REPLY_CHANNEL, onReply);
      store.closeAll();
    },
  };
}
