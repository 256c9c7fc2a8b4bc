import { describe, expect, it } from 'vitest';
import { calibrateConformal, conformalIntervals, conformalQuantile, coverage, cvPlusIntervals, meanWidth } from './conformal.ts';
import { createRng } from './rng.ts';
import { RidgeRegressor } from './ridge.ts';
import { linearData } from './synthetic.ts';
import { crossValPredict, kFold } from './validation.ts';

describe('conformal quantile', () => {
  it('takes the ⌈(n+1)·level⌉-th smallest score', () => {
    const s = [5, 3, 9, 1, 7, 2, 8, 4, 6];
    expect(conformalQuantile(s, 0.9)).toBe(9);
    expect(conformalQuantile(s, 0.8)).toBe(8);
    expect(conformalQuantile(s, 0.5)).toBe(5);
    expect(conformalQuantile([1, 2, 3, 4, 5], 0.9)).toBe(Infinity);
  });

  it('computes coverage and mean width', () => {
    const iv = [
      { lower: 0, upper: 1 },
      { lower: 0, upper: 1 },
      { lower: 2, upper: 3 },
    ];
    expect(coverage(iv, [0.5, 1, 5])).toBeCloseTo(2 / 3, 15);
    expect(meanWidth(iv)).toBe(1);
  });
});

describe('split conformal on data with known noise', () => {
  // y = 2 + 1.5 x1 − x2 + N(0, 1). With 500 calibration and 2,000 test points the coverage of one run has
  // sd ≈ √(0.9·0.1/500 + 0.9·0.1/2000) ≈ 0.015, so ±0.05 is more than three sd.
  const beta = [1.5, -1];
  const train = linearData(200, beta, 2, 1, 1);
  const calib = linearData(500, beta, 2, 1, 2);
  const test = linearData(2000, beta, 2, 1, 3);
  const model = new RidgeRegressor({ alpha: 0.1 });
  model.fit(train.X, train.y);

  it('covers about 90 % of fresh points at level 0.9 with the expected width', () => {
    const cal = calibrateConformal({ yTrue: calib.y, yPred: model.predict(calib.X) }, 0.9);
    const iv = conformalIntervals(cal, model.predict(test.X));
    expect(Math.abs(coverage(iv, test.y) - 0.9)).toBeLessThan(0.05);
    // Half-width ≈ z₀.₉₅ · σ = 1.645.
    expect(Math.abs(cal.quantile - 1.645)).toBeLessThan(0.2);
  });

  it('normalized scores adapt the width to a difficulty estimate', () => {
    const rng = createRng(9);
    const make = (n: number): { x: number[]; y: number[]; d: number[] } => {
      const x = Array.from({ length: n }, () => rng.uniform(0, 1));
      const d = x.map((v) => 0.2 + 2 * v); // noise sd grows with x
      return { x, y: x.map((v, i) => v + d[i]! * rng.normal()), d };
    };
    const cal = make(1000);
    const tst = make(3000);
    const c = calibrateConformal({ yTrue: cal.y, yPred: cal.x, difficulty: cal.d, beta: 0 }, 0.9);
    const iv = conformalIntervals(c, tst.x, tst.d);
    expect(Math.abs(coverage(iv, tst.y) - 0.9)).toBeLessThan(0.04);
    // Coverage also holds separately for low- and high-noise points (it would not with a constant width).
    const lo = tst.x.map((v, i) => (v < 0.5 ? i : -1)).filter((i) => i >= 0);
    const hi = tst.x.map((v, i) => (v >= 0.5 ? i : -1)).filter((i) => i >= 0);
    for (const part of [lo, hi]) {
      expect(Math.abs(coverage(part.map((i) => iv[i]!), part.map((i) => tst.y[i]!)) - 0.9)).toBeLessThan(0.05);
    }
    expect(() => conformalIntervals(c, tst.x)).toThrow();
  });
});

describe('CV+', () => {
  it('covers about 90 % of fresh points using K fold models', () => {
    const beta = [1, 2, -0.5];
    const data = linearData(300, beta, 0, 1, 21);
    const fresh = linearData(1500, beta, 0, 1, 22);
    const folds = kFold(300, 5, 1);
    const oof = crossValPredict(() => new RidgeRegressor({ alpha: 1 }), data.X, data.y, folds);
    const testPredictionsByFold = folds.map((f) => {
      const m = new RidgeRegressor({ alpha: 1 });
      m.fit(f.train.map((i) => data.X[i]!), f.train.map((i) => data.y[i]!));
      return m.predict(fresh.X);
    });
    const iv = cvPlusIntervals({ oofPredictions: oof.predictions, yTrue: data.y, foldOf: oof.foldOf, testPredictionsByFold }, 0.9);
    expect(Math.abs(coverage(iv, fresh.y) - 0.9)).toBeLessThan(0.05);
    expect(iv.every((v) => v.lower < v.upper)).toBe(true);
    // Tiny calibration sets cannot certify 90 %: the interval becomes unbounded.
    const few = cvPlusIntervals({ oofPredictions: [0, 0, 0], yTrue: [1, 2, 3], foldOf: [0, 1, 2], testPredictionsByFold: [[0], [0], [0]] }, 0.9);
    expect(few[0]).toEqual({ lower: -Infinity, upper: Infinity });
  });
});
