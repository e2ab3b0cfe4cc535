import { CardinalError, toTransferError, type Reply } from '../../shared/errors';
import type { RequestName } from '../../shared/ipc/contract';
import type { RequestHandlers } from './handlers';

/**
 * Run one request from an untrusted page and always answer with a plain envelope: unknown
 * channels and failures become `{code, message}`; nothing else (stacks, causes) crosses over.
 */
export async function dispatch(handlers: RequestHandlers, channel: unknown, args: unknown): Promise<Reply<unknown>> {
  try {
    if (typeof channel !== 'string' || !Object.hasOwn(handlers, channel)) {
      throw new CardinalError('invalid-argument', 'unknown request');
    }
    if (!Array.isArray(args)) throw new CardinalError('invalid-argument', `${channel}: arguments must be a list`);
    const handler = handlers[channel as RequestName] as (a: readonly unknown[]) => Promise<unknown>;
    return { ok: true, value: await handler(args) };
  } catch (err) {
    if (!(err instanceof CardinalError)) console.error(`[ipc] ${String(channel)} failed:`, err instanceof Error ? err.message : err);
    return { ok: false, error: toTransferError(err) };
  }
}
