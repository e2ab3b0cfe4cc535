/**
 * Groups in a generated 50,000-contact book: facts read from the vCards (once per card, kept),
 * the group list with member counts, the membership index, and filtering the list (in its
 * collated order) by a group — target p95 under 16 ms — beside the plain way (scan every row's
 * CATEGORIES, and a Set of a group card's members). Never a pass/fail.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { foldName, listGroups, MembershipIndex, readCardFacts, type CardFacts, type GroupBook } from '../../shared/groups';
import { parseVCards } from '../../shared/vcard';
import { deriveListFields } from '../../shared/book/derive';
import type { ContactRepo } from '../../renderer/src/db/repo';
import type { ContactRow } from '../../renderer/src/db/schema';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { GroupStore } from '../../renderer/src/store/groups';

const QUERIES = 200;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const timed = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};

function stats(xs: number[]): { median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!, max: s[s.length - 1]! };
}

/** A book: contacts with CATEGORIES (one large group, many middling ones) and Apple group cards. */
function makeBook(count: number): string {
  const r = rng(17);
  const given = ['Ada', 'Bob', 'Chloé', 'Dmitri', 'Élodie', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kaveh', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya'];
  const family = ['Smith', 'Müller', 'García', 'Nowak', 'Rossi', 'Okafor', 'Yılmaz', 'Sharma', 'Dubois', 'Jansen', '王', '李', 'کریمی', 'Petrov'];
  const categories = Array.from({ length: 20 }, (_, i) => `Group ${i + 1}`);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const cats: string[] = [];
    if (r() < 0.5) cats.push('Everyone I know');
    for (let k = 0; k < categories.length; k++) if (r() < 0.02 + k * 0.004) cats.push(categories[k]!);
    const fn = `${given[Math.floor(r() * given.length)]} ${family[Math.floor(r() * family.length)]} ${i}`;
    out.push(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-${i}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEMAIL:p${i}@example.org\r\n${cats.length > 0 ? `CATEGORIES:${cats.join(',')}\r\n` : ''}END:VCARD\r\n`);
  }
  for (let g = 0; g < 10; g++) {
    const size = 100 + Math.floor(r() * 2000);
    const members = Array.from({ length: size }, () => `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-${Math.floor(r() * count)}`);
    out.push(`BEGIN:VCARD\r\nVERSION:3.0\r\nUID:group-${g}\r\nN:Card group ${g}\r\nFN:Card group ${g}\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n${members.join('\r\n')}\r\nEND:VCARD\r\n`);
  }
  return out.join('');
}

export function runGroupsBench(count = 50_000): void {
  const text = makeBook(count);
  const [parsed, parseMs] = timed(() => parseVCards(text).cards);
  const [facts, factsMs] = timed(() => parsed.map((c, i): CardFacts => readCardFacts(String(i), c.card)));
  const book: GroupBook = { setting: { storage: 'apple-cards', decidedBy: 'cards', empty: [] }, cards: facts, vcard: () => undefined };
  listGroups(book); // warm-up
  const [groups, listMs] = timed(() => listGroups(book));
  const [index, indexMs] = timed(() => MembershipIndex.fromGroups(groups));

  // The list as the window has it: contacts in collated order.
  const collator = new Intl.Collator('en');
  const names = new Map(parsed.map((c, i) => [String(i), c.card.properties.find((p) => p.name === 'FN')?.value ?? '']));
  const rows = facts.filter((f) => f.group === null).map((f) => ({ id: f.id, name: names.get(f.id)!, categories: f.categories }));
  rows.sort((a, b) => collator.compare(a.name, b.name));
  const slots = Int32Array.from(rows, (row) => index.slotOf(row.id));

  const r = rng(5);
  const picks = Array.from({ length: QUERIES }, (_, i) => groups[i === 0 ? groups.findIndex((g) => g.name === 'Everyone I know') : Math.floor(r() * groups.length)]!);
  for (const g of picks.slice(0, 10)) index.filter(rows, g.key, (x) => x.id); // warm-up
  const byId = picks.map((g) => timed(() => index.filter(rows, g.key, (x) => x.id))[1]);
  const bySlot = picks.map((g) => timed(() => index.filterSlots(slots, g.key))[1]);
  // The plain way: every row's CATEGORIES scanned, and a group card's members as a Set built per filter.
  const cardOf = new Map(groups.filter((g) => g.card !== null).map((g) => [g.key, facts.find((f) => f.id === g.card!.id)!]));
  const uidOf = new Map(facts.map((f) => [f.id, f.uid.toLowerCase()]));
  const plain = picks.map(
    (g) =>
      timed(() => {
        const card = cardOf.get(g.key);
        if (card !== undefined) {
          const members = new Set(card.members);
          return rows.filter((x) => members.has(uidOf.get(x.id)!));
        }
        const f = foldName(g.name);
        return rows.filter((x) => x.categories.some((c) => foldName(c) === f));
      })[1],
  );
  const [, editMs] = timed(() => {
    const g = groups[1]!;
    index.add(g.key, rows.slice(0, 1000).map((x) => x.id));
    index.remove(g.key, rows.slice(0, 1000).map((x) => x.id));
  });

  // The window's way: the group store's one membership query (memberIds) and the list's filter
  // (ContactIndex.list with the members as a Set), as the sidebar's click runs them. Cold: the
  // first filter by each group since the list last changed; after an edit: the list changed, so
  // the groups are listed again from the rows' facts first.
  const contactRows = parsed.map((c, i): ContactRow => ({ id: String(i), bookId: 'local', ...deriveListFields(c.card), favorite: 0, pending: '', updatedAt: 0 }));
  const list = new ContactIndex('en');
  list.load(contactRows);
  const store = new GroupStore({ saveGroupSetting: async () => {} } as unknown as ContactRepo, list);
  // The window: the group's bit set over the list's row slots (GroupStore.bits). Before it, the
  // members went to the list as a Set of ids (one id lookup per row), kept here for comparison.
  const filterBy = (key: string) => list.list('', 'local', false, { key, bits: store.bits('local', key) });
  const filterByIds = (key: string) => list.list('', 'local', false, { key, ids: new Set(store.memberIds('local', key)) });
  store.groups('local');
  const windowGroups = store.groups('local');
  const cold = windowGroups.map((g) => timed(() => filterBy(g.key))[1]);
  list.upsert([{ ...contactRows[3]!, displayName: `${contactRows[3]!.displayName}.` }]); // the cache of filters cleared
  const coldIds = windowGroups.map((g) => timed(() => filterByIds(g.key))[1]);
  // An edit that leaves groups alone (a name) keeps the group list; one that changes a group (a
  // category) lists the book's groups again, then the filter runs.
  const someone = contactRows[7]!;
  const afterEdit = picks.slice(0, 40).map((g, i) =>
    timed(() => {
      list.upsert([{ ...someone, displayName: `${someone.displayName} ${i}` }]);
      return filterBy(g.key);
    })[1],
  );
  const afterGroupEdit = picks.slice(0, 40).map((g, i) =>
    timed(() => {
      list.upsert([{ ...someone, categories: [...someone.categories, `Edit ${i}`] }]);
      return filterBy(g.key);
    })[1],
  );
  // A contact joining an existing group, and leaving it again (the usual edit: a tick, a drag).
  const joinGroup = windowGroups.find((g) => g.card === null && g.name !== 'Everyone I know')!;
  const afterJoin = picks.slice(0, 40).map((g, i) =>
    timed(() => {
      const r = contactRows[100 + i]!;
      list.upsert([{ ...r, categories: i % 2 === 0 ? [...r.categories, joinGroup.name] : r.categories.filter((c) => c !== joinGroup.name) }]);
      return filterBy(g.key);
    })[1],
  );
  // The group list the sidebar draws after such an edit.
  const [, sidebarMs] = timed(() => store.groups('local').map((g) => g.memberIds.length));
  // A multi-selection of 300 contacts joining a group and leaving it again (the bar's "Add to
  // group"): the rows the store writes, then the filter, as the window runs them.
  const bulkGroup = windowGroups.find((g) => g.card === null && g.name === 'Group 3')!;
  const afterBulk = picks.slice(0, 10).map((g, i) =>
    timed(() => {
      const chosen = contactRows.slice(1000 + i * 300, 1300 + i * 300).map((r) => list.get(r.id)!);
      list.upsert(chosen.map((r) => ({ ...r, categories: [...r.categories, bulkGroup.name] })));
      list.upsert(chosen.map((r) => ({ ...r, categories: r.categories.filter((c) => c !== bulkGroup.name) })));
      return filterBy(g.key);
    })[1],
  );
  // A CATEGORIES group renamed: each member's row comes back with the new name (GroupStore.rename's
  // writes, 1,000–5,000 rows), then the sidebar's groups and the list filtered by the renamed group.
  const renamedGroups = windowGroups.filter((g) => g.card === null && /^Group \d+$/.test(g.name)).slice(0, 10);
  const rowsMs: number[] = [];
  const afterRename = renamedGroups.map((g) => {
    const renamed = `${g.name} renamed`;
    const members = g.memberIds.map((id) => list.get(id)!);
    return timed(() => {
      const [, ms] = timed(() => list.upsert(members.map((r) => ({ ...r, categories: r.categories.map((c) => (c === g.name ? renamed : c)) }))));
      rowsMs.push(ms);
      const key = store.groups('local').find((x) => x.name === renamed)!.key;
      return filterBy(key);
    })[1];
  });

  const n = (x: number, d = 1): string => x.toLocaleString('en', { maximumFractionDigits: d });
  const largest = Math.max(...groups.map((g) => g.memberIds.length));
  const a = stats(byId);
  const b = stats(bySlot);
  const c = stats(plain);
  console.log(`\nGroups — ${n(count, 0)} contacts, ${groups.length} groups (20 + 1 by CATEGORIES, 10 Apple group cards; the largest ${n(largest, 0)}), Node ${process.version}`);
  console.log(`  facts from the vCards (once per card, kept): ${n(parseMs + factsMs, 0)} ms (parse ${n(parseMs, 0)} + facts ${n(factsMs, 0)})`);
  console.log(`  the group list with member counts, from the facts: ${n(listMs)} ms;  the membership index: ${n(indexMs)} ms`);
  console.log(`  filter the collated list by a group, ${QUERIES} queries        median    p95     max   (target p95 < 16 ms)`);
  console.log(`    membership index, rows by id                      ${n(a.median, 2).padStart(7)} ${n(a.p95, 2).padStart(7)} ${n(a.max, 2).padStart(7)} ms`);
  console.log(`    membership index, rows keeping their slot         ${n(b.median, 2).padStart(7)} ${n(b.p95, 2).padStart(7)} ${n(b.max, 2).padStart(7)} ms`);
  console.log(`    plain: scan CATEGORIES / a Set of the card's members ${n(c.median, 2).padStart(5)} ${n(c.p95, 2).padStart(7)} ${n(c.max, 2).padStart(7)} ms`);
  console.log(`  1,000 members added to a group and taken out again in the index: ${n(editMs, 2)} ms`);
  const w = stats(cold);
  const e = stats(afterEdit);
  const ge = stats(afterGroupEdit);
  const wi = stats(coldIds);
  console.log(`  the window (GroupStore.bits → ContactIndex.list)          median    p95     max`);
  console.log(`    first filter by each group (${windowGroups.length})                  ${n(w.median, 2).padStart(7)} ${n(w.p95, 2).padStart(7)} ${n(w.max, 2).padStart(7)} ms`);
  console.log(`    the same with the members as a Set of ids (before)   ${n(wi.median, 2).padStart(7)} ${n(wi.p95, 2).padStart(7)} ${n(wi.max, 2).padStart(7)} ms`);
  console.log(`    right after an edit of a name, 40                  ${n(e.median, 2).padStart(7)} ${n(e.p95, 2).padStart(7)} ${n(e.max, 2).padStart(7)} ms`);
  const gj = stats(afterJoin);
  console.log(`    right after a contact got a new group, 40          ${n(ge.median, 2).padStart(7)} ${n(ge.p95, 2).padStart(7)} ${n(ge.max, 2).padStart(7)} ms`);
  console.log(`    right after a contact joined/left a group, 40      ${n(gj.median, 2).padStart(7)} ${n(gj.p95, 2).padStart(7)} ${n(gj.max, 2).padStart(7)} ms`);
  console.log(`  the sidebar's group list after those edits: ${n(sidebarMs, 2)} ms (patched in place, not listed again)`);
  const bk = stats(afterBulk);
  const rn = stats(afterRename);
  const rr = stats(rowsMs);
  console.log(`    300 selected contacts joined and left a group, 10  ${n(bk.median, 2).padStart(7)} ${n(bk.p95, 2).padStart(7)} ${n(bk.max, 2).padStart(7)} ms`);
  console.log(`    a group of ${n(Math.min(...renamedGroups.map((g) => g.memberIds.length)), 0)}–${n(Math.max(...renamedGroups.map((g) => g.memberIds.length)), 0)} renamed, then listed and filtered, 10 ${n(rn.median, 1).padStart(5)} ${n(rn.p95, 1).padStart(7)} ${n(rn.max, 1).padStart(7)} ms`);
  console.log(`      of which the list taking its members' rows        ${n(rr.median, 1).padStart(7)} ${n(rr.p95, 1).padStart(7)} ${n(rr.max, 1).padStart(7)} ms`);
  console.log(`  load average: ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
}
