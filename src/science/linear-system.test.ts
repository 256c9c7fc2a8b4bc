import { describe, expect, it } from 'vitest';
import { SingularSystemError, solveLinearSystem } from './linear-system.ts';

describe('solveLinearSystem', () => {
  it('solves a system that needs pivoting and badly scaled rows', () => {
    const x = solveLinearSystem([[0, 2, 1], [1e-6, 0, 3e-6], [4000, 1000, 0]], [5, 4e-6, 6000]);
    expect(x[0]).toBeCloseTo(1, 10);
    expect(x[1]).toBeCloseTo(2, 10);
    expect(x[2]).toBeCloseTo(1, 10);
  });

  it('reports singular systems', () => {
    expect(() => solveLinearSystem([[1, 2], [2, 4]], [1, 2])).toThrow(SingularSystemError);
    expect(() => solveLinearSystem([[0, 0], [1, 1]], [0, 1])).toThrow(SingularSystemError);
  });
});
