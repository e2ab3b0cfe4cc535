/**
 * Another client's hand on the server of a sequence: list what the server holds, create, edit one
 * field of, and delete a contact, as another CardDAV client (If-Match, again after a 412) or another
 * administrator of a Workspace directory would. Each write is acknowledged when the server took it.
 */
import { CardDavClient } from '../../electron/dav/client';
import { PreconditionFailed } from '../../electron/dav/errors';
import { DavHttp } from '../../electron/dav/http';
import type { FakeGoogle } from '../servers/fake-google';
import type { TestServer } from '../servers/servers';
import { cardOf, cardOfEntry, emailsOf, emailsOfEntry, entryChildren, vcardOf, withEntryField, withField, type Card, type Field } from './cards';

export interface ServerCard {
  readonly card: Card;
  /** Every e-mail address it holds, in its order (`card` has the first). */
  readonly emails: readonly string[];
  /** Its path on the server (the href the engine uses). */
  readonly path: string;
}

export interface RemoteSide {
  list(): Promise<ServerCard[]>;
  create(card: Card): Promise<void>;
  /** The path written, or null when the contact is not there. */
  edit(fn: string, field: Field, value: string): Promise<string | null>;
  remove(fn: string): Promise<string | null>;
}

let made = 0;

/** A real CardDAV server's book, through a client of our own (not the engine's hooks). */
export function cardDavSide(server: TestServer, book: string): RemoteSide {
  const auth = server.password === '' ? ({ kind: 'none' } as const) : ({ kind: 'basic', user: server.user, password: server.password } as const);
  const client = new CardDavClient(new DavHttp({ auth }));
  const list = async (): Promise<ServerCard[]> => {
    const hrefs = (await client.listEtags(book)).map((e) => e.href);
    const out: ServerCard[] = [];
    for (let i = 0; i < hrefs.length; i += 50) for (const c of (await client.multiget(book, hrefs.slice(i, i + 50))).cards) out.push({ card: cardOf(c.vcard), emails: emailsOf(c.vcard), path: c.href });
    return out;
  };
  const find = async (fn: string) => (await list()).find((c) => c.card.fn === fn);
  const url = (path: string) => new URL(path, book).href;
  return {
    list,
    create: async (card) => {
      await client.put(new URL(`other-${process.pid}-${++made}.vcf`, book).href, vcardOf(card, `other-${made}-${Date.now()}`), { ifNoneMatch: '*' });
    },
    edit: async (fn, field, value) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const found = await find(fn);
        if (found === undefined) return null;
        const current = await client.get(url(found.path)).catch(() => null);
        if (current === null) return null;
        try {
          await client.put(url(found.path), withField(current.vcard, field, value), { ifMatch: current.etag });
          return found.path;
        } catch (e) {
          if (!(e instanceof PreconditionFailed)) throw e;
        }
      }
      throw new Error(`another client could not edit ${fn}: it kept changing`);
    },
    remove: async (fn) => {
      const found = await find(fn);
      if (found === undefined) return null;
      await client.delete(url(found.path), null);
      return found.path;
    },
  };
}

/** The fake Google's CardDAV book, by its own hand (as another of the user's devices). */
export function googleSide(google: FakeGoogle): RemoteSide {
  const list = async (): Promise<ServerCard[]> => google.cards().map((c) => ({ card: cardOf(c.vcard), emails: emailsOf(c.vcard), path: `${google.bookPath()}${c.id}` }));
  const find = (fn: string) => google.cards().find((c) => cardOf(c.vcard).fn === fn);
  return {
    list,
    create: async (card) => {
      const id = `other${++made}`;
      google.put(id, vcardOf(card, `g-other-${made}`));
    },
    edit: async (fn, field, value) => {
      const c = find(fn);
      if (c === undefined) return null;
      google.put(c.id, withField(c.vcard, field, value));
      return `${google.bookPath()}${c.id}`;
    },
    remove: async (fn) => {
      const c = find(fn);
      if (c === undefined) return null;
      google.remove(c.id);
      return `${google.bookPath()}${c.id}`;
    },
  };
}

/** A Workspace domain's shared contacts, by another administrator's hand (whole entries). */
export function workspaceSide(google: FakeGoogle): RemoteSide {
  const path = (id: string) => `/m8/feeds/contacts/${google.domain}/full/${id}`;
  const list = async (): Promise<ServerCard[]> => google.sharedIds().map((id) => {
    const children = google.shared(id)!.children;
    return { card: cardOfEntry(children), emails: emailsOfEntry(children), path: path(id) };
  });
  const find = (fn: string) => google.sharedIds().find((id) => cardOfEntry(google.shared(id)!.children).fn === fn);
  return {
    list,
    create: async (card) => {
      google.sharedPut(`other${++made}`, entryChildren(card));
    },
    edit: async (fn, field, value) => {
      const id = find(fn);
      if (id === undefined) return null;
      google.sharedPut(id, withEntryField(google.shared(id)!.children, field, value));
      return path(id);
    },
    remove: async (fn) => {
      const id = find(fn);
      if (id === undefined) return null;
      google.sharedDelete(id);
      return path(id);
    },
  };
}
