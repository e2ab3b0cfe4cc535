/** The trash's order: latest first, and contacts deleted at one time always in the same order, by name. */
import { describe, expect, it } from 'vitest';
import { trashOrder } from '../../../renderer/src/features/history/who';
import type { TrashRow } from '../../../renderer/src/db/schema';

const entry = (id: string, displayName: string, deletedAt: number) => ({ id, bookId: 'local', deletedAt, by: 'server', row: { id, displayName }, card: { id } }) as unknown as TrashRow;

describe('the trash’s order', () => {
  it('lists the latest deletion first, and a sync’s deletions of one moment by name whatever their ids', () => {
    const rows = [entry('z1', 'Bob', 100), entry('a9', 'Carol', 100), entry('m5', 'Ada', 100), entry('q2', 'Zoe', 200), entry('b3', 'Émile', 100)];
    expect(trashOrder(rows, 'en').map((r) => r.row.displayName)).toEqual(['Zoe', 'Ada', 'Bob', 'Carol', 'Émile']);
    expect(trashOrder([...rows].reverse(), 'en').map((r) => r.id)).toEqual(trashOrder(rows, 'en').map((r) => r.id));
  });

  it('sorts names in the UI language', () => {
    const rows = [entry('1', 'ژاله', 5), entry('2', 'زهرا', 5), entry('3', 'سارا', 5)];
    expect(trashOrder(rows, 'fa').map((r) => r.row.displayName)).toEqual(['زهرا', 'ژاله', 'سارا']);
  });
});
