/**
 * Reads a CSV off the UI thread (shared/csv): `preview` detects the encoding, delimiter and
 * format and proposes a column mapping; `import` reads every row with a mapping into the cards
 * a .vcf import takes (UIDs added, list fields and content keys derived), with the rows it
 * could not read.
 */
import { importCsv, previewCsv, type ColumnMapping, type CsvDelimiter, type CsvEncoding, type CsvPreview, type CsvRowError } from '../../../shared/csv';
import { parseVCard } from '../../../shared/vcard';
import { importedCard, type ImportedCard } from './imported-cards';

export type CsvWorkerRequest =
  | { kind: 'preview'; data: ArrayBuffer; encoding?: CsvEncoding; delimiter?: CsvDelimiter }
  | { kind: 'import'; data: ArrayBuffer; encoding?: CsvEncoding; delimiter?: CsvDelimiter; mapping: ColumnMapping; region?: string };

export type CsvWorkerReply =
  | { kind: 'preview'; preview: CsvPreview }
  | { kind: 'import'; cards: ImportedCard[]; errors: CsvRowError[] }
  | { kind: 'error'; message: string };

self.onmessage = (event: MessageEvent<CsvWorkerRequest>) => {
  const req = event.data;
  const options = { ...(req.encoding === undefined ? {} : { encoding: req.encoding }), ...(req.delimiter === undefined ? {} : { delimiter: req.delimiter }) };
  let reply: CsvWorkerReply;
  try {
    const bytes = new Uint8Array(req.data);
    if (req.kind === 'preview') reply = { kind: 'preview', preview: previewCsv(bytes, options) };
    else {
      const result = importCsv(bytes, { ...options, mapping: req.mapping });
      reply = { kind: 'import', cards: result.cards.map((c) => importedCard(parseVCard(c.vcard), c.row, c.starred, req.region)), errors: [...result.errors] };
    }
  } catch (e) {
    reply = { kind: 'error', message: (e as Error).message };
  }
  self.postMessage(reply);
};
