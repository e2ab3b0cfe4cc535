/** CSV import and export (Google Contacts, Outlook, any other CSV through a column mapping). */
export { previewCsv, importCsv, MAX_ROWS, type CsvPreview, type CsvImportResult, type CsvCard, type CsvRowError, type CsvErrorCode, type CsvReadOptions } from './import';
export { exportGoogleCsv } from './export-google';
export { exportOutlookCsv, type OutlookExportOptions } from './export-outlook';
export type { CsvExport, ExportCard } from './export-common';
export { csvRoundTrip, csvRoundTripKeys, hasRoundTrip } from './round-trip';
export { summarizeLosses, type CsvLoss, type CsvLossKind, type CsvLossSummary } from './losses';
export { CSV_ENCODINGS, detectEncoding, decodeCsvBytes, encodeCsvText, type CsvEncoding, type CsvOutputEncoding, type DetectedEncoding, type EncodingDoubt } from './encoding';
export { CSV_DELIMITERS, type CsvDelimiter } from './table';
export { MAPPING_CHOICES, choiceId, customFieldTarget, type ColumnMapping, type ColumnTarget, type CsvFormatId, type DateOrder } from './targets';
export type { OutlookLanguage } from './outlook-columns';
