/**
 * The IPC contract: one declaration, used by the main process (electron/ipc, the harness host),
 * the preload and the harness bridge. Types only.
 *
 * - `Requests`: renderer → main, request/response. The key is the channel and the method name.
 * - `Events`: main → renderer pushes.
 * - `StoreRequests`: main → renderer requests answered by the renderer's store (Dexie); the sync
 *   engine asks through these for what it needs and hands results back.
 */
import type { Reply } from '../errors';

export type ShellKind = 'electron' | 'harness';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly shell: ShellKind;
  /** `process.platform` of the main process. */
  readonly platform: string;
  /** The operating system's preferred UI language (BCP 47). */
  readonly locale: string;
}

export interface Requests {
  getAppInfo: { args: []; result: AppInfo };
  /** Hand a URL to the operating system; only http(s), mailto and tel are accepted. */
  openExternal: { args: [url: string]; result: void };
}

/** A file the operating system asked us to open (a `.vcf` double-clicked or dropped on the icon). */
export interface OpenedFile {
  readonly name: string;
  readonly text: string;
}

export interface Events {
  openFiles: readonly OpenedFile[];
}

export interface StoreStats {
  readonly contacts: number;
}

export interface StoreRequests {
  /** How many contacts the renderer's store holds; also the main process's liveness check. */
  getStoreStats: { args: []; result: StoreStats };
}

export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type StoreRequestName = keyof StoreRequests;

/** What the renderer sees as `window.cardinal`: named methods, never a generic invoke. */
export interface CardinalApi {
  getAppInfo(): Promise<AppInfo>;
  openExternal(url: string): Promise<void>;
  onOpenFiles(listener: (files: Events['openFiles']) => void): () => void;
  /** Register the renderer's answers to the main process's store requests (once, at start). */
  serveStore(handlers: StoreHandlers): void;
}

export type StoreHandlers = {
  [K in StoreRequestName]: (...args: StoreRequests[K]['args']) => Promise<StoreRequests[K]['result']>;
};

/** A transport carries the contract; the preload and the harness bridge each provide one. */
export interface Transport {
  invoke(channel: RequestName, args: readonly unknown[]): Promise<Reply<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  serve(handler: (name: StoreRequestName, args: readonly unknown[]) => Promise<Reply<unknown>>): void;
}
