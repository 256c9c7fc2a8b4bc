import { describe, expect, it } from 'vitest';
import { GradientBoostingClassifier, GradientBoostingRegressor } from './gradient-boosting.ts';
import { rmse, rocAuc } from './metrics.ts';
import { friedman1 } from './synthetic.ts';

const train = friedman1(300, 10, 1, 31);
const test = friedman1(400, 10, 1, 32);
const trainMean = train.y.reduce((s, v) => s + v, 0) / train.y.length;

describe('GradientBoostingRegressor', () => {
  it('with learning rate 1 and one stump it reproduces the best single split', () => {
    const X = [[1], [2], [3], [4]];
    const y = [1, 1, 3, 3];
    const m = new GradientBoostingRegressor({ nEstimators: 1, learningRate: 1, maxDepth: 1, subsample: 1 });
    m.fit(X, y);
    expect(m.init).toBe(2);
    expect(m.predict([[0], [10]])).toEqual([1, 3]);
  });

  it('shrinks each step by the learning rate (squared loss: residual halves per round at rate 0.5)', () => {
    const X = [[1], [2]];
    const y = [0, 4];
    const m = new GradientBoostingRegressor({ nEstimators: 3, learningRate: 0.5, maxDepth: 1, subsample: 1 });
    m.fit(X, y);
    // Start at 2; residuals ±2 → ±1 → ±0.5 → ±0.25 after three rounds.
    const [a, b] = m.predict(X);
    expect(a).toBeCloseTo(0.25, 12);
    expect(b).toBeCloseTo(3.75, 12);
  });

  it('beats the mean baseline on Friedman #1 and round-trips through JSON', () => {
    const m = new GradientBoostingRegressor({ nEstimators: 300, learningRate: 0.05, maxDepth: 3, subsample: 0.8, seed: 2 });
    m.fit(train.X, train.y);
    const pred = m.predict(test.X);
    expect(rmse(test.y, pred)).toBeLessThan(0.5 * rmse(test.y, test.y.map(() => trainMean)));
    const back = GradientBoostingRegressor.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.predict(test.X)).toEqual(pred);
  });

  it('depends on the seed only through subsampling', () => {
    const fit = (seed: number, subsample: number): number[] => {
      const m = new GradientBoostingRegressor({ nEstimators: 20, subsample, seed });
      m.fit(train.X, train.y);
      return m.predict(test.X.slice(0, 10));
    };
    expect(fit(1, 1)).toEqual(fit(2, 1));
    expect(fit(1, 0.5)).not.toEqual(fit(2, 0.5));
  });
});

describe('GradientBoostingClassifier', () => {
  it('starts from the prevalence log-odds and takes a Newton step per leaf', () => {
    const X = [[0], [0], [1], [1]];
    const y = [0, 0, 1, 1];
    const m = new GradientBoostingClassifier({ nEstimators: 1, learningRate: 1, maxDepth: 1, subsample: 1 });
    m.fit(X, y);
    expect(m.init).toBeCloseTo(0, 12);
    // At p = 0.5 each leaf gets Σ(y − p) / Σ p(1 − p) = ±1 / 0.5 = ±2 in log-odds.
    const f = m.decisionFunction([[0], [1]]);
    expect(f[0]).toBeCloseTo(-2, 12);
    expect(f[1]).toBeCloseTo(2, 12);
  });

  it('ranks actives above inactives on held-out data', () => {
    const yTrain = train.y.map((v) => (v > 14 ? 1 : 0));
    const yTest = test.y.map((v) => (v > 14 ? 1 : 0));
    const m = new GradientBoostingClassifier({ nEstimators: 200, seed: 4 });
    m.fit(train.X, yTrain);
    const p = m.predictProba(test.X);
    expect(rocAuc(yTest, p)).toBeGreaterThan(0.9);
    const back = GradientBoostingClassifier.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.predictProba(test.X)).toEqual(p);
  });
});
