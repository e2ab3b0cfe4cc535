/**
 * A deterministic corpus of realistic cards (~600 bytes each): names in several scripts, grouped
 * labels, several e-mails and phones, an address, a birthday and a note that needs escaping.
 * The same cards feed every benchmark, so figures compare like with like.
 */
const GIVEN = ['Ada', 'Grace', 'Alan', 'Zoë', 'José', 'Małgorzata', 'سارا', 'علی', '小明', '美玲', 'Søren', 'Ngozi'];
const FAMILY = ['Lovelace', 'Hopper', 'Turing', 'Núñez', 'Kowalska', 'کریمی', 'رضایی', '王', '陳', 'Kierkegaard', 'Okafor'];
const CITY = ['London', 'Zürich', 'تهران', '台北', 'São Paulo', 'Lagos'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generateCard(i: number, version: '3.0' | '4.0' = '3.0'): string {
  const r = rng(i + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const given = pick(GIVEN);
  const family = pick(FAMILY);
  const n = String(i).padStart(6, '0');
  return [
    'BEGIN:VCARD',
    `VERSION:${version}`,
    `UID:urn:uuid:00000000-0000-4000-8000-${n.padStart(12, '0')}`,
    `FN:${given} ${family}`,
    `N:${family};${given};;;`,
    `ORG:Example Works ${i % 97};Research`,
    'TITLE:Senior Engineer',
    `item1.EMAIL;TYPE=INTERNET:${n}@example.org`,
    'item1.X-ABLabel:Private',
    `EMAIL;TYPE=INTERNET,WORK:person${n}@work.example.com`,
    `TEL;TYPE=CELL:+1 555 ${n.slice(0, 3)} ${n.slice(3)}`,
    `TEL;TYPE=WORK,VOICE:+44 20 7946 ${n.slice(2)}`,
    `ADR;TYPE=HOME:;;${i % 300} Long Street\\, Apt ${i % 40};${pick(CITY)};;${10000 + (i % 89999)};Country`,
    `BDAY:${1950 + (i % 50)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    `NOTE:Met at the conference\\, talked about CardDAV\\; follow up in spring.\\nSecond line of the note for ${given}.`,
    `URL:https://example.org/people/${n}`,
    'CATEGORIES:friends,work',
    `X-CUSTOM-FIELD;X-PARAM=keep:custom value ${n}`,
    'END:VCARD',
    '',
  ].join('\r\n');
}

export function generateCorpus(count: number, version: '3.0' | '4.0' = '3.0'): string {
  let out = '';
  for (let i = 0; i < count; i++) out += generateCard(i, version);
  return out;
}
