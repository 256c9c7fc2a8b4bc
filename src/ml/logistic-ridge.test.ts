import { describe, expect, it } from 'vitest';
import { LogisticRidgeClassifier } from './logistic-ridge.ts';
import { createRng } from './rng.ts';

describe('LogisticRidgeClassifier', () => {
  it('satisfies the penalized score equations at the optimum', () => {
    const rng = createRng(2);
    const X = Array.from({ length: 200 }, () => [rng.normal(), rng.normal()]);
    const y = X.map(([a, b]) => (rng.next() < 1 / (1 + Math.exp(-(0.5 + 2 * a! - b!))) ? 1 : 0));
    const alpha = 3;
    const m = new LogisticRidgeClassifier({ alpha });
    m.fit(X, y);
    const p = m.predictProba(X);
    // Gradient of the penalized log-likelihood in standardized coordinates must vanish:
    // Σ(y − p) = 0 (unpenalized intercept) and Σ(y − p) z_j = α β_j.
    const resid = y.map((v, i) => v - p[i]!);
    expect(Math.abs(resid.reduce((s, v) => s + v, 0))).toBeLessThan(1e-8);
    const state = m.toJSON().state as { beta: number[]; scaling: { means: number[]; scales: number[] } };
    for (let j = 0; j < 2; j++) {
      const g = X.reduce((s, row, i) => s + resid[i]! * ((row[j]! - state.scaling.means[j]!) / state.scaling.scales[j]!), 0);
      expect(g).toBeCloseTo(alpha * state.beta[j + 1]!, 8);
    }
    const { coefficients } = m.coefficients;
    expect(coefficients[0]!).toBeGreaterThan(1);
    expect(coefficients[1]!).toBeLessThan(-0.4);
    expect(LogisticRidgeClassifier.fromJSON(JSON.parse(JSON.stringify(m.toJSON()))).predictProba(X)).toEqual(p);
  });
});
