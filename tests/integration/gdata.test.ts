/**
 * Domain Shared Contacts against the fake of the API (tests/servers/fake-google.ts, written from
 * Google's pages, seeds 002–004): paging, incremental sync, edits that keep what Cardinal does not
 * model, stale ETags, deletes, photos, the 30-day gap, a busy server, a non-administrator.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DavHttp } from '../../electron/dav/http';
import { ServiceUnavailable } from '../../electron/dav/errors';
import { GDataClient, GDataRefused } from '../../electron/gdata/client';
import { syncSharedContacts } from '../../electron/gdata/sync';
import { parseVCard, toContact } from '../../shared/vcard';
import { startFakeGoogle, type FakeGoogle } from '../servers/fake-google';
import { MemoryCollection } from './memory-collection';
import { dexieBook } from './local-books';

const M8 = 'https://www.google.com/m8/feeds';
const person = (given: string, family: string, extra = '') =>
  `<gd:name><gd:givenName>${given}</gd:givenName><gd:familyName>${family}</gd:familyName><gd:fullName>${given} ${family}</gd:fullName></gd:name><gd:email rel="http://schemas.google.com/g/2005#work" address="${given.toLowerCase()}@supplier.example"/>${extra}`;

describe('Domain Shared Contacts (fake API)', () => {
  let google: FakeGoogle;
  let client: GDataClient;
  let local: MemoryCollection;
  let clock: number;
  const sync = (o: { allowMassDelete?: boolean } = {}) => syncSharedContacts(client, local, { now: () => clock, ...o });
  const names = () => [...local.cards.values()].map((c) => toContact(parseVCard(c.vcard)).formattedName).sort();

  beforeEach(async () => {
    google = await startFakeGoogle({ domain: 'example.com' });
    const token = google.mintAccessToken(M8);
    client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, maxResponseBytes: 10 * 1024 * 1024 }), `${google.url}/m8/feeds`, 'example.com', 25);
    local = new MemoryCollection();
    clock = Date.now();
  });
  afterEach(() => google.close());

  it('pages through 250 entries at 25 a page, then asks what changed while it listed', async () => {
    for (let i = 0; i < 250; i++) google.sharedPut(`s${String(i).padStart(3, '0')}`, person(`Given${i}`, `Family${i}`));
    await sync();
    expect(local.cards.size).toBe(250);
    const pages = google.log.filter((l) => l.path === '/m8/feeds/contacts/example.com/full' && l.method === 'GET');
    expect(pages).toHaveLength(11);
  });

  it('incremental: another client creates, edits and deletes; only the changes come, deletions (placeholders with only their base id) remove rows', async () => {
    google.sharedPut('a', person('Ada', 'Byron'));
    google.sharedPut('b', person('Bob', 'Kahn'));
    google.sharedPut('c', person('Cerf', 'Vint'));
    await sync();
    google.sharedPut('d', person('Dana', 'Scott'));
    google.sharedPut('a', person('Ada', 'Lovelace'));
    google.sharedDelete('b');
    google.log.length = 0;
    const r = await sync();
    expect(names()).toEqual(['Ada Lovelace', 'Cerf Vint', 'Dana Scott']);
    expect(r).toMatchObject({ downloaded: 2, removedLocally: 1, fullResync: false });
    const asked = google.log.find((l) => l.path.endsWith('/full'));
    expect(asked).toBeDefined();
  });

  it('an edit keeps extended properties and unknown elements byte for byte in what is PUT', async () => {
    const unmodeled = `<gd:extendedProperty name="pet" value="hamster" /><gd:extendedProperty name="cuisine"> <italian /> </gd:extendedProperty><gContact:userDefinedField key="tier" value="gold"/><gContact:somethingNew x="1">kept</gContact:somethingNew>`;
    google.sharedPut('e', person('Emmy', 'Noether', unmodeled));
    await sync();
    const [id, c] = [...local.cards.entries()][0]!;
    local.edit(id, c.vcard.replace(/^TITLE:.*\r?\n/m, '').replace('END:VCARD', 'TITLE:Professor\r\nEND:VCARD'));
    google.log.length = 0;
    await sync();
    // The edit starts from the entry kept as received: one PUT, no GET of the entry first.
    expect(google.log.filter((l) => l.path.endsWith('/full/e') || /\/full\/e\/\d+$/.test(l.path)).map((l) => l.method)).toEqual(['PUT']);
    const put = google.lastPut();
    expect(put).toContain(unmodeled);
    expect(put).toContain('<gd:orgTitle>Professor</gd:orgTitle>');
    expect(google.shared('e')!.children).toContain(unmodeled);
    expect(local.cards.get(id)).toMatchObject({ pending: '' });
  });

  it('a stale ETag: 412 or a changed entry → merged with the server’s change → stored', async () => {
    google.sharedPut('f', person('Felix', 'Klein'));
    await sync();
    const [id, c] = [...local.cards.entries()][0]!;
    // Another client adds a phone; we add a note.
    google.sharedPut('f', person('Felix', 'Klein', '<gd:phoneNumber rel="http://schemas.google.com/g/2005#work">+49 551 0</gd:phoneNumber>'));
    local.edit(id, c.vcard.replace('END:VCARD', 'NOTE:Erlangen programme\r\nEND:VCARD'));
    await sync();
    const stored = google.shared('f')!.children;
    expect(stored).toContain('+49 551 0');
    expect(stored).toContain('Erlangen programme');
    expect(local.cards.get(id)).toMatchObject({ pending: '' });
  });

  it('changed between our GET and our PUT: 412, then fetched again, merged, and stored', async () => {
    google.sharedPut('r', person('Rosalind', 'Franklin'));
    await sync();
    const [id, c] = [...local.cards.entries()][0]!;
    const token = google.mintAccessToken(M8);
    let raced = false;
    const racing: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT' && !raced) {
        raced = true; // another administrator saves right before us
        google.sharedPut('r', person('Rosalind', 'Franklin', '<gd:phoneNumber rel="http://schemas.google.com/g/2005#work">+44 1223 0</gd:phoneNumber>'));
      }
      return fetch(input, init);
    };
    client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: racing }), `${google.url}/m8/feeds`, 'example.com', 25);
    local.edit(id, c.vcard.replace('END:VCARD', 'NOTE:Photo 51\r\nEND:VCARD'));
    await sync();
    expect(google.log.filter((l) => l.method === 'PUT').map((l) => l.status)).toEqual([412, 200]);
    const stored = google.shared('r')!.children;
    expect(stored).toContain('+44 1223 0');
    expect(stored).toContain('Photo 51');
  });

  it('a delete here removes the entry; a delete there removes the row', async () => {
    google.sharedPut('g', person('Gauss', 'Carl'));
    google.sharedPut('h', person('Hilbert', 'David'));
    await sync();
    const [id] = [...local.cards.entries()].find(([, c]) => c.vcard.includes('Gauss'))!;
    local.cards.set(id, { ...local.cards.get(id)!, pending: 'deleted' });
    await sync();
    expect(google.shared('g')!.deleted).toBe(true);
    expect(names()).toEqual(['Hilbert David']);
    // Deleted here while another client deleted it there: done, no error.
    const [hid] = [...local.cards.entries()][0]!;
    local.cards.set(hid, { ...local.cards.get(hid)!, pending: 'deleted' });
    google.sharedDelete('h');
    await sync();
    expect(local.cards.size).toBe(0);
  });

  it('deleted here, edited there (restored), then deleted there before the download: gone, and not reported as restored', async () => {
    google.sharedPut('r', person('Riemann', 'Bernhard'));
    await sync();
    const [id] = [...local.cards.entries()][0]!;
    local.cards.set(id, { ...local.cards.get(id)!, pending: 'deleted' });
    google.sharedPut('r', person('Riemann', 'Bernhard', '<gContact:jot rel="other">zeta</gContact:jot>'));
    const token = google.mintAccessToken(M8);
    let gets = 0;
    const hooked: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      // After the GET that finds it edited, another administrator deletes it.
      if ((init?.method ?? 'GET') === 'GET' && /\/full\/r$/.test(new URL(String(input)).pathname) && gets++ === 0) google.sharedDelete('r');
      return res;
    };
    client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: hooked }), `${google.url}/m8/feeds`, 'example.com', 25);
    expect(await sync()).toMatchObject({ restored: 0 });
    expect(local.cards.size).toBe(0);
  });

  it('photos: set, read and removed, each with If-Match', async () => {
    google.sharedPut('p', person('Pia', 'Photo'));
    const entry = (await client.page(client.firstPage(null))).entries[0]!;
    expect(await client.photo(entry)).toBeNull();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await client.setPhoto(entry, 'image/png', png);
    const withPhoto = await client.get(entry.self!);
    expect(google.shared('p')!.photo).toBe(true);
    expect(await client.photo(withPhoto)).toEqual({ type: 'image/png', bytes: new Uint8Array(png) });
    await expect(client.deletePhoto({ ...withPhoto, photoEtag: '"stale"' })).rejects.toMatchObject({ status: 412 });
    await client.deletePhoto(withPhoto);
    expect(google.shared('p')!.photo).toBe(false);
  });

  it('a photo set and removed in the editor goes to the photo link; the view shows it by its link', async () => {
    google.sharedPut('v', person('Vera', 'Photo'));
    await sync();
    const [id, c] = [...local.cards.entries()][0]!;
    expect(c.vcard).not.toContain('PHOTO');
    local.edit(id, c.vcard.replace('END:VCARD', 'PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=\r\nEND:VCARD'));
    await sync();
    expect(google.shared('v')!.photo).toBe(true);
    const after = local.cards.get(id)!;
    expect(after.vcard).toMatch(/PHOTO;VALUE=uri:http:\/\/127\.0\.0\.1:\d+\/m8\/feeds\/photos\/media\/example\.com\/v/);
    local.edit(id, after.vcard.replace(/^PHOTO.*\r?\n/m, ''));
    await sync();
    expect(google.shared('v')!.photo).toBe(false);
    expect(local.cards.get(id)).toMatchObject({ pending: '' });
  });

  it('after a 31-day gap the run is a full listing: no duplicate, no ghost', async () => {
    google.sharedPut('x', person('Xena', 'Old'));
    google.sharedPut('y', person('Yuri', 'Stay'));
    await sync();
    google.sharedDelete('x');
    google.sharedPut('z', person('Zoe', 'New'));
    google.advance(31 * 86_400_000); // the placeholder for x is gone from the server
    clock += 31 * 86_400_000;
    const fresh = google.mintAccessToken(M8); // the old one expired with the jump
    client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => fresh } }), `${google.url}/m8/feeds`, 'example.com', 25);
    const r = await sync();
    expect(r.fullResync).toBe(true);
    expect(names()).toEqual(['Yuri Stay', 'Zoe New']);
  });

  it('503: the run stops with a soft error that says when to retry; nothing local changes', async () => {
    google.sharedPut('q', person('Quinn', 'Busy'));
    await sync();
    const before = JSON.stringify([...local.cards.values()]);
    google.failNext(1, 90);
    await expect(sync()).rejects.toSatisfy((e: unknown) => e instanceof ServiceUnavailable && e.retryAfter === 90);
    expect(JSON.stringify([...local.cards.values()])).toBe(before);
    await sync();
  });

  it('a token of someone who is not an administrator: a clear error, nothing lost locally', async () => {
    google.sharedPut('n', person('Nora', 'Admin'));
    await sync();
    const [id, c] = [...local.cards.entries()][0]!;
    local.edit(id, c.vcard.replace('END:VCARD', 'NOTE:pending\r\nEND:VCARD'));
    const token = google.mintAccessToken(M8, 'someone@example.com');
    client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token } }), `${google.url}/m8/feeds`, 'example.com', 25);
    await expect(sync()).rejects.toSatisfy((e: unknown) => e instanceof GDataRefused && e.code === 'not-admin' && /Only administrators of example\.com/.test(e.message));
    expect(local.cards.get(id)).toMatchObject({ pending: 'updated' });
    expect(local.cards.get(id)!.vcard).toContain('NOTE:pending');
  });

  it('an unknown domain is said in words', async () => {
    const token = google.mintAccessToken(M8);
    client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token } }), `${google.url}/m8/feeds`, 'nowhere.example', 25);
    await expect(sync()).rejects.toMatchObject({ code: 'unknown-domain' });
  });

  it('another administrator deletes while the first listing pages through: no entry is skipped', async () => {
    for (let i = 0; i < 60; i++) google.sharedPut(`p${String(i).padStart(2, '0')}`, person(`Page${i}`, `Person${i}`));
    let deleted = false;
    google.beforeRequest = (r) => {
      // Between the first and the second page, an entry of the first page goes: every later entry moves up one place.
      if (r.method === 'GET' && r.query.get('start-index') === '26' && !deleted) {
        deleted = true;
        google.sharedDelete('p03');
      }
    };
    await sync();
    google.beforeRequest = null;
    expect(deleted).toBe(true);
    expect(local.cards.size).toBe(59);
    expect(names()).not.toContain('Page3 Person3');
    await sync();
    expect(local.cards.size).toBe(59);
  });

  it('both sides add a job title where there was none: a conflict for the user, nothing dropped', async () => {
    google.sharedPut('t', person('Tove', 'Jansson'));
    await sync();
    const [id, c] = [...local.cards.entries()][0]!;
    google.sharedPut('t', person('Tove', 'Jansson', '<gd:organization rel="http://schemas.google.com/g/2005#work"><gd:orgTitle>Illustrator</gd:orgTitle></gd:organization>'));
    local.edit(id, c.vcard.replace('END:VCARD', 'TITLE:Author\r\nEND:VCARD'));
    const r = await sync();
    expect(r.conflicts).toBe(1);
    expect(google.shared('t')!.children).toContain('Illustrator');
    expect(local.cards.get(id)!.conflicts).toEqual([expect.objectContaining({ property: 'TITLE', local: ['TITLE:Author'], remote: ['TITLE:Illustrator'] })]);
    expect(local.cards.get(id)!.vcard).toContain('TITLE:Author');
  });

  it('an edit through the app’s own store is one PUT from the entry kept beside the card', async () => {
    const book = await dexieBook();
    try {
      google.sharedPut('k', person('Kurt', 'Goedel'));
      await syncSharedContacts(client, book.collection, { now: () => clock });
      const [row] = await book.rows();
      await book.edit(row!.id, row!.vcard.replace('END:VCARD', 'NOTE:Incompleteness\r\nEND:VCARD'));
      google.log.length = 0;
      await syncSharedContacts(client, book.collection, { now: () => clock });
      expect(google.log.filter((l) => /\/full\/k(\/\d+)?$/.test(l.path)).map((l) => l.method)).toEqual(['PUT']);
      expect(google.shared('k')!.children).toContain('Incompleteness');
      expect(await book.row(row!.id)).toMatchObject({ pending: '' });
    } finally {
      await book.close();
    }
  });

  it('a save made while that entry’s PUT is in flight survives, and goes up on the next run', async () => {
    const book = await dexieBook();
    try {
      google.sharedPut('s', person('Sofia', 'Kovalevskaya'));
      const token = google.mintAccessToken(M8);
      let saving: (() => Promise<void>) | null = null;
      const hooked: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (init?.method === 'PUT' && saving !== null) {
          const save = saving;
          saving = null;
          await save(); // the user saves again while the answer is on its way
        }
        return res;
      };
      client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: hooked }), `${google.url}/m8/feeds`, 'example.com', 25);
      await syncSharedContacts(client, book.collection, { now: () => clock });
      const [row] = await book.rows();
      await book.edit(row!.id, row!.vcard.replace('END:VCARD', 'NOTE:first\r\nEND:VCARD'));
      saving = () => book.edit(row!.id, row!.vcard.replace('END:VCARD', 'NOTE:second\r\nEND:VCARD'));
      await syncSharedContacts(client, book.collection, { now: () => clock });
      expect((await book.row(row!.id))!.vcard).toContain('NOTE:second');
      expect((await book.row(row!.id))!.pending).toBe('updated');
      await syncSharedContacts(client, book.collection, { now: () => clock });
      expect(google.shared('s')!.children).toContain('second');
      expect(await book.row(row!.id)).toMatchObject({ pending: '' });
    } finally {
      await book.close();
    }
  });

  /** The client, and a switch: after it, the next POST is stored but its answer lost (a 503). */
  function clientLosingNextPost(): () => void {
    const token = google.mintAccessToken(M8);
    let lose = false;
    const hooked: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === 'POST' && lose) {
        lose = false;
        return new Response('busy', { status: 503 }); // stored; the answer lost
      }
      return res;
    };
    client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: hooked }), `${google.url}/m8/feeds`, 'example.com', 25);
    return () => {
      lose = true;
    };
  }

  it('a create whose answer was lost, then deleted here: gone there too, and it does not come back', async () => {
    const book = await dexieBook();
    try {
      const loseNextPost = clientLosingNextPost();
      await syncSharedContacts(client, book.collection, { now: () => clock });
      const id = await book.create('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:gone-soon\r\nFN:Lise Meitner\r\nN:Meitner;Lise;;;\r\nEMAIL:lise@fission.example\r\nEND:VCARD\r\n');
      loseNextPost();
      await expect(syncSharedContacts(client, book.collection, { now: () => clock })).rejects.toThrow();
      expect(google.sharedIds().filter((i) => google.shared(i)?.deleted === false)).toHaveLength(1);
      await book.remove(id);
      await syncSharedContacts(client, book.collection, { now: () => clock });
      await syncSharedContacts(client, book.collection, { now: () => clock });
      expect(google.sharedIds().filter((i) => google.shared(i)?.deleted === false)).toEqual([]);
      expect((await book.rows()).filter((r) => r.visible)).toEqual([]);
    } finally {
      await book.close();
    }
  });

  it('a create whose answer was lost, then deleted here while another administrator edited its note: it comes back with that note, on both sides (seed 19101174)', async () => {
    const book = await dexieBook();
    try {
      const loseNextPost = clientLosingNextPost();
      await syncSharedContacts(client, book.collection, { now: () => clock });
      const id = await book.create('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kept-there\r\nFN:Emmy Noether\r\nN:Noether;Emmy;;;\r\nEMAIL:emmy@rings.example\r\nEND:VCARD\r\n');
      loseNextPost();
      await expect(syncSharedContacts(client, book.collection, { now: () => clock })).rejects.toThrow();
      const [made] = google.sharedIds().filter((i) => google.shared(i)?.deleted === false);
      google.sharedPut(made!, `${google.shared(made!)!.children}<content type="text">Invariants</content>`);
      await book.remove(id);
      expect(await syncSharedContacts(client, book.collection, { now: () => clock })).toMatchObject({ restored: 1, deleted: 0 });
      await syncSharedContacts(client, book.collection, { now: () => clock });
      expect(google.shared(made!)).toMatchObject({ deleted: false });
      const visible = (await book.rows()).filter((r) => r.visible);
      expect(visible).toHaveLength(1);
      expect(visible[0]!.vcard).toContain('Invariants');
    } finally {
      await book.close();
    }
  });

  it('deleted here while an edit went up with another administrator’s change merged into it: that change wins over the deletion, which had not seen it (seed 22000178)', async () => {
    const book = await dexieBook();
    try {
      google.sharedPut('dm', person('Dora', 'Maar'));
      const token = google.mintAccessToken(M8);
      let deleting: (() => Promise<void>) | null = null;
      const hooked: typeof fetch = async (input, init) => {
        if (init?.method === 'PUT' && deleting !== null) {
          const del = deleting;
          deleting = null;
          await del(); // the user deletes it while the merged edit is on its way up
        }
        return fetch(input, init);
      };
      client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: hooked }), `${google.url}/m8/feeds`, 'example.com', 25);
      await syncSharedContacts(client, book.collection, { now: () => clock });
      const [row] = await book.rows();
      await book.edit(row!.id, row!.vcard.replace('END:VCARD', 'TITLE:Painter\r\nEND:VCARD'));
      google.sharedPut('dm', `${google.shared('dm')!.children}<content type="text">Written by another administrator</content>`);
      deleting = async () => {
        await book.remove(row!.id);
      };
      await syncSharedContacts(client, book.collection, { now: () => clock });
      expect(deleting).toBeNull();
      expect(await syncSharedContacts(client, book.collection, { now: () => clock })).toMatchObject({ restored: 1, deleted: 0 });
      expect(google.shared('dm')).toMatchObject({ deleted: false });
      expect(google.shared('dm')!.children).toContain('Written by another administrator');
      const visible = (await book.rows()).filter((r) => r.visible);
      expect(visible).toHaveLength(1);
      expect(visible[0]!.vcard).toContain('Written by another administrator');
    } finally {
      await book.close();
    }
  });

  it('an edit whose answer was lost, edited again here after a restart: no conflict with itself, the later edit goes up', async () => {
    const book = await dexieBook();
    try {
      google.sharedPut('w', person('Wanda', 'Landowska'));
      const token = google.mintAccessToken(M8);
      let lose = false;
      const hooked: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (init?.method === 'PUT' && lose) {
          lose = false;
          throw new TypeError('connection reset by peer'); // stored; the answer lost
        }
        return res;
      };
      client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: hooked }), `${google.url}/m8/feeds`, 'example.com', 25);
      await syncSharedContacts(client, book.collection, { now: () => clock });
      const [row] = await book.rows();
      const edited = row!.vcard.replace(/EMAIL[^\r\n]*/, 'EMAIL:wanda@harpsichord.example');
      await book.edit(row!.id, edited);
      lose = true;
      await expect(syncSharedContacts(client, book.collection, { now: () => clock })).rejects.toThrow();
      expect(google.shared('w')!.children).toContain('wanda@harpsichord.example');
      await book.reopen();
      await book.edit(row!.id, edited.replace('END:VCARD', 'NOTE:Bach\r\nEND:VCARD'));
      expect(await syncSharedContacts(client, book.collection, { now: () => clock })).toMatchObject({ conflicts: 0, uploaded: 1 });
      expect(google.shared('w')!.children).toContain('Bach');
      expect(await book.row(row!.id)).toMatchObject({ pending: '' });
    } finally {
      await book.close();
    }
  });

  it('an edit applied by the server but answered 500, then deleted here: our own write is not taken for another administrator’s, and the entry goes (seed 26001621)', async () => {
    const book = await dexieBook();
    try {
      google.sharedPut('z', person('Zoltan', 'Kodaly'));
      const token = google.mintAccessToken(M8);
      let lose = false;
      const hooked: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (init?.method === 'PUT' && lose) {
          lose = false;
          return new Response('backend error', { status: 500 }); // stored; the answer lost
        }
        return res;
      };
      client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: hooked }), `${google.url}/m8/feeds`, 'example.com', 25);
      await syncSharedContacts(client, book.collection, { now: () => clock });
      const [row] = await book.rows();
      await book.edit(row!.id, row!.vcard.replace('END:VCARD', 'NOTE:Psalmus Hungaricus\r\nEND:VCARD'));
      lose = true;
      await expect(syncSharedContacts(client, book.collection, { now: () => clock })).rejects.toThrow();
      expect(google.shared('z')!.children).toContain('Psalmus Hungaricus');
      await book.remove(row!.id);
      expect(await syncSharedContacts(client, book.collection, { now: () => clock })).toMatchObject({ deleted: 1, restored: 0 });
      expect(google.shared('z')?.deleted ?? true).toBe(true);
      expect(await book.rows()).toEqual([]);
      // And it stays gone: the next run brings nothing back.
      await syncSharedContacts(client, book.collection, { now: () => clock });
      expect(await book.rows()).toEqual([]);
    } finally {
      await book.close();
    }
  });

  it('an edit whose answer was lost, edited again, and that attempt refused before it reached the server (sign-in revoked): no conflict with itself (seed 12000344)', async () => {
    const book = await dexieBook();
    try {
      google.sharedPut('e', person('Erik', 'Satie'));
      const token = google.mintAccessToken(M8);
      let lose = false;
      let refuse = false;
      const hooked: typeof fetch = async (input, init) => {
        if (init?.method === 'PUT' && refuse) {
          refuse = false;
          return new Response('{"error":"invalid_token"}', { status: 401 }); // marked as sent, never reached the server
        }
        const res = await fetch(input, init);
        if (init?.method === 'PUT' && lose) {
          lose = false;
          throw new TypeError('connection reset by peer'); // stored; the answer lost
        }
        return res;
      };
      client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token }, fetch: hooked }), `${google.url}/m8/feeds`, 'example.com', 25);
      await syncSharedContacts(client, book.collection, { now: () => clock });
      const [row] = await book.rows();
      const edited = row!.vcard.replace(/EMAIL[^\r\n]*/, 'EMAIL:erik@gymnopedie.example');
      await book.edit(row!.id, edited);
      lose = true;
      await expect(syncSharedContacts(client, book.collection, { now: () => clock })).rejects.toThrow();
      await book.reopen();
      await book.edit(row!.id, edited.replace(/EMAIL[^\r\n]*/, 'EMAIL:erik@arcueil.example'));
      refuse = true;
      await expect(syncSharedContacts(client, book.collection, { now: () => clock })).rejects.toThrow();
      await book.edit(row!.id, edited.replace(/EMAIL[^\r\n]*/, 'EMAIL:erik@honfleur.example'));
      expect(await syncSharedContacts(client, book.collection, { now: () => clock })).toMatchObject({ conflicts: 0, uploaded: 1 });
      expect(google.shared('e')!.children).toContain('erik@honfleur.example');
      expect(await book.row(row!.id)).toMatchObject({ pending: '' });
    } finally {
      await book.close();
    }
  });

  for (const status of [400, 404, 501] as const) {
    it(`where the batch endpoint refuses (${status}), creates go one by one; none stays pending, none twice`, async () => {
      await google.close();
      google = await startFakeGoogle({ domain: 'example.com', quirks: { batchRefused: status } });
      const token = google.mintAccessToken(M8);
      client = new GDataClient(new DavHttp({ auth: { kind: 'bearer', token: async () => token } }), `${google.url}/m8/feeds`, 'example.com', 25);
      await sync();
      for (let i = 0; i < 3; i++) local.create(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Single ${i}\r\nN:${i};Single;;;\r\nEND:VCARD\r\n`);
      const r = await sync();
      expect(r.uploaded).toBe(3);
      expect(google.sharedIds()).toHaveLength(3);
      expect([...local.cards.values()].every((c) => c.pending === '')).toBe(true);
      await sync();
      expect(google.sharedIds()).toHaveLength(3);
      expect(local.cards.size).toBe(3);
    });
  }

  it('an import of many cards goes through the batch endpoint, 100 operations a request', async () => {
    await sync();
    for (let i = 0; i < 150; i++) local.create(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imported ${i}\r\nN:${i};Imported;;;\r\nEMAIL:i${i}@import.example\r\nEND:VCARD\r\n`);
    await sync();
    expect(google.log.filter((l) => l.path.endsWith('/full/batch'))).toHaveLength(2);
    expect(google.sharedIds()).toHaveLength(150);
    expect([...local.cards.values()].every((c) => c.pending === '' && c.href.startsWith('/m8/feeds/contacts/example.com/full/'))).toBe(true);
    await sync();
    expect(local.cards.size).toBe(150);
  });
});
