/**
 * The list with linked contacts (store/links.ts): a generated 50,000-contact list in two books
 * (this computer's and a server's), with 0, 1,000 and 10,000 links of a card of each book. For
 * each: the whole list asked of the index, then each link shown once (`viewLinks` + `collapseLinked`,
 * what `LinkStore.collapse` does when the list or the links changed), and a search's rows
 * collapsed (the view's links known: what links add to each keystroke). Medians of 7, in Node.
 * Never a pass/fail.
 */
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { deriveListFields } from '../../shared/book/derive';
import { parseVCard } from '../../shared/vcard';
import type { ContactRow } from '../../renderer/src/db/schema';
import { ContactIndex } from '../../renderer/src/store/contact-index';
import { collapseLinked, liveLink, viewLinks, type LinkRecord } from '../../renderer/src/store/links';

const RUNS = 7;
const QUERIES = ['ada', 'bob', 'chlo', 'dmitri', 'grace', 'hiro', 'smith'];

const median = (f: () => void): number => {
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    f();
    xs.push(performance.now() - t);
  }
  return xs.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
};

function rows(count: number): ContactRow[] {
  const given = ['Ada', 'Bob', 'Chloé', 'Dmitri', 'Élodie', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kaveh', 'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya'];
  const family = ['Smith', 'Müller', 'García', 'Nowak', 'Rossi', 'Okafor', 'Yılmaz', 'Sharma', 'Dubois', 'Jansen', '王', '李', 'کریمی', 'Petrov'];
  const half = count / 2;
  return Array.from({ length: count }, (_, i) => {
    // Card i of the server's book is the same person as card i of this computer's.
    const n = i % half;
    const fn = `${given[n % given.length]} ${family[Math.floor(n / given.length) % family.length]} ${n}`;
    const fields = deriveListFields(parseVCard(`BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${fn}\r\nEMAIL:p${n}@example.org\r\nEND:VCARD\r\n`));
    return { id: `c${i}`, bookId: i < half ? 'local' : 'dav', favorite: 0, pending: '', updatedAt: 0, ...fields } as ContactRow;
  });
}

export function runLinksBench(count = 50_000): void {
  const all = rows(count);
  const index = new ContactIndex('en');
  index.load(all);
  const compare = (a: ContactRow, b: ContactRow) => index.compareIds(a.id, b.id);
  const get = (id: string) => index.get(id);
  const n = (x: number) => x.toFixed(1).padStart(6);
  console.log(`\nThe list with linked contacts — ${count.toLocaleString('en')} contacts in two books, Node (median of ${RUNS})`);
  console.log('  links    whole list after a change: index + each link once    a search\'s rows: each link once    rows shown');
  for (const linkCount of [0, 1_000, 10_000]) {
    const step = Math.floor(count / 2 / Math.max(1, linkCount));
    const records: LinkRecord[] = Array.from({ length: linkCount }, (_, k) => ({ id: `L${k}`, members: [`c${k * step}`, `c${count / 2 + k * step}`], primary: `c${count / 2 + k * step}`, at: 0 }));
    const live = records.flatMap((r) => liveLink(r, get) ?? []);
    // The whole list after a change of one row (the index's kept lists follow it), then each link once.
    let whole = index.list('', null);
    const listMs = median(() => {
      index.upsert([{ ...all[0]! }]);
      whole = index.list('', null);
    });
    let shown = whole;
    const collapseMs = median(() => {
      shown = linkCount === 0 ? whole : collapseLinked(whole, viewLinks(whole, live, get, compare), compare);
    });
    const view = viewLinks(whole, live, get, compare);
    // A search's rows (asked of the index before: a keystroke's own cost is the index's, see the book bench), collapsed.
    const found = QUERIES.map((q) => index.list(q, null));
    let k = 0;
    const searchCollapseMs = median(() => {
      if (linkCount > 0) collapseLinked(found[k++ % found.length]!, view, compare);
    });
    console.log(`  ${linkCount.toLocaleString('en').padStart(6)}   ${n(listMs)} ms + ${n(collapseMs)} ms                      ${n(searchCollapseMs)} ms                     ${shown.rows.length.toLocaleString('en')}`);
    // The next size's searches are new to the index again.
    index.upsert([{ ...all[1]! }]);
  }
  console.log(`  load average: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on ${cpus().length} cores`);
}
