/**
 * Groups on the four real servers (Radicale, Xandikos, SabreDAV, DAViCal): both group-card forms
 * and CATEGORIES stored on the server read back as the same groups after a full resync; a group
 * made here (in each storage) reads back as made; a group card changed on the server and here at
 * once merges both member changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMembers,
  createGroup,
  listGroups,
  mergeCards,
  readCardFactsText,
  removeMembers,
  renameGroup,
  resolveSetting,
  type BookGroupSetting,
  type GroupBook,
  type GroupChange,
  type GroupStorage,
} from '../../shared/groups';
import { merge, parseVCard, serializeVCard } from '../../shared/vcard';
import { CardDavClient } from '../../electron/dav/client';
import { DavHttp } from '../../electron/dav/http';
import { SERVERS, type TestServer } from '../servers/servers';

const v3 = (uid: string, fn: string, ...more: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, `N:${fn};;;;`, ...more, 'END:VCARD', ''].join('\r\n');
const apple = (uid: string, name: string, members: string[]) =>
  ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//AddressBook 6.1//EN', `N:${name}`, `FN:${name}`, 'X-ADDRESSBOOKSERVER-KIND:group', ...members.map((m) => `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${m}`), `UID:${uid}`, 'END:VCARD', ''].join('\r\n');
const vcard4 = (uid: string, name: string, members: string[]) =>
  ['BEGIN:VCARD', 'VERSION:4.0', `UID:urn:uuid:${uid}`, 'KIND:group', `FN:${name}`, ...members.map((m) => `MEMBER:urn:uuid:${m}`), 'END:VCARD', ''].join('\r\n');

/** A server book read in full into a group book: card ids are hrefs. */
async function readBook(client: CardDavClient, url: string, setting: BookGroupSetting): Promise<{ book: GroupBook; etags: Map<string, string> }> {
  const hrefs = (await client.listEtags(url)).map((e) => e.href);
  const texts = new Map<string, string>();
  const etags = new Map<string, string>();
  for (let i = 0; i < hrefs.length; i += 100) {
    for (const c of (await client.multiget(url, hrefs.slice(i, i + 100))).cards) {
      texts.set(c.href, c.vcard);
      etags.set(c.href, c.etag);
    }
  }
  const ids = [...texts.keys()].sort();
  return { book: { setting, cards: ids.map((id) => readCardFactsText(id, texts.get(id)!)), vcard: (id) => texts.get(id) }, etags };
}

/** Groups by name → their members' UIDs, the same whatever the ids. */
function groupsByUid(book: GroupBook): Record<string, string[]> {
  const uid = new Map(book.cards.map((c) => [c.id, c.uid.replace(/^urn:uuid:/i, '').toLowerCase()]));
  return Object.fromEntries(listGroups(book).map((g) => [g.name, g.memberIds.map((m) => uid.get(m)!).sort()]));
}

/** Send a group action's writes to the server as the sync's upload would (If-Match, new hrefs). */
async function upload(client: CardDavClient, url: string, changes: readonly GroupChange[], etags: Map<string, string>): Promise<void> {
  for (const c of changes) {
    if (c.kind === 'update-card') await client.put(new URL(c.id, url).href, c.vcard, { ifMatch: etags.get(c.id)! });
    else if (c.kind === 'create-card') await client.put(new URL(`${c.uid}.vcf`, url).href, c.vcard, { ifNoneMatch: '*' });
    else if (c.kind === 'delete-card') await client.delete(new URL(c.id, url).href, etags.get(c.id) ?? null);
  }
}

for (const [name, start] of SERVERS) {
  describe(`groups on ${name}`, () => {
    let server: TestServer;
    let client: CardDavClient;
    /** A fresh address book of its own for each scenario, made as each server takes it. */
    const freshBook = (): Promise<string> => server.newBook();

    beforeAll(async () => {
      server = await start();
      client = new CardDavClient(new DavHttp({ auth: server.password === '' ? { kind: 'none' } : { kind: 'basic', user: server.user, password: server.password } }));
    });
    afterAll(() => server.stop());

    it('holds both group-card forms and CATEGORIES, and lists the same groups and members after a full resync', async () => {
      const book = await freshBook();
      const cards: [string, string][] = [
        ['ada.vcf', v3('AAAA-1', 'Ada', 'CATEGORIES:Chess,Family')],
        ['bob.vcf', v3('bbbb-2', 'Bob')],
        ['cy.vcf', v3('cccc-3', 'Cy', 'CATEGORIES:Chess')],
        ['friends.vcf', apple('G-APPLE', 'Friends', ['aaaa-1', 'BBBB-2'])],
        ['team.vcf', vcard4('g-v4', 'Team', ['bbbb-2', 'cccc-3', 'dddd-missing'])],
      ];
      for (const [file, text] of cards) await client.put(new URL(file, book).href, text, { ifNoneMatch: '*' });
      const here: GroupBook = { setting: { storage: 'apple-cards', decidedBy: 'cards', empty: [] }, cards: cards.map(([f, t]) => readCardFactsText(f, t)), vcard: (id) => cards.find(([f]) => f === id)?.[1] };
      const { book: there } = await readBook(client, book, here.setting);
      expect(groupsByUid(there)).toEqual({ Chess: ['aaaa-1', 'cccc-3'], Family: ['aaaa-1'], Friends: ['aaaa-1', 'bbbb-2'], Team: ['bbbb-2', 'cccc-3'] });
      expect(groupsByUid(there)).toEqual(groupsByUid(here));
      const team = listGroups(there).find((g) => g.name === 'Team')!;
      expect(team.card?.form).toBe('vcard4');
      expect(team.external).toBe(1); // the member the book does not hold is still named
      // Read from the server's cards, the book is one of group cards, whatever its server's default.
      expect(resolveSetting(null, there.cards, { account: 'carddav', url: book })).toEqual({ storage: 'apple-cards', decidedBy: 'cards', empty: [] });
    });

    it.each<GroupStorage>(['categories', 'apple-cards', 'vcard4-cards'])('a group made here kept as %s reads back as made after a full resync', async (storage) => {
      const url = await freshBook();
      for (const who of ['ada', 'bob', 'cy', 'dan']) await client.put(new URL(`${who}.vcf`, url).href, v3(`uid-${who}`, who), { ifNoneMatch: '*' });
      const setting: BookGroupSetting = { storage, decidedBy: 'server', empty: [] };
      let { book: b, etags } = await readBook(client, url, setting);
      const made = createGroup(b, 'Climbing', 'climbing-group');
      await upload(client, url, made.changes, etags);
      ({ book: b, etags } = await readBook(client, url, setting));
      // A CATEGORIES group with no member is remembered here only.
      const key = storage === 'categories' ? made.key : listGroups(b).find((g) => g.name === 'Climbing')!.key;
      const ids = b.cards.filter((c) => c.group === null && c.uid !== 'uid-dan').map((c) => c.id);
      const bookWithSetting: GroupBook = storage === 'categories' ? { ...b, setting: { ...setting, empty: ['Climbing'] } } : b;
      await upload(client, url, addMembers(bookWithSetting, key, ids, () => 'unused'), etags);
      ({ book: b, etags } = await readBook(client, url, setting));
      await upload(client, url, renameGroup(b, listGroups(b)[0]!.key, 'Bouldering'), etags);
      ({ book: b, etags } = await readBook(client, url, setting));
      await upload(client, url, removeMembers(b, listGroups(b)[0]!.key, [b.cards.find((c) => c.uid === 'uid-bob')!.id]), etags);
      ({ book: b } = await readBook(client, url, setting));
      expect(groupsByUid(b)).toEqual({ Bouldering: ['uid-ada', 'uid-cy'] });
      expect(b.cards.filter((c) => c.group === null)).toHaveLength(4);
    });

    it('a group card changed on the server and here at once keeps both member changes', async () => {
      const url = await freshBook();
      for (const who of ['ada', 'bob', 'cy', 'dan']) await client.put(new URL(`${who}.vcf`, url).href, v3(`uid-${who}`, who), { ifNoneMatch: '*' });
      await client.put(new URL('g.vcf', url).href, apple('G1', 'Band', ['uid-ada', 'uid-bob']), { ifNoneMatch: '*' });
      const setting: BookGroupSetting = { storage: 'apple-cards', decidedBy: 'cards', empty: [] };
      const { book: b } = await readBook(client, url, setting);
      const href = listGroups(b)[0]!.card!.id;
      const base = b.vcard(href)!;
      // Another client swaps Bob for Dan.
      const theirs = (await client.multiget(url, [href])).cards[0]!;
      await client.put(new URL(href, url).href, theirs.vcard.replace(/urn:uuid:uid-bob/i, 'urn:uuid:uid-dan'), { ifMatch: theirs.etag });
      // Here Bob goes too, and Cy comes in; the upload finds the ETag moved and merges three ways.
      const key = listGroups(b)[0]!.key;
      const id = (uid: string) => b.cards.find((c) => c.uid === uid)!.id;
      const out = removeMembers(b, key, [id('uid-bob')])[0] as Extract<GroupChange, { kind: 'update-card' }>;
      const mine = (addMembers({ ...b, vcard: (x) => (x === href ? out.vcard : b.vcard(x)) }, key, [id('uid-cy')], () => 'unused')[0] as Extract<GroupChange, { kind: 'update-card' }>).vcard;
      const now = (await client.multiget(url, [href])).cards[0]!;
      expect(merge(parseVCard(base), parseVCard(mine), parseVCard(now.vcard)).conflicts).not.toEqual([]); // the vCard merge would ask
      const merged = mergeCards(base, mine, now.vcard);
      expect(merged.conflicts).toEqual([]);
      await client.put(new URL(href, url).href, serializeVCard(merged.card), { ifMatch: now.etag });
      const { book: after } = await readBook(client, url, setting);
      expect(groupsByUid(after)).toEqual({ Band: ['uid-ada', 'uid-cy', 'uid-dan'] });
    });
  });
}
