import { describe, expect, it } from 'vitest';
import { importCsv, previewCsv } from '../../../shared/csv';
import { draftOf } from './fixtures';

const utf8 = (text: string) => new TextEncoder().encode(text);
const names = (text: string) => importCsv(utf8(text)).cards.map((c) => draftOf(c.vcard).contact.formattedName);
const problems = (text: string) => importCsv(utf8(text)).errors.map((e) => [e.code, e.row, e.line, e.endLine]);

describe('a broken quote that runs rows of the file together', () => {
  it('a quote never closed swallows the rest of the file: reported as lines 3–5 run together, none of them imported', () => {
    const text = 'Name,Email,Phone\nAnn,ann@example.org,1\nBob,"bob@example.org,2\nCid,cid@example.org,3\nDan,dan@example.org,4\n';
    expect(problems(text)).toEqual([['run-together', 3, 3, 5]]);
    expect(names(text)).toEqual(['Ann']);
  });

  it('a quote closed before a letter further down: the lines up to it are one row, reported; the rows after are imported', () => {
    const text = 'Name,Email,Phone\nAnn,ann@example.org,1\nBob,"bob@example.org,2\nCid,cid@example.org,3\n"Dan",dan@example.org,4\nEve,eve@example.org,5\n';
    expect(problems(text)).toEqual([['run-together', 3, 3, 5]]);
    expect(names(text)).toEqual(['Ann', 'Eve']);
  });

  it('a quote closed cleanly by a later one: no parser error, found by the rows inside the cell, and not imported as one contact with a note of three rows', () => {
    const text = 'Name,Email,Phone\nAnn,ann@example.org,1\nBob,"bob@example.org,2\nCid,cid@example.org,3\nDan,dan@example.org",4\nEve,eve@example.org,5\n';
    expect(problems(text)).toEqual([['run-together', 3, 3, 5]]);
    expect(names(text)).toEqual(['Ann', 'Eve']);
  });

  it('counts lines past cells that really hold line breaks: the broken row after a two-line address is reported at its own line', () => {
    const text = 'Name,Address,Phone\nAnn,"1 Main St\nSpringfield, IL",1\nBob,"2 Elm St,2\nCid,3 Oak St,3\n';
    expect(problems(text)).toEqual([['run-together', 3, 4, 5]]);
    expect(names(text)).toEqual(['Ann']);
  });

  it('a note over several lines with a comma or two per line is a note, not rows run together', () => {
    const text = 'Name,Email,Phone,Notes,Company\nAnn,ann@example.org,1,"met in Rome, 2019\nlikes tea, jazz\nsee also: Bob",Acme\nBob,bob@example.org,2,,\n';
    expect(problems(text)).toEqual([]);
    expect(names(text)).toEqual(['Ann', 'Bob']);
  });

  it('a stray quote inside one line is a row with broken quotes, of that one line', () => {
    const text = '"Name","Email","Phone"\n"Ann","ann@example.org","1"\n"Bob","bob@example.org,"2"\n"Cid","cid@example.org","3"\n';
    expect(problems(text)).toEqual([['bad-quotes', 3, 3, 3]]);
    expect(names(text)).toEqual(['Ann', 'Cid']);
  });

  it('the preview (before the mapping step or the summary) carries the problem, with the line it starts on', () => {
    const preview = previewCsv(utf8('First,Last,Mail\nAnn,Lee,a@x\nBob,"Ray,b@x\nCid,Orr,c@x\n'));
    expect(preview.quoteProblems.map((e) => [e.code, e.line, e.endLine])).toEqual([['run-together', 3, 4]]);
  });
});
