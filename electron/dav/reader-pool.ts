/**
 * Reading large answers off the main thread: a sync-collection of 10,000 cards is 9 MB, and
 * decoding and reading it on the main thread stops its event loop for seconds (the window's calls
 * and every other account wait). One worker thread (`reader-worker.ts`), started on first use and
 * kept; the answer's bytes are transferred to it (not copied), decoded and read there, and only
 * the result comes back. Answers under `INLINE_BELOW` are read inline: a round trip to the worker
 * costs more than reading them.
 *
 * Errors come back as the same classes with the same messages (`fromWire`): a malformed or
 * truncated answer is refused in the worker exactly as inline. Where no worker can be started the
 * answers are read inline, as before.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decodeAnswer, fromWire, LONG_LIST, runJob, type JobKind, type Jobs, type WireError } from './reader-jobs';

/** Answers smaller than this are read on the calling thread. */
export const INLINE_BELOW = 64 * 1024;

/**
 * The worker's heap limits. Its young generation is bounded (V8's default lets it grow to about
 * 32 MB and the worker's heap to 57–73 MB while a first sync's parts of 500 cards are read, where
 * what a part leaves alive is a few MB): a smaller one is collected more often, and the worker's
 * heap stayed at 31–45 MB (a first sync of 50,000 cards; its parts read no slower). The old
 * generation is not bounded: an answer read whole (10,000 cards in one multiget) needs room.
 */
export const READER_LIMITS = { maxYoungGenerationSizeMb: 4 } as const;

/** The bundle's name beside the main bundle (scripts/build.mjs), and the source's, for tsx and tests. */
const BUNDLED = 'dav-reader.cjs';
const SOURCE = 'reader-worker.ts';

function moduleDir(): string {
  // The CommonJS main bundle has __filename; the ES bundle and the sources have import.meta.url.
  return dirname(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
}

/** The TypeScript source in a worker, through tsx (tests, `npm start`'s harness host under tsx): Node 20 applies no `--import` hooks to a worker's own entry. */
function sourceWorker(file: string): Worker {
  const tsx = createRequire(file).resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(tsx)}).require(${JSON.stringify(file)}, ${JSON.stringify(file)})`, { eval: true, resourceLimits: READER_LIMITS });
}

/** A result whole, or its last part (`part`: the long list's items after those already sent), a part, or an error. */
type Reply = { id: number; ok: true; value: Record<string, unknown>; part?: unknown[] } | { id: number; part: unknown[]; ok?: undefined } | { id: number; ok: false; error: WireError };

interface Pending {
  kind: JobKind;
  /** The long list's items received so far. */
  parts: unknown[];
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

class ReaderThread {
  private worker: Worker | null = null;
  /** Whether the worker came up (its first message says it is loaded); false: read inline from now on. */
  private ready: Promise<boolean> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private start(): Promise<boolean> {
    const dir = moduleDir();
    const bundled = join(dir, BUNDLED);
    let worker: Worker;
    try {
      // The bundle's text, read here and run as the worker's script: in Electron it lies in
      // app.asar, which this thread's `fs` reads whatever a worker's own loader does with it.
      worker = existsSync(bundled) ? new Worker(readFileSync(bundled, 'utf8'), { eval: true, resourceLimits: READER_LIMITS }) : sourceWorker(join(dir, SOURCE));
    } catch (e) {
      console.warn(`cardinal: no answer reader thread, reading answers inline (${(e as Error).message})`);
      return Promise.resolve(false);
    }
    worker.unref();
    this.worker = worker;
    return new Promise<boolean>((resolve) => {
      let online = false;
      worker.on('message', (m: Reply | { ready: true }) => {
        if ('ready' in m) {
          online = true;
          resolve(true);
          return;
        }
        const p = this.pending.get(m.id);
        if (p === undefined) return;
        if (m.ok !== false && m.part !== undefined) for (const item of m.part) p.parts.push(item);
        if (m.ok === undefined) {
          // One part read; the next is asked for once the loop has turned (timers and I/O first).
          setImmediate(() => this.worker?.postMessage({ id: m.id, next: true }));
          return;
        }
        this.settled(m.id);
        if (m.ok) {
          const key = LONG_LIST[p.kind];
          p.resolve(m.part === undefined ? m.value : { ...m.value, [key]: p.parts });
        } else p.reject(fromWire(m.error));
      });
      const stop = (why: string) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.ready = null; // the next answer starts a new one
        if (!online) {
          console.warn(`cardinal: no answer reader thread, reading answers inline (${why})`);
          this.ready = Promise.resolve(false);
          resolve(false);
        }
        for (const [id, p] of this.pending) {
          this.pending.delete(id);
          p.reject(new Error(`the answer reader stopped: ${why}`));
        }
      };
      worker.on('error', (e) => stop(e.message));
      worker.on('exit', (code) => stop(`exit ${code}`));
    });
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  async run<K extends JobKind>(kind: K, bytes: Uint8Array, url: string, args: Jobs[K]['args']): Promise<Jobs[K]['result']> {
    this.ready ??= this.start();
    if (!(await this.ready) || this.worker === null) return runJob(kind, decodeAnswer(bytes), url, args);
    const worker = this.worker;
    // Transfer the bytes' own buffer; a view into a larger (shared or pooled) one is copied first.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const buffer = (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { kind, parts: [], resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, kind, bytes: buffer, url, args }, [buffer]);
    });
  }

  /** The worker's heap limits in effect (its young generation's included), or null without one. */
  limits(): { maxYoungGenerationSizeMb?: number } | null {
    return this.worker?.resourceLimits ?? null;
  }

  /** Whether answers went to a worker so far: 'worker', 'inline' (none could start), or 'idle' (none asked yet). */
  async status(): Promise<'worker' | 'inline' | 'idle'> {
    if (this.ready === null) return 'idle';
    return (await this.ready) ? 'worker' : 'inline';
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w !== null) await w.terminate();
  }
}

const thread = new ReaderThread();

/** Read an answer: in the worker when it is large, inline when it is small. `bytes` is not to be used after. */
export function readAnswer<K extends JobKind>(kind: K, bytes: Uint8Array, url: string, args: Jobs[K]['args']): Promise<Jobs[K]['result']> {
  if (bytes.byteLength < INLINE_BELOW) return Promise.resolve().then(() => runJob(kind, decodeAnswer(bytes), url, args));
  return thread.run(kind, bytes, url, args);
}

/** The same in the worker whatever the size (tests compare it with `readInline`). */
export function readInWorker<K extends JobKind>(kind: K, bytes: Uint8Array, url: string, args: Jobs[K]['args']): Promise<Jobs[K]['result']> {
  return thread.run(kind, bytes, url, args);
}

export function readInline<K extends JobKind>(kind: K, bytes: Uint8Array, url: string, args: Jobs[K]['args']): Jobs[K]['result'] {
  return runJob(kind, decodeAnswer(bytes), url, args);
}

/** How large answers are read now (tests: that the worker path really is the worker). */
export function readerStatus(): Promise<'worker' | 'inline' | 'idle'> {
  return thread.status();
}

/** The running worker's heap limits (tests), or null when none runs. */
export function readerLimits(): { maxYoungGenerationSizeMb?: number } | null {
  return thread.limits();
}

/** Stop the worker (tests); the next large answer starts another. */
export function closeReader(): Promise<void> {
  return thread.close();
}
