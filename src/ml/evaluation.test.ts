import { describe, expect, it } from 'vitest';
import { ScaledFeatureBaseline } from './baselines.ts';
import { evaluateModel } from './evaluation.ts';
import { GaussianProcessRegressor } from './gaussian-process.ts';
import { KnnTanimotoClassifier, KnnTanimotoRegressor } from './knn-tanimoto.ts';
import { RandomForestClassifier } from './random-forest.ts';
import { RidgeRegressor } from './ridge.ts';
import { createRng } from './rng.ts';

/** 60 "molecules" measured in triplicate: rows of one molecule share features and differ by assay noise. */
function replicateData(seed: number): { X: number[][]; y: number[]; groups: string[] } {
  const rng = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  const groups: string[] = [];
  for (let m = 0; m < 60; m++) {
    const x = [rng.normal(), rng.normal(), rng.normal()];
    const f = 3 * x[0]! - 2 * x[1]! + Math.sin(2 * x[2]!);
    for (let r = 0; r < 3; r++) {
      X.push(x);
      y.push(f + 0.5 * rng.normal());
      groups.push(`MOL-${m}`);
    }
  }
  return { X, y, groups };
}

describe('evaluateModel (regression)', () => {
  const d = replicateData(1);

  it('reports grouped CV metrics next to the mean baseline, with calibrated intervals', () => {
    const res = evaluateModel({
      task: 'regression',
      X: d.X,
      y: d.y,
      groups: d.groups,
      split: { kind: 'group-kfold', k: 5 },
      factory: () => new RidgeRegressor({ alpha: 1 }),
      baselines: { 'g·x0': () => new ScaledFeatureBaseline({ featureIndex: 0 }) },
      level: 0.9,
      seed: 7,
    });
    expect(res.split.groupsDisjoint).toBe(true);
    expect(res.split.nFolds).toBe(5);
    expect(res.metrics.n).toBe(180);
    expect(res.metrics.rmse).toBeLessThan(0.5 * res.baselines.mean!.rmse);
    expect(res.baselines['g·x0']).toBeDefined();
    expect(res.foldMetrics).toHaveLength(5);
    // 180 rows: coverage sd ≈ √(0.09/180) ≈ 0.02 plus calibration noise; ±0.08 is about three sd.
    expect(Math.abs(res.conformal.coverage - 0.9)).toBeLessThan(0.08);
    expect(res.conformal.normalized).toBe(false);
    expect(res.oof.predictions.every(Number.isFinite)).toBe(true);
    expect(res.oof.intervals).toHaveLength(180);
  });

  it('flags leakage when a random k-fold splits replicates, and is deterministic for a seed', () => {
    const run = (seed: number) =>
      evaluateModel({ task: 'regression', X: d.X, y: d.y, groups: d.groups, split: { kind: 'kfold', k: 5 }, factory: () => new RidgeRegressor(), seed });
    const a = run(3);
    expect(a.split.groupsDisjoint).toBe(false);
    expect(run(3)).toEqual(a);
    expect(run(4).oof.foldOf).not.toEqual(a.oof.foldOf);
  });

  it('normalizes intervals by the GP sd, and supports leave-one-group-out', () => {
    const small = { X: d.X.slice(0, 60), y: d.y.slice(0, 60), groups: d.groups.slice(0, 60) };
    const res = evaluateModel({
      task: 'regression',
      ...small,
      split: { kind: 'leave-one-group-out' },
      factory: () => new GaussianProcessRegressor({ refinementRounds: 1 }),
      seed: 1,
    });
    expect(res.split.nFolds).toBe(20);
    expect(res.split.groupsDisjoint).toBe(true);
    expect(res.conformal.normalized).toBe(true);
    expect(res.oof.std?.every((s) => s > 0)).toBe(true);
    expect(res.metrics.mae).toBeLessThan(res.baselines.mean!.mae);
  });

  it('runs Butina cluster splits and scaffold holdouts on fingerprints', () => {
    const rng = createRng(5);
    const protos = Array.from({ length: 8 }, () => Array.from({ length: 30 }, () => rng.nextInt(2048)));
    const fps: Uint8Array[] = [];
    const y: number[] = [];
    const scaffold: number[] = [];
    for (let i = 0; i < 80; i++) {
      const c = i % 8;
      const f = new Uint8Array(256);
      for (const b of protos[c]!) if (rng.next() < 0.9) f[b >> 3]! |= 1 << (b & 7);
      fps.push(f);
      y.push(c + 0.3 * rng.normal());
      scaffold.push(c);
    }
    const res = evaluateModel({
      task: 'regression',
      X: fps,
      y,
      fingerprints: fps,
      split: { kind: 'butina-kfold', k: 4, threshold: 0.6 },
      factory: () => new KnnTanimotoRegressor(),
      seed: 2,
    });
    expect(res.split.groupsDisjoint).toBe(true);
    expect(res.split.nClusters).toBeGreaterThanOrEqual(8);
    // Whole clusters are held out, so test rows have low similarity to training rows.
    expect(Math.max(...res.oof.nearestSimilarity!)).toBeLessThan(0.5);
    const holdout = evaluateModel({
      task: 'regression',
      X: fps,
      y,
      split: { kind: 'scaffold', testFraction: 0.25, labels: scaffold },
      factory: () => new KnnTanimotoRegressor(),
      seed: 2,
    });
    expect(holdout.split.nFolds).toBe(1);
    expect(holdout.metrics.n).toBe(20);
    expect(holdout.oof.predictions.filter(Number.isNaN)).toHaveLength(60);
  });
});

describe('evaluateModel (classification)', () => {
  it('reports ROC-AUC and enrichment against the prevalence baseline', () => {
    const d = replicateData(2);
    const y = d.y.map((v) => (v > 1 ? 1 : 0));
    const res = evaluateModel({
      task: 'classification',
      X: d.X,
      y,
      groups: d.groups,
      split: { kind: 'group-kfold', k: 5 },
      factory: (seed) => new RandomForestClassifier({ nEstimators: 60, seed }),
      seed: 3,
    });
    expect(res.metrics.rocAuc).toBeGreaterThan(0.85);
    // Pooled out-of-fold scores of a per-fold constant fall at or below 0.5: a fold rich in actives has a lower
    // training prevalence, so its (constant) scores are lower.
    expect(res.baselines.prevalence!.rocAuc).toBeLessThanOrEqual(0.5);
    expect(res.metrics.prAuc).toBeGreaterThan(res.baselines.prevalence!.prAuc);
    expect(res.metrics.enrichmentTop10).toBeGreaterThan(1.5);
  });

  it('accepts fingerprint classifiers', () => {
    const fps = Array.from({ length: 20 }, (_, i) => {
      const f = new Uint8Array(256);
      f[i < 10 ? 0 : 1] = 0xff;
      f[2 + i] = 1;
      return f;
    });
    const y = fps.map((_, i) => (i < 10 ? 1 : 0));
    const res = evaluateModel({ task: 'classification', X: fps, y, split: { kind: 'kfold', k: 5 }, factory: () => new KnnTanimotoClassifier({ k: 3 }), seed: 1 });
    expect(res.metrics.rocAuc).toBe(1);
    expect(res.split.groupsDisjoint).toBeNull();
  });
});
