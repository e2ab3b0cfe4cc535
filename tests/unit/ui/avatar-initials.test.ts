/** The letters of a photo-less avatar (found by a stranger's test: an emoji after a Persian name became the second initial). */
import { describe, expect, it } from 'vitest';
import { initials } from '../../../renderer/src/features/contacts/Avatar';

describe('an avatar’s initials', () => {
  it('are the first letters of the first and last word, a title left out', () => {
    expect(initials('Grace Hopper')).toBe('GH');
    expect(initials('Dr. Grace Brewster Hopper')).toBe('GH');
    expect(initials('张三')).toBe('张');
  });

  it('skip an emoji or a mark after (or before) the name, in any script', () => {
    expect(initials('سارا احمدی 🌹')).toBe('سا');
    expect(initials('🎉 Ada Lovelace ❤️')).toBe('AL');
    expect(initials('"Ada" (work)')).toBe('AW');
  });

  it('are a question mark for a name with no letter at all', () => {
    expect(initials('🌹 🎉')).toBe('?');
    expect(initials('')).toBe('?');
  });
});
