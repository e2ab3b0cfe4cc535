/**
 * The one contract of a local book toward the sync engine (`LocalCollection`), passed by both the
 * renderer's Dexie store and the in-memory collection of the engine's tests, so the two cannot
 * differ again (the memory one used to bring back a contact the Dexie store kept hidden).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { derivedCard } from '../../shared/book/derived-card';
import type { DerivedCard } from '../../shared/sync/types';
import { LOCAL_BOOKS, type LocalBook } from './local-books';

const card = (uid: string, fn: string, extra = '') => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\n${extra}END:VCARD\r\n`;
const fnOf = (vcard: string | undefined) => /^FN:(.*?)\r?$/m.exec(vcard ?? '')?.[1];
const remote = (href: string, etag: string, vcard: string) => ({ href, etag, vcard });

for (const [kind, open] of LOCAL_BOOKS) {
  describe(`the local book contract: ${kind}`, () => {
    let book: LocalBook;
    beforeEach(async () => {
      book = await open();
    });
    afterEach(() => book.close());

    /** A card that came from the server, clean. */
    async function synced(uid: string, fn: string): Promise<string> {
      await book.collection.applyRemote({ upserts: [remote(`/book/${uid}.vcf`, `"${uid}-1"`, card(uid, fn))], deletes: [] });
      const row = (await book.rows()).find((r) => r.href === `/book/${uid}.vcf`)!;
      return row.id;
    }
    const pendingOf = async (id: string) => (await book.collection.pending()).find((c) => c.id === id);

    it('server cards arrive with the state in one batch; their ETags are known; nothing is pending', async () => {
      await book.collection.applyRemote({ upserts: [remote('/book/a.vcf', '"1"', card('a', 'Ada'))], deletes: [], state: { syncToken: 't1', ctag: null } });
      expect(await book.collection.state()).toMatchObject({ syncToken: 't1' });
      expect([...(await book.collection.knownEtags())]).toEqual([['/book/a.vcf', '"1"']]);
      expect(await book.collection.pending()).toEqual([]);
      expect((await book.rows()).map((r) => [fnOf(r.vcard), r.visible])).toEqual([['Ada', true]]);
    });

    it('whether a card here is known on the server: not in a new book nor for a contact made here, yes once one came down, no once it is gone', async () => {
      expect(await book.collection.hasServerCards()).toBe(false);
      await book.create(card('n', 'New Here'));
      expect(await book.collection.hasServerCards()).toBe(false);
      await synced('s', 'Synced');
      expect(await book.collection.hasServerCards()).toBe(true);
      await book.collection.applyRemote({ upserts: [], deletes: ['/book/s.vcf'], state: { syncToken: 't2', ctag: null } });
      expect(await book.collection.hasServerCards()).toBe(false);
      expect((await book.rows()).map((r) => fnOf(r.vcard))).toEqual(['New Here']);
    });

    it('the ETags of some hrefs: those of them here, none for a contact made here or an href never here, a card gone no more', async () => {
      await book.create(card('n', 'New Here'));
      await synced('a', 'Ada');
      await synced('b', 'Bob');
      expect([...(await book.collection.etagsOf(['/book/a.vcf', '/book/never.vcf', '/book/a.vcf', '']))]).toEqual([['/book/a.vcf', '"a-1"']]);
      expect([...(await book.collection.etagsOf([]))]).toEqual([]);
      await book.collection.applyRemote({ upserts: [], deletes: ['/book/a.vcf'], state: { syncToken: 't2', ctag: null } });
      expect([...(await book.collection.etagsOf(['/book/a.vcf', '/book/b.vcf']))]).toEqual([['/book/b.vcf', '"b-1"']]);
    });

    it('a batch with nothing in it saves the state alone, and the next one saves a new one', async () => {
      await synced('a', 'Ada');
      await book.collection.applyRemote({ upserts: [], deletes: [], state: { syncToken: 't1', ctag: null, capabilities: { syncCollection: true, addMember: null, checkedAt: 5 } } });
      expect(await book.collection.state()).toMatchObject({ syncToken: 't1', capabilities: { checkedAt: 5 } });
      await book.collection.applyRemote({ upserts: [], deletes: [], state: { syncToken: 't1', ctag: null, capabilities: { syncCollection: true, addMember: null, checkedAt: 5 } } });
      await book.collection.applyRemote({ upserts: [], deletes: [], state: { syncToken: 't2', ctag: 'c', capabilities: { syncCollection: true, addMember: null, checkedAt: 9 } } });
      expect(await book.collection.state()).toMatchObject({ syncToken: 't2', ctag: 'c', capabilities: { checkedAt: 9 } });
      expect((await book.rows()).map((r) => fnOf(r.vcard))).toEqual(['Ada']);
    });

    it('a server card that cannot be read is left out and answered: the others and the state are applied, what was here stays', async () => {
      const id = await synced('k', 'Kept');
      const unreadable = await book.collection.applyRemote({
        upserts: [remote('/book/k.vcf', '"k-2"', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:k\r\nFN:Cut Short\r\nthis line has no colon\r\n'), remote('/book/x.vcf', '"x-1"', 'not a vcard at all'), remote('/book/g.vcf', '"g-1"', card('g', 'Good'))],
        deletes: [],
        state: { syncToken: 't1', ctag: null },
      });
      expect([...unreadable].sort()).toEqual(['/book/k.vcf', '/book/x.vcf']);
      expect(await book.collection.state()).toMatchObject({ syncToken: 't1' });
      const rows = await book.rows();
      expect(rows.map((r) => fnOf(r.vcard)).sort()).toEqual(['Good', 'Kept']);
      expect(rows.find((r) => r.id === id)?.href).toBe('/book/k.vcf');
      // The card here keeps its old ETag, so a full listing asks for the server's again.
      expect((await book.collection.knownEtags()).get('/book/k.vcf')).toBe('"k-1"');
    });

    it('a card the host’s reader derived is taken as it came; a malformed derived card refuses the whole batch, nothing applied', async () => {
      const dee = card('d', 'Dee');
      await book.collection.applyRemote({ upserts: [{ ...remote('/book/d.vcf', '"d-1"', dee), derived: derivedCard(dee)! }], deletes: [], state: { syncToken: 't1', ctag: null } });
      expect((await book.rows()).map((r) => fnOf(r.vcard))).toEqual(['Dee']);
      const refused = await book.collection
        .applyRemote({
          upserts: [remote('/book/e.vcf', '"e-1"', card('e', 'Eve')), { ...remote('/book/f.vcf', '"f-1"', card('f', 'Fay')), derived: { fields: {} } as unknown as DerivedCard }],
          deletes: ['/book/d.vcf'],
          state: { syncToken: 't2', ctag: null },
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(refused).toBeInstanceOf(TypeError);
      expect((await book.rows()).map((r) => fnOf(r.vcard))).toEqual(['Dee']);
      expect(await book.collection.state()).toMatchObject({ syncToken: 't1' });
    });

    it('an upload is remembered as written, across a reopen, until the next state is saved', async () => {
      await book.collection.applyRemote({ upserts: [], deletes: [], state: { syncToken: 't1', ctag: null } });
      const id = await book.create(card('w', 'Wren'));
      const [p] = await book.collection.pending();
      await book.collection.uploaded(id, remote('/book/w.vcf', '"w-1"', card('w', 'Wren')), p!.revision);
      await book.reopen();
      expect(await book.collection.state()).toMatchObject({ syncToken: 't1', written: ['/book/w.vcf'] });
      await book.collection.applyRemote({ upserts: [], deletes: [], state: { syncToken: 't2', ctag: null } });
      expect((await book.collection.state()).written ?? []).toEqual([]);
    });

    it('every local write moves the revision on, and the queue says which one it read', async () => {
      const id = await synced('r', 'Rev');
      await book.edit(id, card('r', 'Rev One'));
      const first = (await pendingOf(id))!.revision;
      await book.edit(id, card('r', 'Rev Two'));
      const second = (await pendingOf(id))!.revision;
      expect(second).toBeGreaterThan(first);
      const undo = await book.remove(id);
      expect((await pendingOf(id))!.revision).toBeGreaterThan(second);
      await undo();
      expect((await pendingOf(id))!.revision).toBeGreaterThan(second + 1);
    });

    it('a server change does not overwrite an edit waiting to go up', async () => {
      const id = await synced('w', 'Wait');
      await book.edit(id, card('w', 'Wait Local'));
      await book.collection.applyRemote({ upserts: [remote('/book/w.vcf', '"w-2"', card('w', 'Wait Server'))], deletes: [] });
      expect(fnOf((await book.row(id))!.vcard)).toBe('Wait Local');
      expect((await book.row(id))!.pending).toBe('updated');
    });

    it('a server deletion of a card edited here keeps the edit as a new create; of a clean or deleted one, the row goes', async () => {
      const edited = await synced('e', 'Edited');
      const clean = await synced('c', 'Clean');
      const deleted = await synced('d', 'Deleted');
      await book.edit(edited, card('e', 'Edited Here'));
      await book.remove(deleted);
      await book.collection.applyRemote({ upserts: [], deletes: ['/book/e.vcf', '/book/c.vcf', '/book/d.vcf'] });
      expect(await book.row(edited)).toMatchObject({ pending: 'created', href: '', visible: true });
      expect(await book.row(clean)).toBeUndefined();
      expect(await book.row(deleted)).toBeUndefined();
    });

    it('an upload that landed: the row is the server’s version, clean', async () => {
      const id = await synced('u', 'Up');
      await book.edit(id, card('u', 'Up Edited'));
      const sent = (await pendingOf(id))!;
      await book.collection.uploaded(id, remote('/book/u.vcf', '"u-2"', card('u', 'Up Edited', 'REV:server\r\n')), sent.revision);
      expect(await book.row(id)).toMatchObject({ pending: '', etag: '"u-2"', visible: true });
      expect((await book.row(id))!.vcard).toContain('REV:server');
      expect(await pendingOf(id)).toBeUndefined();
    });

    it('a save made while its upload was under way is kept, pending, with the server’s version as its base', async () => {
      const id = await synced('s', 'Save');
      await book.edit(id, card('s', 'Save One'));
      const sent = (await pendingOf(id))!;
      await book.edit(id, card('s', 'Save Two')); // the user saves again; the upload of "One" is on its way
      await book.collection.uploaded(id, remote('/book/s.vcf', '"s-2"', card('s', 'Save One')), sent.revision);
      const row = (await book.row(id))!;
      expect(fnOf(row.vcard)).toBe('Save Two');
      expect(row).toMatchObject({ pending: 'updated', etag: '"s-2"', href: '/book/s.vcf' });
      expect(fnOf(row.base)).toBe('Save One');
      expect(await pendingOf(id)).toMatchObject({ etag: '"s-2"' });
    });

    it('a new card saved again during its first upload: pending as an edit of the card now on the server', async () => {
      const id = await book.create(card('n', 'New One'));
      const sent = (await pendingOf(id))!;
      await book.collection.attempting([{ id: id, revision: (await pendingOf(id))!.revision }]);
      await book.edit(id, card('n', 'New Two'));
      await book.collection.uploaded(id, remote('/book/n.vcf', '"n-1"', card('n', 'New One')), sent.revision);
      expect(await book.row(id)).toMatchObject({ pending: 'updated', href: '/book/n.vcf', etag: '"n-1"' });
      expect(fnOf((await book.row(id))!.vcard)).toBe('New Two');
    });

    it('a new card deleted during its first upload stays a deletion for the server, hidden', async () => {
      const id = await book.create(card('x', 'Gone Soon'));
      const sent = (await pendingOf(id))!;
      await book.collection.attempting([{ id: id, revision: (await pendingOf(id))!.revision }]);
      await book.remove(id);
      await book.collection.uploaded(id, remote('/book/x.vcf', '"x-1"', card('x', 'Gone Soon')), sent.revision);
      expect(await book.row(id)).toMatchObject({ pending: 'deleted', href: '/book/x.vcf', visible: false });
      expect(await pendingOf(id)).toMatchObject({ pending: 'deleted', href: '/book/x.vcf' });
    });

    it('a new card never sent goes at once when deleted; one already sent waits for the server', async () => {
      const never = await book.create(card('a1', 'Never Sent'));
      const sentOnce = await book.create(card('a2', 'Sent Once'));
      await book.collection.attempting([{ id: sentOnce, revision: (await pendingOf(sentOnce))!.revision }]);
      await book.remove(never);
      await book.remove(sentOnce);
      expect(await book.row(never)).toBeUndefined();
      expect(await book.row(sentOnce)).toMatchObject({ pending: 'deleted', attempted: true, visible: false });
    });

    it('a new card deleted after the engine read it but before it was marked as sent: its upload lands as a deletion for the server, hidden', async () => {
      const id = await book.create(card('race', 'Raced Delete'));
      const sent = (await pendingOf(id))!;
      await book.remove(id); // never marked as sent: the row goes at once
      // The mark says it is gone, so the engine does not send it (seed 15000165: sent anyway and
      // killed before the answer, it was on the server with nothing here knowing it).
      expect(await book.collection.attempting([{ id, revision: sent.revision }])).toEqual([id]);
      await book.collection.uploaded(id, remote('/book/race.vcf', '"race-1"', card('race', 'Raced Delete')), sent.revision);
      expect(await book.row(id)).toMatchObject({ pending: 'deleted', href: '/book/race.vcf', visible: false });
      expect((await book.collection.pending({ retryRefused: false })).map((c) => [c.id, c.pending])).toEqual([[id, 'deleted']]);
    });

    it('one row per href: an upload landing where a clean copy came down replaces it', async () => {
      const id = await book.create(card('h', 'Here'));
      const sent = (await pendingOf(id))!;
      await book.collection.applyRemote({ upserts: [remote('/book/h.vcf', '"h-1"', card('h', 'Here'))], deletes: [] });
      await book.collection.uploaded(id, remote('/book/h.vcf', '"h-1"', card('h', 'Here')), sent.revision);
      const rows = await book.rows();
      expect(rows.filter((r) => r.href === '/book/h.vcf').map((r) => r.id)).toEqual([id]);
      expect(rows).toHaveLength(1);
    });

    it('a deletion that reached the server removes the row; one undone meanwhile comes back as a new card', async () => {
      const a = await synced('da', 'Delete A');
      const b = await synced('db', 'Delete B');
      await book.remove(a);
      const undo = await book.remove(b);
      const sentA = (await pendingOf(a))!;
      const sentB = (await pendingOf(b))!;
      await undo();
      await book.collection.deleted(a, sentA.revision);
      await book.collection.deleted(b, sentB.revision);
      expect(await book.row(a)).toBeUndefined();
      expect(await book.row(b)).toMatchObject({ pending: 'created', href: '', visible: true });
    });

    it('a deletion refused because the card changed there: the server’s version comes back, visible and clean', async () => {
      const id = await synced('rs', 'Restore');
      await book.remove(id);
      const sent = (await pendingOf(id))!;
      await book.collection.restored(id, remote('/book/rs.vcf', '"rs-2"', card('rs', 'Restore', 'NOTE:edited there\r\n')), sent.revision);
      expect(await book.row(id)).toMatchObject({ pending: '', visible: true, etag: '"rs-2"' });
      expect((await book.row(id))!.vcard).toContain('NOTE:edited there');
      expect(await book.collection.pending()).toEqual([]);
    });

    it('an undo after the deletion was refused and the server’s version came back: it stays as it came back', async () => {
      const id = await synced('ub', 'Undo Back');
      const undo = await book.remove(id);
      const sent = (await pendingOf(id))!;
      await book.collection.restored(id, remote('/book/ub.vcf', '"ub-2"', card('ub', 'Undo Back', 'NOTE:newer\r\n')), sent.revision);
      await undo();
      expect(await book.row(id)).toMatchObject({ pending: '', etag: '"ub-2"', visible: true });
      expect((await book.row(id))!.vcard).toContain('NOTE:newer');
    });

    it('a refused card is marked and waits until it changes or the user asks', async () => {
      const id = await book.create(card('big', 'Big'));
      const sent = (await pendingOf(id))!;
      await book.collection.failed(id, '413 from the server', sent.revision);
      expect(await book.row(id)).toMatchObject({ error: '413 from the server', pending: 'created', visible: true });
      expect(await pendingOf(id)).toBeUndefined();
      expect((await book.collection.pending({ retryRefused: true })).map((c) => c.id)).toEqual([id]);
      await book.edit(id, card('big', 'Big Smaller'));
      expect(await pendingOf(id)).toBeDefined();
      expect((await book.row(id))!.error).toBeUndefined();
    });

    it('a refusal of a version the user has changed since is not recorded', async () => {
      const id = await book.create(card('rf', 'Refused'));
      const sent = (await pendingOf(id))!;
      await book.edit(id, card('rf', 'Refused Fixed'));
      await book.collection.failed(id, '400', sent.revision);
      expect((await book.row(id))!.error).toBeUndefined();
      expect(await pendingOf(id)).toBeDefined();
    });

    it('a conflict waits for the user: not sent, not overwritten; a deletion of it is sent', async () => {
      const id = await synced('cf', 'Conflict');
      await book.edit(id, card('cf', 'Conflict', 'TITLE:Here\r\n'));
      const sent = (await pendingOf(id))!;
      const conflicts = [{ property: 'TITLE', base: null, local: ['TITLE:Here'], remote: ['TITLE:There'] }];
      await book.collection.conflicted(id, card('cf', 'Conflict', 'TITLE:Here\r\n'), remote('/book/cf.vcf', '"cf-2"', card('cf', 'Conflict', 'TITLE:There\r\n')), conflicts, sent.revision);
      expect(await book.row(id)).toMatchObject({ pending: 'updated', etag: '"cf-2"', conflicts });
      expect(await pendingOf(id)).toBeUndefined();
      await book.collection.applyRemote({ upserts: [remote('/book/cf.vcf', '"cf-3"', card('cf', 'Conflict', 'TITLE:Again\r\n'))], deletes: [] });
      expect((await book.row(id))!.vcard).toContain('TITLE:Here');
      await book.remove(id);
      expect(await pendingOf(id)).toMatchObject({ pending: 'deleted' });
    });

    it('a card in conflict that the server deletes: the conflict is over, the edit here goes up as a new card', async () => {
      const id = await synced('cd', 'Conflict Deleted');
      await book.edit(id, card('cd', 'Conflict Deleted', 'TITLE:Here\r\n'));
      const sent = (await pendingOf(id))!;
      await book.collection.conflicted(id, card('cd', 'Conflict Deleted', 'TITLE:Here\r\n'), remote('/book/cd.vcf', '"cd-2"', card('cd', 'Conflict Deleted', 'TITLE:There\r\n')), [{ property: 'TITLE', base: null, local: ['TITLE:Here'], remote: ['TITLE:There'] }], sent.revision);
      await book.collection.applyRemote({ upserts: [], deletes: ['/book/cd.vcf'] });
      const row = (await book.row(id))!;
      expect(row).toMatchObject({ pending: 'created', href: '', visible: true });
      expect(row.conflicts).toBeUndefined();
      expect(row.vcard).toContain('TITLE:Here');
      expect(await pendingOf(id)).toBeDefined();
    });

    it('a card in conflict, deleted here and undone while its deletion finds it gone there: it stays as a new card, the conflict over', async () => {
      const id = await synced('cu', 'Conflict Undone');
      await book.edit(id, card('cu', 'Conflict Undone', 'TITLE:Here\r\n'));
      const sent = (await pendingOf(id))!;
      await book.collection.conflicted(id, card('cu', 'Conflict Undone', 'TITLE:Here\r\n'), remote('/book/cu.vcf', '"cu-2"', card('cu', 'Conflict Undone', 'TITLE:There\r\n')), [{ property: 'TITLE', base: null, local: ['TITLE:Here'], remote: ['TITLE:There'] }], sent.revision);
      const undo = await book.remove(id);
      const deleting = (await pendingOf(id))!;
      await undo();
      await book.collection.deleted(id, deleting.revision);
      const row = (await book.row(id))!;
      expect(row).toMatchObject({ pending: 'created', href: '', visible: true });
      expect(row.conflicts).toBeUndefined();
      expect(row.vcard).toContain('TITLE:Here');
      expect(await pendingOf(id)).toBeDefined();
    });

    it('a card in conflict, deleted (the deletion went through) and then undone: back as a new card, without the conflict', async () => {
      const id = await synced('cz', 'Conflict Back');
      await book.edit(id, card('cz', 'Conflict Back', 'TITLE:Here\r\n'));
      const sent = (await pendingOf(id))!;
      await book.collection.conflicted(id, card('cz', 'Conflict Back', 'TITLE:Here\r\n'), remote('/book/cz.vcf', '"cz-2"', card('cz', 'Conflict Back', 'TITLE:There\r\n')), [{ property: 'TITLE', base: null, local: ['TITLE:Here'], remote: ['TITLE:There'] }], sent.revision);
      const undo = await book.remove(id);
      await book.collection.deleted(id, (await pendingOf(id))!.revision);
      expect(await book.row(id)).toBeUndefined();
      await undo();
      const row = (await book.row(id))!;
      expect(row).toMatchObject({ pending: 'created', href: '', visible: true });
      expect(row.conflicts).toBeUndefined();
      expect(row.vcard).toContain('TITLE:Here');
      expect(await pendingOf(id)).toBeDefined();
    });

    it('a card in conflict edited again: settling it with this computer’s side keeps the later edit, once', async () => {
      const id = await synced('ce', 'Conflict Edited');
      await book.edit(id, card('ce', 'Conflict Edited', 'NOTE:first\r\n'));
      const sent = (await pendingOf(id))!;
      await book.collection.conflicted(id, card('ce', 'Conflict Edited', 'NOTE:first\r\n'), remote('/book/ce.vcf', '"ce-2"', card('ce', 'Conflict Edited', 'NOTE:there\r\n')), [{ property: 'NOTE', base: null, local: ['NOTE:first'], remote: ['NOTE:there'] }], sent.revision);
      await book.edit(id, card('ce', 'Conflict Edited', 'NOTE:second\r\n'));
      expect((await book.row(id))!.conflicts).toEqual([expect.objectContaining({ local: ['NOTE:second'], remote: ['NOTE:there'] })]);
      await book.resolve(id, 'local');
      const settled = (await book.row(id))!.vcard;
      expect(settled.match(/^NOTE:/gm)).toHaveLength(1);
      expect(settled).toContain('NOTE:second');
    });

    it('a card in conflict on one e-mail address that gains another (a merge): settling with the server’s side replaces that address only', async () => {
      const id = await synced('cm', 'Conflict Merged');
      await book.edit(id, card('cm', 'Conflict Merged', 'EMAIL:here@example.org\r\n'));
      const sent = (await pendingOf(id))!;
      await book.collection.conflicted(id, card('cm', 'Conflict Merged', 'EMAIL:here@example.org\r\n'), remote('/book/cm.vcf', '"cm-2"', card('cm', 'Conflict Merged', 'EMAIL:there@example.org\r\n')), [{ property: 'EMAIL', base: null, local: ['EMAIL:here@example.org'], remote: ['EMAIL:there@example.org'] }], sent.revision);
      // The review screen merges another card into it: its address joins, the conflicted one stays.
      await book.edit(id, card('cm', 'Conflict Merged', 'EMAIL:here@example.org\r\nEMAIL:joined@example.org\r\nNOTE:merged\r\n'));
      expect((await book.row(id))!.conflicts).toEqual([expect.objectContaining({ local: ['EMAIL:here@example.org'], remote: ['EMAIL:there@example.org'] })]);
      await book.resolve(id, 'remote');
      const settled = (await book.row(id))!.vcard;
      expect(settled).toContain('EMAIL:there@example.org');
      expect(settled).toContain('EMAIL:joined@example.org');
      expect(settled).not.toContain('EMAIL:here@example.org');
    });

    it('a card in conflict on one e-mail address whose address is then changed here: the new address is this computer’s side, the others stay out of it', async () => {
      const id = await synced('cc', 'Conflict Changed');
      await book.edit(id, card('cc', 'Conflict Changed', 'EMAIL:here@example.org\r\nEMAIL:home@example.org\r\n'));
      const sent = (await pendingOf(id))!;
      await book.collection.conflicted(id, card('cc', 'Conflict Changed', 'EMAIL:here@example.org\r\nEMAIL:home@example.org\r\n'), remote('/book/cc.vcf', '"cc-2"', card('cc', 'Conflict Changed', 'EMAIL:there@example.org\r\n')), [{ property: 'EMAIL', base: null, local: ['EMAIL:here@example.org'], remote: ['EMAIL:there@example.org'] }], sent.revision);
      await book.edit(id, card('cc', 'Conflict Changed', 'EMAIL:later@example.org\r\nEMAIL:home@example.org\r\n'));
      expect((await book.row(id))!.conflicts).toEqual([expect.objectContaining({ local: ['EMAIL:later@example.org'] })]);
      await book.resolve(id, 'remote');
      const settled = (await book.row(id))!.vcard;
      expect(settled.match(/^EMAIL:/gm)).toHaveLength(2);
      expect(settled).toContain('EMAIL:there@example.org');
      expect(settled).toContain('EMAIL:home@example.org');
    });

    it('a conflict found for a version the user has changed since is not recorded', async () => {
      const id = await synced('cs', 'Conflict Stale');
      await book.edit(id, card('cs', 'Conflict Stale', 'TITLE:One\r\n'));
      const sent = (await pendingOf(id))!;
      await book.edit(id, card('cs', 'Conflict Stale', 'TITLE:Two\r\n'));
      await book.collection.conflicted(id, card('cs', 'Conflict Stale', 'TITLE:One\r\n'), remote('/book/cs.vcf', '"cs-2"', card('cs', 'Conflict Stale', 'TITLE:X\r\n')), [{ property: 'TITLE', base: null, local: ['TITLE:One'], remote: ['TITLE:X'] }], sent.revision);
      expect((await book.row(id))!.conflicts).toBeUndefined();
      expect((await book.row(id))!.vcard).toContain('TITLE:Two');
    });

    it('properties the server does not store stay on this computer', async () => {
      const id = await synced('k', 'Keep');
      await book.edit(id, card('k', 'Keep', 'CATEGORIES:Friends\r\n'));
      const sent = (await pendingOf(id))!;
      await book.collection.uploaded(id, remote('/book/k.vcf', '"k-2"', card('k', 'Keep', 'CATEGORIES:Friends\r\n')), sent.revision);
      await book.collection.applyRemote({ upserts: [remote('/book/k.vcf', '"k-3"', card('k', 'Keep', 'NOTE:from there\r\n'))], deletes: [], keepLocal: ['CATEGORIES'] });
      const row = (await book.row(id))!;
      expect(row.vcard).toContain('CATEGORIES:Friends');
      expect(row.vcard).toContain('NOTE:from there');
    });

    it('the server’s own representation is kept beside the card, through a local edit', async () => {
      await book.collection.applyRemote({ upserts: [{ ...remote('/book/g.vcf', '"g-1"', card('g', 'Entry')), source: '<entry>as received</entry>' }], deletes: [] });
      const id = (await book.rows())[0]!.id;
      await book.edit(id, card('g', 'Entry Edited'));
      expect(await pendingOf(id)).toMatchObject({ source: '<entry>as received</entry>', etag: '"g-1"' });
    });

    it('what was written is there after the page comes back', async () => {
      const id = await book.create(card('p', 'Persisted'));
      await book.collection.attempting([{ id: id, revision: (await pendingOf(id))!.revision }]);
      await book.reopen();
      expect(await pendingOf(id)).toMatchObject({ pending: 'created', attempted: true });
    });
  });
}
