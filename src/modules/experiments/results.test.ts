import { describe, expect, it } from 'vitest';
import { MEASUREMENT_KINDS, sampleStandardDeviation, validateResult } from './results.ts';

describe('experiment results', () => {
  it('derives mean, sample SD and n from replicates', () => {
    const r = validateResult({ measurement: 'post_thaw_viability', unit: '%', replicates: [80, 84, 88] }, 'results[0]');
    expect(r).toEqual({ result: expect.objectContaining({ mean: 84, sd: 4, n: 3, unit: '%' }) });
    expect(sampleStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 9);
    expect(sampleStandardDeviation([5])).toBeNull();
  });

  it('converts to the stored unit: fractions to %, °C to K (SD without offset)', () => {
    const v = validateResult({ measurement: 'recovery', unit: 'fraction', replicates: [0.5, 0.7] }, 'r');
    expect('result' in v && v.result.mean).toBeCloseTo(60, 12);
    const tg = validateResult({ measurement: 'glass_transition', unit: '°C', mean: -123, sd: 1.5, n: 3, dscConvention: 'midpoint', heatingRateKPerMin: 10 }, 'r');
    expect(tg).toEqual({ result: expect.objectContaining({ n: 3, unit: 'K' }) });
    expect('result' in tg && tg.result.mean).toBeCloseTo(150.15, 10);
    expect('result' in tg && tg.result.sd).toBeCloseTo(1.5, 12);
  });

  it('names the field of every problem', () => {
    const out = validateResult({ measurement: 'post_thaw_viability', unit: '%', replicates: [50, 120, -1] }, 'results[1]');
    expect(out).toEqual({ errors: [
      { field: 'results[1].replicates[1]', message: expect.stringMatching(/between 0 and 100/) },
      { field: 'results[1].replicates[2]', message: expect.stringMatching(/between 0 and 100/) },
    ] });
    expect(validateResult({ measurement: 'glass_transition', unit: 'K', mean: -5 }, 'r')).toEqual({ errors: [
      { field: 'r.mean', message: expect.stringMatching(/between 1 and 800 K/) },
      { field: 'r.dscConvention', message: expect.stringMatching(/needs dscConvention/) },
      { field: 'r.heatingRateKPerMin', message: expect.stringMatching(/needs heatingRateKPerMin/) },
    ] });
    expect(validateResult({ measurement: 'viability', unit: '%', mean: 1 }, 'r')).toEqual({ errors: [{ field: 'r.measurement', message: expect.stringMatching(/unknown measurement/) }] });
    expect(validateResult({ measurement: 'post_thaw_viability', unit: 'K', mean: 1 }, 'r')).toEqual({ errors: [{ field: 'r.unit', message: expect.stringMatching(/recorded in %, fraction/) }] });
    expect(validateResult({ measurement: 'post_thaw_viability', unit: '%' }, 'r')).toEqual({ errors: [{ field: 'r.replicates', message: expect.any(String) }] });
    expect(validateResult({ measurement: 'post_thaw_viability', unit: '%', replicates: [1, 2], mean: 5, n: 3 }, 'r')).toEqual({ errors: [
      { field: 'r.mean', message: expect.stringMatching(/mean of the replicates is 1.5/) },
      { field: 'r.n', message: '2 replicates were given, not 3' },
    ] });
    expect(validateResult({ measurement: 'glass_transition', unit: 'K', mean: 150, dscConvention: 'peak', heatingRateKPerMin: 0 }, 'r')).toEqual({ errors: [
      { field: 'r.dscConvention', message: expect.stringMatching(/onset, midpoint/) },
      { field: 'r.heatingRateKPerMin', message: expect.stringMatching(/positive/) },
    ] });
  });

  it('keeps every range physical: temperatures above 0 K, percentages of a whole within 0–100', () => {
    expect(MEASUREMENT_KINDS.glass_transition.min).toBeGreaterThan(0);
    expect(MEASUREMENT_KINDS.post_thaw_viability).toMatchObject({ min: 0, max: 100 });
  });
});
