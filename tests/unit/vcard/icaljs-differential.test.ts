/**
 * Differential test against ical.js: for every fixture ical.js can read (vCard 3.0 and 4.0; it
 * has no 2.1 support), our decoded value of every property agrees with ical.js's.
 *
 * Known differences, each normalised here rather than hidden:
 * - ical.js reads text only: it gets the text we decoded from the bytes (legacy charsets, UTF-16)
 *   with CRLF line ends (it leaves a stray CR in values of CR-only files).
 * - In vCard 3.0 text values ical.js leaves `\;` escaped; RFC 2426 §5 says to unescape it, as we do.
 * - ical.js types a 3.0 TZ as utc-offset and keeps its escapes: TZ is not compared.
 * - Gmail's exports escape colons in URLs (`http\://`); ical.js keeps the backslash, we drop it.
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { decodeVCardBytes, listValue, parseVCards, structuredValue, textValue, versionOf, type VProperty } from '../../../shared/vcard';
import { loadFixtures } from './fixtures';

type JProp = [string, Record<string, unknown>, string, ...unknown[]];
const STRUCTURED = new Set(['n', 'adr', 'org', 'gender', 'clientpidmap']);
const LISTS = new Set(['categories', 'nickname']);

function flat(v: unknown): string {
  return Array.isArray(v) ? v.map(flat).join(',') : String(v);
}

/** Our value in ical.js's shape, or null where the types are not comparable as text. */
function ours(prop: VProperty, version: '3.0' | '4.0', jtype: string, jvalues: unknown[]): { ours: string; theirs: string } | null {
  const name = prop.name.toLowerCase();
  if (STRUCTURED.has(name) && jtype === 'text') {
    const comps = structuredValue(prop, version);
    const theirs = Array.isArray(jvalues[0]) ? (jvalues[0] as unknown[]).map(flat) : [flat(jvalues[0])];
    // ical.js drops trailing empty components; compare what both have.
    return { ours: comps.slice(0, theirs.length).join(';'), theirs: theirs.join(';') };
  }
  if (LISTS.has(name) && jtype === 'text') return { ours: listValue(prop, version).join('|'), theirs: jvalues.map((v) => flat(v).trim()).filter((v) => v !== '').join('|') };
  if (name === 'tz') return null;
  const theirs = version === '3.0' ? flat(jvalues).replace(/\\;/g, ';') : flat(jvalues);
  if (jtype === 'text') return { ours: textValue(prop, version), theirs };
  if (jtype === 'uri') return { ours: textValue(prop, version), theirs: theirs.replace(/\\:/g, ':') };
  if (jtype === 'unknown') return { ours: prop.value, theirs: flat(jvalues) };
  return null; // dates, times, utc-offsets, binary: ical.js converts them; not text-comparable
}

const candidates = loadFixtures().filter((f) => !f.malformed && /^(3\.0|4\.0|4)$/.test(f.versions));

describe('differential against ical.js', () => {
  let compared = 0;
  let files = 0;
  for (const f of candidates) {
    const text = decodeVCardBytes(f.bytes).text.replace(/\r\n|\r|\n/g, '\r\n');
    let jcards: unknown[];
    try {
      const parsed = ICAL.parse(text) as unknown[];
      jcards = (parsed[0] === 'vcard' ? [parsed] : parsed) as unknown[];
    } catch {
      continue; // ical.js cannot read it: nothing to compare against
    }
    files++;
    it(`${f.file}: every property value agrees with ical.js`, () => {
      const { cards } = parseVCards(f.bytes);
      expect(cards).toHaveLength(jcards.length);
      cards.forEach((c, i) => {
        const jprops = (jcards[i] as [string, JProp[]])[1];
        const version = versionOf(c.card) === '4.0' ? '4.0' : '3.0';
        expect(c.card.properties.map((p) => p.name.toLowerCase())).toEqual(jprops.map((p) => p[0]));
        c.card.properties.forEach((p, k) => {
          const [, params, jtype, ...values] = jprops[k]!;
          expect(p.group?.toLowerCase() ?? undefined).toBe((params.group as string | undefined)?.toLowerCase());
          const pair = ours(p, version, jtype, values);
          if (pair === null) return;
          compared++;
          expect(pair.ours, `${p.name} in card ${i + 1}`).toBe(pair.theirs);
        });
      });
    });
  }

  it('compares a real share of the corpus', () => {
    expect(files).toBeGreaterThanOrEqual(50);
    expect(compared).toBeGreaterThan(500);
  });
});
