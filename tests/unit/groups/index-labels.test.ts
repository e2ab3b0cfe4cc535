import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyLabelSync, MembershipIndex, newLabel, type LabelRemote, type StoredLabel } from '../../../shared/groups';

describe('the membership index', () => {
  it('filters rows by a group in the rows’ own order, and follows edits', () => {
    const index = MembershipIndex.fromGroups([
      { key: 'g', name: 'G', memberIds: ['c', 'a'], card: null, labelId: null, inCategories: true, external: 0 },
    ]);
    const rows = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
    expect(index.filter(rows, 'g', (r) => r.id).map((r) => r.id)).toEqual(['a', 'c']);
    index.add('g', ['d', 'd']);
    index.remove('g', ['a', 'zz']);
    expect(index.count('g')).toBe(2);
    expect(index.filter(rows, 'g', (r) => r.id).map((r) => r.id)).toEqual(['c', 'd']);
    expect(index.filterSlots(rows.map((r) => index.slotOf(r.id)), 'g')).toEqual([2, 3]);
    expect(index.groupsOf('c')).toEqual(['g']);
    index.drop('g');
    expect(index.filter(rows, 'g', (r) => r.id)).toEqual([]);
  });

  it('agrees with a plain set for any edits (generated)', () => {
    const op = fc.record({ add: fc.boolean(), ids: fc.array(fc.integer({ min: 0, max: 200 }).map(String), { maxLength: 20 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const index = new MembershipIndex();
        const truth = new Set<string>();
        for (const o of ops) {
          if (o.add) index.add('k', o.ids);
          else index.remove('k', o.ids);
          for (const i of o.ids) {
            if (o.add) truth.add(i);
            else truth.delete(i);
          }
        }
        const all = Array.from({ length: 201 }, (_, i) => String(i));
        expect(index.filter(all, 'k', (x) => x)).toEqual(all.filter((x) => truth.has(x)));
        expect(index.count('k')).toBe(truth.size);
      }),
    );
  });
});

const remote = (over: Partial<LabelRemote> = {}): LabelRemote => ({ resourceName: 'contactGroups/1', etag: 'e', name: 'Work', memberCount: 1, members: ['people/c1'], seen: ['a'], unsettled: {}, ...over });

describe('a labels sync’s write, applied to labels the user may have changed meanwhile', () => {
  const read: StoredLabel = { ...newLabel('l', 'Work', ['a']), remote: remote() };

  it('moves members by deltas, so a member the user added meanwhile stays', () => {
    const now: StoredLabel = { ...read, members: ['a', 'x'] };
    const out = applyLabelSync([now], new Set(), { labels: [{ kind: 'update', id: 'l', remote: remote({ etag: 'f' }), add: ['b'], remove: ['a'] }], favourites: { add: [], remove: [] }, people: { put: [], remove: [] }, state: null });
    expect(out.labels[0]!.members).toEqual(['x', 'b']);
    expect(out.labels[0]!.remote?.etag).toBe('f');
  });

  it('takes the server’s new name only if the user has not renamed it meanwhile', () => {
    const write = { labels: [{ kind: 'update' as const, id: 'l', remote: remote(), rename: { from: 'Work', to: 'Job' }, add: [], remove: [] }], favourites: { add: [], remove: [] }, people: { put: [], remove: [] }, state: null };
    expect(applyLabelSync([read], new Set(), write).labels[0]!.name).toBe('Job');
    expect(applyLabelSync([{ ...read, name: 'Office' }], new Set(), write).labels[0]!.name).toBe('Office');
  });

  it('purges a label gone on both sides, unless the user changed it since the sync read it', () => {
    const write = { labels: [{ kind: 'purge' as const, id: 'l', read }], favourites: { add: [], remove: [] }, people: { put: [], remove: [] }, state: null };
    expect(applyLabelSync([read], new Set(), write).labels).toEqual([]);
    const kept = applyLabelSync([{ ...read, members: ['a', 'new'] }], new Set(), write).labels;
    expect(kept).toEqual([{ ...read, members: ['a', 'new'], remote: null }]);
  });

  it('adds a label new on the server once, and moves favourites by deltas', () => {
    const fresh = newLabel('n', 'New', ['b']);
    const out = applyLabelSync([read], new Set(['a', 'b']), { labels: [{ kind: 'new', label: fresh }, { kind: 'new', label: { ...fresh, name: 'dup' } }], favourites: { add: ['c'], remove: ['a'] }, people: { put: [], remove: [] }, state: null });
    expect(out.labels.map((l) => l.name)).toEqual(['Work', 'New']);
    expect([...out.favourites].sort()).toEqual(['b', 'c']);
  });
});
