import type { CardinalApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the harness bridge (browser). */
    readonly cardinal: CardinalApi;
  }
}
