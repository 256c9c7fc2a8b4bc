import { describe, expect, it } from 'vitest';
import type { MixtureDetail } from '../mixtures/schemas.ts';
import { viabilityFeatures } from './viability.ts';

// Only the fields viabilityFeatures reads; the rest of a stored mixture does not matter here.
function mixture(derived: Partial<NonNullable<MixtureDetail['derived']>> | null): MixtureDetail {
  return { id: 'm1', name: 'test mix', projectId: null, derived } as unknown as MixtureDetail;
}

const component = (key: string, massFraction: number, molality: number | null, moleculeId: string | null = null) => ({
  key, name: key, inchikey: null, moleculeId, role: null, amount: massFraction * 100, unit: '%w/w', massFraction, moleFraction: null, molarity: null, molality,
});

describe('viabilityFeatures', () => {
  it('combines composition and protocol numbers, implying molar mass from molality when no molecule is registered', () => {
    // 20 % w/w of a 78.13 g/mol solute in 80 % water: molality = 0.2 / 78.13 / 0.8 × 1000 = 3.2 mol/kg.
    const molality = (0.2 / 78.13 / 0.8) * 1000;
    const r = viabilityFeatures(mixture({ components: [component('dmso', 0.2, molality)], water: { massFraction: 0.8, moleFraction: null }, qvStar: 7.5 }),
      new Map(), { coolingRateKPerMin: 2, loading: [{ durationMin: 10, temperatureC: 4 }, { durationMin: 30, temperatureC: 20 }] }, ['dmso', 'eg']);
    if ('error' in r) throw new Error(r.error);
    expect(r.features.solute_mass_fraction).toBeCloseTo(0.2, 12);
    expect(r.features.massfrac_dmso).toBeCloseTo(0.2, 12);
    expect(r.features.massfrac_eg).toBe(0);
    expect(r.features.component_count).toBe(1);
    expect(r.features.coolingRateKPerMin).toBe(2);
    expect(r.features.loadingMinutes).toBe(40);
    expect(r.features.loadingTemperatureC).toBeCloseTo(16, 12);
    expect(r.features.qvStar).toBe(7.5);
    expect('warmingRateKPerMin' in r.features).toBe(false);
    // Water mole fraction from the implied molar mass: (0.8/18.015) / (0.8/18.015 + 0.2/78.13).
    expect(r.features.water_mole_fraction).toBeCloseTo((0.8 / 18.015) / (0.8 / 18.015 + 0.2 / 78.13), 9);
  });

  it('says why a mixture cannot be featurized', () => {
    expect(viabilityFeatures(mixture(null), new Map(), {}, [])).toEqual({ error: 'the mixture "test mix" cannot be evaluated' });
    const r = viabilityFeatures(mixture({ components: [component('x', 0.1, null)], water: { massFraction: 0.9, moleFraction: null }, qvStar: null }), new Map(), {}, []);
    expect(r).toEqual({ error: 'the molar mass of x is unknown' });
  });
});
