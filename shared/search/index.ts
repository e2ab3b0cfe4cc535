export { foldForSearch, phoneDigits } from './normalize';
export { matchedField, type FieldMatch } from './match';
export { SEGMENT, splitSegments, type SegmentKind } from './segments';
