import { describe, expect, it } from 'vitest';
import { errorForStatus, ServiceUnavailable } from '../../../electron/dav/errors';
import { GDataRefused, gdataError } from '../../../electron/gdata/client';

const url = 'https://www.google.com/m8/feeds/contacts/example.com/full';
const err = (status: number, body: string, headers: Record<string, string> = {}) => gdataError(errorForStatus(status, url, new Headers(headers), body), 'example.com');

describe('Google’s refusals of the shared contacts feed, in words', () => {
  it('not an administrator', () => {
    expect(err(403, 'Only administrators can request entries belonging to example.com.')).toMatchObject({ code: 'not-admin' });
  });
  it('the API is not enabled for the project', () => {
    expect(err(403, '{"error":{"status":"PERMISSION_DENIED","message":"Contacts API has not been used in project 123 before or it is disabled.","reason":"accessNotConfigured"}}')).toMatchObject({ code: 'api-disabled' });
  });
  it('quota exceeded is a soft error that backs off (Retry-After kept)', () => {
    const e = err(503, 'Quota exceeded for quota metric', { 'retry-after': '30' });
    expect(e).toBeInstanceOf(ServiceUnavailable);
    expect((e as ServiceUnavailable).retryAfter).toBe(30);
    expect(err(403, 'Quota exceeded')).toBeInstanceOf(ServiceUnavailable);
  });
  it('an unknown domain', () => {
    expect(err(404, 'Domain not found')).toBeInstanceOf(GDataRefused);
  });
  it('a 404 on one entry is that entry gone, not an unknown domain', () => {
    const e = gdataError(errorForStatus(404, `${url}/c9012de`, new Headers(), 'Contact not found.'), 'example.com');
    expect(e).not.toBeInstanceOf(GDataRefused);
  });

  it('anything else passes through as it was', () => {
    expect(err(500, 'boom')).not.toBeInstanceOf(GDataRefused);
  });
});
