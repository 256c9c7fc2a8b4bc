/**
 * Linear least squares with sign constraints on some coefficients, for the small dense problems of the
 * toxicity fit's starting point (one column per rate or interaction coefficient).
 */
import { solveLinearSystem, SingularSystemError } from './linear-system.ts';

/**
 * Least squares ‖X·β − t‖² with β_l ≥ 0 where `nonNegative[l]` (Lawson & Hanson 1974, "Solving Least
 * Squares Problems", ch. 23, with the unconstrained coefficients kept in the passive set throughout).
 * `columns` holds X column by column.
 */
export function boundedLeastSquares(columns: readonly (readonly number[])[], target: readonly number[], nonNegative: readonly boolean[]): number[] {
  const L = columns.length;
  const x = new Array<number>(L).fill(0);
  const passive = new Set(nonNegative.flatMap((nn, l) => (nn ? [] : [l])));
  const solvePassive = (): number[] => {
    const idx = [...passive].sort((a, b) => a - b);
    const z = new Array<number>(L).fill(0);
    if (idx.length === 0) return z;
    const a = idx.map((i) => idx.map((j) => dot(columns[i]!, columns[j]!)));
    const b = idx.map((i) => dot(columns[i]!, target));
    const trace = a.reduce((s, row, i) => s + row[i]!, 0) || 1;
    let solution: number[];
    try {
      solution = solveLinearSystem(a, b);
    } catch (error) {
      if (!(error instanceof SingularSystemError)) throw error;
      // Collinear columns (a term the data cannot separate): a tiny ridge picks one solution.
      solution = solveLinearSystem(a.map((row, i) => row.map((v, j) => (i === j ? v + 1e-10 * trace : v))), b);
    }
    idx.forEach((i, k) => (z[i] = solution[k]!));
    return z;
  };
  x.splice(0, L, ...solvePassive());
  for (let outer = 0; outer < 3 * L + 3; outer++) {
    const residual = target.map((t, n) => t - columns.reduce((s, col, l) => s + col[n]! * x[l]!, 0));
    const w = columns.map((col) => dot(col, residual));
    const scale = Math.max(...w.map(Math.abs), 0);
    let entering = -1;
    for (let l = 0; l < L; l++) {
      if (passive.has(l) || !nonNegative[l]) continue;
      if (w[l]! > 1e-10 * scale && (entering < 0 || w[l]! > w[entering]!)) entering = l;
    }
    if (entering < 0) break;
    passive.add(entering);
    for (let inner = 0; inner < 3 * L + 3; inner++) {
      const z = solvePassive();
      const infeasible = [...passive].filter((l) => nonNegative[l] && z[l]! <= 0);
      if (infeasible.length === 0) {
        x.splice(0, L, ...z);
        break;
      }
      const alpha = Math.min(...infeasible.map((l) => x[l]! / (x[l]! - z[l]!)));
      for (let l = 0; l < L; l++) x[l] = x[l]! + alpha * (z[l]! - x[l]!);
      for (const l of [...passive]) {
        if (nonNegative[l] && x[l]! <= 1e-15) {
          passive.delete(l);
          x[l] = 0;
        }
      }
    }
  }
  return x;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
