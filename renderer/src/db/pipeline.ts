/**
 * Writes of one transaction in chunks with a few in flight: each chunk's requests are made (its
 * rows cloned) in a task of their own, so no chunk makes a long task, and IndexedDB is never left
 * idle waiting for the page to make the next (one chunk at a time, a sync's batch waited for the
 * browser's process about two dozen times in a row). Requests can only be made while the
 * transaction is active, from a callback of one of its own: the next chunk starts when the oldest
 * in flight is done. In the order given.
 */
export async function pipelined(chunks: readonly (() => Promise<unknown>)[], inFlight = 2): Promise<void> {
  const running: Promise<unknown>[] = [];
  for (const start of chunks) {
    if (running.length >= inFlight) await running.shift();
    const p = start();
    // Awaited below or in turn; a failure meanwhile aborts the transaction either way.
    p.catch(() => {});
    running.push(p);
  }
  await Promise.all(running);
}

/** `rows` cut into chunks of `size`, each a write of `put`. */
export function chunksOf<T>(rows: readonly T[], size: number, put: (chunk: readonly T[]) => Promise<unknown>): (() => Promise<unknown>)[] {
  const out: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < rows.length; i += size) out.push(() => put(rows.slice(i, i + size)));
  return out;
}
