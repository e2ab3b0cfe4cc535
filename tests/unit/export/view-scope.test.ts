/**
 * What the sidebar's Export and Print take (found by a stranger's test: with a contact open, Export
 * became "Export 1 contact"). Opening a contact is not choosing it: only a selection of two or more
 * narrows the export; otherwise the group or book in view, else everything.
 */
import { describe, expect, it } from 'vitest';
import { explicitSelection, viewScope } from '../../../renderer/src/features/export/scope';

describe('the scope Export and Print offer', () => {
  it('with one contact open (one row selected) is the whole view, not that contact', () => {
    expect(explicitSelection(['ada'])).toEqual([]);
    expect(viewScope({ kind: 'all' }, ['ada'])).toEqual({ kind: 'all' });
    expect(viewScope({ kind: 'book', id: 'local' }, ['ada'])).toEqual({ kind: 'book', bookId: 'local' });
    expect(viewScope({ kind: 'group', bookId: 'dav', key: 'friends' }, ['ada'])).toEqual({ kind: 'group', bookId: 'dav', key: 'friends' });
    expect(viewScope({ kind: 'favorites' }, ['ada'])).toEqual({ kind: 'all' });
  });

  it('with two or more rows selected is those contacts, in whatever view', () => {
    expect(explicitSelection(['ada', 'alan'])).toEqual(['ada', 'alan']);
    expect(viewScope({ kind: 'all' }, ['ada', 'alan'])).toEqual({ kind: 'selection', ids: ['ada', 'alan'] });
    expect(viewScope({ kind: 'group', bookId: 'dav', key: 'friends' }, ['ada', 'alan', 'grace'])).toEqual({ kind: 'selection', ids: ['ada', 'alan', 'grace'] });
  });

  it('with nothing selected is the view', () => {
    expect(viewScope({ kind: 'book', id: 'dav' }, [])).toEqual({ kind: 'book', bookId: 'dav' });
    expect(viewScope({ kind: 'all' }, [])).toEqual({ kind: 'all' });
  });
});
