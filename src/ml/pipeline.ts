/**
 * The model training pipeline behind `cryoprotect model train|predict|evaluate`: from registered molecules and a
 * target to a serialized model (refit on all rows) plus the evaluation a model card shows, all measured on a
 * grouped split (Butina clusters by default) so that no structure, and no close analogue, is on both sides.
 * Pure and deterministic for a seed; see docs/ml.md for the protocol and the measured Tg figures.
 */
import { calibrateConformal, conformalIntervals, conformalQuantile, coverage, meanWidth, type Interval } from './conformal.ts';
import { packedTanimoto, packFingerprint, type PackedFingerprint } from './knn-tanimoto.ts';
import { KnnTanimotoClassifier, KnnTanimotoRegressor } from './knn-tanimoto.ts';
import { classificationMetrics, mae, r2, regressionMetrics, rocAuc } from './metrics.ts';
import {
  ALGORITHMS,
  featureMatrix,
  FINGERPRINT_FEATURE,
  fitMoleculeModel,
  nativeImportance,
  predictFromMatrix,
  predictMoleculeModel,
  presentNames,
  resolveHyperparameters,
  restoreMoleculeModel,
  serializeMoleculeModel,
  TASKS,
  type Algorithm,
  type FittedModel,
  type ModelConfig,
  type MoleculeRow,
  type SerializedMoleculeModel,
  type Task,
} from './molecule-model.ts';
import { DERIVED_DESCRIPTORS, parseFingerprintBitName } from './molecule-features.ts';
import { createRng, type Rng } from './rng.ts';
import { butinaClusters, groupKFold, type Fold } from './validation.ts';

export type { Algorithm, MoleculeRow, Task };
export { ALGORITHMS, TASKS };

export interface TrainingRow extends MoleculeRow {
  /** InChIKey: replicates of one structure stay on one side of every split. */
  group: string;
  y: number;
}

export type SplitSpec =
  /** Grouped k-fold over Taylor–Butina clusters of the fingerprints at this Tanimoto distance (default 5, 0.6). */
  | { kind: 'butina-kfold'; k: number; threshold: number }
  /** Grouped k-fold over the row groups (InChIKeys): replicates together, analogues may be split. */
  | { kind: 'group-kfold'; k: number };

export interface TrainOptions {
  task: Task;
  algorithm: Algorithm;
  seed: number;
  /** Nominal coverage of the reported intervals. Default 0.9. */
  level?: number;
  hyperparameters?: Record<string, unknown>;
  /** Default: the algorithm's recommended set (see docs/ml.md). */
  featureNames?: string[];
  /** User columns in `descriptors` (e.g. tm_k) added to the features; rows without them are imputed. */
  extraFeatures?: string[];
  /** Default: Butina-cluster 5-fold at Tanimoto distance 0.6. */
  split?: SplitSpec;
  /** Classification from a continuous target: y < activeBelow is active (1). */
  activeBelow?: number;
  /** A descriptor x for the g·x baseline (Tg ≈ 0.70·Tm), evaluated on the rows that have x. */
  scaledBaselineFeature?: string;
  /** Nearest-neighbour Tanimoto below which a prediction is out of domain. Default 0.4 (science.md §8.2). */
  domainThreshold?: number;
  /** Refits on permuted targets. Default 20 for ridge and knn, 5 for the slower rf, gbt and gp; 0 skips. */
  yRandomizationRounds?: number;
  onProgress?: (fraction: number, message: string) => void;
}

/** Metrics with NaN/∞ (undefined for the data) as null, so they survive JSON. */
export type Metrics = Record<string, number | null>;

export interface OutOfFoldPoint {
  index: number;
  group: string;
  fold: number;
  measured: number;
  predicted: number;
  lower: number | null;
  upper: number | null;
  domainScore: number;
}

export interface ModelEvaluation {
  task: Task;
  algorithm: Algorithm;
  n: number;
  nGroups: number;
  seed: number;
  split: {
    kind: SplitSpec['kind'];
    spec: SplitSpec;
    nFolds: number;
    nClusters: number | null;
    foldTestSizes: number[];
    groupsDisjoint: boolean;
    description: string;
  };
  metrics: Metrics;
  foldMetrics: Metrics[];
  /** Naive baselines on the same folds: training mean (or prevalence), kNN-Tanimoto, g·x when asked. */
  baselines: Record<string, Metrics>;
  /** The model's metrics on exactly the rows a partial baseline (g·x) could predict, for a like-for-like comparison. */
  baselineComparisons: Record<string, { feature: string; g: number | null; model: Metrics; baseline: Metrics }>;
  conformal: { level: number; coverage: number; meanWidth: number | null; normalized: boolean } | null;
  calibration: { level: number; coverage: number; meanWidth: number | null }[];
  learningCurve: { nTrain: number; metric: number | null; metricName: string }[];
  featureImportance: { name: string; importance: number }[];
  featureImportanceMethod: string | null;
  /** The linear base of rf/gbt regression: coefficients per standard deviation of each size term. */
  baseModel: { coefficients: { name: string; coefficient: number }[] } | null;
  yRandomization: { metric: string; observed: number | null; permutedMean: number | null; permutedSd: number | null; pValue: number; rounds: number } | null;
  domain: { threshold: number; outOfDomainFraction: number; metricsInDomain: Metrics | null; metricsOutOfDomain: Metrics | null };
  outOfFold: OutOfFoldPoint[];
  activeBelow: number | null;
  limits: string[];
}

export interface ModelArtifact {
  kind: 'cryoprotect-molecule-model';
  formatVersion: 1;
  task: Task;
  algorithm: Algorithm;
  hyperparameters: Record<string, unknown>;
  /** Columns of the fitted estimator, in order (knn: the fingerprint). */
  featureNames: string[];
  /** The configuration as given (null = default set), so the model can be retrained the same way. */
  requestedFeatureNames: string[] | null;
  extraFeatures: string[];
  model: SerializedMoleculeModel;
  /** Out-of-fold nonconformity scores: any interval level can be served from them. Null for classification. */
  conformal: { normalized: boolean; beta: number; scores: number[]; defaultLevel: number } | null;
  domain: { threshold: number; fingerprints: string[] };
  training: {
    n: number;
    nGroups: number;
    /** Training mean (regression) or prevalence (classification): the naive baseline on new data. */
    mean: number;
    activeBelow: number | null;
    scaledBaseline: { feature: string; g: number } | null;
    seed: number;
  };
}

export interface TrainedModel {
  artifact: ModelArtifact;
  evaluation: ModelEvaluation;
}

export interface Prediction {
  value: number;
  lower: number | null;
  upper: number | null;
  probability?: number;
  inDomain: boolean;
  domainScore: number;
}

export interface ModelEvaluationOnData {
  task: Task;
  n: number;
  nGroups: number;
  level: number;
  metrics: Metrics;
  baselines: Record<string, Metrics>;
  conformal: { level: number; coverage: number; meanWidth: number | null } | null;
  domain: { threshold: number; outOfDomainFraction: number; metricsInDomain: Metrics | null; metricsOutOfDomain: Metrics | null };
  predictions: { index: number; measured: number; predicted: number; lower: number | null; upper: number | null; domainScore: number; inDomain: boolean }[];
}

const FORMAT_VERSION = 1;
const ARTIFACT_KIND = 'cryoprotect-molecule-model';
export const MIN_TRAINING_ROWS = 10;
const DEFAULT_SPLIT: SplitSpec = { kind: 'butina-kfold', k: 5, threshold: 0.6 };
/** science.md §8.2: nearest-neighbour Tanimoto < 0.4 → out of domain. */
export const DEFAULT_DOMAIN_THRESHOLD = 0.4;
export const CALIBRATION_LEVELS: readonly number[] = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const LEARNING_FRACTIONS: readonly number[] = [0.25, 0.5, 0.75];
const IMPORTANCE_TOP = 20;

// ---------- small helpers ----------

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function clean(m: object): Metrics {
  const out: Metrics = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = finite(v);
  return out;
}

function pick<T>(v: readonly T[], idx: readonly number[]): T[] {
  return idx.map((i) => v[i] as T);
}

function median(v: readonly number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** An independent seed per pipeline stage, so that changing one stage (e.g. more y-randomization rounds) leaves the others alone. */
function stageRng(seed: number, stage: number): Rng {
  return createRng((seed ^ Math.imul(stage + 1, 0x9e3779b9)) >>> 0);
}

function fpToHex(fp: Uint8Array): string {
  let s = '';
  for (const b of fp) s += b.toString(16).padStart(2, '0');
  return s;
}

function fpFromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function nearest(query: PackedFingerprint, train: readonly PackedFingerprint[]): number {
  let best = 0;
  for (const t of train) {
    const s = packedTanimoto(query, t);
    if (s > best) best = s;
  }
  return best;
}

function checkLevel(level: number, name = 'level'): void {
  if (!(typeof level === 'number' && level > 0 && level < 1)) throw new Error(`${name} must be a number in (0, 1), got ${String(level)}`);
}

function checkRows(rows: readonly MoleculeRow[], what: string, fpBytes?: number): number {
  if (!Array.isArray(rows)) throw new Error(`${what}: rows must be an array`);
  let bytes = fpBytes;
  rows.forEach((r, i) => {
    if (!r || typeof r.descriptors !== 'object' || r.descriptors === null) throw new Error(`${what}: row ${i} has no descriptors record`);
    if (!(r.fingerprint instanceof Uint8Array)) throw new Error(`${what}: row ${i} has no fingerprint (Uint8Array)`);
    bytes ??= r.fingerprint.length;
    if (r.fingerprint.length !== bytes) {
      throw new Error(`${what}: row ${i} has a ${r.fingerprint.length * 8}-bit fingerprint, expected ${(bytes as number) * 8} bits`);
    }
  });
  return bytes ?? 0;
}

// ---------- training ----------

interface Prepared {
  config: ModelConfig;
  rows: TrainingRow[];
  y: number[];
  level: number;
  split: SplitSpec;
  domainThreshold: number;
  rounds: number;
  activeBelow: number | null;
  scaled: string | null;
}

function prepare(rows: readonly TrainingRow[], o: TrainOptions): Prepared {
  if (!TASKS.includes(o.task)) throw new Error(`task must be one of ${TASKS.join(', ')}, got ${String(o.task)}`);
  if (!ALGORITHMS.includes(o.algorithm)) throw new Error(`algorithm must be one of ${ALGORITHMS.join(', ')}, got ${String(o.algorithm)}`);
  if (!(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff)) throw new Error(`seed must be an integer from 0 to 4294967295, got ${String(o.seed)}`);
  const level = o.level ?? 0.9;
  checkLevel(level);
  const hyperparameters = resolveHyperparameters(o.algorithm, o.task, o.hyperparameters ?? {});
  checkRows(rows, 'training data');
  if (rows.length < MIN_TRAINING_ROWS) throw new Error(`at least ${MIN_TRAINING_ROWS} rows are needed to train and cross-validate a model, got ${rows.length}`);
  rows.forEach((r, i) => {
    if (typeof r.group !== 'string' || r.group === '') throw new Error(`training data: row ${i} has no group (InChIKey)`);
    if (typeof r.y !== 'number' || !Number.isFinite(r.y)) throw new Error(`training data: row ${i} has a target that is not a finite number`);
  });

  let activeBelow: number | null = null;
  let y = rows.map((r) => r.y);
  if (o.activeBelow !== undefined) {
    if (o.task !== 'classification') throw new Error('activeBelow applies to classification only');
    if (!Number.isFinite(o.activeBelow)) throw new Error('activeBelow must be a finite number');
    activeBelow = o.activeBelow;
    y = y.map((v) => (v < (activeBelow as number) ? 1 : 0));
  }
  if (o.task === 'classification') {
    const bad = y.findIndex((v) => v !== 0 && v !== 1);
    if (bad >= 0) throw new Error(`classification targets must be 0 or 1 (or give activeBelow to threshold a continuous target); row ${bad} has ${y[bad]}`);
    const actives = y.filter((v) => v === 1).length;
    if (actives < 2 || y.length - actives < 2) {
      throw new Error(`classification needs at least 2 active and 2 inactive rows, got ${actives} active and ${y.length - actives} inactive`);
    }
  } else if (y.every((v) => v === y[0])) {
    throw new Error(`the target is constant (every row is ${y[0]}); there is nothing to learn`);
  }

  const present = presentNames(rows);
  const extraFeatures = [...new Set(o.extraFeatures ?? [])];
  // A stored knn version lists its fingerprint as its one feature; retraining it with that list is fine.
  const knnNames = o.featureNames === undefined || (o.featureNames.length === 1 && o.featureNames[0] === FINGERPRINT_FEATURE);
  if (o.algorithm === 'knn' && (extraFeatures.length > 0 || !knnNames)) {
    throw new Error(`algorithm knn predicts from the fingerprint alone; it takes no featureNames (other than ["${FINGERPRINT_FEATURE}"]) or extraFeatures`);
  }
  const featureNames = o.algorithm === 'knn' ? undefined : o.featureNames;
  const nBits = (rows[0] as TrainingRow).fingerprint.length * 8;
  for (const [what, names] of [['featureNames', featureNames ?? []], ['extraFeatures', extraFeatures]] as const) {
    if (!Array.isArray(names)) throw new Error(`${what} must be an array of names`);
    for (const name of names) {
      const bit = parseFingerprintBitName(name);
      if (bit !== null ? bit >= nBits : !present.has(name)) {
        throw new Error(`${what}: "${name}" is not a number in any training row (nor a derived descriptor or fp_<bit> below ${nBits})`);
      }
    }
  }
  if (featureNames !== undefined && featureNames.length === 0 && extraFeatures.length === 0) throw new Error('featureNames is empty');
  if (!featureNames && o.algorithm !== 'knn') {
    const any = [...present].some((n) => DERIVED_DESCRIPTORS.includes(n)) || [...present].some((n) => n === 'amw' || n === 'tpsa');
    if (!any && extraFeatures.length === 0) throw new Error('the rows have none of the default descriptors (RDKit, as registration gives them); pass featureNames');
  }

  let scaled: string | null = null;
  if (o.scaledBaselineFeature !== undefined) {
    if (o.task !== 'regression') throw new Error('scaledBaselineFeature applies to regression only');
    const x = o.scaledBaselineFeature;
    const withX = rows.filter((r) => Number.isFinite(r.descriptors[x]));
    if (withX.length < 2) throw new Error(`scaledBaselineFeature: "${x}" is a number in ${withX.length} row(s); at least 2 are needed`);
    scaled = x;
  }

  const split = o.split ?? DEFAULT_SPLIT;
  if (!split || (split.kind !== 'butina-kfold' && split.kind !== 'group-kfold')) throw new Error("split.kind must be 'butina-kfold' or 'group-kfold'");
  if (!(Number.isInteger(split.k) && split.k >= 2 && split.k <= 50)) throw new Error(`split.k must be an integer from 2 to 50, got ${String(split.k)}`);
  if (split.kind === 'butina-kfold' && !(split.threshold > 0 && split.threshold < 1)) throw new Error(`split.threshold must be a Tanimoto distance in (0, 1), got ${String(split.threshold)}`);
  const nGroups = new Set(rows.map((r) => r.group)).size;
  if (nGroups < split.k) throw new Error(`a ${split.k}-fold split needs at least ${split.k} distinct structures (groups), got ${nGroups}`);

  const domainThreshold = o.domainThreshold ?? DEFAULT_DOMAIN_THRESHOLD;
  if (!(domainThreshold >= 0 && domainThreshold <= 1)) throw new Error(`domainThreshold must be in [0, 1], got ${String(domainThreshold)}`);
  const rounds = o.yRandomizationRounds ?? (o.algorithm === 'ridge' || o.algorithm === 'knn' ? 20 : 5);
  if (!(Number.isInteger(rounds) && rounds >= 0 && rounds <= 1000)) throw new Error(`yRandomizationRounds must be an integer from 0 to 1000, got ${String(rounds)}`);

  const config: ModelConfig = {
    task: o.task,
    algorithm: o.algorithm,
    hyperparameters,
    featureNames: featureNames ? [...featureNames] : null,
    extraFeatures,
  };
  return { config, rows: rows.slice(), y, level, split, domainThreshold, rounds, activeBelow, scaled };
}

interface SplitResult {
  folds: Fold[];
  spec: SplitSpec;
  nClusters: number | null;
  description: string;
  fallback: string | null;
}

function makeSplit(p: Prepared, seed: number, explicit: boolean): SplitResult {
  const groups = p.rows.map((r) => r.group);
  const s = p.split;
  if (s.kind === 'butina-kfold') {
    // Cluster one fingerprint per group, so replicates can never land in different clusters.
    const firstRow = new Map<string, number>();
    groups.forEach((g, i) => firstRow.has(g) || firstRow.set(g, i));
    const keys = [...firstRow.keys()];
    const labels = butinaClusters(keys.map((g) => (p.rows[firstRow.get(g) as number] as TrainingRow).fingerprint), s.threshold);
    const clusterOf = new Map(keys.map((g, i) => [g, labels[i] as number]));
    const nClusters = new Set(labels).size;
    if (nClusters >= s.k) {
      return {
        folds: groupKFold(groups.map((g) => clusterOf.get(g) as number), s.k, seed),
        spec: s,
        nClusters,
        description: `${s.k}-fold split over ${nClusters} Taylor–Butina clusters (Morgan r2 2048 fingerprints, Tanimoto distance ≤ ${s.threshold}); whole clusters are held out`,
        fallback: null,
      };
    }
    if (explicit) throw new Error(`the Butina split at distance ${s.threshold} found ${nClusters} clusters; a ${s.k}-fold split needs at least ${s.k} (lower k, raise threshold or use group-kfold)`);
    const spec: SplitSpec = { kind: 'group-kfold', k: s.k };
    return {
      folds: groupKFold(groups, s.k, seed),
      spec,
      nClusters: null,
      description: `${s.k}-fold split by structure (InChIKey)`,
      fallback: `only ${nClusters} Butina clusters at distance ${s.threshold}, fewer than ${s.k} folds: fell back to a ${s.k}-fold split by structure, which is optimistic for close analogues`,
    };
  }
  return { folds: groupKFold(groups, s.k, seed), spec: s, nClusters: null, description: `${s.k}-fold split by structure (InChIKey); analogues may sit on both sides`, fallback: null };
}

function groupsDisjoint(folds: readonly Fold[], groups: readonly string[]): boolean {
  return folds.every((f) => {
    const train = new Set(f.train.map((i) => groups[i]));
    return f.test.every((i) => !train.has(groups[i] as string));
  });
}

interface CvResult {
  value: number[];
  std: number[] | null;
  foldOf: number[];
}

/** Out-of-fold predictions: one fresh model per fold, fitted on that fold's training rows only. */
function crossValidate(config: ModelConfig, rows: readonly TrainingRow[], y: readonly number[], folds: readonly Fold[], rng: Rng, onFold?: (f: number) => void): CvResult {
  const value = new Array<number>(rows.length).fill(NaN);
  let std: number[] | null = new Array<number>(rows.length).fill(NaN);
  const foldOf = new Array<number>(rows.length).fill(-1);
  folds.forEach((fold, f) => {
    const m = fitMoleculeModel(config, pick(rows, fold.train), pick(y, fold.train), rng.nextUint32());
    const out = predictMoleculeModel(m, pick(rows, fold.test));
    fold.test.forEach((i, t) => {
      value[i] = out.value[t] as number;
      foldOf[i] = f;
      if (std && out.std) std[i] = out.std[t] as number;
    });
    if (!out.std) std = null;
    onFold?.(f);
  });
  return { value, std, foldOf };
}

function taskMetrics(task: Task, yTrue: readonly number[], pred: readonly number[]): Metrics {
  return clean(task === 'regression' ? regressionMetrics(yTrue, pred) : classificationMetrics(yTrue, pred));
}

function meanOf(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}

/** Out-of-fold predictions of the g·x rule on the rows with x; NaN elsewhere. Returns g fitted on all rows too. */
function scaledBaselineOof(rows: readonly TrainingRow[], y: readonly number[], folds: readonly Fold[], x: string): { pred: number[]; g: number | null } {
  const has = (i: number): boolean => Number.isFinite(rows[i]?.descriptors[x]);
  const fitG = (idx: readonly number[]): number => {
    let sxy = 0;
    let sxx = 0;
    for (const i of idx) {
      if (!has(i)) continue;
      const v = (rows[i] as TrainingRow).descriptors[x] as number;
      sxy += v * (y[i] as number);
      sxx += v * v;
    }
    return sxx > 0 ? sxy / sxx : NaN;
  };
  const pred = new Array<number>(rows.length).fill(NaN);
  for (const fold of folds) {
    const g = fitG(fold.train);
    for (const i of fold.test) if (has(i) && Number.isFinite(g)) pred[i] = g * ((rows[i] as TrainingRow).descriptors[x] as number);
  }
  return { pred, g: finite(fitG(rows.map((_, i) => i))) };
}

function permutationImportance(m: FittedModel, rows: readonly TrainingRow[], y: readonly number[], rng: Rng): number[] {
  const { X, Xb } = featureMatrix(m, rows);
  const loss = (pred: number[]): number => mae(y, pred);
  const reference = loss(predictFromMatrix(m, X, Xb).value);
  const p = m.featureNames.length;
  const out = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    const order = rng.permutation(X.length);
    const Xp = X.map((row, i) => {
      const copy = row.slice();
      copy[j] = (X[order[i] as number] as number[])[j] as number;
      return copy;
    });
    out[j] = Math.max(0, loss(predictFromMatrix(m, Xp, Xb).value) - reference);
  }
  return out;
}

function importanceOf(m: FittedModel, rows: readonly TrainingRow[], y: readonly number[], rng: Rng): { list: ModelEvaluation['featureImportance']; method: string | null } {
  if (m.config.algorithm === 'knn') return { list: [], method: null };
  const native = nativeImportance(m);
  const { values, method } = native ?? {
    values: permutationImportance(m, rows, y, rng),
    method: `increase in training ${m.config.task === 'regression' ? 'MAE' : 'mean |P − label|'} when the feature is permuted (once, refit-free)`,
  };
  const total = values.reduce((s, v) => s + v, 0);
  const list = m.featureNames
    .map((name, j) => ({ name, importance: total > 0 ? (values[j] as number) / total : 0 }))
    .sort((a, b) => b.importance - a.importance || (a.name < b.name ? -1 : 1))
    .slice(0, IMPORTANCE_TOP);
  return { list, method: `${method}${m.base ? ', in the residual model above the linear base' : ''}; normalized to sum 1` };
}

function intervalsAt(level: number, y: readonly number[], pred: readonly number[], std: readonly number[] | null, folds: readonly Fold[]): Interval[] {
  // Each fold's rows get intervals calibrated on the out-of-fold residuals of the other folds only.
  const out = new Array<Interval>(y.length);
  folds.forEach((fold, f) => {
    const calib = folds.flatMap((g, h) => (h === f ? [] : g.test));
    const cal = calibrateConformal({ yTrue: pick(y, calib), yPred: pick(pred, calib), ...(std ? { difficulty: pick(std, calib) } : {}) }, level);
    const ivs = conformalIntervals(cal, pick(pred, fold.test), std ? pick(std, fold.test) : undefined);
    fold.test.forEach((i, t) => (out[i] = ivs[t] as Interval));
  });
  return out;
}

function learningCurve(p: Prepared, folds: readonly Fold[], full: CvResult, rng: Rng, progress: (f: number) => void): ModelEvaluation['learningCurve'] {
  const metricName = p.config.task === 'regression' ? 'MAE' : 'ROC-AUC';
  const score = (idx: readonly number[], pred: readonly number[]): number =>
    p.config.task === 'regression' ? mae(pick(p.y, idx), pick(pred, idx)) : rocAuc(pick(p.y, idx), pick(pred, idx));
  const tested = folds.flatMap((f) => f.test);
  const points: ModelEvaluation['learningCurve'] = [];
  LEARNING_FRACTIONS.forEach((fraction, step) => {
    const pred = new Array<number>(p.rows.length).fill(NaN);
    let trained = 0;
    let ok = true;
    for (const fold of folds) {
      // Subsample whole groups of the fold's training side, so replicates stay together here too.
      const byGroup = new Map<string, number[]>();
      for (const i of fold.train) {
        const g = (p.rows[i] as TrainingRow).group;
        const list = byGroup.get(g);
        if (list) list.push(i);
        else byGroup.set(g, [i]);
      }
      const keys = rng.shuffle([...byGroup.keys()]);
      const take = keys.slice(0, Math.max(1, Math.round(fraction * keys.length))).flatMap((g) => byGroup.get(g) as number[]);
      take.sort((a, b) => a - b);
      const labels = pick(p.y, take);
      if (take.length < 5 || (p.config.task === 'classification' && new Set(labels).size < 2) || (p.config.task === 'regression' && labels.every((v) => v === labels[0]))) {
        ok = false;
        break;
      }
      const m = fitMoleculeModel(p.config, pick(p.rows, take), labels, rng.nextUint32());
      const out = predictMoleculeModel(m, pick(p.rows, fold.test));
      fold.test.forEach((i, t) => (pred[i] = out.value[t] as number));
      trained += take.length;
    }
    if (ok) points.push({ nTrain: Math.round(trained / folds.length), metric: finite(score(tested, pred)), metricName });
    progress((step + 1) / LEARNING_FRACTIONS.length);
  });
  const nFull = Math.round(folds.reduce((s, f) => s + f.train.length, 0) / folds.length);
  points.push({ nTrain: nFull, metric: finite(score(tested, full.value)), metricName });
  return points;
}

function yRandomization(p: Prepared, folds: readonly Fold[], observedPred: readonly number[], rng: Rng, progress: (f: number) => void): ModelEvaluation['yRandomization'] {
  if (p.rounds === 0) return null;
  const reg = p.config.task === 'regression';
  const metric = (yt: readonly number[], pr: readonly number[]): number => (reg ? r2(yt, pr) : rocAuc(yt, pr));
  const observed = metric(p.y, observedPred);
  const permuted: number[] = [];
  for (let r = 0; r < p.rounds; r++) {
    const yPerm = rng.shuffle(p.y.slice());
    const cv = crossValidate(p.config, p.rows, yPerm, folds, rng);
    permuted.push(metric(yPerm, cv.value));
    progress((r + 1) / p.rounds);
  }
  const valid = permuted.filter(Number.isFinite);
  const m = valid.length ? meanOf(valid) : NaN;
  const sd = valid.length > 1 ? Math.sqrt(valid.reduce((s, v) => s + (v - m) ** 2, 0) / (valid.length - 1)) : NaN;
  const asGood = permuted.filter((v) => !(v < observed)).length;
  return { metric: reg ? 'R²' : 'ROC-AUC', observed: finite(observed), permutedMean: finite(m), permutedSd: finite(sd), pValue: (1 + asGood) / (1 + p.rounds), rounds: p.rounds };
}

function domainSummary(task: Task, y: readonly number[], pred: readonly number[], scores: readonly number[], threshold: number): ModelEvaluation['domain'] {
  const inside = scores.map((s, i) => (s >= threshold ? i : -1)).filter((i) => i >= 0);
  const outside = scores.map((s, i) => (s < threshold ? i : -1)).filter((i) => i >= 0);
  const metricsOn = (idx: number[]): Metrics | null => (idx.length > 0 ? taskMetrics(task, pick(y, idx), pick(pred, idx)) : null);
  return { threshold, outOfDomainFraction: scores.length ? outside.length / scores.length : 0, metricsInDomain: metricsOn(inside), metricsOutOfDomain: metricsOn(outside) };
}

export function trainModel(rows: readonly TrainingRow[], options: TrainOptions): TrainedModel {
  const p = prepare(rows, options);
  const report = (fraction: number, message: string): void => options.onProgress?.(Math.min(1, Math.max(0, fraction)), message);
  const { config, y } = p;
  const task = config.task;
  const groups = p.rows.map((r) => r.group);
  const nGroups = new Set(groups).size;

  report(0, 'splitting');
  const split = makeSplit(p, stageRng(options.seed, 0).nextUint32(), options.split !== undefined);
  const { folds } = split;
  const disjoint = groupsDisjoint(folds, groups);
  if (!disjoint) throw new Error('internal error: a structure landed on both sides of the split');

  report(0.02, 'cross-validating');
  const cv = crossValidate(config, p.rows, y, folds, stageRng(options.seed, 1), (f) => report(0.02 + (0.3 * (f + 1)) / folds.length, `cross-validating: fold ${f + 1} of ${folds.length}`));
  const tested = cv.foldOf.map((_, i) => i);

  report(0.33, 'baselines');
  const baselines: Record<string, Metrics> = {};
  const naive = new Array<number>(p.rows.length).fill(NaN);
  for (const fold of folds) {
    const m = meanOf(pick(y, fold.train));
    for (const i of fold.test) naive[i] = m;
  }
  // Pooled fold-wise prevalences would rank rows by fold (a fold rich in actives gets a lower constant) and
  // push the baseline's ROC-AUC below 0.5; one constant scores what "no information" scores: AUC 0.5.
  if (task === 'classification') naive.fill(meanOf(y));
  baselines[task === 'regression' ? 'mean' : 'prevalence'] = taskMetrics(task, y, naive);
  const knnPred = new Array<number>(p.rows.length).fill(NaN);
  for (const fold of folds) {
    const knn = task === 'regression' ? new KnnTanimotoRegressor({ k: 5 }) : new KnnTanimotoClassifier({ k: 5 });
    knn.fit(pick(p.rows, fold.train).map((r) => r.fingerprint), pick(y, fold.train));
    const out = 'predictProba' in knn ? knn.predictProba(pick(p.rows, fold.test).map((r) => r.fingerprint)) : knn.predict(pick(p.rows, fold.test).map((r) => r.fingerprint));
    fold.test.forEach((i, t) => (knnPred[i] = out[t] as number));
  }
  baselines['knn-tanimoto (k = 5)'] = taskMetrics(task, y, knnPred);
  const baselineComparisons: ModelEvaluation['baselineComparisons'] = {};
  let scaledG: number | null = null;
  if (p.scaled) {
    const { pred, g } = scaledBaselineOof(p.rows, y, folds, p.scaled);
    scaledG = g;
    const idx = pred.map((v, i) => (Number.isFinite(v) ? i : -1)).filter((i) => i >= 0);
    const name = `g·${p.scaled}`;
    const baselineMetrics = taskMetrics(task, pick(y, idx), pick(pred, idx));
    baselines[name] = baselineMetrics;
    baselineComparisons[name] = { feature: p.scaled, g, model: taskMetrics(task, pick(y, idx), pick(cv.value, idx)), baseline: baselineMetrics };
  }

  // Applicability domain of each out-of-fold row: its nearest neighbour among that fold's training structures.
  const packed = p.rows.map((r) => packFingerprint(r.fingerprint));
  const domainScores = new Array<number>(p.rows.length).fill(0);
  for (const fold of folds) {
    const train = pick(packed, fold.train);
    for (const i of fold.test) domainScores[i] = nearest(packed[i] as PackedFingerprint, train);
  }

  let conformal: ModelEvaluation['conformal'] = null;
  let calibration: ModelEvaluation['calibration'] = [];
  let intervals: Interval[] | null = null;
  let deployment: ModelArtifact['conformal'] = null;
  if (task === 'regression') {
    const std = cv.std;
    calibration = CALIBRATION_LEVELS.map((level) => {
      const ivs = intervalsAt(level, y, cv.value, std, folds);
      return { level, coverage: coverage(ivs, y), meanWidth: finite(meanWidth(ivs)) };
    });
    intervals = intervalsAt(p.level, y, cv.value, std, folds);
    conformal = { level: p.level, coverage: coverage(intervals, y), meanWidth: finite(meanWidth(intervals)), normalized: std !== null };
    const beta = std ? 0.1 * median(std) : 0;
    const scores = y.map((v, i) => Math.abs(v - (cv.value[i] as number)) / (std ? (std[i] as number) + beta : 1));
    deployment = { normalized: std !== null, beta, scores: scores.sort((a, b) => a - b), defaultLevel: p.level };
  }

  report(0.36, 'learning curve');
  const curve = learningCurve(p, folds, cv, stageRng(options.seed, 2), (f) => report(0.36 + 0.2 * f, 'learning curve'));

  report(0.56, 'y-randomization');
  const yRand = yRandomization(p, folds, cv.value, stageRng(options.seed, 3), (f) => report(0.56 + 0.34 * f, 'y-randomization'));

  report(0.9, 'fitting the final model on all rows');
  const final = fitMoleculeModel(config, p.rows, y, stageRng(options.seed, 4).nextUint32());
  const importance = importanceOf(final, p.rows, y, stageRng(options.seed, 5));
  const baseModel = final.base
    ? {
        coefficients: final.base.features.names.map((name, j) => ({
          // The base's inputs are z-scored by its own pipeline, so these are per standard deviation.
          name,
          coefficient: (final.base as NonNullable<FittedModel['base']>).model.coefficients[j] as number,
        })),
      }
    : null;

  const outOfFold: OutOfFoldPoint[] = tested.map((i) => ({
    index: i,
    group: groups[i] as string,
    fold: cv.foldOf[i] as number,
    measured: y[i] as number,
    predicted: cv.value[i] as number,
    lower: intervals ? finite((intervals[i] as Interval).lower) : null,
    upper: intervals ? finite((intervals[i] as Interval).upper) : null,
    domainScore: domainScores[i] as number,
  }));

  const limits: string[] = [];
  if (split.fallback) limits.push(split.fallback);
  limits.push(`Trained on ${p.rows.length} rows (${nGroups} structures); the measured errors hold for molecules like these, not for chemistry the training set lacks.`);
  if (final.features) {
    const missing = final.features.state.missingCounts.map((c, j) => [final.featureNames[j] as string, c] as const).filter(([, c]) => c > 0);
    if (missing.length) limits.push(`Missing values were imputed with training medians: ${missing.slice(0, 8).map(([n, c]) => `${n} (${c} rows)`).join(', ')}${missing.length > 8 ? ', …' : ''}.`);
  }
  if (final.base) limits.push('rf/gbt regression: a ridge model on logarithmic size terms carries the trend (so predictions can extend beyond the training range) and the trees learn its residuals.');
  if (task === 'classification') limits.push('Classification: the value is P(active); no conformal set is given.');

  const evaluation: ModelEvaluation = {
    task,
    algorithm: config.algorithm,
    n: p.rows.length,
    nGroups,
    seed: options.seed,
    split: {
      kind: split.spec.kind,
      spec: split.spec,
      nFolds: folds.length,
      nClusters: split.nClusters,
      foldTestSizes: folds.map((f) => f.test.length),
      groupsDisjoint: disjoint,
      description: split.description,
    },
    metrics: taskMetrics(task, y, cv.value),
    foldMetrics: folds.map((f) => taskMetrics(task, pick(y, f.test), pick(cv.value, f.test))),
    baselines,
    baselineComparisons,
    conformal,
    calibration,
    learningCurve: curve,
    featureImportance: importance.list,
    featureImportanceMethod: importance.method,
    baseModel,
    yRandomization: yRand,
    domain: domainSummary(task, y, cv.value, domainScores, p.domainThreshold),
    outOfFold,
    activeBelow: p.activeBelow,
    limits,
  };

  const seen = new Set<string>();
  const domainFps: string[] = [];
  p.rows.forEach((r) => {
    const hex = fpToHex(r.fingerprint);
    if (!seen.has(hex)) {
      seen.add(hex);
      domainFps.push(hex);
    }
  });
  const artifact: ModelArtifact = {
    kind: ARTIFACT_KIND,
    formatVersion: FORMAT_VERSION,
    task,
    algorithm: config.algorithm,
    hyperparameters: config.hyperparameters,
    featureNames: final.featureNames.slice(),
    requestedFeatureNames: config.featureNames ? [...config.featureNames] : null,
    extraFeatures: [...config.extraFeatures],
    model: serializeMoleculeModel(final),
    conformal: deployment,
    domain: { threshold: p.domainThreshold, fingerprints: domainFps },
    training: { n: p.rows.length, nGroups, mean: meanOf(y), activeBelow: p.activeBelow, scaledBaseline: p.scaled && scaledG !== null ? { feature: p.scaled, g: scaledG } : null, seed: options.seed },
  };
  report(1, 'done');
  return { artifact, evaluation };
}

// ---------- using a trained model ----------

interface Runtime {
  model: FittedModel;
  domain: PackedFingerprint[];
  fpBytes: number;
}

const runtimes = new WeakMap<ModelArtifact, Runtime>();

function runtimeOf(artifact: ModelArtifact): Runtime {
  let rt = runtimes.get(artifact);
  if (!rt) {
    const config: ModelConfig = {
      task: artifact.task,
      algorithm: artifact.algorithm,
      hyperparameters: artifact.hyperparameters,
      featureNames: artifact.requestedFeatureNames,
      extraFeatures: artifact.extraFeatures,
    };
    const fps = artifact.domain.fingerprints.map(fpFromHex);
    rt = { model: restoreMoleculeModel(config, artifact.model), domain: fps.map(packFingerprint), fpBytes: fps[0]?.length ?? 0 };
    runtimes.set(artifact, rt);
  }
  return rt;
}

export function predictWithModel(artifact: ModelArtifact, rows: readonly MoleculeRow[], level?: number): Prediction[] {
  const lv = level ?? artifact.conformal?.defaultLevel ?? 0.9;
  checkLevel(lv);
  const rt = runtimeOf(artifact);
  checkRows(rows, 'prediction input', rt.fpBytes);
  if (rows.length === 0) return [];
  const out = predictMoleculeModel(rt.model, rows);
  const cal = artifact.conformal;
  const q = cal ? conformalQuantile(cal.scores, lv) : NaN;
  return rows.map((r, i) => {
    const value = out.value[i] as number;
    const domainScore = nearest(packFingerprint(r.fingerprint), rt.domain);
    const inDomain = domainScore >= artifact.domain.threshold;
    if (artifact.task === 'classification') return { value, lower: null, upper: null, probability: value, inDomain, domainScore };
    let lower: number | null = null;
    let upper: number | null = null;
    if (cal && Number.isFinite(q)) {
      const half = cal.normalized && out.std ? q * ((out.std[i] as number) + cal.beta) : q;
      lower = value - half;
      upper = value + half;
    }
    return { value, lower, upper, inDomain, domainScore };
  });
}

export function evaluateModel(artifact: ModelArtifact, rows: readonly TrainingRow[], level?: number): ModelEvaluationOnData {
  const lv = level ?? artifact.conformal?.defaultLevel ?? 0.9;
  checkLevel(lv);
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('evaluation needs at least one labelled row');
  rows.forEach((r, i) => {
    if (typeof r.y !== 'number' || !Number.isFinite(r.y)) throw new Error(`evaluation data: row ${i} has a target that is not a finite number`);
  });
  const activeBelow = artifact.training.activeBelow;
  const y = rows.map((r) => (activeBelow !== null ? (r.y < activeBelow ? 1 : 0) : r.y));
  if (artifact.task === 'classification' && activeBelow === null) {
    const bad = y.findIndex((v) => v !== 0 && v !== 1);
    if (bad >= 0) throw new Error(`this classifier was trained on 0/1 labels; row ${bad} has ${y[bad]}`);
  }
  const preds = predictWithModel(artifact, rows, lv);
  const value = preds.map((p) => p.value);
  const task = artifact.task;
  const baselines: Record<string, Metrics> = {
    [task === 'regression' ? 'mean' : 'prevalence']: taskMetrics(task, y, rows.map(() => artifact.training.mean)),
  };
  const sb = artifact.training.scaledBaseline;
  if (sb) {
    const idx = rows.map((r, i) => (Number.isFinite(r.descriptors[sb.feature]) ? i : -1)).filter((i) => i >= 0);
    if (idx.length > 0) baselines[`g·${sb.feature}`] = taskMetrics(task, pick(y, idx), idx.map((i) => sb.g * ((rows[i] as TrainingRow).descriptors[sb.feature] as number)));
  }
  let conformal: ModelEvaluationOnData['conformal'] = null;
  if (task === 'regression' && preds.every((p) => p.lower !== null && p.upper !== null)) {
    const ivs = preds.map((p) => ({ lower: p.lower as number, upper: p.upper as number }));
    conformal = { level: lv, coverage: coverage(ivs, y), meanWidth: finite(meanWidth(ivs)) };
  }
  const threshold = artifact.domain.threshold;
  return {
    task,
    n: rows.length,
    nGroups: new Set(rows.map((r) => r.group)).size,
    level: lv,
    metrics: taskMetrics(task, y, value),
    baselines,
    conformal,
    domain: domainSummary(task, y, value, preds.map((p) => p.domainScore), threshold),
    predictions: preds.map((p, i) => ({ index: i, measured: y[i] as number, predicted: p.value, lower: p.lower, upper: p.upper, domainScore: p.domainScore, inDomain: p.inDomain })),
  };
}

// ---------- restoring ----------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Checks a stored artifact's shape and format version and restores its estimators once; throws a clear Error. */
export function restoreArtifact(json: unknown): ModelArtifact {
  const fail = (why: string): never => {
    throw new Error(`not a usable model artifact: ${why}`);
  };
  if (!isRecord(json)) return fail('expected an object');
  if (json.kind !== ARTIFACT_KIND) return fail(`kind is ${JSON.stringify(json.kind)}, expected "${ARTIFACT_KIND}"`);
  if (json.formatVersion !== FORMAT_VERSION) return fail(`format version ${JSON.stringify(json.formatVersion)}; this build reads version ${FORMAT_VERSION}`);
  if (!TASKS.includes(json.task as Task)) return fail(`task ${JSON.stringify(json.task)}`);
  if (!ALGORITHMS.includes(json.algorithm as Algorithm)) return fail(`algorithm ${JSON.stringify(json.algorithm)}`);
  if (!isRecord(json.hyperparameters)) return fail('hyperparameters missing');
  if (!isStringArray(json.featureNames)) return fail('featureNames missing');
  if (json.requestedFeatureNames !== null && !isStringArray(json.requestedFeatureNames)) return fail('requestedFeatureNames malformed');
  if (!isStringArray(json.extraFeatures)) return fail('extraFeatures missing');
  if (!isRecord(json.model) || !isRecord(json.model.estimator)) return fail('model missing');
  const m = json.model;
  if (!Array.isArray(m.bits) || !isStringArray(m.indicatorFor) || !isStringArray(m.featureNames)) return fail('model feature state malformed');
  if (json.conformal !== null) {
    const c = json.conformal;
    if (!isRecord(c) || typeof c.normalized !== 'boolean' || typeof c.beta !== 'number' || !Array.isArray(c.scores) || !c.scores.every((s) => typeof s === 'number') || typeof c.defaultLevel !== 'number') {
      return fail('conformal calibration malformed');
    }
  }
  if (!isRecord(json.domain) || typeof json.domain.threshold !== 'number' || !isStringArray(json.domain.fingerprints) || json.domain.fingerprints.length === 0) {
    return fail('applicability domain malformed');
  }
  if (!json.domain.fingerprints.every((h) => /^(?:[0-9a-f]{2})+$/.test(h) && h.length === (json.domain as { fingerprints: string[] }).fingerprints[0]!.length)) {
    return fail('domain fingerprints are not equal-length hex strings');
  }
  const t = json.training;
  if (!isRecord(t) || typeof t.n !== 'number' || typeof t.mean !== 'number' || !(t.activeBelow === null || typeof t.activeBelow === 'number')) return fail('training summary malformed');
  const artifact = structuredClone(json) as unknown as ModelArtifact;
  try {
    resolveHyperparameters(artifact.algorithm, artifact.task, artifact.hyperparameters);
    runtimeOf(artifact);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  return artifact;
}
