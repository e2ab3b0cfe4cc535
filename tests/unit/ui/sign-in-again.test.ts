/**
 * "Sign in again" on a CardDAV account whose saved password the server refused (found by a
 * stranger's test: the dialog asked for a "New password (leave empty to keep)").
 */
import { describe, expect, it } from 'vitest';
import { passwordAsk } from '../../../renderer/src/features/accounts/AccountDialog';
import { translator } from '../../../renderer/src/i18n';

const en = translator('en');
const fa = translator('fa');

describe('the password the account dialog asks for', () => {
  it('signing in again after the server refused the saved one: the password, required, and why', () => {
    const ask = passwordAsk('sign-in-refused');
    expect(ask.required).toBe(true);
    expect(en(ask.label)).toBe('Password');
    expect(en(ask.label)).not.toMatch(/leave empty/i);
    expect(en(ask.notice!, { host: 'dav.example.org', user: 'ada' })).toBe('dav.example.org refused the saved password for ada. Enter the password to sign in again; your contacts and unsent changes are kept.');
    expect(fa(ask.notice!, { host: 'dav.example.org', user: 'ada' })).toContain('dav.example.org');
  });

  it('signing in again after the password was kept only until Cardinal quit: required, and says so', () => {
    const ask = passwordAsk('sign-in-forgotten');
    expect(ask.required).toBe(true);
    expect(en(ask.notice!)).toMatch(/no keyring/);
  });

  it('editing an account that works: a new password that may stay empty; adding one: the password', () => {
    expect(passwordAsk('edit')).toEqual({ label: 'account.newPassword', required: false, notice: null });
    expect(en(passwordAsk('edit').label)).toBe('New password (leave empty to keep)');
    expect(passwordAsk('add')).toEqual({ label: 'account.password', required: false, notice: null });
  });
});
