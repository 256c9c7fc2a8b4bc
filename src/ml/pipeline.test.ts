import { describe, expect, it } from 'vitest';
import { coverage } from './conformal.ts';
import { createRng, type Rng } from './rng.ts';
import {
  evaluateModel,
  predictWithModel,
  restoreArtifact,
  trainModel,
  type Algorithm,
  type MoleculeRow,
  type TrainedModel,
  type TrainingRow,
  type TrainOptions,
} from './pipeline.ts';

const FP_BYTES = 256;

/** A random fingerprint with about `density` of its bits set. */
function randomFp(rng: Rng, density = 0.05): Uint8Array {
  const fp = new Uint8Array(FP_BYTES);
  for (let b = 0; b < FP_BYTES * 8; b++) if (rng.next() < density) fp[b >> 3]! |= 1 << (b & 7);
  return fp;
}

/** A close analogue of `fp`: a few bits flipped, so Tanimoto to the prototype stays high. */
function analogue(rng: Rng, fp: Uint8Array, flips = 6): Uint8Array {
  const out = Uint8Array.from(fp);
  for (let f = 0; f < flips; f++) {
    const b = rng.nextInt(FP_BYTES * 8);
    out[b >> 3]! ^= 1 << (b & 7);
  }
  return out;
}

interface Synthetic {
  rows: TrainingRow[];
  truth: (x: number[]) => number;
}

/** Rows with features x0..x4 ~ U(0, 1), y = f(x) + N(0, noise²); one structure (group) per row unless `replicates`. */
function synthetic(n: number, seed: number, f: (x: number[]) => number, noise: number, replicates = 1): Synthetic {
  const rng = createRng(seed);
  const rows: TrainingRow[] = [];
  for (let g = 0; rows.length < n; g++) {
    const x = Array.from({ length: 5 }, () => rng.next());
    const fp = randomFp(rng);
    for (let r = 0; r < replicates && rows.length < n; r++) {
      rows.push({
        descriptors: Object.fromEntries(x.map((v, j) => [`x${j}`, v])),
        fingerprint: fp,
        group: `G${g}`,
        y: f(x) + rng.normal(0, noise),
      });
    }
  }
  return { rows, truth: f };
}

const linear = (x: number[]): number => 10 * x[0]! - 5 * x[1]! + 2 * x[2]!;
const friedman = (x: number[]): number => 10 * Math.sin(Math.PI * x[0]! * x[1]!) + 20 * (x[2]! - 0.5) ** 2 + 10 * x[3]! + 5 * x[4]!;
const FEATURES = ['x0', 'x1', 'x2', 'x3', 'x4'];
const fast = { yRandomizationRounds: 2 } as const;

function train(rows: readonly TrainingRow[], o: Partial<TrainOptions> & { algorithm: Algorithm }): TrainedModel {
  return trainModel(rows, { task: 'regression', seed: 7, featureNames: FEATURES, ...fast, ...o });
}

describe('trainModel (regression)', () => {
  it('learns a known linear function with ridge, far better than the training mean', () => {
    const { rows } = synthetic(120, 1, linear, 0.2);
    const { evaluation } = train(rows, { algorithm: 'ridge', hyperparameters: { alpha: 0.01 } });
    expect(evaluation.metrics.mae).toBeLessThan(0.3);
    expect(evaluation.metrics.r2).toBeGreaterThan(0.99);
    expect(evaluation.baselines.mean!.mae).toBeGreaterThan(2);
    expect(evaluation.yRandomization!.permutedMean).toBeLessThan(0.2);
    // Importance follows the true coefficients' sizes: x0 (10) > x1 (5) > x2 (2) > noise features.
    expect(evaluation.featureImportance.slice(0, 3).map((f) => f.name)).toEqual(['x0', 'x1', 'x2']);
  });

  it('learns the nonlinear Friedman #1 function with a forest and reports a learning curve that improves', () => {
    const { rows } = synthetic(200, 2, friedman, 0.5);
    const { evaluation } = train(rows, { algorithm: 'rf', hyperparameters: { nEstimators: 60 } });
    expect(evaluation.metrics.r2).toBeGreaterThan(0.75);
    expect(evaluation.metrics.mae!).toBeLessThan(0.5 * evaluation.baselines.mean!.mae!);
    const curve = evaluation.learningCurve;
    expect(curve.length).toBe(4);
    expect(curve[curve.length - 1]!.metric!).toBeLessThan(curve[0]!.metric!);
    expect(curve.map((p) => p.nTrain)).toEqual([...curve.map((p) => p.nTrain)].sort((a, b) => a - b));
    expect(evaluation.featureImportance.length).toBe(5);
  });

  it('gives intervals whose coverage is near nominal on exchangeable data, in cross-validation and on fresh rows', () => {
    const { rows } = synthetic(300, 3, linear, 1);
    const { artifact, evaluation } = train(rows, { algorithm: 'ridge', level: 0.9, yRandomizationRounds: 0 });
    expect(evaluation.conformal!.level).toBe(0.9);
    expect(Math.abs(evaluation.conformal!.coverage - 0.9)).toBeLessThan(0.05);
    for (const c of evaluation.calibration) expect(Math.abs(c.coverage - c.level)).toBeLessThan(0.07);
    expect(evaluation.calibration.map((c) => c.level)).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);

    const fresh = synthetic(2000, 99, linear, 1).rows;
    for (const level of [0.8, 0.9]) {
      const preds = predictWithModel(artifact, fresh, level);
      const cov = coverage(preds.map((p) => ({ lower: p.lower!, upper: p.upper! })), fresh.map((r) => r.y));
      expect(Math.abs(cov - level)).toBeLessThan(0.04);
    }
    const wide = predictWithModel(artifact, fresh.slice(0, 1), 0.95)[0]!;
    const narrow = predictWithModel(artifact, fresh.slice(0, 1), 0.5)[0]!;
    expect(wide.upper! - wide.lower!).toBeGreaterThan(narrow.upper! - narrow.lower!);
  });

  it('never puts one group on both sides of a fold, with replicates and with Butina clusters of analogues', () => {
    const { rows } = synthetic(90, 4, linear, 0.5, 3);
    const byGroup = (ev: TrainedModel['evaluation']): Map<string, Set<number>> => {
      const m = new Map<string, Set<number>>();
      for (const p of ev.outOfFold) m.set(p.group, (m.get(p.group) ?? new Set()).add(p.fold));
      return m;
    };
    const grouped = train(rows, { algorithm: 'ridge', split: { kind: 'group-kfold', k: 5 } }).evaluation;
    expect(grouped.split.groupsDisjoint).toBe(true);
    for (const folds of byGroup(grouped).values()) expect(folds.size).toBe(1);

    // Twelve families of close analogues: a Butina split must hold out whole families.
    const rng = createRng(5);
    const prototypes = Array.from({ length: 12 }, () => randomFp(rng, 0.08));
    const family = rows.map((_, i) => i % 12);
    const analogues = rows.map((r, i) => ({ ...r, group: `A${i}`, fingerprint: analogue(rng, prototypes[family[i]!]!) }));
    const clustered = train(analogues, { algorithm: 'ridge' }).evaluation;
    expect(clustered.split.kind).toBe('butina-kfold');
    expect(clustered.split.nClusters).toBe(12);
    const foldOfFamily = new Map<number, Set<number>>();
    for (const p of clustered.outOfFold) foldOfFamily.set(family[p.index]!, (foldOfFamily.get(family[p.index]!) ?? new Set()).add(p.fold));
    for (const folds of foldOfFamily.values()) expect(folds.size).toBe(1);
  });

  it('falls back to a split by structure, and says so, when there are fewer Butina clusters than folds', () => {
    const rng = createRng(6);
    const proto = randomFp(rng, 0.08);
    const { rows } = synthetic(30, 6, linear, 0.5);
    const alike = rows.map((r) => ({ ...r, fingerprint: analogue(rng, proto, 2) }));
    const { evaluation } = train(alike, { algorithm: 'ridge' });
    expect(evaluation.split.kind).toBe('group-kfold');
    expect(evaluation.limits.join(' ')).toMatch(/fell back/);
    expect(() => train(alike, { algorithm: 'ridge', split: { kind: 'butina-kfold', k: 5, threshold: 0.6 } })).toThrow(/found 1 clusters/);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const { rows } = synthetic(80, 7, friedman, 0.5);
    const a = train(rows, { algorithm: 'gbt', hyperparameters: { nEstimators: 40 }, seed: 11 });
    const b = train(rows, { algorithm: 'gbt', hyperparameters: { nEstimators: 40 }, seed: 11 });
    const c = train(rows, { algorithm: 'gbt', hyperparameters: { nEstimators: 40 }, seed: 12 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c.evaluation.outOfFold)).not.toBe(JSON.stringify(a.evaluation.outOfFold));
  });

  it('reports the g·x baseline on the rows that have x, next to the model on the same rows', () => {
    const rng = createRng(8);
    const rows: TrainingRow[] = Array.from({ length: 80 }, (_, i) => {
      const tm = 150 + 250 * rng.next();
      const descriptors: Record<string, number> = { x0: rng.next() };
      if (i % 4 !== 0) descriptors.tm_k = tm;
      return { descriptors, fingerprint: randomFp(rng), group: `M${i}`, y: 0.7 * tm + rng.normal(0, 5) };
    });
    const { evaluation, artifact } = trainModel(rows, {
      task: 'regression', algorithm: 'ridge', seed: 1, featureNames: ['x0'], extraFeatures: ['tm_k'], scaledBaselineFeature: 'tm_k', yRandomizationRounds: 0,
    });
    const cmp = evaluation.baselineComparisons['g·tm_k']!;
    expect(cmp.baseline.n).toBe(60);
    expect(cmp.model.n).toBe(60);
    expect(cmp.g!).toBeCloseTo(0.7, 1);
    expect(evaluation.baselines['g·tm_k']!.mae!).toBeLessThan(8);
    expect(artifact.featureNames).toEqual(['x0', 'tm_k']);
    const onNew = evaluateModel(artifact, rows.slice(0, 20));
    expect(onNew.baselines['g·tm_k']!.n).toBe(15);
  });
});

describe('trainModel (classification)', () => {
  it('thresholds a continuous target with activeBelow and ranks actives first', () => {
    const { rows } = synthetic(150, 9, linear, 0.5);
    const { evaluation, artifact } = trainModel(rows, {
      task: 'classification', algorithm: 'rf', seed: 3, featureNames: FEATURES, activeBelow: 3, hyperparameters: { nEstimators: 60 }, yRandomizationRounds: 2,
    });
    expect(evaluation.metrics.rocAuc).toBeGreaterThan(0.85);
    expect(evaluation.baselines.prevalence!.rocAuc).toBe(0.5);
    expect(evaluation.conformal).toBeNull();
    expect(evaluation.outOfFold.every((p) => p.measured === 0 || p.measured === 1)).toBe(true);
    const preds = predictWithModel(artifact, rows.slice(0, 10));
    for (const p of preds) {
      expect(p.value).toBeGreaterThanOrEqual(0);
      expect(p.value).toBeLessThanOrEqual(1);
      expect(p.probability).toBe(p.value);
      expect(p.lower).toBeNull();
    }
    const onData = evaluateModel(artifact, rows);
    expect(onData.metrics.rocAuc).toBeGreaterThan(0.9);
  });
});

describe('artifacts', () => {
  const { rows } = synthetic(60, 10, friedman, 0.5);
  const queries: MoleculeRow[] = synthetic(25, 11, friedman, 0.5).rows;
  for (const algorithm of ['rf', 'gbt', 'gp', 'ridge', 'knn'] as const) {
    it(`restoreArtifact(JSON) gives identical predictions (${algorithm})`, () => {
      const options = {
        algorithm,
        yRandomizationRounds: 0,
        ...(algorithm === 'knn' ? { featureNames: undefined } : {}),
        ...(algorithm === 'rf' || algorithm === 'gbt' ? { hyperparameters: { nEstimators: 30 } } : {}),
      };
      const { artifact } = algorithm === 'knn'
        ? trainModel(rows, { task: 'regression', algorithm, seed: 2, yRandomizationRounds: 0 })
        : train(rows, options);
      const restored = restoreArtifact(JSON.parse(JSON.stringify(artifact)));
      expect(predictWithModel(restored, queries, 0.8)).toEqual(predictWithModel(artifact, queries, 0.8));
      const p = predictWithModel(restored, queries)[0]!;
      expect(p.domainScore).toBeGreaterThanOrEqual(0);
      expect(p.inDomain).toBe(p.domainScore >= 0.4);
    });
  }

  it('flags a query out of domain unless a training structure is similar', () => {
    const { artifact } = train(rows, { algorithm: 'ridge', yRandomizationRounds: 0 });
    const known = predictWithModel(artifact, [rows[0]!])[0]!;
    expect(known.domainScore).toBe(1);
    expect(known.inDomain).toBe(true);
    const stranger = predictWithModel(artifact, [{ descriptors: rows[0]!.descriptors, fingerprint: new Uint8Array(FP_BYTES).fill(0xff) }])[0]!;
    expect(stranger.inDomain).toBe(false);
  });

  it('refuses malformed artifacts and other format versions with a clear error', () => {
    const { artifact } = train(rows, { algorithm: 'ridge', yRandomizationRounds: 0 });
    const json = JSON.parse(JSON.stringify(artifact)) as Record<string, unknown>;
    expect(() => restoreArtifact({ ...json, formatVersion: 99 })).toThrow(/format version 99/);
    expect(() => restoreArtifact({ ...json, kind: 'other' })).toThrow(/kind/);
    expect(() => restoreArtifact({ ...json, model: { ...(json.model as object), estimator: { kind: 'nope', formatVersion: 1, hyperparameters: {}, state: {} } } })).toThrow(/unknown model kind 'nope'/);
    expect(() => restoreArtifact('text')).toThrow(/expected an object/);
    expect(() => predictWithModel(artifact, [{ descriptors: {}, fingerprint: new Uint8Array(8) }])).toThrow(/64-bit fingerprint, expected 2048 bits/);
  });
});

describe('default features', () => {
  it('uses registered descriptors, derived terms and fingerprint bits, and a stored configuration retrains to the same model', () => {
    const rng = createRng(13);
    const rows: TrainingRow[] = Array.from({ length: 60 }, (_, i) => {
      const heavy = 3 + rng.nextInt(30);
      const hetero = rng.nextInt(Math.max(1, Math.floor(heavy / 2)));
      const descriptors = { NumHeavyAtoms: heavy, NumAtoms: 2 * heavy + 2, NumHeteroatoms: hetero, amw: 14 * heavy + 2 * hetero, hydroxyl: hetero, NumHBD: hetero, tm_k: 150 + 10 * heavy };
      return { descriptors, fingerprint: randomFp(rng, 0.3), group: `M${i}`, y: 100 + 40 * Math.log(heavy) + 12 * hetero + rng.normal(0, 3) };
    });
    const options: TrainOptions = { task: 'regression', algorithm: 'rf', seed: 4, hyperparameters: { nEstimators: 30, fingerprintBits: 16 }, yRandomizationRounds: 0 };
    const first = trainModel(rows, options);
    const names = first.artifact.featureNames;
    expect(names).toContain('amw');
    expect(names).toContain('lnCarbons');
    expect(names).not.toContain('tm_k'); // extras only when asked for
    expect(names.filter((n) => n.startsWith('fp_'))).toHaveLength(16);
    expect(first.evaluation.baseModel!.coefficients.map((c) => c.name)).toContain('lnCarbons');
    expect(first.evaluation.metrics.mae!).toBeLessThan(0.5 * first.evaluation.baselines.mean!.mae!);

    const again = trainModel(rows, { ...options, featureNames: names, hyperparameters: first.artifact.hyperparameters });
    expect(again.artifact.featureNames).toEqual(names);
    // The refit model is the same; intervals may differ slightly, because the cross-validation of the first run
    // chose fingerprint bits per fold while the retrained configuration fixes them.
    const values = (t: TrainedModel): number[] => predictWithModel(t.artifact, rows).map((p) => p.value);
    expect(values(again)).toEqual(values(first));
  });
});

describe('option errors', () => {
  const { rows } = synthetic(40, 12, linear, 0.5);
  const base: TrainOptions = { task: 'regression', algorithm: 'ridge', seed: 1, featureNames: FEATURES, yRandomizationRounds: 0 };
  it.each([
    ['too few rows', rows.slice(0, 6), {}, /at least 10 rows are needed.*got 6/],
    ['a constant target', rows.map((r) => ({ ...r, y: 5 })), {}, /target is constant/],
    ['an unknown hyperparameter', rows, { hyperparameters: { alpah: 1 } }, /unknown hyperparameter 'alpah' for ridge/],
    ['a hyperparameter out of range', rows, { hyperparameters: { alpha: -1 } }, /hyperparameters\.alpha/],
    ['a level outside (0, 1)', rows, { level: 1.5 }, /level must be a number in \(0, 1\)/],
    ['gp for classification', rows, { task: 'classification', algorithm: 'gp', activeBelow: 3 }, /regression only/],
    ['non-binary classification targets', rows, { task: 'classification' }, /must be 0 or 1/],
    ['one class only', rows, { task: 'classification', activeBelow: -100 }, /at least 2 active/],
    ['activeBelow on a regression', rows, { activeBelow: 3 }, /classification only/],
    ['an unknown feature', rows, { featureNames: ['x0', 'nope'] }, /"nope" is not a number in any training row/],
    ['a negative seed', rows, { seed: -1 }, /seed must be an integer/],
    ['more folds than structures', rows.slice(0, 12).map((r, i) => ({ ...r, group: `G${i % 3}` })), {}, /needs at least 5 distinct structures/],
    ['a missing baseline feature', rows, { scaledBaselineFeature: 'tm_k' }, /"tm_k" is a number in 0 row/],
  ] as const)('rejects %s', (_name, data, extra, message) => {
    expect(() => trainModel(data as TrainingRow[], { ...base, ...(extra as Partial<TrainOptions>) })).toThrow(message);
  });

  it('rejects default features when the rows carry no registered descriptors', () => {
    expect(() => trainModel(rows, { task: 'regression', algorithm: 'rf', seed: 1 })).toThrow(/none of the default descriptors/);
  });
});
