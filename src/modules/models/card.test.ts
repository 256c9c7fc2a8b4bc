import { describe, expect, it } from 'vitest';
import { modelCard } from './card.ts';
import type { VersionDetail } from './service.ts';

const version: VersionDetail = {
  id: '11111111-2222-4333-8444-555555555555', projectId: null, target: 'pure-tg', versionNumber: 3, task: 'regression', algorithm: 'rf',
  status: 'active', visibility: 'project', trainingRows: 295, trainingDataHash: 'a'.repeat(64), codeVersion: '0.1.0', seed: 7,
  createdBy: 'u', createdAt: '2026-11-22T00:00:00.000Z', activatedAt: '2026-11-22T00:00:01.000Z',
  metrics: { mae: 20.91, rmse: 29.9, r2: 0.894, n: 295 }, baselines: { mean: { mae: 85.4, n: 295 } },
  hyperparameters: { nEstimators: 200 }, featureNames: ['amw', 'tpsa'], notes: 'Reference model.',
  trainingSource: { kind: 'csv', fileName: 'data/reference/tg/koop2011-pure-tg.csv', smilesColumn: 'canonical_smiles', targetColumn: 'tg_k', rowsInFile: 296, rowsSkipped: 1, scaledBaselineFeature: 'tm_k' },
  evaluation: {
    n: 295, nGroups: 295, split: { kind: 'butina-kfold', nFolds: 5, nClusters: 128, groupsDisjoint: true, description: '5-fold over Butina clusters' },
    metrics: { mae: 20.91, rmse: 29.9, r2: 0.894, n: 295 }, baselines: { mean: { mae: 85.4, n: 295 }, 'g·tm_k': { mae: 18.8, n: 238 } },
    baselineComparisons: { 'g·tm_k': { feature: 'tm_k', g: 0.702, model: { mae: 20.5 }, baseline: { mae: 18.8, n: 238 } } },
    conformal: { level: 0.9, coverage: 0.892, meanWidth: 83.9 }, calibration: [{ level: 0.5, coverage: 0.498 }, { level: 0.9, coverage: 0.892 }],
    learningCurve: [{ nTrain: 59, metric: 25.7, metricName: 'MAE' }], featureImportance: [{ name: 'tpsa', importance: 0.4 }],
    yRandomization: { metric: 'R²', observed: 0.894, permutedMean: -0.14, permutedSd: 0.05, pValue: 1 / 6, rounds: 5 },
    domain: { threshold: 0.4, outOfDomainFraction: 0.597, metricsInDomain: { mae: 15, n: 119 }, metricsOutOfDomain: { mae: 25, n: 176 } },
    limits: ['Trained on 295 rows.'],
  },
};

describe('modelCard', () => {
  const card = modelCard(version);

  it('shows the stored numbers, the split and the baselines, never recomputed ones', () => {
    expect(card).toContain('# Model card: pure-tg v3');
    expect(card).toContain('| model | 20.9 | 29.9 | 0.894 | 295 |');
    expect(card).toContain('| baseline: mean | 85.4 | — | — | 295 |');
    expect(card).toContain('over 128 clusters; no structure appears on both sides of any fold');
    expect(card).toContain('only the 238 rows that have `tm_k`; fitted g = 0.702');
    expect(card).toMatch(/measured out-of-fold coverage 0\.892, mean width 83\.9/);
    expect(card).toContain('MAE in domain: 15 (n = 119); out of domain: 25 (n = 176).');
    expect(card).toContain('- Trained on 295 rows.');
  });

  it('gives the command that reproduces the version', () => {
    expect(card).toContain('--data data/reference/tg/koop2011-pure-tg.csv');
    expect(card).toMatch(/--algorithm rf \\\n {2}--seed 7 \\\n {2}--baseline-column tm_k/);
  });
});
