/**
 * Builds `window.cardinal` from a transport. The preload (Electron) and the harness bridge
 * (browser) both call this, so the page sees the same named methods in both shells.
 */
import { CardinalError, toTransferError, type Reply } from '../errors';
import type { CardinalApi, Events, RequestName, Requests, StoreHandlers, StoreRequestName, Transport } from './contract';

async function call<K extends RequestName>(t: Transport, channel: K, args: Requests[K]['args']): Promise<Requests[K]['result']> {
  const reply = await t.invoke(channel, args);
  if (!reply.ok) throw new CardinalError(reply.error.code, reply.error.message, { cause: reply.error.cause, host: reply.error.host, status: reply.error.status });
  return reply.value as Requests[K]['result'];
}

export function createCardinalApi(t: Transport): CardinalApi {
  return {
    getAppInfo: () => call(t, 'getAppInfo', []),
    openExternal: (url: string) => call(t, 'openExternal', [url]),
    discoverCardDav: (account) => call(t, 'discoverCardDav', [account]),
    continueDiscovery: (discoveryId, allow) => call(t, 'continueDiscovery', [discoveryId, allow]),
    forgetDiscovery: (discoveryId) => call(t, 'forgetDiscovery', [discoveryId]),
    addCardDavAccount: (discoveryId, bookUrls) => call(t, 'addCardDavAccount', [discoveryId, bookUrls]),
    listAccounts: () => call(t, 'listAccounts', []),
    secretStorage: () => call(t, 'secretStorage', []),
    keepSecretsInMemory: () => call(t, 'keepSecretsInMemory', []),
    updateAccount: (accountId, changes) => call(t, 'updateAccount', [accountId, changes]),
    removeAccount: (accountId) => call(t, 'removeAccount', [accountId]),
    syncNow: (accountId) => call(t, 'syncNow', [accountId]),
    confirmDeletions: (accountId) => call(t, 'confirmDeletions', [accountId]),
    keepRemoved: (accountId) => call(t, 'keepRemoved', [accountId]),
    localChanged: (bookId) => call(t, 'localChanged', [bookId]),
    syncStatuses: () => call(t, 'syncStatuses', []),
    googleSetup: () => call(t, 'googleSetup', []),
    setGoogleClient: (clientId, clientSecret) => call(t, 'setGoogleClient', [clientId, clientSecret]),
    signInGoogle: (accountId) => call(t, 'signInGoogle', [accountId]),
    cancelGoogleSignIn: () => call(t, 'cancelGoogleSignIn', []),
    addSharedContacts: (domain) => call(t, 'addSharedContacts', [domain]),
    takeOpenedFiles: () => call(t, 'takeOpenedFiles', []),
    loadPhoto: (bookId, uri) => call(t, 'loadPhoto', [bookId, uri]),
    addPrintCards: (jobId, vcards) => call(t, 'addPrintCards', [jobId, vcards]),
    printContacts: (request) => call(t, 'printContacts', [request]),
    calendarFile: (request) => call(t, 'calendarFile', [request]),
    chooseExportFolder: (title) => call(t, 'chooseExportFolder', [title]),
    writeExportFiles: (folderId, files) => call(t, 'writeExportFiles', [folderId, files]),
    onOpenFiles: (listener) => t.subscribe('openFiles', (payload) => listener(payload as Events['openFiles'])),
    onSyncStatus: (listener) => t.subscribe('syncStatus', (payload) => listener(payload as Events['syncStatus'])),
    onMenu: (listener) => t.subscribe('menu', (payload) => listener(payload as Events['menu'])),
    onHostConnection: (listener) => t.onConnection?.(listener) ?? (() => {}),
    serveStore: (handlers: StoreHandlers) =>
      t.serve(async (name: StoreRequestName, args): Promise<Reply<unknown>> => {
        try {
          const fn = handlers[name] as (...a: readonly unknown[]) => Promise<unknown>;
          return { ok: true, value: await fn(...args) };
        } catch (err) {
          return { ok: false, error: toTransferError(err) };
        }
      }),
  } satisfies CardinalApi;
}

/** Channel names the transports use beside the request channels (which are the method names). */
export const STORE_REQUEST_CHANNEL = 'store:request';
export const STORE_REPLY_CHANNEL = 'store:reply';
/** The preload's word, as a page (a new document: the first, a reload) starts: it takes store requests from now on. */
export const STORE_HELLO_CHANNEL = 'store:hello';
export const eventChannel = (event: string): string => `event:${event}`;
