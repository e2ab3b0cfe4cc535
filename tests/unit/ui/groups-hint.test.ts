import { describe, expect, it } from 'vitest';
import { groupsHint } from '../../../renderer/src/features/accounts/directory';
import type { AccountInfo } from '../../../shared/sync/types';

const account = (kind: AccountInfo['kind'], bookId: string) => ({ id: `a-${bookId}`, kind, books: [{ id: bookId }] }) as unknown as AccountInfo;
const accounts = [account('carddav', 'dav'), account('google', 'g'), account('gdata', 'ws')];

describe("the editor's Groups hint", () => {
  it('a Google book says its labels sync, a Workspace book that its groups stay here, a CardDAV or local book nothing special', () => {
    const ok = () => 'ok' as const;
    expect(groupsHint(accounts, 'g', ok)).toBe('google');
    expect(groupsHint(accounts, 'ws', ok)).toBe('workspace');
    expect(groupsHint(accounts, 'dav', ok)).toBeNull();
    expect(groupsHint(accounts, 'local', ok)).toBeNull();
  });

  it('a Google book whose sign-in the People API refused says its groups stay here until then', () => {
    expect(groupsHint(accounts, 'g', () => 'scope-missing')).toBe('google-refused');
    expect(groupsHint(accounts, 'g', () => 'api-disabled')).toBe('google-refused');
  });
});
