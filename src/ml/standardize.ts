/**
 * Column standardization (z-scores) learned on training rows only. Constant columns get scale 1 so that they
 * map to 0 instead of dividing by zero.
 */
export interface ColumnScaling {
  means: number[];
  scales: number[];
}

export function fitScaling(X: readonly number[][]): ColumnScaling {
  const n = X.length;
  const p = n > 0 ? (X[0] as number[]).length : 0;
  const means = new Array<number>(p).fill(0);
  const scales = new Array<number>(p).fill(0);
  for (const row of X) for (let j = 0; j < p; j++) means[j] = (means[j] as number) + (row[j] as number);
  for (let j = 0; j < p; j++) means[j] = (means[j] as number) / n;
  for (const row of X) {
    for (let j = 0; j < p; j++) {
      const d = (row[j] as number) - (means[j] as number);
      scales[j] = (scales[j] as number) + d * d;
    }
  }
  for (let j = 0; j < p; j++) {
    // Population sd (divide by n), as in scikit-learn's StandardScaler.
    const sd = Math.sqrt((scales[j] as number) / n);
    scales[j] = sd > 1e-12 * Math.max(1, Math.abs(means[j] as number)) ? sd : 1;
  }
  return { means, scales };
}

export function applyScaling(X: readonly number[][], s: ColumnScaling): number[][] {
  return X.map((row) => row.map((v, j) => (v - (s.means[j] as number)) / (s.scales[j] as number)));
}

export function mean(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

/** Population standard deviation. */
export function sd(v: readonly number[]): number {
  const m = mean(v);
  let s = 0;
  for (const x of v) s += (x - m) * (x - m);
  return Math.sqrt(s / v.length);
}
