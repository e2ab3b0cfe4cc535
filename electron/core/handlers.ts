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
import type { SyncManager } from '../sync/manager';

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
  addCardDavAccount: z.tuple([
    z.object({
      url: z.string().max(2048).refine((u) => /^https?:\/\/[^\s]+$/i.test(u), 'the server address must start with https:// (or http://)'),
      user: z.string().max(512),
      password: z.string().max(4096),
      allowInsecure: z.boolean(),
    }),
  ]),
  listAccounts: z.tuple([]),
  removeAccount: z.tuple([z.string().min(1).max(200)]),
  syncNow: z.tuple([z.string().min(1).max(200).nullable()]),
} satisfies Record<RequestName, z.ZodType>;

export function createRequestHandlers(platform: Platform, sync: SyncManager): RequestHandlers {
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
    addCardDavAccount: async (args) => {
      const [account] = validate(schemas.addCardDavAccount, args, 'addCardDavAccount');
      return sync.add(account);
    },
    listAccounts: async (args) => {
      validate(schemas.listAccounts, args, 'listAccounts');
      return sync.accounts.list();
    },
    removeAccount: async (args) => {
      const [id] = validate(schemas.removeAccount, args, 'removeAccount');
      await sync.remove(id);
    },
    syncNow: async (args) => {
      const [id] = validate(schemas.syncNow, args, 'syncNow');
      return id === null ? sync.syncAll() : [await sync.sync(id)];
    },
  };
}

export const REQUEST_NAMES = Object.keys(schemas) as RequestName[];
