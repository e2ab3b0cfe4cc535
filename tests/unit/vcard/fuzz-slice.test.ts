/**
 * A short, fixed-seed slice of the vCard core's fuzz harness (tests/fuzz; `npm run fuzz` runs it
 * for longer, on a random seed): mutated fixtures and generated cards and XML through parseVCards,
 * toContact, applyEdit, merge, readXml, the Atom reader and the import worker's path. No untyped
 * exception, no round-trip break. Timings are the harness's report, never asserted here.
 */
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../fuzz/harness';

describe('fuzz slice (seed 16)', () => {
  it('finds no untyped exception and no round-trip break in 5,000 inputs', () => {
    const r = runFuzz({ seed: 16, iterations: 5000, maxEnormous: 64 * 1024 });
    expect(r.untyped).toEqual([]);
    expect(r.roundTrip).toEqual([]);
    expect(r.untypedCount + r.roundTripCount).toBe(0);
    expect(r.tried).toBe(5000);
  }, 120_000);
});
