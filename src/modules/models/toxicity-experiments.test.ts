import { describe, expect, it } from 'vitest';
import type { MixtureDetail } from '../mixtures/schemas.ts';
import { experimentObservation, singleTemperature, type ToxicityExperiment } from './toxicity-experiments.ts';

const mixture = (components: { name: string; massFraction: number; molality: number | null }[]): MixtureDetail => ({
  id: 'm', name: 'test mix', components: [],
  derived: { components: components.map((c) => ({ key: c.name, inchikey: null, moleculeId: null, role: null, amount: 0, unit: 'mol/kg', moleFraction: null, molarity: null, ...c })) },
} as unknown as MixtureDetail);

const experiment = (over: Partial<ToxicityExperiment>): ToxicityExperiment => ({
  experimentId: 'e1', title: 'DMSO 20 min', viabilityPercent: 80,
  loading: [{ durationMin: 10, temperatureC: 4, fractionOfFinal: 0.5 }, { durationMin: 20, temperatureC: 4, fractionOfFinal: 1 }],
  mixture: mixture([{ name: 'DMSO', massFraction: 0.2, molality: 3 }, { name: 'glycerol', massFraction: 0.1, molality: 1.2 }]),
  ...over,
});

describe('experimentObservation', () => {
  it('turns loading steps into a piecewise exposure scaled by the fraction of the final concentration', () => {
    const r = experimentObservation(experiment({}));
    expect(r.error).toBeNull();
    expect(r.temperatureC).toBe(4);
    expect(r.observation).toEqual({
      composition: { DMSO: 3, glycerol: 1.2 },
      exposure: [{ minutes: 10, composition: { DMSO: 1.5, glycerol: 0.6 } }, { minutes: 20, composition: { DMSO: 3, glycerol: 1.2 } }],
      survival: 0.8,
    });
  });

  it('says why an experiment cannot be used', () => {
    expect(experimentObservation(experiment({ loading: [] })).error).toMatch(/no loading steps/);
    expect(experimentObservation(experiment({ loading: [{ durationMin: 5, temperatureC: 4, amount: 2, unit: 'mol/L' }] })).error).toMatch(/fractionOfFinal/);
    expect(experimentObservation(experiment({ loading: [{ durationMin: 5, temperatureC: 4, fractionOfFinal: 1 }, { durationMin: 5, temperatureC: 22, fractionOfFinal: 1 }] })).error)
      .toMatch(/different temperatures/);
    expect(experimentObservation(experiment({ mixture: mixture([{ name: 'PVP', massFraction: 0.1, molality: null }]) })).error).toMatch(/molality of PVP/);
    expect(experimentObservation(experiment({ mixture: { ...mixture([]), derived: null } as unknown as MixtureDetail })).error).toMatch(/cannot be evaluated/);
  });
});

describe('singleTemperature', () => {
  it('keeps the most common exposure temperature and reports the others', () => {
    const at = (t: number, id: string) => experimentObservation(experiment({ experimentId: id, loading: [{ durationMin: 10, temperatureC: t, fractionOfFinal: 1 }] }));
    const { kept, skipped, temperatureC } = singleTemperature([at(4, 'a'), at(22, 'b'), at(4, 'c'), experimentObservation(experiment({ experimentId: 'd', loading: [] }))]);
    expect(temperatureC).toBe(4);
    expect(kept.map((r) => r.experimentId)).toEqual(['a', 'c']);
    expect(skipped.map((r) => [r.experimentId, r.error?.slice(0, 20)])).toEqual([['b', 'exposed at 22 °C; th'], ['d', 'the protocol has no ']]);
  });
});
