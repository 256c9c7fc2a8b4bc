import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagePrecision,
  averageRanks,
  balancedAccuracy,
  classificationMetrics,
  enrichmentFactor,
  mae,
  pearson,
  r2,
  rmse,
  rocAuc,
  spearman,
} from './metrics.ts';
import { createRng } from './rng.ts';

describe('regression metrics (hand-computed)', () => {
  const yTrue = [1, 2, 3, 4];
  const yPred = [1.5, 2, 2, 5];
  it('MAE, RMSE, R²', () => {
    expect(mae(yTrue, yPred)).toBeCloseTo(0.625, 15);
    expect(rmse(yTrue, yPred)).toBeCloseTo(0.75, 15);
    // SS_res = 2.25, SS_tot = 5
    expect(r2(yTrue, yPred)).toBeCloseTo(0.55, 15);
    expect(r2([2, 2], [1, 3])).toBeNaN();
    expect(() => mae([1], [1, 2])).toThrow();
  });
  it('Pearson', () => {
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt((2 * 114) / 9), 14);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
  });
  it('Spearman with ties uses average ranks', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 14);
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 16])).toBe(1);
  });
});

describe('ranking and classification metrics (hand-computed)', () => {
  it('ROC-AUC counts ties as one half', () => {
    expect(rocAuc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.4, 0.4])).toBeCloseTo(6 / 9, 15);
    expect(rocAuc([0, 1], [0.2, 0.9])).toBe(1);
    expect(rocAuc([1, 1], [0.2, 0.9])).toBeNaN();
  });

  it('ROC-AUC equals the Mann–Whitney U / (n1 n0) counted pair by pair', () => {
    const rng = createRng(8);
    const y = Array.from({ length: 200 }, () => (rng.next() < 0.3 ? 1 : 0));
    const s = y.map((v) => Math.round((v + rng.normal()) * 4) / 4); // rounding creates many ties
    let u = 0;
    let pairs = 0;
    for (let i = 0; i < y.length; i++) {
      for (let j = 0; j < y.length; j++) {
        if (y[i] === 1 && y[j] === 0) {
          pairs++;
          u += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
        }
      }
    }
    expect(rocAuc(y, s)).toBeCloseTo(u / pairs, 12);
  });

  it('average precision (PR-AUC), with tied scores entering together', () => {
    expect(averagePrecision([1, 0, 1, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5])).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3, 15);
    expect(averagePrecision([1, 0, 1], [0.5, 0.5, 0.1])).toBeCloseTo(0.25 + 1 / 3, 15);
    // A constant score gives the prevalence.
    expect(averagePrecision([1, 0, 0, 0], [1, 1, 1, 1])).toBeCloseTo(0.25, 15);
  });

  it('accuracy and balanced accuracy', () => {
    expect(accuracy([1, 1, 1, 0], [1, 0, 1, 0])).toBe(0.75);
    expect(balancedAccuracy([1, 1, 1, 0], [1, 0, 1, 0])).toBeCloseTo(5 / 6, 15);
  });

  it('enrichment factor at the top x %, sharing tied slots', () => {
    const y = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    const scores = y.map((_, i) => 10 - i);
    expect(enrichmentFactor(y, scores, 0.1)).toBeCloseTo(5, 15);
    expect(enrichmentFactor(y, scores, 0.2)).toBeCloseTo(2.5, 15);
    expect(enrichmentFactor(y, scores, 1)).toBeCloseTo(1, 15);
    expect(enrichmentFactor(y, y.map(() => 0), 0.1)).toBeCloseTo(1, 15);
  });

  it('bundles metrics with the prevalence', () => {
    const m = classificationMetrics([1, 0, 1, 0], [0.9, 0.1, 0.6, 0.7]);
    expect(m.prevalence).toBe(0.5);
    expect(m.rocAuc).toBeCloseTo(0.75, 15);
    expect(m.accuracy).toBe(0.75);
  });
});
