import { describe, expect, it } from 'vitest';
import { CAPPED_AT, findDuplicates, findImportDuplicates, PROPOSE_AT, type DuplicateCandidate, type DuplicateReport } from '../../../shared/duplicates';
import { contact } from './cards';

const clusters = (report: DuplicateReport): string[][] => report.clusters.map((c) => [...c.members].sort());
const codes = (report: DuplicateReport, i = 0): string[] => report.clusters[i]!.pairs[0]!.reasons.map((r) => r.code);

describe('finding duplicates in a book', () => {
  it('two cards with one e-mail address in different case are one cluster, with the address as the reason', () => {
    const report = findDuplicates([
      contact('a', ['FN:Ada Lovelace', 'EMAIL:Ada@Example.org']),
      contact('b', ['FN:A. Lovelace', 'EMAIL:ada@example.ORG']),
      contact('c', ['FN:Grace Hopper', 'EMAIL:grace@example.org']),
    ]);
    expect(clusters(report)).toEqual([['a', 'b']]);
    const reasons = report.clusters[0]!.pairs[0]!.reasons;
    expect(reasons).toContainEqual({ code: 'same-email', value: 'ada@example.org', points: 60, sharedBy: 1 });
    expect(reasons).toContainEqual({ code: 'similar-name', values: ['Ada Lovelace', 'A. Lovelace'], points: 15 });
    expect(report.clusters[0]!.score).toBe(75);
  });

  it('an umlaut written out and an initial are one name with one e-mail address: Anna Müller and A. Mueller', () => {
    const report = findDuplicates([
      contact('a', ['FN:Anna Müller', 'EMAIL:Anna.Mueller@Example.com', 'TEL:+49 89 1234567']),
      contact('b', ['FN:A. Mueller', 'EMAIL:anna.mueller@example.com']),
    ]);
    expect(clusters(report)).toEqual([['a', 'b']]);
    expect(codes(report)).toEqual(['same-email', 'similar-name']);
  });

  it('a short form of a given name with one number is one person: Bob Smith and Robert Smith; Bob and Alice Smith on one line are two', () => {
    const report = findDuplicates([contact('a', ['FN:Bob Smith', 'TEL:+1 415 555 0100']), contact('b', ['FN:Robert Smith', 'TEL:+1 (415) 555-0100'])]);
    expect(clusters(report)).toEqual([['a', 'b']]);
    expect(codes(report)).toEqual(['same-phone', 'similar-name']);
    expect(findDuplicates([contact('a', ['FN:Bob Smith', 'TEL:+1 415 555 0100']), contact('b', ['FN:Alice Smith', 'TEL:+1 (415) 555-0100'])]).clusters).toEqual([]);
  });

  it('the same number written nationally and internationally matches, read in the OS region', () => {
    const report = findDuplicates([contact('a', ['FN:Jonas Weber', 'TEL:089 1234567']), contact('b', ['FN:Jonas Weber', 'TEL:+49 (0)89 1234-567'])]);
    expect(codes(report)).toEqual(['same-phone', 'same-name']);
    expect(report.clusters[0]!.pairs[0]!.reasons[0]).toMatchObject({ value: '+49891234567' });
  });

  it('names equal after folding match: honorifics, Traditional/Simplified Chinese, family-given order', () => {
    const report = findDuplicates([
      contact('a', ['FN:張偉', 'TEL:+86 10 1234 5678']),
      contact('b', ['FN:伟 张', 'TEL:+86 (10) 12345678', 'EMAIL:zw@example.cn']),
      contact('c', ['N:张;伟;;;', 'EMAIL:ZW@example.cn']),
      contact('d', ['FN:Dr. Anna Weiß']),
      contact('e', ['FN:Frau Anna Weiss']),
      contact('f', ['FN:آقای علی رضایی']),
      contact('g', ['FN:علي رضائي']),
    ]);
    expect(clusters(report).sort()).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f', 'g']]);
    for (const c of report.clusters) expect(c.pairs.every((p) => p.reasons.some((r) => r.code === 'same-name'))).toBe(true);
  });

  it('the same full name alone is proposed; a one-word name alone is not', () => {
    expect(clusters(findDuplicates([contact('a', ['FN:Ngozi Okafor']), contact('b', ['FN:Ngozi Okafor'])]))).toEqual([['a', 'b']]);
    expect(findDuplicates([contact('a', ['FN:Mom']), contact('b', ['FN:Mom'])]).clusters).toEqual([]);
  });

  it('the same name on cards that each list their own, different addresses is two people; with nothing to compare, one', () => {
    const apart = findDuplicates([contact('a', ['FN:Maria Garcia', 'EMAIL:maria@home.example']), contact('b', ['FN:Maria Garcia', 'EMAIL:mgarcia@work.example'])]);
    expect(apart.clusters).toEqual([]);
    const sparse = findDuplicates([contact('a', ['FN:Maria Garcia', 'TEL:+34 600 123 456']), contact('b', ['FN:Maria Garcia', 'EMAIL:mgarcia@work.example'])]);
    expect(clusters(sparse)).toEqual([['a', 'b']]);
    const [weak] = findImportDuplicates([contact('a', ['FN:Maria Garcia', 'EMAIL:maria@home.example'])], [contact('b', ['FN:Maria Garcia', 'EMAIL:mgarcia@work.example'])], { threshold: 0 });
    expect(weak!.existing[0]!.reasons).toContainEqual({ code: 'different-details', points: -25 });
  });

  it('a company switchboard on forty employees joins none of them, yet two copies of one employee are found', () => {
    const staff = Array.from({ length: 40 }, (_, i) => contact(`s${i}`, [`FN:Employee${i} Surname${i}`, 'TEL:+49 89 1234-0', `EMAIL:e${i}@acme.example`]));
    const copy = contact('copy', ['FN:Employee7 Surname7', 'TEL:+49 89 12340', 'EMAIL:E7@acme.example']);
    const report = findDuplicates([...staff, copy]);
    expect(clusters(report)).toEqual([['copy', 's7']]);
    expect(report.sharedKeys).toContainEqual({ kind: 'phone', value: '+498912340', bookId: 'book', holders: 41 });
    const phone = report.clusters[0]!.pairs[0]!.reasons.find((r) => r.code === 'same-phone');
    expect(phone).toBeUndefined(); // the switchboard gave no points
  });

  it('a family e-mail on John, Jane and Kid Smith does not join them; two copies of John still join', () => {
    const report = findDuplicates([
      contact('john', ['FN:John Smith', 'EMAIL:smiths@example.net']),
      contact('jane', ['FN:Jane Smith', 'EMAIL:smiths@example.net', 'TEL:+44 20 7946 0001']),
      contact('kid', ['FN:Kid Smith', 'EMAIL:smiths@example.net', 'TEL:+44 20 7946 0001']),
      contact('john2', ['FN:John Smith', 'EMAIL:Smiths@example.net']),
    ]);
    expect(clusters(report)).toEqual([['john', 'john2']]);
    const email = report.clusters[0]!.pairs[0]!.reasons.find((r) => r.code === 'same-email');
    expect(email).toMatchObject({ sharedBy: 3, points: 20 });
  });

  it('two people sharing both an e-mail address and a phone are not proposed: their names differ', () => {
    const john = contact('john', ['FN:John Smith', 'EMAIL:home@example.net', 'TEL:+44 20 7946 0001']);
    const jane = contact('jane', ['FN:Jane Smith', 'EMAIL:home@example.net', 'TEL:+44 20 7946 0001']);
    expect(findDuplicates([john, jane]).clusters).toEqual([]);
    // Scored all the same, and capped below the threshold with the reason why.
    const [match] = findImportDuplicates([john], [jane], { threshold: 0 });
    expect(match!.existing[0]!.reasons.map((r) => r.code)).toEqual(['same-email', 'same-phone', 'different-names']);
    expect(match!.existing[0]!.score).toBe(CAPPED_AT);
    expect(CAPPED_AT).toBeLessThan(PROPOSE_AT);
  });

  it('a card with no name that shares John’s phone and Jane’s e-mail does not chain John and Jane', () => {
    const report = findDuplicates([
      contact('john', ['FN:John Doe', 'TEL:+1 555 010 0101', 'EMAIL:john@example.com']),
      contact('jane', ['FN:Jane Roe', 'EMAIL:jane@example.com']),
      contact('nameless', ['TEL:(555) 010-0101', 'EMAIL:jane@example.com'], 'book', 'US'),
    ]);
    expect(report.clusters).toHaveLength(1);
    const members = report.clusters[0]!.members;
    expect(members).toContain('nameless');
    expect(members.includes('john') && members.includes('jane')).toBe(false);
  });

  it('different birthdays keep apart two people of one name', () => {
    const report = findDuplicates([contact('a', ['FN:Maria Garcia', 'BDAY:1980-04-01']), contact('b', ['FN:Maria Garcia', 'BDAY:1992-11-23'])]);
    expect(report.clusters).toEqual([]);
    const yearless = findDuplicates([contact('a', ['FN:Maria Garcia', 'BDAY:1980-04-01']), contact('b', ['FN:Maria Garcia', 'BDAY:--0401'])]);
    expect(clusters(yearless)).toEqual([['a', 'b']]);
  });

  it('a name held by many contacts proposes nothing by itself, but still counts beside a shared number', () => {
    const many = Array.from({ length: 20 }, (_, i) => contact(`j${i}`, ['FN:John Smith', `EMAIL:john${i}@example.com`]));
    const copy = contact('copy', ['FN:John Smith', 'EMAIL:JOHN3@example.com']);
    const report = findDuplicates([...many, copy]);
    expect(clusters(report)).toEqual([['copy', 'j3']]);
    expect(report.sharedKeys).toContainEqual({ kind: 'name', value: 'john smith', bookId: 'book', holders: 21 });
  });

  it('a thousand copies of one card (a sync gone wrong) are one cluster', () => {
    const copies = Array.from({ length: 1000 }, (_, i) => contact(`c${i}`, ['FN:Ada Lovelace', 'EMAIL:ada@example.org', 'TEL:+44 20 7946 0000']));
    const report = findDuplicates(copies);
    expect(report.clusters).toHaveLength(1);
    expect(report.clusters[0]!.members).toHaveLength(1000);
  });

  it('finds within each book by default, and across books on request', () => {
    const entries: DuplicateCandidate[] = [
      contact('home-1', ['FN:Søren Kierkegaard', 'EMAIL:soren@example.dk'], 'home'),
      contact('work-1', ['FN:Soren Kierkegaard', 'EMAIL:Soren@example.dk'], 'work'),
    ];
    expect(findDuplicates(entries).clusters).toEqual([]);
    const across = findDuplicates(entries, { scope: 'all-books' });
    expect(clusters(across)).toEqual([['home-1', 'work-1']]);
    expect(across.clusters[0]!.books).toEqual(['home', 'work']);
  });

  it('gives the same clusters whatever the order of the book', () => {
    const entries = [
      contact('a', ['FN:Ada Lovelace', 'EMAIL:ada@example.org']),
      contact('b', ['FN:Ada Lovelace', 'TEL:+44 20 7946 0000']),
      contact('c', ['FN:A Lovelace', 'TEL:+44 20 7946 0000']),
      contact('d', ['FN:Grace Hopper']),
      contact('e', ['FN:Grace Hopper']),
    ];
    const forward = clusters(findDuplicates(entries)).sort();
    const backward = clusters(findDuplicates([...entries].reverse())).sort();
    expect(backward).toEqual(forward);
    expect(forward).toEqual([['a', 'b', 'c'], ['d', 'e']]);
  });
});
