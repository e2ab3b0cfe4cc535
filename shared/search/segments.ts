/**
 * A row's search text is a run of segments, each opened by one control character naming the
 * field it came from. Folding drops control characters from what users type, so a query never
 * matches across two fields, and the field that matched can be named in the list.
 */
export type SegmentKind = 'name' | 'nickname' | 'organization' | 'title' | 'email' | 'address' | 'group' | 'label' | 'related' | 'note';

export const SEGMENT: Readonly<Record<SegmentKind, string>> = {
  name: '\u0001',
  nickname: '\u0002',
  organization: '\u0003',
  title: '\u0004',
  email: '\u0005',
  address: '\u0006',
  group: '\u0007',
  label: '\u0008',
  related: '\u000E',
  note: '\u000F',
};

const KINDS = Object.entries(SEGMENT) as [SegmentKind, string][];
/** The kind a code unit opens, by code unit (only control characters open one). */
const KIND_AT: readonly (SegmentKind | undefined)[] = (() => {
  const out: (SegmentKind | undefined)[] = new Array<SegmentKind | undefined>(0x20).fill(undefined);
  for (const [kind, mark] of KINDS) out[mark.charCodeAt(0)] = kind;
  return out;
})();

/** The kind of segment the code unit opens, or undefined when it opens none. */
export function kindOpenedBy(code: number): SegmentKind | undefined {
  return code < 0x20 ? KIND_AT[code] : undefined;
}

/** Split segmented text into its fields, in order. */
export function splitSegments(text: string): { kind: SegmentKind; value: string }[] {
  const out: { kind: SegmentKind; value: string }[] = [];
  let start = -1;
  let kind: SegmentKind | undefined;
  for (let i = 0; i <= text.length; i++) {
    const k = i < text.length ? kindOpenedBy(text.charCodeAt(i)) : undefined;
    if (k === undefined && i < text.length) continue;
    if (kind !== undefined) out.push({ kind, value: text.slice(start, i) });
    kind = k;
    start = i + 1;
  }
  return out;
}
