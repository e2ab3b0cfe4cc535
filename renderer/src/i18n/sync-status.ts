/**
 * Why an account's sync stopped, in the user's language and in the words of the account's kind:
 * a Google account signs in through Google (it has no user name and password to blame), a
 * Workspace domain is the administrators' directory, any other server is a server. The main
 * process's detail follows in brackets. Retrying is said once, by the retry line (`sync.retryIn`).
 */
import type { AccountInfo, SyncStatus } from '../../../shared/sync/types';
import type { MessageKey, Translate } from './index';

type Worded = 'unauthorized' | 'forbidden' | 'unavailable' | 'network';

function wordsKey(kind: AccountInfo['kind'], code: Worded): MessageKey {
  if (kind === 'carddav') return `syncError.${code}`;
  if (code === 'forbidden') return kind === 'gdata' ? 'syncError.forbidden.gdata' : 'syncError.forbidden.google';
  return `syncError.${code}.google`;
}

/** The reason shown for a stopped sync: the worded code where there is one, with the detail. */
export function syncReason(kind: AccountInfo['kind'], status: Pick<SyncStatus, 'code' | 'message'>, t: Translate): string {
  const code = status.code;
  const worded = code === 'unauthorized' || code === 'forbidden' || code === 'unavailable' || code === 'network' ? t(wordsKey(kind, code)) : '';
  if (worded === '') return status.message;
  return status.message === '' || status.message === worded ? worded : `${worded} (${status.message})`;
}
