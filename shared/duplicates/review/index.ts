export { buildReview, type FieldCandidate, type LayoutSlot, type MergeField, type MergeItem, type MergeReview, type MergeSource, type ReviewOptions } from './model';
export { applyMerge, defaultChoices, type FieldChoice, type MergeChoices, type MergeOutcome } from './apply';
export { SINGLE_FIELDS, type ItemKind, type SingleFieldId } from './kinds';
