/**
 * vCard codec throughput, ours beside ical.js, on the same 10,000-card corpus in one run.
 * Median of several timed runs after a warm-up; cards per second and the ratio.
 */
import ICAL from 'ical.js';
import { performance } from 'node:perf_hooks';
import { parseVCards, serializeVCards, toContact } from '../../shared/vcard';
import { generateCorpus } from './corpus';

const COUNT = 10_000;
const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown): number {
  fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export function runVCardBench(): void {
  const text = generateCorpus(COUNT);
  const ours = parseVCards(text).cards.map((c) => c.card);
  const theirs = ICAL.parse(text) as unknown[];
  if (ours.length !== COUNT || theirs.length !== COUNT) throw new Error('corpus did not parse completely');

  const rows: [string, number, number][] = [
    ['parse', time(() => parseVCards(text)), time(() => ICAL.parse(text))],
    ['parse + decoded values', time(() => parseVCards(text).cards.map((c) => toContact(c.card))), time(() => ICAL.parse(text))],
    ['serialise', time(() => serializeVCards(ours)), time(() => theirs.map((j) => ICAL.stringify(j as never)).join(''))],
    [
      'round trip (parse + serialise)',
      time(() => serializeVCards(parseVCards(text).cards.map((c) => c.card))),
      time(() => (ICAL.parse(text) as unknown[]).map((j) => ICAL.stringify(j as never)).join('')),
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
