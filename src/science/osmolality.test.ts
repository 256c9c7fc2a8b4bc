import { describe, expect, it } from 'vitest';
import { idealOsmolality } from './osmolality.ts';

describe('idealOsmolality', () => {
  it('sums molalities times van \'t Hoff factors', () => {
    const r = idealOsmolality([
      { key: 'glycerol', molality: 1.5 },
      { key: 'nacl', molality: 0.15, vantHoffFactor: 2 },
    ]);
    expect(r.osmolality).toBeCloseTo(1.8, 12);
    expect(r.missing).toEqual([]);
    expect(r.assumptions.join(' ')).toMatch(/glycerol/);
    expect(r.assumptions.join(' ')).not.toMatch(/nacl/);
  });

  it('is null with a lower bound when a molality is unknown', () => {
    const r = idealOsmolality([
      { key: 'eg', molality: 2 },
      { key: 'pvp', molality: null },
    ]);
    expect(r.osmolality).toBeNull();
    expect(r.knownContribution).toBe(2);
    expect(r.missing).toEqual(['pvp']);
  });

  it('rejects impossible inputs', () => {
    expect(() => idealOsmolality([{ key: 'a', molality: -1 }])).toThrow(RangeError);
    expect(() => idealOsmolality([{ key: 'a', molality: 1, vantHoffFactor: 0 }])).toThrow(RangeError);
  });
});
