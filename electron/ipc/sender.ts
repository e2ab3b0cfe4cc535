/**
 * Is this IPC message from our window's own page? Plain data in, so it is unit-tested without
 * Electron: the sender must be our window, the frame its main frame, and the frame's URL on our
 * app origin (not a page the window was somehow navigated to, not an iframe).
 */
export interface SenderFacts {
  readonly frameUrl: string | null;
  readonly isMainFrame: boolean;
  readonly senderId: number;
  readonly windowId: number | null;
}

export function isTrustedFrame(facts: SenderFacts, appOrigin: string): boolean {
  if (facts.windowId === null || facts.senderId !== facts.windowId || !facts.isMainFrame || facts.frameUrl === null) return false;
  try {
    // Not URL.origin: Node gives 'null' for schemes it does not know, such as cardinal://.
    const url = new URL(facts.frameUrl);
    return `${url.protocol}//${url.host}` === appOrigin;
  } catch {
    return false;
  }
}
