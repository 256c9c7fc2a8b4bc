import { describe, expect, it } from 'vitest';
import { MIN_VIABILITY_ROWS, predictMixtureViability, trainMixtureViability, type MixtureViabilityRow } from './mixture-model.ts';
import { createRng } from './rng.ts';

/** Viability falls with the CPA fraction and rises with the cooling rate, plus noise; 8 replicates per mixture. */
function synthetic(nMixtures: number, perMixture: number, seed: number): MixtureViabilityRow[] {
  const rng = createRng(seed);
  const rows: MixtureViabilityRow[] = [];
  for (let m = 0; m < nMixtures; m++) {
    const fraction = 0.05 + (0.5 * m) / nMixtures;
    for (let r = 0; r < perMixture; r++) {
      const cooling = 1 + 9 * rng.next();
      const noise = (rng.next() - 0.5) * 4;
      rows.push({ group: `mix-${m}`, features: { solute_mass_fraction: fraction, coolingRateKPerMin: cooling }, y: 95 - 120 * fraction + 2 * cooling + noise });
    }
  }
  return rows;
}

describe('mixture viability model', () => {
  it('learns a known function of composition and beats the training mean on grouped folds', () => {
    const rows = synthetic(10, 6, 1);
    const { evaluation, artifact } = trainMixtureViability(rows, { seed: 3 });
    expect(evaluation.split.kind).toBe('group-kfold');
    expect(evaluation.split.groupsDisjoint).toBe(true);
    expect(evaluation.metrics.mae).toBeLessThan(evaluation.baselines.mean!.mae * 0.5);
    const json = JSON.parse(JSON.stringify(artifact)) as typeof artifact;
    const [low, high] = predictMixtureViability(json, [
      { solute_mass_fraction: 0.1, coolingRateKPerMin: 5 },
      { solute_mass_fraction: 0.5, coolingRateKPerMin: 5 },
    ]);
    expect(low!.value).toBeGreaterThan(high!.value + 20);
    for (const p of [low!, high!]) {
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
      expect(p.lower).toBeGreaterThanOrEqual(0);
      expect(p.upper).toBeLessThanOrEqual(100);
    }
  });

  it('reaches near-nominal interval coverage and a ridge variant works too', () => {
    const rows = synthetic(12, 8, 2);
    const rf = trainMixtureViability(rows, { seed: 1, level: 0.9 });
    expect(Math.abs(rf.evaluation.conformal.coverage - 0.9)).toBeLessThan(0.08);
    const ridge = trainMixtureViability(rows, { seed: 1, algorithm: 'ridge' });
    expect(ridge.artifact.algorithm).toBe('ridge');
    expect(ridge.evaluation.metrics.mae).toBeLessThan(ridge.evaluation.baselines.mean!.mae);
  });

  it('uses leave-one-mixture-out with fewer than five mixtures', () => {
    const { evaluation } = trainMixtureViability(synthetic(4, 4, 5), { seed: 0 });
    expect(evaluation.split.kind).toBe('leave-one-group-out');
    expect(evaluation.split.nFolds).toBe(4);
  });

  it('refuses too few rows or too few mixtures', () => {
    expect(() => trainMixtureViability(synthetic(4, 2, 1), { seed: 0 })).toThrow(new RegExp(`at least ${MIN_VIABILITY_ROWS}`));
    expect(() => trainMixtureViability(synthetic(2, 10, 1), { seed: 0 })).toThrow(/at least 3 different mixtures/);
  });
});
