/**
 * Synthetic benchmark data with known structure, generated from a seed. Used by tests, benchmarks and docs to
 * check estimators against a known answer.
 */
import { createRng } from './rng.ts';

export interface SyntheticData {
  X: number[][];
  y: number[];
  /** The noise-free target, for checking what an estimator could achieve at best. */
  yTrue: number[];
}

/**
 * Friedman #1 (Friedman 1991, "Multivariate adaptive regression splines", Ann. Stat. 19:1–67):
 * x ~ U(0,1)^p with p ≥ 5, y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + N(0, noise²).
 * Only the first five features matter; the rest are distractors.
 */
export function friedman1(n: number, p: number, noise: number, seed: number): SyntheticData {
  if (p < 5) throw new Error('friedman1 needs at least 5 features');
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  const yTrue: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: p }, () => rng.next());
    const [x1, x2, x3, x4, x5] = x as [number, number, number, number, number];
    const f = 10 * Math.sin(Math.PI * x1 * x2) + 20 * (x3 - 0.5) ** 2 + 10 * x4 + 5 * x5;
    X.push(x);
    yTrue.push(f);
    y.push(f + noise * rng.normal());
  }
  return { X, y, yTrue };
}

/** Linear data y = Xβ + b + N(0, noise²) with x ~ N(0,1)^p. */
export function linearData(n: number, beta: readonly number[], intercept: number, noise: number, seed: number): SyntheticData {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  const yTrue: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = beta.map(() => rng.normal());
    const f = intercept + x.reduce((s, v, j) => s + v * (beta[j] as number), 0);
    X.push(x);
    yTrue.push(f);
    y.push(f + noise * rng.normal());
  }
  return { X, y, yTrue };
}
