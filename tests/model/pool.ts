/** The real servers a tester run uses: each started once, when first needed, and stopped at the end. */
import { SERVERS, type ServerName, type TestServer } from '../servers/servers';
import type { KindName, Pool } from './runner';

export function serverPool(kinds: readonly KindName[]): Pool & { stop(): Promise<void> } {
  const started = new Map<ServerName, Promise<TestServer>>();
  return {
    kinds,
    get: (name) => {
      let s = started.get(name);
      if (s === undefined) {
        const start = SERVERS.find(([n]) => n === name)![1];
        s = start();
        started.set(name, s);
      }
      return s;
    },
    stop: async () => {
      for (const s of started.values()) await (await s).stop();
      started.clear();
    },
  };
}
