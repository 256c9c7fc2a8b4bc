import { describe, expect, it } from 'vitest';
import { RidgeRegressor } from './ridge.ts';
import { fitScaling } from './standardize.ts';
import { linearData } from './synthetic.ts';

/** Gaussian elimination with partial pivoting, written independently of ml-matrix for the reference answer. */
function solveDense(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

describe('RidgeRegressor', () => {
  it('matches the closed-form penalized solution with an unpenalized intercept', () => {
    const { X, y } = linearData(60, [2, -1, 0.5], 3, 0.5, 11);
    const alpha = 4;
    const m = new RidgeRegressor({ alpha });
    m.fit(X, y);
    // Reference: minimize ||y − b0 − Zβ||² + α||β||² over (b0, β) with Z the z-scored X, solved as the
    // (p+1)-dimensional normal equations with the intercept's diagonal left unpenalized.
    const s = fitScaling(X);
    const Z = X.map((r) => [1, ...r.map((v, j) => (v - s.means[j]!) / s.scales[j]!)]);
    const d = 4;
    const A = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) => Z.reduce((acc, z) => acc + z[j]! * z[k]!, 0) + (j === k && j > 0 ? alpha : 0)));
    const b = Array.from({ length: d }, (_, j) => Z.reduce((acc, z, i) => acc + z[j]! * y[i]!, 0));
    const theta = solveDense(A, b);
    const ref = Z.map((z) => z.reduce((acc, v, j) => acc + v * theta[j]!, 0));
    const pred = m.predict(X);
    pred.forEach((p, i) => expect(p).toBeCloseTo(ref[i]!, 8));
    m.coefficients.forEach((c, j) => expect(c).toBeCloseTo(theta[j + 1]! / s.scales[j]!, 8));
  });

  it('recovers exact coefficients of noiseless data as alpha → 0', () => {
    const { X, y } = linearData(30, [1.5, -2, 0.25], -7, 0, 2);
    const m = new RidgeRegressor({ alpha: 0 });
    m.fit(X, y);
    expect(m.intercept).toBeCloseTo(-7, 6);
    expect(m.coefficients[0]).toBeCloseTo(1.5, 6);
    expect(m.coefficients[1]).toBeCloseTo(-2, 6);
    expect(m.coefficients[2]).toBeCloseTo(0.25, 6);
  });

  it('shrinks coefficients as alpha grows and round-trips through JSON', () => {
    const { X, y } = linearData(40, [3, 1], 0, 1, 4);
    const norms = [0.1, 10, 1000].map((alpha) => {
      const m = new RidgeRegressor({ alpha });
      m.fit(X, y);
      return Math.hypot(...m.coefficients);
    });
    expect(norms[0]!).toBeGreaterThan(norms[1]!);
    expect(norms[1]!).toBeGreaterThan(norms[2]!);
    const m = new RidgeRegressor({ alpha: 2 });
    m.fit(X, y);
    const back = RidgeRegressor.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.predict(X)).toEqual(m.predict(X));
  });
});
