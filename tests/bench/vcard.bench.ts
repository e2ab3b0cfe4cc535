/**
 * vCard codec throughput, ours beside ical.js, on the same 10,000-card corpus in one run.
 * Median of several timed runs after a warm-up; cards per second and the ratio.
 */
import ICAL from 'ical.js';
import { performance } from 'node:perf_hooks';
import { parseVCards, serializeVCards, toContact } from '../../shared/vcard';
import { generateCorpus } from './corpus';

const COUNT = 10_000;
const RUNS = 11;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Time two functions in alternation (ours, theirs, ours, …) after a warm-up of each, so that both
 * see the same machine noise; the median of each.
 */
function timePair(ours: () => unknown, theirs: () => unknown): [number, number] {
  ours();
  theirs();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    ours();
    a.push(performance.now() - t0);
    t0 = performance.now();
    theirs();
    b.push(performance.now() - t0);
  }
  return [median(a), median(b)];
}

/**
 * ical.js's decoded values, read the way its API gives them: ICAL.parse has unescaped text and split
 * structured and list values already; a Component and its Properties are made when asked for, and
 * a date becomes a VCardTime only when read. So every property's values are read, with its TYPE.
 */
function icalDecoded(text: string): number {
  let n = 0;
  for (const j of ICAL.parse(text) as unknown[]) {
    const comp = new ICAL.Component(j as never);
    for (const p of comp.getAllProperties()) {
      n += p.getValues().length;
      if (p.getParameter('type') !== undefined) n++;
    }
  }
  return n;
}

export function runVCardBench(): void {
  const text = generateCorpus(COUNT);
  const ours = parseVCards(text).cards.map((c) => c.card);
  const theirs = ICAL.parse(text) as unknown[];
  if (ours.length !== COUNT || theirs.length !== COUNT) throw new Error('corpus did not parse completely');

  const rows: [string, ...[number, number]][] = [
    ['parse', ...timePair(() => parseVCards(text), () => ICAL.parse(text))],
    // Ours builds the whole contact view at once (nothing is left to decode when a field is read).
    ['parse + decoded values', ...timePair(() => parseVCards(text).cards.map((c) => toContact(c.card)), () => icalDecoded(text))],
    ['serialise', ...timePair(() => serializeVCards(ours), () => theirs.map((j) => ICAL.stringify(j as never)).join(''))],
    [
      'round trip (parse + serialise)',
      ...timePair(
        () => serializeVCards(parseVCards(text).cards.map((c) => c.card)),
        () => (ICAL.parse(text) as unknown[]).map((j) => ICAL.stringify(j as never)).join(''),
      ),
    ],
  ];

  const mb = (text.length / 1024 / 1024).toFixed(1);
  console.log(`\nvCard codec — ${COUNT.toLocaleString('en')} cards (${mb} MB), median of ${RUNS} runs, Node ${process.version}`);
  console.log(`${'operation'.padEnd(32)}${'Cardinal cards/s'.padStart(18)}${'ical.js cards/s'.padStart(18)}${'ratio'.padStart(9)}`);
  for (const [name, oursMs, theirsMs] of rows) {
    const a = (COUNT / oursMs) * 1000;
    const b = (COUNT / theirsMs) * 1000;
    console.log(`${name.padEnd(32)}${Math.round(a).toLocaleString('en').padStart(18)}${Math.round(b).toLocaleString('en').padStart(18)}${`${(a / b).toFixed(2)}×`.padStart(9)}`);
  }
}
