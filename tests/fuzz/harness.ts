/**
 * The vCard core's fuzz harness (`npm run fuzz`, and a fixed-seed slice in `npm test`). Inputs are
 * the fixture corpus mutated (byte flips, truncations, duplicated and enormous lines, nested
 * BEGIN, invalid UTF-8, NULs, stray soft breaks) and fast-check arbitraries (generated cards,
 * hostile parameter and value text, generated XML). Each input goes through the paths import and
 * sync run: `parseVCards`, `toContact`, `applyEdit`, `merge`, `readXml`, the Atom reader and the
 * import worker's `importCards`.
 *
 * Found and reported, each with an input that reproduces it:
 * - untyped exceptions: anything thrown but the codec's and readers' own errors (VCardError,
 *   XmlError, ScanError); `parseVCards`, `toContact`, `merge` and `importCards` throw nothing;
 * - round-trip breaks: a card read, written and read again that is not the same card (or no
 *   longer reads), before and after an edit or a merge;
 * - the slowest calls; one over 100 ms on an input under 1 MB counts as a hang. Each slow call
 *   carries its wall time and the process's CPU time over it (user + system), and every hang kept
 *   is timed again alone at the end of the run (fastest of 3): a hang the input causes is slow
 *   alone too, one the machine's load caused is not. Timings are reported, never asserted.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readXml, XmlError } from '../../electron/dav/xml-reader';
import { parseEntry, parseFeed, entryToVCard } from '../../electron/gdata/atom';
import { ScanError } from '../../electron/gdata/scan';
import { importCards } from '../../renderer/src/workers/import-cards';
import { applyEdit, merge, parseVCards, serializeVCard, toContact, VCardError, type Contact, type VCard } from '../../shared/vcard';

export const CORPUS_DIR = fileURLToPath(new URL('../fixtures/vcards/', import.meta.url));
/** A call slower than this on an input under HANG_INPUT characters or bytes is a hang. */
export const HANG_MS = 100;
export const HANG_INPUT = 1024 * 1024;
/** How many hangs a target keeps (its slowest), each timed again alone at the end. */
export const HANGS_KEPT = 10;
/** Re-runs of a hang alone; the fastest counts. */
const RETIMES = 3;

export interface Finding {
  readonly target: string;
  readonly message: string;
  /** The input that reproduces it: text, or base64 bytes (`base64:` prefix). */
  readonly input: string;
}

export interface SlowCall {
  readonly target: string;
  /** Wall time of the call in the run. */
  readonly ms: number;
  /** The process's CPU time (user + system, `process.cpuUsage`) over the call in the run. */
  readonly cpuMs: number;
  readonly size: number;
  readonly input: string;
  /** Hangs only: the same call timed again alone at the end of the run, fastest of 3 (wall time)… */
  aloneMs?: number;
  /** …and the CPU time of that fastest re-run. */
  aloneCpuMs?: number;
}

export interface FuzzReport {
  seed: number;
  tried: number;
  /** Every untyped exception and round-trip break counted (the lists keep the first distinct ones). */
  untypedCount: number;
  roundTripCount: number;
  byTarget: Record<string, number>;
  untyped: Finding[];
  roundTrip: Finding[];
  /** Every call over HANG_MS on an input under HANG_INPUT, in all and by target… */
  hangCount: number;
  hangCountByTarget: Record<string, number>;
  /** …and the slowest of them kept (HANGS_KEPT a target), slowest first, each re-timed alone. */
  hangs: SlowCall[];
  /** Of the hangs kept, how many still take over HANG_MS alone (the input's), and how many not (the machine's). */
  hangsAloneOver: number;
  hangsAloneUnder: number;
  /** Of the hangs kept, how many took over HANG_MS of CPU time in their fastest re-run alone (on a loaded machine the wall time alone is stretched too). */
  hangsAloneCpuOver: number;
  slowest: SlowCall[];
  seconds: number;
}

export interface FuzzOptions {
  seed: number;
  /** Stop after this many inputs… */
  iterations?: number;
  /** …or after this many seconds, whichever comes first. */
  seconds?: number;
  /** How many untyped exceptions and round-trip breaks to keep (the counts are not capped). */
  keep?: number;
  /** Time the hangs kept again alone at the end (default true). */
  retime?: boolean;
  onProgress?: (r: FuzzReport) => void;
  /** Enormous-line mutations up to this many characters (default 2 MB: past the hang size). */
  maxEnormous?: number;
}

/** At most this many bytes of duplicated lines a mutation (past the hang size, far below V8's longest string). */
const MAX_DUPLICATED = 4 * 1024 * 1024;

/** A small deterministic generator (mulberry32): the mutations must replay from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function loadCorpus(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = `${dir}${name}`;
      if (statSync(path).isDirectory()) walk(`${path}/`);
      else if (/\.(vcf|vcard|txt)$/i.test(name)) out.push(new Uint8Array(readFileSync(path)));
    }
  };
  walk(CORPUS_DIR);
  return out;
}

const enc = new TextEncoder();
const b64 = (b: Uint8Array): string => `base64:${Buffer.from(b).toString('base64')}`;

/** Byte-level mutations of a corpus file. */
export function mutate(input: Uint8Array, r: () => number, maxEnormous: number): Uint8Array {
  let b = input;
  const n = 1 + Math.floor(r() * 4);
  const pick = (len: number) => Math.floor(r() * Math.max(1, len));
  const splice = (at: number, del: number, ins: Uint8Array): Uint8Array => {
    const out = new Uint8Array(b.length - del + ins.length);
    out.set(b.subarray(0, at), 0);
    out.set(ins, at);
    out.set(b.subarray(at + del), at + ins.length);
    return out;
  };
  const lineStarts = (): number[] => {
    const s = [0];
    for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) s.push(i + 1);
    return s;
  };
  for (let k = 0; k < n; k++) {
    const op = Math.floor(r() * 13);
    if (op === 0) {
      // flip bits of a few bytes
      b = b.slice();
      for (let j = 0; j < 1 + pick(8); j++) {
        if (b.length === 0) break;
        const at = pick(b.length);
        b[at] = b[at]! ^ (1 << pick(8));
      }
    } else if (op === 1) b = b.subarray(0, pick(b.length + 1)); // truncate
    else if (op === 2 || op === 3) {
      // duplicate a line (several times)
      const s = lineStarts();
      const i = pick(s.length);
      const line = b.subarray(s[i]!, s[i + 1] ?? b.length);
      // Bounded (the random draw is made all the same, so other inputs of a seed are unchanged): a
      // line duplicated again and again would pass the longest string V8 makes.
      const times = Math.max(1, Math.min(op === 2 ? 1 : 1 + pick(200), Math.floor(MAX_DUPLICATED / Math.max(1, line.length))));
      const ins = new Uint8Array(line.length * times);
      for (let t = 0; t < times; t++) ins.set(line, t * line.length);
      b = splice(s[i]!, 0, ins);
    } else if (op === 4) {
      // an enormous line: a value repeated up to maxEnormous characters
      const s = lineStarts();
      const at = s[pick(s.length)]!;
      const unit = [enc.encode('x'), enc.encode('a,'), enc.encode('=\r\n'), enc.encode('=41'), enc.encode('\\n'), enc.encode(';'), enc.encode('\r\n ')][pick(7)]!;
      const times = Math.floor((r() * r() * maxEnormous) / unit.length);
      const head = enc.encode(['NOTE:', 'NICKNAME:', 'CATEGORIES:', 'NOTE;ENCODING=QUOTED-PRINTABLE:', 'EMAIL;TYPE=', 'N:', 'PHOTO;ENCODING=b:'][pick(7)]!);
      const ins = new Uint8Array(head.length + unit.length * times + 2);
      ins.set(head, 0);
      for (let t = 0; t < times; t++) ins.set(unit, head.length + t * unit.length);
      ins.set([0x0d, 0x0a], ins.length - 2);
      b = splice(at, 0, ins);
    } else if (op === 5) {
      const s = lineStarts();
      b = splice(s[pick(s.length)]!, 0, enc.encode(r() < 0.5 ? 'BEGIN:VCARD\r\n' : 'END:VCARD\r\n')); // nested or stray marker
    } else if (op === 6) {
      const bad = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x80]][pick(7)]!;
      b = splice(pick(b.length + 1), 0, Uint8Array.from(bad)); // invalid UTF-8
    } else if (op === 7) b = splice(pick(b.length + 1), 0, Uint8Array.from({ length: 1 + pick(4) }, () => 0)); // NULs
    else if (op === 8) {
      // delete a stretch
      const at = pick(b.length);
      b = splice(at, Math.min(b.length - at, pick(64)), new Uint8Array(0));
    } else if (op === 9) {
      // a soft break, a fold or a bare line end somewhere
      const ins = ['=', '=\r\n', '\r\n ', '\r', '\n', '\r\n\r\n', ':', ';', '"', '\\', ',', '='][pick(12)]!;
      b = splice(pick(b.length + 1), 0, enc.encode(ins));
    } else if (op === 10) {
      // remove line ends of a stretch (lines run together) or a line's colon
      const at = pick(b.length);
      const end = Math.min(b.length, at + pick(400));
      const out = b.slice();
      for (let i = at; i < end; i++) if (out[i] === 0x0a || out[i] === 0x0d || (op === 10 && out[i] === 0x3a && r() < 0.3)) out[i] = 0x20;
      b = out;
    } else if (op === 11) {
      // the whole file as UTF-16 (no byte-order mark), LE or BE
      const text = new TextDecoder().decode(b);
      const out = new Uint8Array(text.length * 2);
      const le = r() < 0.5;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        out[i * 2 + (le ? 0 : 1)] = c & 0xff;
        out[i * 2 + (le ? 1 : 0)] = c >> 8;
      }
      b = out;
    } else {
      // splice in a piece of another place of the same file (cards cut and joined)
      const at = pick(b.length);
      const from = pick(b.length);
      b = splice(at, 0, b.subarray(from, Math.min(b.length, from + pick(300))));
    }
  }
  return b;
}

// ---- fast-check arbitraries ---------------------------------------------------------------------

const hostileChar = fc.constantFrom('a', 'Z', '0', ' ', '\t', ',', ';', ':', '=', '"', '\\', '^', 'n', '\r', '\n', '\u0000', 'é', '张', '😀', '\uD800', '=0D=0A', '\\n', '\\,');
const hostileText = fc.array(hostileChar, { maxLength: 24 }).map((a) => a.join(''));
const propName = fc.constantFrom('FN', 'N', 'NICKNAME', 'EMAIL', 'TEL', 'ADR', 'ORG', 'NOTE', 'CATEGORIES', 'PHOTO', 'BDAY', 'X-ABLabel', 'URL', 'IMPP', 'X-CUSTOM', 'item1.EMAIL', 'item2.X-ABLabel', 'UID', 'TITLE', 'RELATED', 'X-ABDATE');
const paramText = fc.oneof(
  fc.constantFrom(';TYPE=home', ';TYPE="work,pref"', ';HOME', ';  ', ';', ';PREF=1', ';ENCODING=QUOTED-PRINTABLE', ';CHARSET=UTF-8', ';ENCODING=b;TYPE=png', ';X-A="a",b', ';VALUE=uri', ';QUOTED-PRINTABLE', ';CHARSET=ISO-8859-1'),
  hostileText.map((t) => `;X-P=${t.replace(/[\r\n:]/g, '')}`),
);
const contentLine = fc.tuple(propName, fc.array(paramText, { maxLength: 3 }), hostileText).map(([n, p, v]) => `${n}${p.join('')}:${v}`);
const version = fc.constantFrom('2.1', '3.0', '4.0');
const cardText = fc
  .tuple(version, fc.array(fc.oneof({ weight: 8, arbitrary: contentLine }, { weight: 1, arbitrary: hostileText }), { maxLength: 12 }), fc.constantFrom('\r\n', '\n', '\r'))
  .map(([v, lines, eol]) => ['BEGIN:VCARD', `VERSION:${v}`, ...lines, 'END:VCARD', ''].join(eol));
const cardsText = fc.array(cardText, { minLength: 1, maxLength: 3 }).map((a) => a.join(''));

const xmlName = fc.constantFrom('d:response', 'd:href', 'C:address-data', 'a', 'x:y', 'entry', 'gd:email', 'title');
const xmlText = fc.array(fc.constantFrom('a', '&amp;', '&lt;', '&#13;', '&#x1F600;', '&bogus;', '&', ']]>', '<![CDATA[x]]>', '<!-- c -->', ' ', '\r\n'), { maxLength: 8 }).map((a) => a.join(''));
const xmlAttrs = fc.array(fc.constantFrom(' xmlns="DAV:"', ' xmlns:d="DAV:"', ' xmlns:x="urn:x"', ' xmlns:x=""', ' a="1"', " b='2'", ' a="1" a="2"', ' xml:lang="en"', ' rel="next" href="/n"'), { maxLength: 3 }).map((a) => a.join(''));
const xmlTree: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlText,
    fc.tuple(xmlName, xmlAttrs, fc.array(tie('node'), { maxLength: 4 })).map(([n, a, kids]) => `<${n}${a}>${kids.join('')}</${n}>`),
  ),
})).node;
const xmlDoc = fc
  .tuple(fc.constantFrom('', '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>'), xmlTree)
  .map(([decl, body]) => `${decl}<d:multistatus xmlns:d="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav" xmlns:gd="http://schemas.google.com/g/2005">${body}</d:multistatus>`);

function atomFeed(cardText: string, extra: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:gd="http://schemas.google.com/g/2005" xmlns:gContact="http://schemas.google.com/contact/2008"><updated>2024-01-01T00:00:00Z</updated><entry gd:etag='"e"'><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated><title>${esc(cardText.slice(0, 200))}</title><gd:name><gd:fullName>${esc(cardText.slice(0, 80))}</gd:fullName><gd:familyName>${esc(extra)}</gd:familyName></gd:name><gd:email rel="http://schemas.google.com/g/2005#work" address="${esc(extra).replace(/"/g, '&quot;')}" primary="true"/><content>${esc(cardText)}</content>${extra}</entry></feed>`;
}

// ---- the checks ---------------------------------------------------------------------------------

function typed(e: unknown): boolean {
  return e instanceof VCardError || e instanceof XmlError || e instanceof ScanError;
}

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e).slice(0, 300));

/** A view edited the way the editor could: every kind of field changed, added or removed. */
function edited(c: Contact, r: () => number): Contact {
  const w = (s: string) => (r() < 0.5 ? `${s}x` : `${s}\n,;\\ é😀`);
  return {
    ...c,
    formattedName: w(c.formattedName),
    name: { ...c.name, family: w(c.name.family), given: r() < 0.3 ? '' : c.name.given },
    nicknames: r() < 0.5 ? [...c.nicknames, 'nick, name'] : c.nicknames.slice(1),
    note: r() < 0.5 ? w(c.note) : '',
    categories: r() < 0.5 ? [...c.categories, 'a,b', 'c;d'] : [],
    emails: r() < 0.5 ? [...c.emails.slice(1), { id: '', value: 'new@example.org', types: ['work'], label: r() < 0.5 ? 'My label' : '', pref: true }] : c.emails.map((e) => ({ ...e, value: w(e.value) })),
    phones: c.phones.map((p) => ({ ...p, types: ['cell'], pref: !p.pref })),
    addresses: r() < 0.5 ? [...c.addresses, { id: '', poBox: '', extended: '', street: 'Main St; 1', locality: 'Town, X', region: '', postalCode: '1', country: 'Y\nZ', types: ['home'], label: '', pref: false }] : c.addresses.slice(1),
    photo: r() < 0.3 ? { uri: 'data:image/png;base64,iVBORw0KGgo=' } : c.photo,
  };
}

/**
 * A card read, written and read again must be the same card, with no error on the way back. A card
 * made by an edit or a merge (parameters it made carry no quoting flag) must be written the same
 * way after it is read back.
 */
function roundTripProblem(card: VCard, made: boolean): string | null {
  const text = serializeVCard(card);
  const again = parseVCards(text);
  if (again.errors.length > 0) return `written card does not read back: ${again.errors[0]!.code} ${again.errors[0]!.message}`;
  if (again.cards.length !== 1) return `written card reads back as ${again.cards.length} cards`;
  const a = made ? text : JSON.stringify(card.properties);
  const b = made ? serializeVCard(again.cards[0]!.card) : JSON.stringify(again.cards[0]!.card.properties);
  if (a !== b) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return `written card reads back different near ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`;
  }
  return null;
}

export function runFuzz(opts: FuzzOptions): FuzzReport {
  const keep = opts.keep ?? 20;
  const maxEnormous = opts.maxEnormous ?? 2 * 1024 * 1024;
  const corpus = loadCorpus();
  const r = rng(opts.seed);
  const started = performance.now();
  const report: FuzzReport = {
    seed: opts.seed,
    tried: 0,
    untypedCount: 0,
    roundTripCount: 0,
    byTarget: {},
    untyped: [],
    roundTrip: [],
    hangCount: 0,
    hangCountByTarget: {},
    hangs: [],
    hangsAloneOver: 0,
    hangsAloneUnder: 0,
    hangsAloneCpuOver: 0,
    slowest: [],
    seconds: 0,
  };
  /**
   * The hangs kept by target, slowest first, and the slowest calls, each with its input as it was
   * given (bytes stay outside the JavaScript heap; the report's text is made at the end). Nothing
   * else of a call is kept: cards and views held for 130 hangs would be hundreds of megabytes the
   * collector goes through during every later call, and slow them all.
   */
  type Kept = { target: string; ms: number; cpuMs: number; size: number; raw: string | Uint8Array };
  const hangsKept = new Map<string, Kept[]>();
  const slowest: Kept[] = [];
  const untypedSeen = new Set<string>();
  const rtSeen = new Set<string>();
  let untypedCount = 0;
  let rtCount = 0;

  const inputOf = (x: string | Uint8Array): string => (typeof x === 'string' ? x : b64(x));
  const sizeOf = (x: string | Uint8Array): number => x.length;
  /** Run one call, timing it; an exception is returned (typed ones are fine, others recorded). */
  const call = <T>(target: string, input: string | Uint8Array, f: () => T, allowTyped: boolean): T | undefined => {
    report.byTarget[target] = (report.byTarget[target] ?? 0) + 1;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let out: T | undefined;
    try {
      out = f();
    } catch (e) {
      if (!(allowTyped && typed(e))) {
        untypedCount++;
        const message = describeError(e);
        const key = `${target}|${message.slice(0, 80)}`;
        if (!untypedSeen.has(key) && report.untyped.length < keep) report.untyped.push({ target, message, input: inputOf(input) });
        untypedSeen.add(key);
      }
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const size = sizeOf(input);
    if (slowest.length < 10 || ms > slowest[slowest.length - 1]!.ms) {
      slowest.push({ target, ms, cpuMs, size, raw: input });
      slowest.sort((a, b) => b.ms - a.ms);
      if (slowest.length > 10) slowest.pop();
    }
    if (ms > HANG_MS && size < HANG_INPUT) {
      report.hangCount++;
      report.hangCountByTarget[target] = (report.hangCountByTarget[target] ?? 0) + 1;
      const kept = hangsKept.get(target) ?? [];
      hangsKept.set(target, kept);
      if (kept.length < HANGS_KEPT || ms > kept[kept.length - 1]!.ms) {
        kept.push({ target, ms, cpuMs, size, raw: input });
        kept.sort((a, b) => b.ms - a.ms);
        if (kept.length > HANGS_KEPT) kept.pop();
      }
    }
    return out;
  };
  const roundTrip = (target: string, input: string | Uint8Array, card: VCard): void => {
    const made = target === 'applyEdit' || target === 'merge';
    const problem = call(`${target} round trip`, input, () => roundTripProblem(card, made), false);
    if (problem === undefined || problem === null) return;
    rtCount++;
    const key = `${target}|${problem.slice(0, 50)}`;
    if (!rtSeen.has(key) && report.roundTrip.length < keep) report.roundTrip.push({ target, message: problem, input: inputOf(input) });
    rtSeen.add(key);
  };

  const sample = <T>(arb: fc.Arbitrary<T>): T => fc.sample(arb, { seed: Math.floor(r() * 2 ** 31), numRuns: 1 })[0]!;

  const vcardPaths = (input: string | Uint8Array): void => {
    const parsed = call('parseVCards', input, () => parseVCards(input), false);
    if (parsed === undefined) return;
    const cards = parsed.cards.slice(0, 8).map((c) => c.card);
    for (const card of cards) {
      roundTrip('parseVCards', input, card);
      const view = call('toContact', input, () => toContact(card), false);
      if (view === undefined) continue;
      const after = edited(view, r);
      const editedCard = call('applyEdit', input, () => applyEdit(card, view, after), true);
      if (editedCard !== undefined) roundTrip('applyEdit', input, editedCard);
    }
    if (cards.length >= 1) {
      const base = cards[0]!;
      const local = cards[1 % cards.length]!;
      const remote = cards[2 % cards.length]!;
      const merged = call('merge', input, () => merge(base, local, remote), false);
      if (merged !== undefined) roundTrip('merge', input, merged.card);
    }
    if (typeof input !== 'string') call('importCards', input, () => importCards(input), false);
  };

  const done = (): boolean =>
    (opts.iterations !== undefined && report.tried >= opts.iterations) || (opts.seconds !== undefined && performance.now() - started >= opts.seconds * 1000);
  let lastProgress = started;
  while (!done()) {
    report.tried++;
    const kind = r();
    if (kind < 0.55) {
      vcardPaths(mutate(corpus[Math.floor(r() * corpus.length)]!, r, maxEnormous));
    } else if (kind < 0.8) {
      const text = sample(cardsText);
      vcardPaths(r() < 0.5 ? text : enc.encode(text));
    } else if (kind < 0.9) {
      const doc = sample(xmlDoc);
      const mutated = r() < 0.5 ? doc : new TextDecoder().decode(mutate(enc.encode(doc), r, 4096));
      call('readXml', mutated, () => readXml(mutated), true);
    } else {
      const card = new TextDecoder().decode(corpus[Math.floor(r() * corpus.length)]!).slice(0, 2000);
      const feed = atomFeed(card, [...sample(hostileText)].filter((ch) => ch !== '\u0000' && ch !== '\uD800').join(''));
      const mutated = r() < 0.5 ? feed : new TextDecoder().decode(mutate(enc.encode(feed), r, 4096));
      const parsed = call('Atom parseFeed', mutated, () => parseFeed(mutated), true);
      for (const entry of parsed?.entries ?? []) {
        const vcard = call('Atom entryToVCard', entry.xml, () => entryToVCard(entry), true);
        if (vcard !== undefined) {
          const back = call('parseVCards', vcard, () => parseVCards(vcard), false);
          if (back !== undefined && back.cards.length === 1) roundTrip('Atom entryToVCard', vcard, back.cards[0]!.card);
          else if (back !== undefined) {
            rtCount++;
            if (report.roundTrip.length < keep) report.roundTrip.push({ target: 'Atom entryToVCard', message: `the entry's vCard reads as ${back.cards.length} cards`, input: entry.xml });
          }
        }
        call('Atom parseEntry', entry.xml, () => parseEntry(entry.xml), true);
      }
    }
    if (opts.onProgress !== undefined && performance.now() - lastProgress > 10_000) {
      lastProgress = performance.now();
      report.seconds = (lastProgress - started) / 1000;
      report.untypedCount = untypedCount;
      report.roundTripCount = rtCount;
      opts.onProgress(report);
    }
  }
  report.seconds = (performance.now() - started) / 1000;
  report.untypedCount = untypedCount;
  report.roundTripCount = rtCount;
  const out = ({ raw, ...k }: Kept): SlowCall => ({ ...k, input: inputOf(raw) });
  report.slowest = slowest.map(out);
  const kept = [...hangsKept.values()].flat().sort((a, b) => b.ms - a.ms);
  report.hangs = kept.map(out);
  if (opts.retime !== false) {
    kept.forEach((k, i) => {
      const t = timeReplayed(k.target, k.raw);
      if (t === undefined) return;
      const hang = report.hangs[i]!;
      hang.aloneMs = t.ms;
      hang.aloneCpuMs = t.cpuMs;
      if (t.ms > HANG_MS) report.hangsAloneOver++;
      else report.hangsAloneUnder++;
      if (t.cpuMs > HANG_MS) report.hangsAloneCpuOver++;
    });
  }
  return report;
}

/**
 * A finding's call timed alone from its input (see replayCalls): each call it can have been timed
 * (fastest of RETIMES), the slowest of them returned; undefined when none can be rebuilt.
 */
export function timeReplayed(target: string, input: string | Uint8Array): { ms: number; cpuMs: number } | undefined {
  let worst: { ms: number; cpuMs: number } | undefined;
  for (const c of replayCalls(target, input)) {
    const t = timeAlone(c);
    if (worst === undefined || t.ms > worst.ms) worst = t;
  }
  return worst;
}

/** A call timed alone: the fastest of RETIMES runs (wall time, and the CPU time of that run). */
export function timeAlone(f: () => unknown, runs = RETIMES): { ms: number; cpuMs: number } {
  let best = { ms: Infinity, cpuMs: Infinity };
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      f();
    } catch {
      // what it throws was reported in the run
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    if (ms < best.ms) best = { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  }
  return best;
}

/** A reproducing input as the report keeps it: text, or bytes after a `base64:` prefix. */
export function inputFromReport(input: string): string | Uint8Array {
  return input.startsWith('base64:') ? new Uint8Array(Buffer.from(input.slice(7), 'base64')) : input;
}

/**
 * The calls a finding on `target` can have been, rebuilt from its input (the report's text, or the
 * input itself): one per card the run took from it (its first 8). An edit is drawn again from a
 * fixed seed, so it is one like the run's, not the same one. The run's hangs are timed alone this
 * way at its end, and `tests/fuzz/retime.ts` times a saved report's.
 */
export function replayCalls(target: string, raw: string | Uint8Array): (() => unknown)[] {
  const input = typeof raw === 'string' ? inputFromReport(raw) : raw;
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const cards = (): VCard[] => parseVCards(input).cards.slice(0, 8).map((c) => c.card);
  const r = rng(1);
  switch (target) {
    case 'parseVCards':
      return [() => parseVCards(input)];
    case 'importCards':
      return typeof input === 'string' ? [] : [() => importCards(input)];
    case 'toContact':
      return cards().map((c) => () => toContact(c));
    case 'parseVCards round trip':
      return cards().map((c) => () => roundTripProblem(c, false));
    case 'applyEdit':
    case 'applyEdit round trip':
      return cards().map((c) => {
        const view = toContact(c);
        const after = edited(view, r);
        if (target === 'applyEdit') return () => applyEdit(c, view, after);
        let made: VCard | undefined;
        try {
          made = applyEdit(c, view, after);
        } catch {
          made = undefined;
        }
        return () => (made === undefined ? null : roundTripProblem(made, true));
      });
    case 'merge':
    case 'merge round trip': {
      const cs = cards();
      if (cs.length === 0) return [];
      const [base, local, remote] = [cs[0]!, cs[1 % cs.length]!, cs[2 % cs.length]!];
      if (target === 'merge') return [() => merge(base, local, remote)];
      const merged = merge(base, local, remote).card;
      return [() => roundTripProblem(merged, true)];
    }
    case 'readXml':
      return [() => readXml(text)];
    case 'Atom parseFeed':
      return [() => parseFeed(text)];
    case 'Atom parseEntry':
      return [() => parseEntry(text)];
    case 'Atom entryToVCard': {
      const entry = parseEntry(text);
      return [() => entryToVCard(entry)];
    }
    case 'Atom entryToVCard round trip':
      return cards().map((c) => () => roundTripProblem(c, false));
    default:
      return [];
  }
}
