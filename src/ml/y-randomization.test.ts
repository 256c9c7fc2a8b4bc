import { describe, expect, it } from 'vitest';
import { r2, rocAuc } from './metrics.ts';
import { LogisticRidgeClassifier } from './logistic-ridge.ts';
import { RidgeRegressor } from './ridge.ts';
import { linearData } from './synthetic.ts';
import { kFold } from './validation.ts';
import { yRandomization } from './y-randomization.ts';

describe('yRandomization', () => {
  const data = linearData(80, [2, -1, 0.5], 0, 0.5, 7);
  const folds = kFold(80, 5, 1);

  it('separates a real relationship from permuted targets', () => {
    const res = yRandomization({ X: data.X, y: data.y, folds, factory: () => new RidgeRegressor(), metric: r2, higherIsBetter: true, nPermutations: 19, seed: 3 });
    expect(res.observed).toBeGreaterThan(0.9);
    expect(res.permuted).toHaveLength(19);
    expect(res.permutedMean).toBeLessThan(0.2);
    expect(res.pValue).toBeCloseTo(1 / 20, 15);
  });

  it('finds nothing when the targets are noise', () => {
    const noise = linearData(80, [0, 0, 0], 0, 1, 8);
    const res = yRandomization({ X: noise.X, y: noise.y, folds, factory: () => new RidgeRegressor(), metric: r2, higherIsBetter: true, nPermutations: 19, seed: 3 });
    expect(res.pValue).toBeGreaterThan(0.05);
  });

  it('works for classifiers', () => {
    const y = data.y.map((v) => (v > 0 ? 1 : 0));
    const res = yRandomization({ X: data.X, y, folds, factory: () => new LogisticRidgeClassifier(), metric: rocAuc, higherIsBetter: true, nPermutations: 9, seed: 1 });
    expect(res.observed).toBeGreaterThan(0.9);
    expect(res.permutedMean).toBeLessThan(0.7);
  });
});
