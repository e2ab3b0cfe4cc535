/**
 * The window's side of duplicates: the finder's worker client (keys kept beside the rows, vCards
 * read only when there are none, progress, a failing worker), the dialog's logic (reasons in
 * words, dismissals, which card stays, side-by-side cells, the import's offer) and a merge
 * written to the store with its undo (one edit and the others' deletions, in a synced book).
 */
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DuplicatesRequest, DuplicatesResponse } from '../../../shared/duplicates/protocol';
import type { DuplicateCluster, MatchReason } from '../../../shared/duplicates/types';
import { applyMerge, buildReview, defaultChoices } from '../../../shared/duplicates/review';
import { phoneKey } from '../../../shared/duplicates/phone';
import { parseVCard, serializeVCard } from '../../../shared/vcard';
import { ContactRepo } from '../../../renderer/src/db/repo';
import type { ContactRow } from '../../../renderer/src/db/schema';
import { ContactIndex } from '../../../renderer/src/store/contact-index';
import { translator } from '../../../renderer/src/i18n';
import type { Services } from '../../../renderer/src/services';
import { DuplicateFinder, type FindProgress, type WorkerLike } from '../../../renderer/src/features/duplicates/finder';
import { DuplicatesStoreFront, HELPERS_FROM, type ReadStoredCards } from '../../../renderer/src/workers/duplicates-store';
import { cardPrint, duplicateKeys, storedKeys, type StoredKeys } from '../../../shared/duplicates/keys';
import { ChangedMeanwhile, MergedChangedSince, undoMerge, writeMerge } from '../../../renderer/src/features/duplicates/merge';
import { chooseSurvivor, clusterReasons, Dismissals, fieldCells, importClusters, reasonText, shownValue, typeWords, type DismissalStore } from '../../../renderer/src/features/duplicates/review-view';
import { card } from './cards';

const t = translator('en');

/** The worker, in this process: its store front over a fake store, answered after a turn like a real one. */
class FakeWorker implements WorkerLike {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly requests: DuplicatesRequest[] = [];
  failNext = false;
  terminated = false;
  readonly front: DuplicatesStoreFront;
  constructor(read: ReadStoredCards) {
    this.front = new DuplicatesStoreFront(read);
  }
  postMessage(data: unknown): void {
    this.requests.push(structuredClone(data) as DuplicatesRequest);
    setTimeout(() => {
      if (this.failNext) {
        this.failNext = false;
        this.onerror?.({ message: 'worker crashed' } as ErrorEvent);
        return;
      }
      void this.front.serve(structuredClone(data), (r) => this.onmessage?.({ data: structuredClone(r) } as MessageEvent));
    }, 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

const row = (id: string, bookId = 'b', extra: Partial<ContactRow> = {}): ContactRow => ({ id, bookId, pending: '', favorite: 0, updatedAt: 0, ...extra }) as ContactRow;

describe('the finder in the window', () => {
  const vcards: Record<string, string> = {
    a: serializeVCard(card('FN:Ada Lovelace', 'EMAIL:ada@example.org')),
    b: serializeVCard(card('FN:Ada Lovelace', 'EMAIL:ADA@example.org', 'TEL:020 7946 0000')),
    c: serializeVCard(card('FN:Alan Turing', 'EMAIL:alan@example.org')),
  };
  const reads: string[][] = [];
  const readCards: ReadStoredCards = async (store, ids) => {
    expect(store).toBe('the-db');
    reads.push([...ids]);
    return ids.map((id) => vcards[id]);
  };
  const worker = () => new FakeWorker(readCards);

  it('names contacts by stamp only; the worker reads their cards on the first run, then uses the keys it kept; an edited row (a new row object) is read again', async () => {
    const workers: FakeWorker[] = [];
    const finder = new DuplicateFinder(() => {
      const w = worker();
      workers.push(w);
      return w;
    });
    const rows = [row('a'), row('b'), row('c')];
    reads.length = 0;
    const first = await finder.find(rows, 'the-db', 'GB', 'book');
    expect(first.report.clusters.map((c) => c.members)).toEqual([['a', 'b']]);
    expect(reads).toEqual([['a', 'b', 'c']]);
    const sent = workers[0]!.requests[0] as unknown as { contacts: { ids: string[]; bookIds: string[]; stamps: number[] } };
    expect(sent.contacts).toEqual({ ids: ['a', 'b', 'c'], bookIds: ['b', 'b', 'b'], stamps: [expect.any(Number), expect.any(Number), expect.any(Number)] });
    expect(workers[0]!.front.keptCount).toBe(3);

    const again = await finder.find(rows, 'the-db', 'GB', 'book');
    expect(again.report.clusters.map((c) => c.members)).toEqual([['a', 'b']]);
    expect(reads).toHaveLength(1);
    expect((workers[0]!.requests[1] as unknown as typeof sent).contacts).toEqual(sent.contacts);

    // Alan edited: his row is replaced, and only his card is read again.
    vcards.c = serializeVCard(card('FN:Ada Lovelace', 'TEL:020 7946 0000'));
    const edited = [rows[0]!, rows[1]!, row('c')];
    const third = await finder.find(edited, 'the-db', 'GB', 'book');
    expect(reads[1]).toEqual(['c']);
    expect(third.report.clusters.map((c) => [...c.members].sort())).toEqual([['a', 'b', 'c']]);
    expect(workers).toHaveLength(1); // one worker for the session
  });

  it('reports reading, making keys and comparing; a contact whose card is gone is left out and named', async () => {
    const finder = new DuplicateFinder(worker);
    const steps: FindProgress['step'][] = [];
    const result = await finder.find([row('a'), row('b'), row('gone')], 'the-db', 'GB', 'book', (p) => steps.push(p.step));
    expect(steps[0]).toBe('reading');
    expect(steps).toContain('keys');
    expect(steps.at(-1)).toBe('comparing');
    expect(result.unreadable).toEqual(['gone']);
  });

  it('a worker that fails fails the request with its message; the next request starts another worker', async () => {
    const workers: FakeWorker[] = [];
    const finder = new DuplicateFinder(() => {
      const w = worker();
      workers.push(w);
      return w;
    });
    const rows = [row('a'), row('b')];
    await finder.find(rows, 'the-db', 'GB', 'book');
    workers[0]!.failNext = true;
    await expect(finder.find(rows, 'the-db', 'GB', 'book')).rejects.toThrow('worker crashed');
    expect(workers[0]!.terminated).toBe(true);
    const after = await finder.find(rows, 'the-db', 'GB', 'book');
    expect(after.report.clusters).toHaveLength(1);
    expect(workers).toHaveLength(2);
  });

  it('an import’s cards against the book: the incoming card with the contacts it looks like', async () => {
    vcards.c = serializeVCard(card('FN:Alan Turing', 'EMAIL:alan@example.org'));
    const finder = new DuplicateFinder(worker);
    const found = await finder.findImport([{ id: 'fresh-0', vcard: serializeVCard(card('FN:Alan Turing', 'EMAIL:Alan@Example.org')) }], [row('a'), row('c')], 'the-db', 'GB');
    expect(found.map((d) => [d.incoming, d.existing.map((p) => p.b)])).toEqual([['fresh-0', ['c']]]);
    expect(importClusters(found, new Map([['fresh-0', 'new-id']]), 'b')).toMatchObject([{ members: ['new-id', 'c'], books: ['b'], pairs: [{ a: 'new-id', b: 'c' }], incoming: 'new-id' }]);
    expect(importClusters(found, new Map(), 'b')).toEqual([]); // not written: nothing to review
  });
});

describe('the worker’s store front', () => {
  it('a first run over many stored cards without keys has them made by the helpers, keeps them, stores them beside the cards, and names a card gone as unreadable', async () => {
    const count = HELPERS_FROM + 10;
    const text = (i: number) => serializeVCard(card(`FN:Person ${i % 2 === 0 ? i : i - 1}`, `EMAIL:p${i % 2 === 0 ? i : i - 1}@example.org`));
    const made: string[][] = [];
    const saved: { id: string; keys: StoredKeys }[] = [];
    const front = new DuplicatesStoreFront(
      async (_store, ids) => ids.map((id) => (id === 'p5' ? undefined : text(Number(id.slice(1))))),
      async (_store, region, ids, onDone) => {
        made.push([...ids]);
        onDone(ids.length);
        return ids.map((id) => (id === 'p5' ? null : storedKeys(text(Number(id.slice(1))), duplicateKeys(parseVCard(text(Number(id.slice(1)))), region))));
      },
      async (_store, items) => {
        saved.push(...items);
      },
    );
    const contacts = Array.from({ length: count }, (_, i) => ({ id: `p${i}`, bookId: 'b', stamp: 1 }));
    const answers: DuplicatesResponse[] = [];
    await front.serve({ type: 'find', requestId: 1, region: 'GB', scope: 'book', store: 'db', contacts }, (r) => answers.push(r));
    const found = answers.at(-1)!;
    if (found.type !== 'found') throw new Error(JSON.stringify(found));
    expect(made).toHaveLength(1);
    expect(made[0]).not.toContain('p5'); // gone: not sent to the helpers
    expect(found.unreadable).toEqual(['p5']);
    expect(found.madeKeys).toEqual([]); // kept in the worker, not sent back
    expect(found.report.clusters).toHaveLength(count / 2 - 1); // p4–p5 lost p5
    expect(front.keptCount).toBe(count - 1);
    expect(saved.map((s) => s.id).sort()).toEqual(contacts.map((c) => c.id).filter((id) => id !== 'p5').sort());
    expect(saved.find((s) => s.id === 'p2')!.keys.of).toBe(cardPrint(text(2)));
    answers.length = 0;
    await front.serve({ type: 'find', requestId: 2, region: 'GB', scope: 'book', store: 'db', contacts: contacts.filter((c) => c.id !== 'p5') }, (r) => answers.push(r));
    expect(made).toHaveLength(1); // all kept
    expect(answers.at(-1)).toMatchObject({ type: 'found', unreadable: [] });
  });

  it('takes the keys stored with a card while they are of its text and region; a card changed since, or another region, has them made again and stored', async () => {
    const ada = serializeVCard(card('FN:Ada Lovelace', 'EMAIL:ada@example.org'));
    const twin = serializeVCard(card('FN:Ada Lovelace', 'EMAIL:ADA@example.org'));
    const alan = serializeVCard(card('FN:Alan Turing', 'TEL:020 7946 0000'));
    // Keys that do not describe the card: used as long as they claim to be of it, so a run shows whether they were read or made.
    const planted = (vcard: string, region: string, email: string) => storedKeys(vcard, { ...duplicateKeys(parseVCard(vcard), region), emails: [email] });
    const stored: Record<string, { vcard: string; keys?: StoredKeys }> = {
      a: { vcard: ada, keys: planted(ada, 'GB', 'shared@example.org') },
      b: { vcard: twin, keys: planted(twin, 'GB', 'shared@example.org') },
      // Its text changed after its keys were made (a writer that does not make keys): they are stale.
      c: { vcard: alan, keys: planted(twin, 'GB', 'shared@example.org') },
    };
    const saved: string[] = [];
    const front = new DuplicatesStoreFront(
      async (_store, ids) => ids.map((id) => stored[id]),
      undefined,
      async (_store, items) => {
        saved.push(...items.map((i) => i.id));
        for (const i of items) stored[i.id] = { ...stored[i.id]!, keys: i.keys };
      },
    );
    const ask = async (region: string, requestId: number) => {
      const answers: DuplicatesResponse[] = [];
      await front.serve({ type: 'find', requestId, region, scope: 'book', store: 'db', contacts: ['a', 'b', 'c'].map((id) => ({ id, bookId: 'b', stamp: requestId })) }, (r) => answers.push(r));
      const found = answers.at(-1)!;
      if (found.type !== 'found') throw new Error(JSON.stringify(found));
      return found.report.clusters.map((c) => [...c.members].sort());
    };
    // a and b by their stored (planted) keys; c's stale keys are not used: it is parsed, and its keys stored.
    expect(await ask('GB', 1)).toEqual([['a', 'b']]);
    expect(saved).toEqual(['c']);
    expect(stored.c!.keys!.of).toBe(cardPrint(alan));
    expect(stored.c!.keys!.keys.phones).toEqual(['+442079460000']);
    // Another region: every card's keys are made again (a and b now by their real addresses, still a pair).
    saved.length = 0;
    expect(await ask('US', 2)).toEqual([['a', 'b']]);
    expect(saved.sort()).toEqual(['a', 'b', 'c']);
    expect(stored.a!.keys!.keys).toMatchObject({ region: 'US', emails: ['ada@example.org'] });
  });
});

describe('the dialog’s words and choices', () => {
  it('in Persian the link review names the items’ types (work, cell, voice) in Persian, a custom label and an unknown type as written, INTERNET not at all', () => {
    const fa = translator('fa');
    const a = parseVCard('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Arbor\r\nEMAIL;TYPE=INTERNET,WORK:ann@arbor.example\r\nTEL;TYPE=CELL,VOICE:+1 202 555 0147\r\nEND:VCARD\r\n');
    const b = parseVCard('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Arbor\r\nTEL;TYPE=x-satellite:+1 202 555 0100\r\nitem1.EMAIL:ann@home.example\r\nitem1.X-ABLABEL:Club\r\nEND:VCARD\r\n');
    const review = buildReview([{ id: 'a', card: a }, { id: 'b', card: b }], { region: 'US', survivor: 'a' });
    const shown = new Map(review.items.map((i) => [i.text, typeWords(i.label, i.types, fa)]));
    expect(shown.get('ann@arbor.example')).toBe('کار');
    expect(shown.get('+1 202 555 0147')).toBe('همراه، صوتی');
    expect(shown.get('+1 202 555 0100')).toBe('x-satellite');
    expect(shown.get('ann@home.example')).toBe('Club');
    for (const words of shown.values()) expect(words).not.toMatch(/\b(work|cell|voice|internet)\b/i);
    expect(typeWords('', ['work', 'cell'], t)).toBe('Work, Mobile');
  });

  it('says every reason in words, a name the same on both once, and shared addresses with their holders', () => {
    const reasons: MatchReason[] = [
      { code: 'same-email', value: 'ada@example.org', points: 60, sharedBy: 1 },
      { code: 'same-phone', value: '+442079460000', points: 27, sharedBy: 2 },
      { code: 'same-name', values: ['Ada Lovelace', 'Ada Lovelace'], points: 50 },
      { code: 'same-name', values: ['Ada Lovelace', 'Dr. Ada Lovelace'], points: 50 },
      { code: 'similar-name', values: ['A. Lovelace', 'Ada Lovelace'], points: 15 },
      { code: 'different-details', points: -25 },
      { code: 'different-names', values: ['Ann', 'Bob'] },
      { code: 'different-birthdays', values: ['1990-01-01', '1991-02-02'] },
    ];
    expect(reasons.map((r) => reasonText(r, t))).toEqual([
      'Same e-mail address: ada@example.org',
      'Same phone number: +442079460000 (held by 2 people)',
      'Same name: “Ada Lovelace”',
      'Same name: “Ada Lovelace” and “Dr. Ada Lovelace”',
      'Similar names: “A. Lovelace” and “Ada Lovelace”',
      'Different e-mail addresses or numbers',
      'Different names: “Ann” and “Bob”',
      'Different birthdays: 1990-01-01 and 1991-02-02',
    ]);
    for (const lang of ['fa', 'zh-CN', 'zh-TW'] as const) for (const r of reasons) expect(reasonText(r, translator(lang))).not.toMatch(/^Same|^Different|^Similar/);
  });

  it('shows a number it could not place without the key’s # mark, and an extension in words', () => {
    const phone = (value: string) => reasonText({ code: 'same-phone', value, points: 50, sharedBy: 1 }, t);
    expect(phone(phoneKey('1555 0100 99', 'ZZ'))).toBe('Same phone number: 1555010099');
    expect(phone(phoneKey('+1555 0100 99', 'ZZ'))).toBe('Same phone number: +1555010099');
    expect(phone(phoneKey('+44 20 7946 0000 ext. 12', 'GB'))).toBe('Same phone number: +442079460000 ext. 12');
  });

  it('lists a group’s reasons once each, strongest first', () => {
    const cluster: DuplicateCluster = {
      members: ['a', 'b', 'c'],
      score: 100,
      books: ['b'],
      pairs: [
        { a: 'a', b: 'b', score: 100, reasons: [{ code: 'same-name', values: ['Ada', 'Ada'], points: 20 }, { code: 'same-email', value: 'ada@example.org', points: 60, sharedBy: 1 }] },
        { a: 'b', b: 'c', score: 80, reasons: [{ code: 'same-email', value: 'ada@example.org', points: 60, sharedBy: 1 }] },
      ],
    };
    expect(clusterReasons(cluster, t)).toEqual([
      { text: 'Same e-mail address: ada@example.org', points: 60 },
      { text: 'Same name: “Ada”', points: 20 },
    ]);
  });

  it('“Not duplicates” sets aside that group, in any order of its members, and not a larger one', () => {
    const d = new Dismissals();
    d.dismiss(['b', 'a']);
    const groups = [{ members: ['a', 'b'] }, { members: ['a', 'b', 'c'] }, { members: ['c', 'd'] }];
    expect(d.visible(groups)).toEqual([{ members: ['a', 'b', 'c'] }, { members: ['c', 'd'] }]);
  });

  it('remembers “Not duplicates” on this computer: a new session does not propose that group again', () => {
    const saved = new Map<string, string>();
    const store: DismissalStore = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => void saved.set(k, v) };
    new Dismissals(store).dismiss(['b', 'a']);
    const next = new Dismissals(store);
    expect(next.visible([{ members: ['a', 'b'] }, { members: ['c', 'd'] }])).toEqual([{ members: ['c', 'd'] }]);
  });

  it('keeps the newest dismissals within its limit, and forgets a damaged saved value rather than failing', () => {
    const saved = new Map<string, string>();
    const store: DismissalStore = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => void saved.set(k, v) };
    const d = new Dismissals(store, 2);
    d.dismiss(['a', 'b']);
    d.dismiss(['c', 'd']);
    d.dismiss(['e', 'f']);
    const next = new Dismissals(store, 2);
    expect([next.has(['a', 'b']), next.has(['c', 'd']), next.has(['e', 'f'])]).toEqual([false, true, true]);
    saved.set([...saved.keys()][0]!, '{not json');
    expect(new Dismissals(store).has(['c', 'd'])).toBe(false);
  });

  it('writes the review’s dates in the UI’s calendar: Solar Hijri in Persian, the language’s long form in English', () => {
    const fa = { locale: 'fa-IR-u-ca-persian', style: 'region' as const };
    const en = { locale: 'en-GB', style: 'region' as const };
    expect(shownValue(true, '1990-03-21', fa)).toBe('۱ فروردین ۱۳۶۹');
    expect(shownValue(true, '1990-03-21', en)).toBe('21 March 1990');
    expect(shownValue(false, '1990-03-21', fa)).toBe('1990-03-21');
    expect(reasonText({ code: 'different-birthdays', values: ['1990-03-21', '1991-03-21'] }, translator('fa'), fa)).toContain('۱ فروردین ۱۳۶۹');
  });

  it('keeps the card the server already holds, then the fullest', () => {
    const ids = ['new', 'synced', 'fuller'];
    expect(chooseSurvivor([{ row: row('new', 'b', { pending: 'created' }), lines: 30 }, { row: row('synced'), lines: 5 }, { row: row('fuller', 'b', { pending: 'updated' }), lines: 9 }], ids)).toBe('fuller');
    expect(chooseSurvivor([{ row: row('new', 'b', { pending: 'created' }), lines: 30 }, { row: row('x', 'b', { pending: 'created' }), lines: 3 }], ['new', 'x'])).toBe('new');
    // Offered after an import: the contact that was here before stays, though the imported card is fuller.
    expect(chooseSurvivor([{ row: row('imported', 'b', { pending: 'created' }), lines: 30 }, { row: row('here', 'b', { pending: 'created' }), lines: 3 }], ['imported', 'here'], 'imported')).toBe('here');
  });

  it('found later in the sidebar, keeps the contact here longest, not a newer import’s fuller card (which undoing that import would take away)', () => {
    const ids = ['imported', 'mine'];
    expect(chooseSurvivor([{ row: row('imported', 'b', { pending: 'created' }), lines: 30, since: 5_000 }, { row: row('mine', 'b', { pending: 'created' }), lines: 3, since: 1_000 }], ids)).toBe('mine');
    // A contact from before the history began (no version kept) is the oldest.
    expect(chooseSurvivor([{ row: row('imported', 'b', { pending: 'created' }), lines: 30, since: 5_000 }, { row: row('mine', 'b', { pending: 'created' }), lines: 3 }], ids)).toBe('mine');
    // The card the server holds still comes first.
    expect(chooseSurvivor([{ row: row('imported'), lines: 30, since: 5_000 }, { row: row('mine', 'b', { pending: 'created' }), lines: 3, since: 1_000 }], ids)).toBe('imported');
  });

  it('shows a value in the column of the first card holding it, “the same” in the others, nothing where a card lacks it', () => {
    const review = buildReview(
      [
        { id: 'a', card: card('FN:Ada', 'ORG:Engines') },
        { id: 'b', card: card('FN:Ada', 'ORG:Engines Ltd') },
        { id: 'c', card: card('FN:Ada', 'ORG:Engines') },
        { id: 'd', card: card('FN:Ada') },
      ],
      { region: 'GB', survivor: 'a' },
    );
    const org = review.fields.find((f) => f.field === 'ORG')!;
    expect(fieldCells(org, review.sources)).toEqual([{ kind: 'choice', candidate: 0 }, { kind: 'choice', candidate: 1 }, { kind: 'same', candidate: 0 }, { kind: 'absent' }]);
  });
});

describe('a merge written to the store', () => {
  beforeAll(() => {
    (globalThis as { window?: unknown }).window = { cardinal: { localChanged: async () => {} } };
  });
  let n = 0;
  async function synced() {
    const repo = await ContactRepo.open(`dup-merge-${++n}-${Date.now()}`);
    await repo.db.books.put({ id: 'srv', name: 'Server', kind: 'carddav', version: '3.0', createdAt: 0 });
    const index = new ContactIndex('en');
    const s = { repo, index, t } as unknown as Services;
    // Cards as a sync leaves them: on the server, nothing pending.
    const add = async (id: string, text: string, favourite = false) => {
      const stored = ContactRepo.rows(id, 'srv', parseVCard(text));
      const item = { row: { ...stored.row, pending: '' as const, favorite: favourite ? (1 as const) : (0 as const) }, card: { ...stored.card, href: `/book/${id}.vcf`, etag: '"1"', base: stored.card.vcard } };
      await repo.putAll([item]);
      index.upsert([item.row]);
      return item.card.vcard;
    };
    return { repo, index, s, add };
  }

  it('in a synced book: the card that stays is one pending edit, the other a pending deletion; one undo puts both back', async () => {
    const { repo, index, s, add } = await synced();
    const texts = new Map([
      ['keep', await add('keep', serializeVCard(card('FN:Ada Lovelace', 'EMAIL:ada@example.org', 'X-MINE:1')))],
      ['other', await add('other', serializeVCard(card('FN:Ada Lovelace', 'EMAIL:ADA@example.org', 'TEL:+44 20 7946 0000', 'X-THEIRS:2')), true)],
    ]);
    const review = buildReview([...texts].map(([id, v]) => ({ id, card: parseVCard(v) })), { region: 'GB', survivor: 'keep' });
    const done = await writeMerge(s, applyMerge(review, defaultChoices(review)), texts);

    const keep = (await repo.db.contacts.get('keep'))!;
    const other = (await repo.db.contacts.get('other'))!;
    expect(keep.pending).toBe('updated');
    expect(keep.favorite).toBe(1); // a favourite merged in
    expect(other.pending).toBe('deleted');
    const merged = (await repo.getCard('keep'))!.vcard;
    for (const line of ['EMAIL:ada@example.org', 'TEL:+44 20 7946 0000', 'X-MINE:1', 'X-THEIRS:2']) expect(merged).toContain(line);
    expect(merged.match(/EMAIL/g)).toHaveLength(1);
    expect(index.query('', 'srv').map((r) => r.id)).toEqual(['keep']);

    await undoMerge(s, done);
    expect((await repo.getCard('keep'))!.vcard).toBe(texts.get('keep'));
    expect((await repo.db.contacts.get('keep'))!.favorite).toBe(0);
    expect((await repo.db.contacts.get('other'))!.pending).not.toBe('deleted');
    expect((await repo.getCard('other'))!.vcard).toBe(texts.get('other'));
    expect(index.query('', 'srv').map((r) => r.id).sort()).toEqual(['keep', 'other']);
  });

  it('the history of the card that stays names the merge and its undo as such, and the card merged away is in the trash as merged into it', async () => {
    const { repo, s, add } = await synced();
    const texts = new Map([
      ['keep', await add('keep', serializeVCard(card('FN:Ada Lovelace', 'EMAIL:ada@example.org')))],
      ['gone', await add('gone', serializeVCard(card('FN:Ada Lovelace', 'TEL:+44 20 7946 0000')))],
    ]);
    const review = buildReview([...texts].map(([id, v]) => ({ id, card: parseVCard(v) })), { region: 'GB', survivor: 'keep' });
    const done = await writeMerge(s, applyMerge(review, defaultChoices(review)), texts);
    expect((await repo.versionsOf('keep')).map((v) => v.source).slice(0, 1)).toEqual(['merge']);
    const trashed = (await repo.db.trash.get('gone'))!;
    expect(trashed.mergedInto).toEqual({ id: 'keep', name: 'Ada Lovelace' });
    // An ordinary deletion says nothing of a merge.
    await add('plain', serializeVCard(card('FN:Grace Hopper')));
    await repo.remove(['plain']);
    expect((await repo.db.trash.get('plain'))!.mergedInto).toBeUndefined();

    await undoMerge(s, done);
    expect((await repo.versionsOf('keep')).map((v) => v.source).slice(0, 2)).toEqual(['undo', 'merge']);
  });

  it('writes nothing when a card changed after the review was built (a sync came in), and an undo leaves a later edit alone', async () => {
    const { repo, s, add } = await synced();
    const texts = new Map([
      ['a', await add('a', serializeVCard(card('FN:Ann', 'EMAIL:ann@example.org')))],
      ['b', await add('b', serializeVCard(card('FN:Ann', 'EMAIL:ann@example.org', 'TEL:+1 202 555 0147')))],
    ]);
    const review = buildReview([...texts].map(([id, v]) => ({ id, card: parseVCard(v) })), { region: 'US', survivor: 'a' });
    await repo.update('b', parseVCard(serializeVCard(card('FN:Ann', 'EMAIL:ann@example.org', 'NOTE:changed there'))));
    await expect(writeMerge(s, applyMerge(review), texts)).rejects.toBeInstanceOf(ChangedMeanwhile);
    expect((await repo.db.contacts.get('a'))!.pending).toBe('');
    expect((await repo.db.contacts.get('b'))!.pending).not.toBe('deleted');

    const fresh = new Map([...texts, ['b', (await repo.getCard('b'))!.vcard]]);
    const again = buildReview([...fresh].map(([id, v]) => ({ id, card: parseVCard(v) })), { region: 'US', survivor: 'a' });
    const done = await writeMerge(s, applyMerge(again), fresh);
    await repo.update('a', parseVCard(serializeVCard(card('FN:Ann Arbor'))));
    await expect(undoMerge(s, done)).rejects.toBeInstanceOf(MergedChangedSince);
    expect((await repo.getCard('a'))!.vcard).toContain('FN:Ann Arbor');
  });
});
