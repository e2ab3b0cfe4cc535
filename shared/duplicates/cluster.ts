/**
 * Clusters from proposed pairs: union-find, best pairs first, and a union is refused when any
 * member of one side is plainly a different person from any member of the other (different
 * names or birthdays). So a card without a name that shares John's phone and Jane's e-mail joins
 * whichever it matches best, and never makes John and Jane one person.
 */
import { areDifferentPeople } from './score';
import type { DuplicateKeys } from './keys';

export interface Edge {
  readonly a: number;
  readonly b: number;
  readonly score: number;
}

/**
 * The root of each entry after joining `edges` (sorted best first). Each cluster keeps one
 * representative per distinct name and birthday, so a thousand copies of one card are checked
 * as one.
 */
export function clusterEdges(keys: readonly DuplicateKeys[], edges: readonly Edge[]): Int32Array {
  const parent = new Int32Array(keys.length).map((_, i) => i);
  const faces = new Map<number, Map<string, number>>();
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const facesOf = (root: number): Map<string, number> => {
    let f = faces.get(root);
    if (f === undefined) {
      const k = keys[root]!;
      f = new Map([[`${k.name.join(' ')}|${k.birthday}`, root]]);
      faces.set(root, f);
    }
    return f;
  };
  for (const { a, b } of edges) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    const fa = facesOf(ra);
    const fb = facesOf(rb);
    let clash = false;
    for (const x of fa.values()) {
      for (const y of fb.values()) if (areDifferentPeople(keys[x]!, keys[y]!)) clash = true;
      if (clash) break;
    }
    if (clash) continue;
    const [big, small, bigFaces, smallFaces] = fa.size >= fb.size ? [ra, rb, fa, fb] : [rb, ra, fb, fa];
    parent[small] = big;
    for (const [face, i] of smallFaces) if (!bigFaces.has(face)) bigFaces.set(face, i);
    faces.delete(small);
  }
  for (let i = 0; i < parent.length; i++) parent[i] = find(i);
  return parent;
}
