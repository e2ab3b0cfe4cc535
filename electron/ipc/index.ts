/**
 * The only place that binds the contract to `ipcMain`. Every message is checked to come from our
 * own window's main frame; arguments are validated by the handlers; errors cross as `{code, message}`.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron';
import type { Reply } from '../../shared/errors';
import { eventChannel, STORE_HELLO_CHANNEL, STORE_REPLY_CHANNEL, STORE_REQUEST_CHANNEL } from '../../shared/ipc/api';
import type { EventName, Events } from '../../shared/ipc/contract';
import { dispatch } from '../core/dispatch';
import { REQUEST_NAMES, type RequestHandlers } from '../core/handlers';
import { PendingStoreRequests, type StorePort } from '../core/store-port';
import { isTrustedFrame } from './sender';


export interface IpcBinding {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  store: StorePort;
  /** The window's page is gone and no other came (its renderer crashed, the window closed): what it was asked fails now. */
  windowGone(): void;
  dispose(): void;
}

export function bindIpc(makeHandlers: (store: StorePort, emit: IpcBinding['emit']) => RequestHandlers, getWindow: () => WebContents | null, appOrigin: string): IpcBinding {
  const trusted = (frame: WebFrameMain | null, sender: WebContents): boolean =>
    isTrustedFrame({ frameUrl: frame?.url ?? null, isMainFrame: frame !== null && frame === sender.mainFrame, senderId: sender.id, windowId: getWindow()?.id ?? null }, appOrigin);

  // No window: nobody to ask, the request fails at once. No page has said hello yet: none answers.
  const store = new PendingStoreRequests(
    (message) => {
      const win = getWindow();
      if (win === null || win.isDestroyed()) return false;
      win.send(STORE_REQUEST_CHANNEL, message);
      return true;
    },
    undefined,
    false,
  );
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
  // A new document in the window (the first, a reload, after a crash): what was sent before it went
  // to a page gone (or reached this one early, which answers into nothing): failed now, so a sync
  // asking it runs again at once rather than waiting out the timeout.
  const onHello = (event: Electron.IpcMainEvent): void => {
    if (!trusted(event.senderFrame, event.sender)) return;
    store.failBefore(store.nextRequestId);
    store.setAnswering(true);
  };
  ipcMain.on(STORE_HELLO_CHANNEL, onHello);

  return {
    emit,
    store,
    windowGone: () => store.closeAll(),
    dispose: () => {
      for (const channel of REQUEST_NAMES) ipcMain.removeHandler(channel);
      ipcMain.off(STORE_REPLY_CHANNEL, onReply);
      ipcMain.off(STORE_HELLO_CHANNEL, onHello);
      store.closeAll();
    },
  };
}
