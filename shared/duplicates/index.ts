export { duplicateKeys, emailKey, keysAreCurrent, keysOfContact, KEYS_VERSION, type DuplicateKeys } from './keys';
export { phoneKey, regionOfLocale } from './phone';
export { foldName, nameRelation, nameTokens, type NameRelation } from './names';
export { findDuplicates, findImportDuplicates } from './find';
export { CAPPED_AT, POINTS, PROPOSE_AT } from './score';
export type * from './types';
export { readRequest, type ContactSource, type DuplicatesRequest, type DuplicatesResponse, type MadeKeys } from './protocol';
export { serveDuplicatesRequest } from './serve';
