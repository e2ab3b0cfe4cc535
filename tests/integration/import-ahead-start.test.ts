/**
 * Prints (never asserts) how long a store takes to open after a 20,000-card import written ahead
 * and never committed (the window reloaded or crashed with the summary open): `ContactRepo.open`
 * takes it out first (staged.ts `dropStaged`). Run by hand, on fake-indexeddb:
 * `CARDINAL_MEASURE_START=1 npx vitest run tests/integration/import-ahead-start.test.ts`.
 */
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { importedContact, writeNewContacts } from '../../renderer/src/db/import-write';
import { ContactRepo, IMPORT_BATCH } from '../../renderer/src/db/repo';
import { CardinalDB, LOCAL_BOOK_ID } from '../../renderer/src/db/schema';
import { importedCard } from '../../renderer/src/workers/imported-cards';
import { parseVCard } from '../../shared/vcard';

const N = Number(process.env.CARDINAL_MEASURE_CARDS ?? 20_000);
const card = (i: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u${i}\r\nFN:Person ${i}\r\nN:${i};Person;;;\r\nTEL:+1555${String(i).padStart(7, '0')}\r\nEMAIL:p${i}@example.org\r\nEND:VCARD\r\n`;

it.skipIf(process.env.CARDINAL_MEASURE_START !== '1')(`prints the start after an abandoned ${N}-card import`, async () => {
  const name = `import-ahead-start-${process.pid}`;
  (await ContactRepo.open(name)).db.close();
  const items = Array.from({ length: N }, (_, i) => importedContact(`s-${i}`, LOCAL_BOOK_ID, importedCard(parseVCard(card(i)), i + 1, false, 'US'), 1000));
  const db = new CardinalDB(name);
  await db.open();
  await writeNewContacts(db, items, { id: 'abandoned', bookId: LOCAL_BOOK_ID, name: 'big.vcf' }, IMPORT_BATCH, () => {}, true);
  db.close();
  const t0 = performance.now();
  const repo = await ContactRepo.open(name);
  const ms = performance.now() - t0;
  console.log(`start after an abandoned ${N}-card import: ContactRepo.open ${ms.toFixed(0)} ms (fake-indexeddb)`);
  expect(await repo.db.contacts.count()).toBe(0);
  repo.db.close();
}, 600_000);
