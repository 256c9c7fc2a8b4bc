import { describe, expect, it } from 'vitest';
import { createToxicityModel, survivalFraction, ToxicityModelError, type ToxicityObservation } from '../science/toxicity-kinetics.ts';
import { createRng } from './rng.ts';
import { compositionGroup, evaluateToxicityModel } from './toxicity-evaluation.ts';

// Synthetic exposures from a known model in the kinetic form, with multiplicative noise on survival.
const truth = createToxicityModel({
  specific: { dmso: { rate: 0.004, exponent: 1.6 }, eg: { rate: 0.001, exponent: 1.2 } },
  nonSpecific: { rate: 0.0005, exponent: 2 },
  interactions: [],
});

function dataset(seed: number): ToxicityObservation[] {
  const rng = createRng(seed);
  const out: ToxicityObservation[] = [];
  for (const dmso of [0, 1, 2, 3, 4]) {
    for (const eg of [0, 1.5, 3, 4.5]) {
      if (dmso === 0 && eg === 0) continue;
      for (const minutes of [10, 20, 40]) {
        const composition = { dmso, eg };
        const s = survivalFraction(truth.parameters, composition, minutes);
        const noise = Math.exp(0.05 * (rng.next() * 2 - 1) * Math.sqrt(3));
        out.push({ composition, exposure: minutes, survival: s * noise });
      }
    }
  }
  return out;
}

describe('evaluateToxicityModel', () => {
  const observations = dataset(3);
  const { fit, evaluation } = evaluateToxicityModel(observations, { seed: 1 });

  it('predicts held-out compositions far better than the training mean and keeps compositions on one side', () => {
    expect(evaluation.n).toBe(observations.length);
    expect(evaluation.nGroups).toBe(19);
    expect(evaluation.metrics.mae).toBeLessThan(evaluation.baselines.mean.mae / 3);
    expect(evaluation.metrics.r2).toBeGreaterThan(0.9);
    expect(evaluation.outOfFold).toHaveLength(observations.length);
    expect(evaluation.converged).toBe(fit.converged);
    expect(fit.parameters.length).toBeGreaterThan(0);
  });

  it('reports the measured coverage of its prediction intervals near the nominal level', () => {
    expect(evaluation.conformal.level).toBe(0.9);
    expect(evaluation.conformal.method).toBe('conformal-log-survival');
    expect(Math.abs(evaluation.conformal.coverage - 0.9)).toBeLessThan(0.08);
    const levels = evaluation.calibration.map((c) => c.coverage);
    expect(levels[0]).toBeLessThan(levels.at(-1)!);
  });

  it('is deterministic for a seed and refuses data without enough distinct compositions', () => {
    expect(evaluateToxicityModel(observations, { seed: 1 }).evaluation.metrics).toEqual(evaluation.metrics);
    const one = observations.filter((o) => compositionGroup(o.composition) === compositionGroup(observations[0]!.composition));
    expect(() => evaluateToxicityModel(one, { seed: 1 })).toThrow(ToxicityModelError);
  });
});
