/** Export: vCard versions and the .vcf export choices. */
export { convertVCard, type VCardTarget } from './vcard-version';
export { exportVCards, exportCard, type VCardExportOptions, type ExportedFile } from './vcard-export';
export { safeBaseName, FileNamer } from './file-names';
export { checkPhotos, repairedBase64, type CheckedPhotos } from './photos';
