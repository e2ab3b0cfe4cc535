/**
 * Complexity of the vCard core's paths that were once quadratic (issue 16): each timed at n and
 * at 8n, with the ratio (about 8 is linear, about 64 quadratic). Median of 5 runs after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import { readXml } from '../../electron/dav/xml-reader';
import { deriveListFields } from '../../shared/book/derive';
import { readCardFacts } from '../../shared/groups/facts';
import { foldForSearch } from '../../shared/search';
import { importCards } from '../../renderer/src/workers/import-cards';
import { applyEdit, merge, parseVCards, toContact, type Contact, type VCard } from '../../shared/vcard';

const RUNS = 7;
const WARMUP = 3;

function time(f: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) f(); // the first calls of a path run before it is optimised
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
  }
  // The fastest run: on a shared machine the others measure the neighbours and the collector.
  return Math.min(...xs);
}

const card = (lines: string) => `BEGIN:VCARD\r\nVERSION:2.1\r\n${lines}END:VCARD\r\n`;
const prop = (name: string, value: string): VCard['properties'][number] => ({ group: null, name, params: [], value });

interface Case {
  name: string;
  n: number;
  /** Builds the input for size n and returns the call to time. */
  setup: (n: number) => () => unknown;
}

const CASES: Case[] = [
  {
    name: 'quoted-printable soft breaks (lines of 70)',
    n: 10_000,
    setup: (n) => {
      const text = card(`NOTE;ENCODING=QUOTED-PRINTABLE:${Array.from({ length: n }, () => 'a'.repeat(69) + '=').join('\r\n')}\r\nz\r\n`);
      return () => parseVCards(text);
    },
  },
  {
    name: 'NICKNAME values (toContact)',
    n: 20_000,
    setup: (n) => {
      const c = parseVCards(card(`NICKNAME:${Array.from({ length: n }, (_, i) => `n${i}`).join(',')}\r\n`)).cards[0]!.card;
      return () => toContact(c);
    },
  },
  {
    name: 'NICKNAME values (list fields)',
    n: 40_000,
    setup: (n) => {
      const c = parseVCards(card(`NICKNAME:${Array.from({ length: n }, (_, i) => `n${i}`).join(',')}\r\n`)).cards[0]!.card;
      const view = toContact(c);
      return () => deriveListFields(c, view);
    },
  },
  {
    name: 'search folding: line breaks in one value',
    n: 40_000,
    setup: (n) => {
      const text = 'Word\n'.repeat(n);
      return () => foldForSearch(text);
    },
  },
  {
    name: 'search folding: Traditional Han in one value',
    n: 40_000,
    setup: (n) => {
      const text = '張三陳 '.repeat(n);
      return () => foldForSearch(text);
    },
  },
  {
    name: 'CATEGORIES de-duplication (toContact)',
    n: 6_000,
    setup: (n) => {
      const c = parseVCards(card(`CATEGORIES:${Array.from({ length: n }, (_, i) => `c${i}`).join(',')}\r\n`)).cards[0]!.card;
      return () => toContact(c);
    },
  },
  {
    name: 'merge (properties)',
    n: 1_250,
    setup: (n) => {
      const base: VCard = { properties: [prop('VERSION', '3.0'), ...Array.from({ length: n }, (_, i) => prop('EMAIL', `e${i}@example.org`))] };
      const local: VCard = { properties: [...base.properties.slice(0, -1), prop('EMAIL', 'local@example.org'), ...Array.from({ length: n / 5 }, (_, i) => prop('TEL', `+1 555 ${i}`))] };
      const remote: VCard = { properties: [...base.properties.slice(1).reverse(), prop('EMAIL', 'remote@example.org'), ...Array.from({ length: n / 5 }, (_, i) => prop('URL', `https://x/${i}`))] };
      return () => merge(base, local, remote);
    },
  },
  {
    name: 'applyEdit: 100 e-mails added (properties)',
    n: 1_250,
    setup: (n) => {
      const c: VCard = { properties: [prop('VERSION', '3.0'), ...Array.from({ length: n }, (_, i) => prop('TEL', `+1 555 ${i}`))] };
      const before = toContact(c);
      const after: Contact = { ...before, emails: Array.from({ length: 100 }, (_, i) => ({ id: '', value: `e${i}@example.org`, types: [], label: '', pref: false })) };
      return () => applyEdit(c, before, after);
    },
  },
  {
    name: 'readXml: nested namespace declarations',
    n: 1_250,
    setup: (n) => {
      const xml = Array.from({ length: n }, (_, i) => `<p${i}:a xmlns:p${i}="urn:x${i}" xmlns="urn:d${i}">`).join('') + Array.from({ length: n }, (_, i) => `</p${n - 1 - i}:a>`).join('');
      return () => readXml(xml);
    },
  },
  {
    name: 'non-UTF-8 short lines (bytes)',
    n: 40_000,
    setup: (n) => {
      const line = new Uint8Array([0x4e, 0x4f, 0x54, 0x45, 0x3a, 0xe9, 0x0d, 0x0a]); // NOTE:é in windows-1252
      const head = new TextEncoder().encode('BEGIN:VCARD\r\nVERSION:2.1\r\n');
      const tail = new TextEncoder().encode('END:VCARD\r\n');
      const bytes = new Uint8Array(head.length + line.length * n + tail.length);
      bytes.set(head, 0);
      for (let i = 0; i < n; i++) bytes.set(line, head.length + i * line.length);
      bytes.set(tail, head.length + line.length * n);
      return () => parseVCards(bytes, { maxPropertiesPerCard: 1_000_000 });
    },
  },
  {
    name: 'stray lines joined to a value',
    n: 10_000,
    setup: (n) => {
      const text = card(`NOTE:start\r\n${'stray line without a colon\r\n'.repeat(n)}`);
      return () => parseVCards(text);
    },
  },
  {
    // The fuzz run's last hangs: ~300,000 lines of a lone `=` (8n) under a NOTE, the whole import.
    name: 'lone = lines joined to a NOTE (importCards)',
    n: 37_500,
    setup: (n) => {
      const bytes = new TextEncoder().encode(card(`FN:Ann\r\nNOTE:x\r\n${'=\r\n'.repeat(n)}TEL:1\r\n`));
      return () => importCards(bytes);
    },
  },
  {
    name: 'lone = lines as soft breaks (importCards)',
    n: 37_500,
    setup: (n) => {
      const bytes = new TextEncoder().encode(card(`FN:Ann\r\nNOTE;ENCODING=QUOTED-PRINTABLE:x=\r\n${'=\r\n'.repeat(n)}y\r\n`));
      return () => importCards(bytes);
    },
  },
  {
    name: 'QP value of non-ASCII text (toContact)',
    n: 35_000,
    setup: (n) => {
      const c = parseVCards(card(`NOTE;ENCODING=QUOTED-PRINTABLE:${'乏呅㭅'.repeat(n)}\r\n`)).cards[0]!.card;
      return () => toContact(c);
    },
  },
  {
    name: 'CATEGORIES unique (group facts)',
    n: 6_000,
    setup: (n) => {
      const c = parseVCards(card(`CATEGORIES:${Array.from({ length: n }, (_, i) => `c${i}`).join(',')}\r\n`)).cards[0]!.card;
      return () => readCardFacts('', c);
    },
  },
  {
    // The seed-20261205 run's slowest import: 423,000 categories, split and unescaped once for the
    // contact view and once more for the group fields before they came from the view.
    name: 'CATEGORIES of one card (importCards)',
    n: 50_000,
    setup: (n) => {
      const bytes = new TextEncoder().encode(card(`FN:Ann\r\nCATEGORIES:${Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'a' : `c\\,${i}`)).join(',')}\r\n`));
      return () => importCards(bytes);
    },
  },
  {
    // The seed-20261205 run's slowest edit: an N of 427,000 commas, each escaped and unescaped again.
    name: 'applyEdit: a name of many commas (N)',
    n: 50_000,
    setup: (n) => {
      const c = parseVCards(card(`N:${'a,'.repeat(n)};Ann\r\n`)).cards[0]!.card;
      const before = toContact(c);
      const after: Contact = { ...before, name: { ...before.name, given: 'Anna' } };
      return () => applyEdit(c, before, after);
    },
  },
  {
    // (8n stays under the 10,000 properties a card may have)
    name: 'merge (properties of one head, TEL;TYPE=cell)',
    n: 1_200,
    setup: (n) => {
      const tel = (i: number): VCard['properties'][number] => ({ group: null, name: 'TEL', params: [{ name: 'TYPE', values: ['cell'], quoted: false }], value: `+1 555 ${i}` });
      const c: VCard = parseVCards(card(Array.from({ length: n }, (_, i) => `TEL;TYPE=cell:+1 555 ${i}\r\n`).join(''))).cards[0]!.card;
      const local: VCard = { properties: [...c.properties.slice(0, -1), tel(-1)] };
      return () => merge(c, local, c);
    },
  },
];

export function runVCardComplexity(): void {
  console.log(`\nvCard core complexity — time at n and at 8n, fastest of ${RUNS} (ratio ≈ 8 linear, ≈ 64 quadratic)`);
  console.log(`${'path'.padEnd(46)}${'n'.padStart(9)}${'ms at n'.padStart(10)}${'ms at 8n'.padStart(10)}${'ratio'.padStart(8)}`);
  for (const c of CASES) {
    const a = time(c.setup(c.n));
    const b = time(c.setup(c.n * 8));
    console.log(`${c.name.padEnd(46)}${c.n.toLocaleString('en').padStart(9)}${a.toFixed(1).padStart(10)}${b.toFixed(1).padStart(10)}${(b / a).toFixed(1).padStart(8)}`);
  }
}
