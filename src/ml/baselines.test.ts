import { describe, expect, it } from 'vitest';
import { MeanRegressor, PrevalenceClassifier, ScaledFeatureBaseline } from './baselines.ts';
import { averagePrecision, rocAuc } from './metrics.ts';

describe('baselines', () => {
  it('mean regressor predicts the training mean', () => {
    const m = new MeanRegressor();
    m.fit([[0], [0], [0]], [1, 2, 6]);
    expect(m.predict([[5], [7]])).toEqual([3, 3]);
    expect(MeanRegressor.fromJSON(JSON.parse(JSON.stringify(m.toJSON()))).predict([[1]])).toEqual([3]);
  });

  it('prevalence classifier scores AUC 0.5 and AP = prevalence', () => {
    const c = new PrevalenceClassifier();
    const y = [1, 0, 0, 1, 0];
    c.fit(y.map(() => [0]), y);
    const p = c.predictProba(y.map(() => [0]));
    expect(p).toEqual([0.4, 0.4, 0.4, 0.4, 0.4]);
    expect(rocAuc(y, p)).toBe(0.5);
    expect(averagePrecision(y, p)).toBeCloseTo(0.4, 15);
  });

  it('scaled-feature baseline fits g = Σxy / Σx² through the origin (Tg ≈ g·Tm)', () => {
    const b = new ScaledFeatureBaseline({ featureIndex: 1 });
    b.fit([[9, 1], [9, 2], [9, 3]], [2, 4, 7]);
    expect(b.g).toBeCloseTo(31 / 14, 15);
    expect(b.predict([[0, 10]])[0]).toBeCloseTo(310 / 14, 12);
    // Exact proportionality is recovered exactly, e.g. Tg = 0.70 · Tm.
    const exact = new ScaledFeatureBaseline({ featureIndex: 0 });
    exact.fit([[300], [400], [250]], [210, 280, 175]);
    expect(exact.g).toBeCloseTo(0.7, 15);
  });
});
