import { describe, expect, it } from 'vitest';
import { GaussianProcessRegressor } from './gaussian-process.ts';
import { rmse } from './metrics.ts';
import { createRng } from './rng.ts';

const f = (x: number): number => Math.sin(x) + 0.3 * x;

function data(n: number, noise: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => [rng.uniform(0, 6)]);
  return { X, y: X.map(([x]) => f(x!) + noise * rng.normal()) };
}

describe('GaussianProcessRegressor', () => {
  it('matches the textbook posterior for two points with fixed hyperparameters', () => {
    // Standardized targets of y = [0, 2] are [−1, 1]; inputs [0, 1] standardize to [−1, 1] (distance 2).
    const h = { lengthScales: [2], signalVariance: 1, noiseVariance: 0.1 };
    const gp = new GaussianProcessRegressor({ fixed: h });
    gp.fit([[0], [1]], [0, 2]);
    const k12 = Math.exp(-0.5 * (2 * 2) / 4);
    // Query at the first training point: k* = [1, k12]; mean = k*ᵀ K⁻¹ y with K = [[1.1, k12], [k12, 1.1]].
    const det = 1.1 * 1.1 - k12 * k12;
    const alpha = [(1.1 * -1 - k12 * 1) / det, (-k12 * -1 + 1.1 * 1) / det];
    const meanStd = alpha[0]! * 1 + alpha[1]! * k12;
    const kinvk = (1.1 * 1 - 2 * k12 * k12 + 1.1 * k12 * k12) / det;
    const latentVar = 1 - kinvk;
    const { mean, std } = gp.predictWithStd([[0]], false);
    expect(mean[0]).toBeCloseTo(1 + meanStd * 1, 10); // y mean 1, y sd 1
    expect(std[0]).toBeCloseTo(Math.sqrt(latentVar), 10);
  });

  it('recovers a smooth 1-D function and its sd grows away from the data', () => {
    const { X, y } = data(40, 0.05, 1);
    const gp = new GaussianProcessRegressor();
    gp.fit(X, y);
    const grid = Array.from({ length: 50 }, (_, i) => [0.2 + (5.6 * i) / 49]);
    const pred = gp.predict(grid);
    expect(rmse(grid.map(([x]) => f(x!)), pred)).toBeLessThan(0.06);
    const sd = gp.predictWithStd([[3], [8], [12]], false).std;
    expect(sd[1]!).toBeGreaterThan(3 * sd[0]!);
    expect(sd[2]!).toBeGreaterThan(sd[1]!);
    // Noise estimate near the true 0.05 (in target units).
    const noiseSd = Math.sqrt(gp.hyperparameters!.noiseVariance) * Math.sqrt(y.reduce((s, v) => s + (v - y.reduce((a, b) => a + b) / y.length) ** 2, 0) / y.length);
    expect(noiseSd).toBeGreaterThan(0.02);
    expect(noiseSd).toBeLessThan(0.1);
  });

  it('chooses hyperparameters at least as likely as every grid point', () => {
    const { X, y } = data(30, 0.1, 2);
    const gp = new GaussianProcessRegressor();
    gp.fit(X, y);
    for (const l of [0.1, 0.5, 2]) {
      for (const noise of [0.001, 0.05, 0.3]) {
        const fixed = new GaussianProcessRegressor({ fixed: { lengthScales: [l], signalVariance: 1, noiseVariance: noise } });
        fixed.fit(X, y);
        expect(gp.logMarginalLikelihood).toBeGreaterThanOrEqual(fixed.logMarginalLikelihood - 1e-9);
      }
    }
  });

  it('ARD gives an irrelevant input a longer length scale', () => {
    const rng = createRng(3);
    const X = Array.from({ length: 50 }, () => [rng.uniform(0, 6), rng.uniform(0, 6)]);
    const y = X.map(([a]) => f(a!) + 0.05 * rng.normal());
    const gp = new GaussianProcessRegressor({ kernel: 'ard' });
    gp.fit(X, y);
    const [l0, l1] = gp.hyperparameters!.lengthScales;
    expect(l1!).toBeGreaterThan(3 * l0!);
  });

  it('restores bit-identical means and sds from JSON', () => {
    const { X, y } = data(25, 0.1, 4);
    const gp = new GaussianProcessRegressor();
    gp.fit(X, y);
    const probe = [[0.5], [2.5], [9]];
    const back = GaussianProcessRegressor.fromJSON(JSON.parse(JSON.stringify(gp.toJSON())));
    expect(back.predictWithStd(probe)).toEqual(gp.predictWithStd(probe));
  });
});
