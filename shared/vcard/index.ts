export * from './types';
export { parseVCards, parseVCard, parseContentLine, VCardError } from './parse';
export { serializeVCard, serializeVCards, propertyLine, foldLine } from './serialize';
export { decodeVCardBytes } from './bytes';
export * from './escape';
export * from './dates';
export * from './contact';
export { applyEdit, newCard, photoProperty } from './edit';
export { merge, conflictKey, resolveConflicts, canKeepBoth, type ConflictChoice, type MergeConflict, type MergeResult } from './merge';
