/**
 * One call from data to the numbers a model card shows: the chosen split, out-of-fold metrics beside naive
 * baselines on the same folds, and (for regression) the empirical coverage of conformal intervals.
 * Deterministic for a given seed.
 */
import { MeanRegressor, PrevalenceClassifier } from './baselines.ts';
import { calibrateConformal, conformalIntervals, coverage, meanWidth, type Interval } from './conformal.ts';
import { nearestNeighbourSimilarity } from './knn-tanimoto.ts';
import {
  classificationMetrics,
  regressionMetrics,
  type ClassificationMetrics,
  type RegressionMetrics,
} from './metrics.ts';
import { createRng } from './rng.ts';
import type { BinaryClassifier, Regressor } from './types.ts';
import {
  butinaClusters,
  clusterKFold,
  crossValPredict,
  crossValPredictProba,
  groupKFold,
  kFold,
  leaveOneGroupOut,
  scaffoldSplit,
  type CrossValResult,
  type Fold,
  type GroupKey,
} from './validation.ts';

export type SplitSpec =
  /** Random k-fold: optimistic for molecules, report it only next to a grouped split. */
  | { kind: 'kfold'; k: number }
  /** Grouped k-fold over `groups` (e.g. InChIKey so replicates stay together). */
  | { kind: 'group-kfold'; k: number }
  /** One fold per group (e.g. leave-one-CPA-out for mixtures). */
  | { kind: 'leave-one-group-out' }
  /** Grouped k-fold over given cluster or scaffold labels. */
  | { kind: 'cluster-kfold'; k: number; labels: GroupKey[] }
  /** Grouped k-fold over Taylor–Butina clusters of `fingerprints` at this Tanimoto distance (e.g. 0.6). */
  | { kind: 'butina-kfold'; k: number; threshold: number }
  /** Single scaffold-style holdout: the rarest groups (labels) form the test set. */
  | { kind: 'scaffold'; testFraction: number; labels: GroupKey[] };

interface CommonInput<Row> {
  X: Row[];
  y: number[];
  /** Row groups (molecule InChIKey, CPA id…). Required by group splits; otherwise used to report leakage. */
  groups?: GroupKey[];
  /** Fingerprints per row, for Butina splits and the out-of-fold applicability-domain score. */
  fingerprints?: Uint8Array[];
  split: SplitSpec;
  seed: number;
}

export interface RegressionEvaluationInput<Row> extends CommonInput<Row> {
  task: 'regression';
  /** Builds an unfitted model; receives a seed derived from `seed` and the fold number. */
  factory: (seed: number) => Regressor<Row>;
  /** Extra baselines evaluated on the same folds (the training-mean baseline is always included as "mean"). */
  baselines?: Record<string, (seed: number) => Regressor<Row>>;
  /** Conformal interval level. Default 0.9. */
  level?: number;
  /** Normalize conformal scores by the model's own sd when it provides one. Default true. */
  normalizeIntervals?: boolean;
}

export interface ClassificationEvaluationInput<Row> extends CommonInput<Row> {
  task: 'classification';
  factory: (seed: number) => BinaryClassifier<Row>;
  /** Extra baselines (the prevalence baseline is always included as "prevalence"). */
  baselines?: Record<string, (seed: number) => BinaryClassifier<Row>>;
  /** Probability threshold for accuracy metrics. Default 0.5. */
  threshold?: number;
}

export interface SplitSummary {
  kind: SplitSpec['kind'];
  nFolds: number;
  foldTestSizes: number[];
  /** Whether every group (split labels or `groups`) sits on one side of every fold; null when unknown. */
  groupsDisjoint: boolean | null;
  /** Number of Butina clusters, for 'butina-kfold'. */
  nClusters?: number;
}

export interface ConformalSummary {
  level: number;
  normalized: boolean;
  /** Fraction of rows inside an interval calibrated without their own fold. */
  coverage: number;
  meanWidth: number;
  /** Quantile from all out-of-fold scores: the calibration to deploy with a model refit on all rows. */
  deploymentQuantile: number;
  deploymentBeta: number;
}

export interface OutOfFold {
  predictions: number[];
  std: number[] | null;
  foldOf: number[];
  /** Nearest-neighbour Tanimoto similarity of each row to its fold's training rows (when fingerprints are given). */
  nearestSimilarity: number[] | null;
  intervals?: Interval[];
}

export interface RegressionEvaluation {
  task: 'regression';
  seed: number;
  n: number;
  split: SplitSummary;
  metrics: RegressionMetrics;
  foldMetrics: RegressionMetrics[];
  baselines: Record<string, RegressionMetrics>;
  conformal: ConformalSummary;
  oof: OutOfFold;
}

export interface ClassificationEvaluation {
  task: 'classification';
  seed: number;
  n: number;
  split: SplitSummary;
  metrics: ClassificationMetrics;
  foldMetrics: ClassificationMetrics[];
  baselines: Record<string, ClassificationMetrics>;
  oof: OutOfFold;
}

function makeFolds<Row>(input: CommonInput<Row>): { folds: Fold[]; labels: GroupKey[] | null; nClusters?: number } {
  const n = input.X.length;
  const s = input.split;
  const needGroups = (): GroupKey[] => {
    if (!input.groups || input.groups.length !== n) throw new Error(`evaluation: split '${s.kind}' needs one group per row`);
    return input.groups;
  };
  switch (s.kind) {
    case 'kfold':
      return { folds: kFold(n, s.k, input.seed), labels: input.groups ?? null };
    case 'group-kfold': {
      const g = needGroups();
      return { folds: groupKFold(g, s.k, input.seed), labels: g };
    }
    case 'leave-one-group-out': {
      const g = needGroups();
      return { folds: leaveOneGroupOut(g), labels: g };
    }
    case 'cluster-kfold':
      if (s.labels.length !== n) throw new Error('evaluation: one cluster label per row needed');
      return { folds: clusterKFold(s.labels, s.k, input.seed), labels: s.labels };
    case 'butina-kfold': {
      if (!input.fingerprints || input.fingerprints.length !== n) throw new Error('evaluation: butina-kfold needs one fingerprint per row');
      const labels = butinaClusters(input.fingerprints, s.threshold);
      return { folds: clusterKFold(labels, s.k, input.seed), labels, nClusters: new Set(labels).size };
    }
    case 'scaffold':
      if (s.labels.length !== n) throw new Error('evaluation: one scaffold label per row needed');
      return { folds: [scaffoldSplit(s.labels, s.testFraction)], labels: s.labels };
  }
}

function disjoint(folds: readonly Fold[], labels: readonly GroupKey[] | null): boolean | null {
  if (!labels) return null;
  return folds.every((f) => {
    const train = new Set(f.train.map((i) => labels[i]));
    return f.test.every((i) => !train.has(labels[i] as GroupKey));
  });
}

/** A distinct, reproducible seed for each model fit. */
function seededFactory<M>(factory: (seed: number) => M, seed: number): () => M {
  const rng = createRng(seed);
  return () => factory(rng.nextUint32());
}

function oofSimilarity(fps: readonly Uint8Array[] | undefined, folds: readonly Fold[], n: number): number[] | null {
  if (!fps) return null;
  const out = new Array<number>(n).fill(NaN);
  for (const fold of folds) {
    const train = fold.train.map((i) => fps[i] as Uint8Array);
    for (const i of fold.test) out[i] = nearestNeighbourSimilarity(fps[i] as Uint8Array, train);
  }
  return out;
}

function testedRows(res: CrossValResult): number[] {
  return res.foldOf.map((f, i) => (f >= 0 ? i : -1)).filter((i) => i >= 0);
}

function summary<Row>(input: CommonInput<Row>, folds: Fold[], labels: GroupKey[] | null, nClusters?: number): SplitSummary {
  // Report leakage against the caller's groups too (a random k-fold with replicate rows will show false).
  const byLabels = disjoint(folds, labels);
  const byGroups = input.groups ? disjoint(folds, input.groups) : null;
  const groupsDisjoint = byLabels === null ? byGroups : byGroups === null ? byLabels : byLabels && byGroups;
  return {
    kind: input.split.kind,
    nFolds: folds.length,
    foldTestSizes: folds.map((f) => f.test.length),
    groupsDisjoint,
    ...(nClusters !== undefined ? { nClusters } : {}),
  };
}

export function evaluateRegression<Row>(input: RegressionEvaluationInput<Row>): RegressionEvaluation {
  const n = input.X.length;
  if (input.y.length !== n) throw new Error('evaluation: X and y differ in length');
  const level = input.level ?? 0.9;
  const { folds, labels, nClusters } = makeFolds(input);
  const res = crossValPredict(seededFactory(input.factory, input.seed), input.X, input.y, folds);
  const rows = testedRows(res);
  const pick = (v: readonly number[], idx: readonly number[]): number[] => idx.map((i) => v[i] as number);

  const baselineFactories: Record<string, (seed: number) => Regressor<Row>> = { mean: () => new MeanRegressor<Row>(), ...input.baselines };
  const baselines: Record<string, RegressionMetrics> = {};
  for (const [name, f] of Object.entries(baselineFactories)) {
    const b = crossValPredict(seededFactory(f, input.seed), input.X, input.y, folds);
    baselines[name] = regressionMetrics(pick(input.y, rows), pick(b.predictions, rows));
  }

  const useStd = (input.normalizeIntervals ?? true) && res.std !== null;
  const difficulty = useStd ? (res.std as number[]) : undefined;
  const intervals = new Array<Interval>(n);
  // Coverage is estimated honestly: each row's interval is calibrated on residuals of rows it does not share
  // a fold with. A single holdout has no other folds, so its test rows are calibrated by two-way cross-fitting.
  const calibrationGroups: number[][] =
    folds.length >= 2 ? folds.map((f) => f.test) : twoWaySplit(folds[0]?.test ?? [], input.seed);
  for (let g = 0; g < calibrationGroups.length; g++) {
    const target = calibrationGroups[g] as number[];
    const calib = calibrationGroups.flatMap((rs, h) => (h === g ? [] : rs));
    const cal = calibrateConformal(
      { yTrue: pick(input.y, calib), yPred: pick(res.predictions, calib), ...(difficulty ? { difficulty: pick(difficulty, calib) } : {}) },
      level,
    );
    const ivs = conformalIntervals(cal, pick(res.predictions, target), difficulty ? pick(difficulty, target) : undefined);
    target.forEach((i, t) => (intervals[i] = ivs[t] as Interval));
  }
  const deployment = calibrateConformal(
    { yTrue: pick(input.y, rows), yPred: pick(res.predictions, rows), ...(difficulty ? { difficulty: pick(difficulty, rows) } : {}) },
    level,
  );
  const tested = rows.map((i) => intervals[i] as Interval);

  return {
    task: 'regression',
    seed: input.seed,
    n,
    split: summary(input, folds, labels, nClusters),
    metrics: regressionMetrics(pick(input.y, rows), pick(res.predictions, rows)),
    foldMetrics: folds.map((f) => regressionMetrics(pick(input.y, f.test), pick(res.predictions, f.test))),
    baselines,
    conformal: {
      level,
      normalized: useStd,
      coverage: coverage(tested, pick(input.y, rows)),
      meanWidth: meanWidth(tested),
      deploymentQuantile: deployment.quantile,
      deploymentBeta: deployment.beta,
    },
    oof: {
      predictions: res.predictions,
      std: res.std,
      foldOf: res.foldOf,
      nearestSimilarity: oofSimilarity(input.fingerprints, folds, n),
      intervals,
    },
  };
}

function twoWaySplit(rows: readonly number[], seed: number): number[][] {
  const shuffled = createRng(seed).shuffle(rows.slice());
  const half = Math.floor(shuffled.length / 2);
  return [shuffled.slice(0, half), shuffled.slice(half)];
}

export function evaluateClassification<Row>(input: ClassificationEvaluationInput<Row>): ClassificationEvaluation {
  const n = input.X.length;
  if (input.y.length !== n) throw new Error('evaluation: X and y differ in length');
  const threshold = input.threshold ?? 0.5;
  const { folds, labels, nClusters } = makeFolds(input);
  const res = crossValPredictProba(seededFactory(input.factory, input.seed), input.X, input.y, folds);
  const rows = testedRows(res);
  const pick = (v: readonly number[], idx: readonly number[]): number[] => idx.map((i) => v[i] as number);
  const baselineFactories: Record<string, (seed: number) => BinaryClassifier<Row>> = {
    prevalence: () => new PrevalenceClassifier<Row>(),
    ...input.baselines,
  };
  const baselines: Record<string, ClassificationMetrics> = {};
  for (const [name, f] of Object.entries(baselineFactories)) {
    const b = crossValPredictProba(seededFactory(f, input.seed), input.X, input.y, folds);
    baselines[name] = classificationMetrics(pick(input.y, rows), pick(b.predictions, rows), threshold);
  }
  return {
    task: 'classification',
    seed: input.seed,
    n,
    split: summary(input, folds, labels, nClusters),
    metrics: classificationMetrics(pick(input.y, rows), pick(res.predictions, rows), threshold),
    foldMetrics: folds.map((f) => classificationMetrics(pick(input.y, f.test), pick(res.predictions, f.test), threshold)),
    baselines,
    oof: { predictions: res.predictions, std: null, foldOf: res.foldOf, nearestSimilarity: oofSimilarity(input.fingerprints, folds, n) },
  };
}

/** Dispatches on `task`. */
export function evaluateModel<Row>(input: RegressionEvaluationInput<Row>): RegressionEvaluation;
export function evaluateModel<Row>(input: ClassificationEvaluationInput<Row>): ClassificationEvaluation;
export function evaluateModel<Row>(
  input: RegressionEvaluationInput<Row> | ClassificationEvaluationInput<Row>,
): RegressionEvaluation | ClassificationEvaluation {
  return input.task === 'regression' ? evaluateRegression(input) : evaluateClassification(input);
}
