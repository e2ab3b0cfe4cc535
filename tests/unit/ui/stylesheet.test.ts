/**
 * The stylesheet's blocks close: one rule left open (a merge dropped a "}") makes every rule after
 * it a nested rule, applied only inside the open one, and nothing fails but the look.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CSS = readFileSync(new URL('../../../renderer/src/styles.css', import.meta.url), 'utf8');

/** The line of each block opened and not closed, after comments and strings are taken out. */
function openBlocks(css: string): number[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (s) => ' '.repeat(s.length));
  const open: number[] = [];
  let line = 1;
  for (const ch of text) {
    if (ch === '\n') line++;
    else if (ch === '{') open.push(line);
    else if (ch === '}') expect(open.pop(), `a "}" with no block open, line ${line}`).toBeDefined();
  }
  return open;
}

describe('styles.css', () => {
  it('every block it opens is closed (no rule nested by accident)', () => {
    expect(openBlocks(CSS)).toEqual([]);
  });
  it('the check finds a rule left open', () => {
    expect(openBlocks('.a {\n  color: red;\n.b {\n  color: blue;\n}\n')).toEqual([1]);
  });
});
