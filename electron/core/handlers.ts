/**
 * The main process's request handlers, free of Electron: the IPC binding (Electron) and the
 * harness host (WebSocket) both serve exactly these. Every handler takes `unknown` arguments and
 * validates them before acting.
 */
import { z } from 'zod';
import { CardinalError } from '../../shared/errors';
import type { AppInfo, RequestName, Requests } from '../../shared/ipc/contract';
import { isExternalUrlAllowed } from '../../shared/urls';
import type { Platform } from '../platform/platform';

export type RequestHandlers = {
  [K in RequestName]: (args: readonly unknown[]) => Promise<Requests[K]['result']>;
};

/** Parse the arguments of a request or throw `invalid-argument` naming what is wrong. */
function validate<T>(schema: z.ZodType<T>, args: readonly unknown[], channel: string): T {
  const result = schema.safeParse(args);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` (argument ${issue.path.join('.')})` : '';
    throw new CardinalError('invalid-argument', `${channel}: ${issue?.message ?? 'invalid arguments'}${where}`);
  }
  return result.data;
}

const schemas = {
  getAppInfo: z.tuple([]),
  openExternal: z.tuple([z.string().max(8192)]),
} satisfies Record<RequestName, z.ZodType>;

export function createRequestHandlers(platform: Platform): RequestHandlers {
  return {
    getAppInfo: async (args): Promise<AppInfo> => {
      validate(schemas.getAppInfo, args, 'getAppInfo');
      return {
        name: 'Cardinal',
        version: platform.appVersion(),
        shell: platform.shell,
        platform: process.platform,
        locale: platform.locale(),
      };
    },
    openExternal: async (args) => {
      const [url] = validate(schemas.openExternal, args, 'openExternal');
      if (!isExternalUrlAllowed(url)) {
        throw new CardinalError('invalid-argument', 'openExternal: only http(s), mailto and tel links can be opened');
      }
      await platform.openExternal(url);
    },
  };
}

export const REQUEST_NAMES = Object.keys(schemas) as RequestName[];
