/**
 * Reads a CSV off the UI thread (shared/csv): `preview` detects the encoding, delimiter and
 * format and proposes a column mapping; `import` reads every row with a mapping into the cards
 * a .vcf import takes (UIDs added, list fields and content keys derived), with the rows it
 * could not read; `round-trip` writes stored cards in a format Cardinal exports and reads them
 * back, for their content keys (features/import/import.ts compares a CSV's cards with those).
 */
import { csvRoundTripKeys, importCsv, previewCsv, type ColumnMapping, type CsvFormatId, type CsvDelimiter, type CsvEncoding, type CsvPreview, type CsvRowError } from '../../../shared/csv';
import { parseVCard } from '../../../shared/vcard';
import { importedCard, type ImportedCard } from './imported-cards';

export type CsvWorkerRequest =
  | { kind: 'preview'; data: ArrayBuffer; encoding?: CsvEncoding; delimiter?: CsvDelimiter }
  | { kind: 'import'; data: ArrayBuffer; encoding?: CsvEncoding; delimiter?: CsvDelimiter; mapping: ColumnMapping; region?: string }
  | { kind: 'round-trip'; format: CsvFormatId; vcards: string[] };

export type CsvWorkerReply =
  | { kind: 'preview'; preview: CsvPreview }
  | { kind: 'import'; cards: ImportedCard[]; errors: CsvRowError[] }
  | { kind: 'round-trip'; keys: (string | null)[] }
  | { kind: 'error'; message: string };

self.onmessage = (event: MessageEvent<CsvWorkerRequest>) => {
  const req = event.data;
  let reply: CsvWorkerReply;
  try {
    if (req.kind === 'round-trip') reply = { kind: 'round-trip', keys: csvRoundTripKeys(req.format, req.vcards) };
    else {
      const options = { ...(req.encoding === undefined ? {} : { encoding: req.encoding }), ...(req.delimiter === undefined ? {} : { delimiter: req.delimiter }) };
      const bytes = new Uint8Array(req.data);
      if (req.kind === 'preview') reply = { kind: 'preview', preview: previewCsv(bytes, options) };
      else {
        const result = importCsv(bytes, { ...options, mapping: req.mapping });
        reply = { kind: 'import', cards: result.cards.map((c) => importedCard(parseVCard(c.vcard), c.row, c.starred, req.region)), errors: [...result.errors] };
      }
    }
  } catch (e) {
    reply = { kind: 'error', message: (e as Error).message };
  }
  self.postMessage(reply);
};
