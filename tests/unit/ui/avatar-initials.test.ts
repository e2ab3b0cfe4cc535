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

  it('come from letters, never a number: “Group 1” is G, in Latin, Persian and Chinese names alike', () => {
    expect(initials('Group 1')).toBe('G');
    expect(initials('Flat 4B Residents')).toBe('FR');
    expect(initials('Team 2 Leads')).toBe('TL');
    expect(initials('3M Company')).toBe('C');
    expect(initials('گروه ۱')).toBe('گ');
    expect(initials('سارا احمدی ۲')).toBe('سا');
    expect(initials('第1组')).toBe('第');
    expect(initials('王 小明')).toBe('王');
    expect(initials('김 민수 2')).toBe('김');
    // A name of numbers alone still shows something of it.
    expect(initials('112')).toBe('1');
  });

  it('are a question mark for a name with no letter at all', () => {
    expect(initials('🌹 🎉')).toBe('?');
    expect(initials('')).toBe('?');
  });
});
