/**
 * Dense linear solve for the small systems of the composition solver (one row per component).
 * Gaussian elimination with partial pivoting; rows are scaled to unit max-norm first because the
 * coefficients mix mol, g and mL and can differ by several orders of magnitude.
 */

export class SingularSystemError extends Error {
  constructor(message = 'Linear system is singular') {
    super(message);
    this.name = 'SingularSystemError';
  }
}

/** Solves A·x = b. `a` is row-major and is not modified. Throws SingularSystemError. */
export function solveLinearSystem(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  if (a.length !== n || a.some((row) => row.length !== n)) {
    throw new RangeError(`Expected a ${n}×${n} matrix`);
  }
  const m = a.map((row, i) => {
    const scale = Math.max(...row.map(Math.abs));
    if (!(scale > 0)) throw new SingularSystemError(`Row ${i} is all zeros`);
    return [...row.map((v) => v / scale), (b[i] as number) / scale];
  });

  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    }
    if (Math.abs(m[pivot]![col]!) < 1e-13) throw new SingularSystemError();
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const pivotRow = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / pivotRow[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c] = row[c]! - f * pivotRow[c]!;
    }
  }

  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x;
}
