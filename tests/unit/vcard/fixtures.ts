import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/vcards/', import.meta.url));

export interface Fixture {
  file: string;
  versions: string;
  notes: string;
  malformed: boolean;
  bytes: Uint8Array;
}

/** The real-world cards of tests/fixtures/vcards, described by its MANIFEST.tsv. */
export function loadFixtures(): Fixture[] {
  const rows = readFileSync(`${FIXTURE_DIR}MANIFEST.tsv`, 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => {
    const cols = row.split('\t');
    const file = cols[0]!;
    const notes = cols[6] ?? '';
    return { file, versions: cols[5] ?? '', notes, malformed: notes.includes('MALFORMED'), bytes: new Uint8Array(readFileSync(FIXTURE_DIR + file)) };
  });
}

export function fixture(file: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURE_DIR + file));
}
