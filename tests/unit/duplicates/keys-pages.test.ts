import { describe, expect, it } from 'vitest';
import { idInShare, pageOf } from '../../../renderer/src/db/keys-pages';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids in a share of the keys pages', () => {
  it('an import read by two workers gives each worker’s cards ids whose pages are its own half (00–7f, 80–ff): the workers’ batches share no page', () => {
    const pages = [new Set<string>(), new Set<string>()];
    for (let i = 0; i < 4000; i++) {
      const part = i % 2;
      const id = idInShare(part, 2);
      expect(id).toMatch(UUID);
      pages[part]!.add(pageOf(id));
    }
    expect([...pages[0]!].every((p) => p < '80')).toBe(true);
    expect([...pages[1]!].every((p) => p >= '80')).toBe(true);
    // Every page of each half is used (the first digit stays random within the share).
    expect(pages[0]!.size).toBe(128);
    expect(pages[1]!.size).toBe(128);
  });

  it('one writer, or a share that does not divide the pages, takes any random id', () => {
    const first = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = idInShare(0, 1);
      expect(id).toMatch(UUID);
      first.add(id[0]!);
      expect(idInShare(1, 3)).toMatch(UUID);
    }
    expect(first.size).toBe(16);
  });
});
