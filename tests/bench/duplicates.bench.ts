/**
 * Finding duplicates in a generated 50,000-contact book with realistic duplicate rates: about
 * 8% of the cards are copies of another (written differently: capitals, phone formats, titles,
 * Traditional/Simplified, family-given order, a field missing; some exact copies from a sync gone
 * wrong), among households sharing a family address and a landline, companies whose staff share a
 * switchboard, and common names held by different people. Prints the time to make the keys from
 * the vCards (once per card; the keys are kept), the time to find from the keys (the worker's
 * job, target < 2 s), an import of 1,000 cards against the book, and precision and recall
 * against the generator's truth. Never a pass/fail.
 */
import { performance } from 'node:perf_hooks';
import { duplicateKeys, findDuplicates, findImportDuplicates, serveDuplicatesRequest, type DuplicateCandidate, type DuplicateReport } from '../../shared/duplicates';
import { parseVCards } from '../../shared/vcard';

const REGION = 'DE';
const RUNS = 5;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const r = rng(2024);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** Skewed: low indexes more often, as with company sizes. */
const pickCommon = <T>(xs: readonly T[]): T => xs[Math.floor(xs.length * r() ** 2)]!;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

const GIVEN = ['John', 'Maria', 'Michael', 'Anna', 'David', 'Laura', 'Thomas', 'Sarah', 'José', 'Zoë', 'Søren', 'Małgorzata', 'François', 'Björn', 'Ngozi', 'Aiko', 'Lukas', 'Emma', 'Jonas', 'Léa', 'Mateo', 'Sofía', 'Ahmet', 'Elif', 'Olga', 'Ivan', 'Priya', 'Arjun', 'Chloé', 'Noah'];
const FAMILY = ['Smith', 'Müller', 'García', 'Schmidt', 'Johnson', 'Martin', 'Rossi', 'Nowak', 'Kowalska', 'Dubois', 'Jansen', 'Okafor', 'Kierkegaard', 'Núñez', 'Yılmaz', 'Petrov', 'Sharma', 'Weber', 'Fischer', 'Brown'];
const SYLLABLES = ['ka', 'ro', 'lin', 'mer', 'ta', 'so', 'vel', 'dan', 'ri', 'bo', 'ne', 'qui', 'sar', 'tol', 'ma', 'ven', 'li', 'gor', 'pe', 'zu', 'hal', 'mi', 'ros', 'ad', 'el', 'un', 'fa', 'ter', 'wen', 'cas'];
const ZH_FAMILY: readonly [string, string][] = [['张', '張'], ['陈', '陳'], ['刘', '劉'], ['黄', '黃'], ['赵', '趙'], ['吴', '吳'], ['孙', '孫'], ['郑', '鄭'], ['王', '王'], ['李', '李'], ['杨', '楊'], ['林', '林']];
const ZH_GIVEN: readonly [string, string][] = [
  ['伟', '偉'], ['华', '華'], ['丽', '麗'], ['国', '國'], ['龙', '龍'], ['东', '東'], ['军', '軍'], ['红', '紅'], ['兰', '蘭'], ['凤', '鳳'],
  ['明', '明'], ['芳', '芳'], ['静', '靜'], ['强', '強'], ['敏', '敏'], ['杰', '傑'], ['磊', '磊'], ['涛', '濤'], ['雪', '雪'], ['玲', '玲'],
  ['辉', '輝'], ['鹏', '鵬'], ['飞', '飛'], ['丹', '丹'], ['萍', '萍'], ['宁', '寧'], ['岚', '嵐'], ['凯', '凱'], ['颖', '穎'], ['阳', '陽'],
  ['晓', '曉'], ['宇', '宇'], ['浩', '浩'], ['佳', '佳'], ['欣', '欣'], ['婷', '婷'], ['俊', '俊'], ['瑞', '瑞'], ['娟', '娟'], ['霞', '霞'],
  ['昊', '昊'], ['琳', '琳'], ['莉', '莉'], ['斌', '斌'], ['峰', '峰'], ['亮', '亮'], ['勇', '勇'], ['彬', '彬'], ['刚', '剛'], ['环', '環'],
];
const FA_GIVEN = ['علی', 'سارا', 'مریم', 'رضا', 'زهرا', 'محمد', 'کیان', 'نیلوفر', 'یاسمین', 'کاوه', 'مهدی', 'لیلا', 'امیر', 'نگار', 'حسن', 'فاطمه', 'آرش', 'شیرین', 'بهرام', 'پریسا', 'داریوش', 'الهام', 'سعید', 'مینا', 'فرهاد', 'ترانه', 'بابک', 'رویا', 'کامران', 'ژاله'];
const FA_ROOTS = ['کریم', 'حسین', 'احمد', 'موسو', 'کاظم', 'یزدان', 'نیک', 'کیان', 'شریف', 'رحیم', 'جعفر', 'صادق', 'امین', 'نور', 'باقر', 'طاهر', 'ناصر', 'منصور', 'حمید', 'مجید'];
const FA_SUFFIXES = ['ی', 'زاده', 'پور', 'یان', 'نژاد', 'فر'];
const TITLES = ['Dr. ', 'Mr ', 'Frau ', 'Herr ', 'Prof. '];
const LEGAL = ['GmbH', 'AG', 'Ltd', 'Inc.', 'S.A.', 'BV'];

const word = (n: number): string => {
  const w = Array.from({ length: n }, () => pick(SYLLABLES)).join('');
  return w[0]!.toUpperCase() + w.slice(1);
};

type Script = 'latin' | 'zh' | 'fa' | 'org';

interface Person {
  readonly id: number;
  readonly script: Script;
  readonly given: string;
  readonly family: string;
  /** For Chinese names: the same name in Traditional characters. */
  readonly traditional: string;
  readonly emails: string[];
  readonly phones: string[];
  readonly birthday: string;
  readonly org: string;
}

interface Company {
  readonly name: string;
  readonly domain: string;
  readonly switchboard: string;
}

function makeCompanies(count: number): Company[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `${word(2)} ${word(2)} ${pick(LEGAL)}`;
    return { name, domain: `co${i}.example`, switchboard: `+49 ${pick(['30', '89', '40', '221'])} ${digits(4)}-0` };
  });
}

interface Name {
  readonly given: string;
  readonly family: string;
  readonly traditional: string;
}

/** A name in a script; `family` keeps a household's family name (and its Traditional form). */
function makeName(script: 'latin' | 'zh' | 'fa', family: Name | null): Name {
  if (script === 'zh') {
    const f = family === null ? pick(ZH_FAMILY) : ([family.family, family.traditional.slice(0, 1)] as const);
    const g = [pick(ZH_GIVEN), pick(ZH_GIVEN)];
    return { given: g.map(([c]) => c).join(''), family: f[0], traditional: f[1] + g.map(([, t]) => t).join('') };
  }
  if (script === 'fa') return { given: pick(FA_GIVEN), family: family?.family ?? pick(FA_ROOTS) + pick(FA_SUFFIXES), traditional: '' };
  // Common names are common: one in twenty of these people has one of 20 frequent family names
  // (so "John Smith" is several different people at 50,000); the others have rarer ones.
  return { given: pick(GIVEN), family: family?.family ?? (r() < 0.05 ? pick(FAMILY) : word(2 + Math.floor(r() * 2))), traditional: '' };
}

const birthday = (): string =>
  r() < 0.4 ? `${1940 + Math.floor(r() * 65)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}` : '';

function makePeople(count: number, companies: readonly Company[]): Person[] {
  const people: Person[] = [];
  let orgCards = 0;
  const add = (script: Script, name: Name, shared: { email: string | null; landline: string } | null): void => {
    const id = people.length;
    const company = r() < 0.35 ? pickCommon(companies) : null;
    const emails = [`${id}.${name.given.length}@mail${id % 17}.example`];
    if (company !== null) emails.push(`p${id}@${company.domain}`);
    const phones = [r() < 0.8 ? `+49 15${Math.floor(r() * 10)} ${digits(7)}` : `+1 555 ${digits(3)} ${digits(4)}`];
    if (company !== null) phones.push(r() < 0.6 ? company.switchboard : `${company.switchboard.slice(0, -1)}${String(id).padStart(4, '0').slice(-4)}`);
    if (shared !== null) {
      phones.push(shared.landline);
      if (shared.email !== null) emails.push(shared.email);
    }
    people.push({ id, script, ...name, emails, phones, birthday: birthday(), org: company?.name ?? '' });
  };
  while (people.length < count) {
    const roll = r();
    if (roll >= 0.95) {
      const c = companies[orgCards++];
      // One card per company, with its switchboard and info address.
      if (c !== undefined) people.push({ id: people.length, script: 'org', given: '', family: '', traditional: '', emails: [`info@${c.domain}`], phones: [c.switchboard], birthday: '', org: c.name });
      continue;
    }
    const script = roll < 0.7 ? 'latin' : roll < 0.85 ? 'zh' : 'fa';
    if (r() >= 0.12) {
      add(script, makeName(script, null), null);
      continue;
    }
    // A household of 2–4: one family name, different given names, a landline, often a family address.
    const first = makeName(script, null);
    const shared = { email: r() < 0.5 ? `family${people.length}@home.example` : null, landline: `+49 ${pick(['30', '89', '40'])} ${digits(7)}` };
    const givens = new Set<string>();
    for (let k = 2 + Math.floor(r() * 3); k > 0 && people.length < count; k--) {
      const name = givens.size === 0 ? first : makeName(script, first);
      if (givens.has(name.given)) continue;
      givens.add(name.given);
      add(script, name, shared);
    }
  }
  return people;
}

/** The same number as people write it: international, national, with (0), with 00. */
function formatPhone(e164ish: string): string {
  const compact = e164ish.replace(/[^\d+]/g, '');
  if (!compact.startsWith('+49') || e164ish.endsWith('-0')) return r() < 0.5 ? e164ish : e164ish.replace(/\s/g, '');
  const national = `0${compact.slice(3)}`;
  return pick([e164ish, national, `${national.slice(0, 4)}/${national.slice(4)}`, `+49 (0)${compact.slice(3, 6)} ${compact.slice(6)}`, `0049 ${compact.slice(3)}`]);
}

const changeCase = (s: string): string => (r() < 0.5 ? s.toUpperCase() : s[0]!.toUpperCase() + s.slice(1));

function nameLines(p: Person, variant: boolean): string[] {
  if (p.script === 'org') return [`FN:${p.org}`, `ORG:${p.org}`];
  const cjk = p.script === 'zh';
  const fn = cjk ? `${p.family}${p.given}` : `${p.given} ${p.family}`;
  if (!variant) return [`FN:${fn}`, `N:${p.family};${p.given};;;`, ...(p.org ? [`ORG:${p.org}`] : [])];
  const roll = r();
  if (cjk) return roll < 0.5 ? [`FN:${p.traditional}`] : roll < 0.8 ? [`FN:${p.given} ${p.family}`] : [`FN:${p.family}${p.given}先生`];
  if (p.script === 'fa') return roll < 0.5 ? [`FN:آقای ${fn}`] : [`FN:${fn.replace(/ی/g, 'ي').replace(/ک/g, 'ك')}`];
  if (roll < 0.3) return [`FN:${pick(TITLES)}${fn}`, `N:${p.family};${p.given};;;`];
  if (roll < 0.5) return [`FN:${p.family}\\, ${p.given}`];
  if (roll < 0.7) return [`N:${p.family};${p.given};;;`];
  if (roll < 0.85) return [`FN:${p.given[0]}. ${p.family}`];
  return [`FN:${fn.normalize('NFD').replace(/\p{M}/gu, '')}`];
}

/** A card of this person; a copy is written as another app or person would have written it. */
function cardText(p: Person, copy: boolean, uid: string): string {
  const keep = (): boolean => !copy || r() < 0.6;
  const emails = p.emails.filter(keep).map((e) => (copy ? changeCase(e) : e));
  const phones = p.phones.filter(keep).map((t) => (copy ? formatPhone(t) : t));
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:${uid}`,
    ...nameLines(p, copy),
    ...emails.map((e, i) => `EMAIL;TYPE=${i === 0 ? 'HOME' : 'WORK'}:${e}`),
    ...phones.map((t, i) => `TEL;TYPE=${i === 0 ? 'CELL' : 'WORK'}:${t}`),
    ...(p.birthday !== '' && keep() ? [`BDAY:${p.birthday}`] : []),
    'END:VCARD',
    '',
  ].join('\r\n');
}

interface Book {
  readonly text: string;
  /** The person each card is of, in card order: the truth to measure against. */
  readonly personOf: number[];
}

/** 3,000 people copied once, 500 twice, 100 five times (a sync run wild), as a share of `count`. */
export function makeBook(count: number): Book {
  const scale = count / 50_000;
  const plan = [
    { people: Math.round(3000 * scale), copies: 1, exact: false },
    { people: Math.round(500 * scale), copies: 2, exact: false },
    { people: Math.round(100 * scale), copies: 5, exact: true },
  ];
  const extra = plan.reduce((n, p) => n + p.people * p.copies, 0);
  const people = makePeople(count - extra, makeCompanies(Math.round(400 * scale) || 1));
  const cards: { text: string; person: number }[] = people.map((p) => ({ text: cardText(p, false, `u${p.id}`), person: p.id }));
  let at = 0;
  for (const step of plan) {
    for (let i = 0; i < step.people; i++, at += 7) {
      const p = people[at % people.length]!;
      for (let c = 0; c < step.copies; c++) cards.push({ text: step.exact ? cards[p.id]!.text : cardText(p, true, `c${p.id}-${c}`), person: p.id });
    }
  }
  // Copies are scattered through the book, as imports and syncs leave them.
  for (let i = cards.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [cards[i], cards[j]] = [cards[j]!, cards[i]!];
  }
  return { text: cards.map((c) => c.text).join(''), personOf: cards.map((c) => c.person) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const out = f();
  return [out, performance.now() - t0];
}

function accuracy(report: DuplicateReport, personOf: readonly number[]): { precision: number; recall: number; truePairs: number; foundPairs: number } {
  const perPerson = new Map<number, number>();
  for (const p of personOf) perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
  let truePairs = 0;
  for (const n of perPerson.values()) truePairs += (n * (n - 1)) / 2;
  let foundPairs = 0;
  let right = 0;
  for (const c of report.clusters) {
    const ps = c.members.map((id) => personOf[Number(id)]!);
    for (let i = 0; i < ps.length; i++) {
      for (let j = i + 1; j < ps.length; j++) {
        foundPairs++;
        if (ps[i] === ps[j]) right++;
      }
    }
  }
  return { precision: right / foundPairs, recall: right / truePairs, truePairs, foundPairs };
}

/** Precision of the proposed pairs, those backed by an address or number apart from those by the name alone. */
function pairPrecision(report: DuplicateReport, personOf: readonly number[]): { keyed: [number, number]; nameOnly: [number, number] } {
  const keyed: [number, number] = [0, 0];
  const nameOnly: [number, number] = [0, 0];
  for (const c of report.clusters) {
    for (const p of c.pairs) {
      const bucket = p.reasons.some((x) => x.code === 'same-email' || x.code === 'same-phone') ? keyed : nameOnly;
      bucket[0]++;
      if (personOf[Number(p.a)] === personOf[Number(p.b)]) bucket[1]++;
    }
  }
  return { keyed, nameOnly };
}

const IMPORTED = 1000;

export function runDuplicatesBench(count = 50_000): void {
  // One generated book; its last 1,000 cards are held back as a file to import into the rest.
  const book = makeBook(count + IMPORTED);
  const [parsed, parseMs] = timed(() => parseVCards(book.text).cards);
  const [all, keysMs] = timed(() => parsed.map((c, i): DuplicateCandidate => ({ id: String(i), bookId: 'book', keys: duplicateKeys(c.card, REGION) })));
  if (all.length !== count + IMPORTED) throw new Error(`the generated book has ${all.length} cards, not ${count + IMPORTED}`);
  const entries = all.slice(0, count);
  const incoming = all.slice(count).map((e) => ({ ...e, bookId: 'file' }));
  const personOf = book.personOf;

  findDuplicates(entries); // warm-up
  const findMs: number[] = [];
  let report: DuplicateReport | null = null;
  for (let i = 0; i < RUNS; i++) {
    const [rep, ms] = timed(() => findDuplicates(entries));
    findMs.push(ms);
    report = rep;
  }
  // What the worker does: the request arrives (structured clone), is served, the answer leaves.
  const workerMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const request = { type: 'find', requestId: i, region: REGION, scope: 'book', contacts: entries.map((e) => ({ id: e.id, bookId: e.bookId, keys: e.keys })) };
    workerMs.push(timed(() => structuredClone(serveDuplicatesRequest(structuredClone(request))))[1]);
  }
  const importMs = median(Array.from({ length: RUNS }, () => timed(() => findImportDuplicates(incoming, entries))[1]));
  const offered = findImportDuplicates(incoming, entries);
  const inBook = new Set(entries.map((e) => personOf[Number(e.id)]));
  const trulyThere = incoming.filter((e) => inBook.has(personOf[Number(e.id)])).length;
  const offeredRight = offered.filter((m) => personOf[Number(m.existing[0]!.b)] === personOf[Number(m.incoming)]).length;

  const rep = report!;
  const acc = accuracy(rep, personOf.slice(0, count));
  const split = pairPrecision(rep, personOf);
  const sizes = rep.clusters.map((c) => c.members.length);
  const n = (x: number): string => Math.round(x).toLocaleString('en');
  const pct = ([all_, right]: [number, number]): string => `${n(all_)} pairs, ${((right / Math.max(1, all_)) * 100).toFixed(1)}% right`;
  const copies = count - new Set(personOf.slice(0, count)).size;
  console.log(`\nDuplicates — ${n(count)} contacts (${n(copies)} are copies of another), region ${REGION}, Node ${process.version}, median of ${RUNS}`);
  console.log(`  keys from the vCards (once per card, kept): ${n(parseMs + keysMs)} ms for ${n(count + IMPORTED)} (parse ${n(parseMs)} + keys ${n(keysMs)}; ${n(((count + IMPORTED) / (parseMs + keysMs)) * 1000)} cards/s)`);
  console.log(`  find, from the keys:                        ${n(median(findMs))} ms   (target < 2,000 ms)`);
  console.log(`  the worker's request, clone in + out:       ${n(median(workerMs))} ms`);
  console.log(`  import of ${n(IMPORTED)} cards against the book:     ${n(importMs)} ms: ${n(offered.length)} offered for review (${n(offeredRight)} rightly), ${n(trulyThere)} truly already there`);
  console.log(`  candidate pairs ${n(rep.stats.candidatePairs)}, proposed ${n(rep.stats.proposedPairs)}, clusters ${n(rep.clusters.length)} (largest ${Math.max(...sizes)}), shared keys set aside ${n(rep.sharedKeys.length)}`);
  console.log(`  proposed pairs with a shared address or number: ${pct(split.keyed)}; with the same name alone: ${pct(split.nameOnly)}`);
  console.log(`  against the truth: ${n(acc.foundPairs)} pairs in clusters, ${n(acc.truePairs)} true; precision ${(acc.precision * 100).toFixed(1)}%, recall ${(acc.recall * 100).toFixed(1)}%`);
}
