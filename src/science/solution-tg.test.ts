import { describe, expect, it } from 'vitest';
import { conformalHalfWidth, predictSolutionTg, simhaBoyerK, WATER_DENSITY_20C } from './solution-tg.ts';

// science.md §1.3 worked test vector: glycerol–water, Tg,w = 135 K, Tg,gly = 190 K, k = 2.84 → 164.0 K at w = 0.76.
const glycerol = (massFraction: number, extra: Partial<Parameters<typeof predictSolutionTg>[0]['components'][number]> = {}) => ({
  key: 'gly', name: 'glycerol', massFraction, tg: { value: 190, source: 'cited' as const }, k: 2.84, ...extra,
});

describe('predictSolutionTg', () => {
  it('reproduces the Gordon–Taylor test vector with cited parameters and gives no interval without data', () => {
    const r = predictSolutionTg({ waterMassFraction: 0.24, waterTg: 135, components: [glycerol(0.76)], level: 0.9 });
    if (r.kelvin === null) throw new Error(r.reason);
    expect(r.kelvin).toBeCloseTo(164.0, 1);
    expect(r.physics).toBe(r.kelvin);
    expect(r.lower).toBeNull();
    expect(r.upper).toBeNull();
    expect(r.method).toBe('gordon-taylor');
    expect(r.residual.applied).toBe(false);
  });

  it('learns the mean residual and a conformal interval once enough measurements exist', () => {
    const residuals = [-3, -1, 0, 1, 2, 3, 4, 5, 7];
    const r = predictSolutionTg({ waterMassFraction: 0.24, waterTg: 135, components: [glycerol(0.76)], residuals, level: 0.8 });
    if (r.kelvin === null) throw new Error(r.reason);
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    expect(r.residual.offset).toBeCloseTo(mean, 12);
    expect(r.kelvin).toBeCloseTo(r.physics + mean, 10);
    // rank ⌈10·0.8⌉ = 8 of the sorted |r − mean|
    const sorted = residuals.map((x) => Math.abs(x - mean)).sort((a, b) => a - b);
    expect(r.residual.halfWidth).toBeCloseTo(sorted[7]!, 12);
    expect(r.upper! - r.lower!).toBeCloseTo(2 * sorted[7]!, 10);
    expect(r.method).toBe('gordon-taylor+residual');
  });

  it('carries a model-estimated component Tg interval into the solution interval', () => {
    const r = predictSolutionTg({
      waterMassFraction: 0.4, waterTg: 135, level: 0.9,
      components: [{ key: 'x', name: 'X', massFraction: 0.6, tg: { value: 200, source: 'model', lower: 190, upper: 215, ref: 'v1' }, k: 3 }],
    });
    if (r.kelvin === null) throw new Error(r.reason);
    const gt = (tg: number) => (0.6 / 3 * tg + 0.4 * 135) / (0.6 / 3 + 0.4);
    expect(r.kelvin).toBeCloseTo(gt(200), 10);
    expect(r.lower).toBeCloseTo(gt(190), 10);
    expect(r.upper).toBeCloseTo(gt(215), 10);
    expect(r.method).toBe('gordon-taylor+model-tg');
    expect(r.components[0]).toMatchObject({ tgSource: 'model', tgRef: 'v1' });
  });

  it('estimates a missing k from density with the Simha–Boyer rule, and refuses without one', () => {
    expect(simhaBoyerK(1.26, 190, 136)).toBeCloseTo((1.26 * 190) / (WATER_DENSITY_20C * 136), 12);
    const withDensity = predictSolutionTg({ waterMassFraction: 0.5, waterTg: 136, level: 0.9, components: [glycerol(0.5, { k: null, density: 1.26 })] });
    if (withDensity.kelvin === null) throw new Error(withDensity.reason);
    expect(withDensity.components[0]!.kSource).toBe('simha-boyer');
    const refused = predictSolutionTg({ waterMassFraction: 0.5, waterTg: 136, level: 0.9, components: [glycerol(0.5, { k: null })] });
    expect(refused.kelvin).toBeNull();
    if (refused.kelvin === null) expect(refused.missing[0]!.key).toBe('gly');
    const noTg = predictSolutionTg({ waterMassFraction: 0.5, level: 0.9, components: [{ key: 'y', name: 'Y', massFraction: 0.5, tg: null, k: 2 }] });
    expect(noTg.kelvin).toBeNull();
  });

  it('never leaves the range spanned by the component Tg values', () => {
    const r = predictSolutionTg({ waterMassFraction: 0.24, waterTg: 135, components: [glycerol(0.76)], residuals: [80, 81, 82, 83, 84, 85], level: 0.5 });
    if (r.kelvin === null) throw new Error(r.reason);
    expect(r.kelvin).toBe(190);
    expect(r.clamped).toBe(true);
    expect(r.upper).toBeLessThanOrEqual(190);
  });
});

describe('conformalHalfWidth', () => {
  it('uses the finite-sample rank and refuses when there are too few points', () => {
    expect(conformalHalfWidth([1, -2, 3, -4, 5, 6, 7, 8, 9], 0.9)).toBe(9);
    expect(conformalHalfWidth([1, 2, 3, 4, 5], 0.9)).toBeNull();
    expect(conformalHalfWidth([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});
