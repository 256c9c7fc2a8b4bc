/**
 * A learned viability model for mixtures: composition features (mixtureFeatures) plus protocol numbers in,
 * viability % out. Evaluated with folds grouped by mixture, so replicate experiments of one mixture never sit
 * on both sides of a split, next to the training-mean baseline, with split-conformal intervals whose coverage
 * is measured out of fold. Pure; the artifact is JSON-safe.
 */
import { evaluateRegression, type RegressionEvaluation, type SplitSpec } from './evaluation.ts';
import { FeaturePipeline, type DescriptorRecord, type FeaturePipelineState } from './features.ts';
import { RandomForestRegressor } from './random-forest.ts';
import { RidgeRegressor } from './ridge.ts';
import { modelFromJSON } from './serialization.ts';
import type { Regressor, SerializedModel } from './types.ts';

/**
 * Fewer rows than this and the model is refused. With the ≥ 3 mixtures also required, 12 rows give every
 * grouped fold at least a handful of test rows and the 90 % conformal quantile a finite rank
 * (⌈(n + 1)·0.9⌉ ≤ n needs n ≥ 9); below that the cross-validated numbers are noise and the interval infinite.
 */
export const MIN_VIABILITY_ROWS = 12;
/** At least three mixtures: with two, every fold predicts one mixture from a single other one. */
export const MIN_VIABILITY_MIXTURES = 3;

export type MixtureAlgorithm = 'rf' | 'ridge';

export interface MixtureViabilityRow {
  features: Record<string, number>;
  /** Mixture id: the grouping unit of the split. */
  group: string;
  /** Viability, % (0–100). */
  y: number;
}

export interface MixtureViabilityArtifact {
  kind: 'mixture-viability';
  formatVersion: 1;
  algorithm: MixtureAlgorithm;
  featureNames: string[];
  pipeline: FeaturePipelineState;
  model: SerializedModel;
  /** Sorted out-of-fold absolute residuals: a conformal interval at any level is served from them. */
  calibrationScores: number[];
  level: number;
  /** Conformal quantile at `level` from all out-of-fold residuals. */
  quantile: number;
  /** Median of each feature over the training rows, for predictions whose protocol numbers are unknown. */
  featureMedians: Record<string, number>;
}

export interface MixtureViabilityFit {
  artifact: MixtureViabilityArtifact;
  evaluation: RegressionEvaluation;
}

export interface TrainMixtureViabilityOptions {
  seed: number;
  level?: number;
  algorithm?: MixtureAlgorithm;
}

function makeModel(algorithm: MixtureAlgorithm, seed: number): Regressor {
  // A small forest: verified viability sets are tens of rows, and 200 trees per fold buys nothing there.
  return algorithm === 'ridge' ? new RidgeRegressor({ alpha: 1 }) : new RandomForestRegressor({ nEstimators: 100, seed, minSamplesLeaf: 2 });
}

/** Pipeline + estimator as one regressor, so imputation and scaling are learned inside each training fold. */
class PipelineRegressor implements Regressor<DescriptorRecord> {
  pipeline: FeaturePipeline | null = null;
  model: Regressor;
  constructor(readonly names: readonly string[], algorithm: MixtureAlgorithm, seed: number) {
    this.model = makeModel(algorithm, seed);
  }
  fit(X: DescriptorRecord[], y: number[]): void {
    this.pipeline = FeaturePipeline.fit(X, this.names);
    this.model.fit(this.pipeline.transform(X), y);
  }
  predict(X: DescriptorRecord[]): number[] {
    if (!this.pipeline) throw new Error('mixture viability model: predict before fit');
    return this.model.predict(this.pipeline.transform(X));
  }
  toJSON(): SerializedModel {
    return this.model.toJSON();
  }
}

const clampPercent = (v: number): number => Math.min(100, Math.max(0, v));

export function trainMixtureViability(rows: readonly MixtureViabilityRow[], options: TrainMixtureViabilityOptions): MixtureViabilityFit {
  const level = options.level ?? 0.9;
  const algorithm = options.algorithm ?? 'rf';
  if (rows.length < MIN_VIABILITY_ROWS) {
    throw new Error(`a learned viability model needs at least ${MIN_VIABILITY_ROWS} verified measurements; there are ${rows.length}`);
  }
  const groups = rows.map((r) => r.group);
  const nGroups = new Set(groups).size;
  if (nGroups < MIN_VIABILITY_MIXTURES) {
    throw new Error(`a learned viability model needs measurements of at least ${MIN_VIABILITY_MIXTURES} different mixtures; there are ${nGroups}`);
  }
  for (const [i, r] of rows.entries()) {
    if (!Number.isFinite(r.y)) throw new Error(`row ${i}: viability is not a finite number`);
  }
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.features)))].sort();
  const X: DescriptorRecord[] = rows.map((r) => r.features);
  const y = rows.map((r) => r.y);
  const split: SplitSpec = nGroups < 5 ? { kind: 'leave-one-group-out' } : { kind: 'group-kfold', k: 5 };
  const evaluation = evaluateRegression<DescriptorRecord>({
    task: 'regression', X, y, groups, split, seed: options.seed, level, normalizeIntervals: false,
    factory: (seed) => new PipelineRegressor(names, algorithm, seed),
  });
  const final = new PipelineRegressor(names, algorithm, options.seed);
  final.fit(X, y);
  const calibrationScores = evaluation.oof.predictions
    .map((p, i) => Math.abs((y[i] as number) - p))
    .filter((s) => Number.isFinite(s))
    .sort((a, b) => a - b);
  const pipeline = final.pipeline!.toJSON();
  return {
    evaluation,
    artifact: {
      kind: 'mixture-viability', formatVersion: 1, algorithm, featureNames: names, pipeline, model: final.toJSON(),
      calibrationScores, level, quantile: evaluation.conformal.deploymentQuantile,
      featureMedians: Object.fromEntries(names.map((n, j) => [n, pipeline.medians[j] as number])),
    },
  };
}

export interface MixtureViabilityPrediction {
  value: number;
  lower: number;
  upper: number;
}

/** ⌈(n + 1)·level⌉-th smallest score, +∞ when there are too few (same rule as conformalQuantile). */
function quantileAt(sortedScores: readonly number[], level: number): number {
  if (!(level > 0 && level < 1)) throw new Error(`level must be in (0, 1), got ${level}`);
  const rank = Math.ceil((sortedScores.length + 1) * level);
  return rank > sortedScores.length ? Infinity : (sortedScores[rank - 1] as number);
}

export function isMixtureViabilityArtifact(json: unknown): json is MixtureViabilityArtifact {
  const a = json as Partial<MixtureViabilityArtifact> | null;
  return !!a && typeof a === 'object' && a.kind === 'mixture-viability';
}

/** Value and conformal interval at `level`, all clamped to the physical range [0, 100] %. */
export function predictMixtureViability(artifact: MixtureViabilityArtifact, features: readonly Record<string, number>[], level = artifact.level): MixtureViabilityPrediction[] {
  if (artifact.formatVersion !== 1) throw new Error('unknown mixture viability artifact format');
  const pipeline = FeaturePipeline.fromJSON(artifact.pipeline);
  const model = modelFromJSON(artifact.model) as Regressor;
  const q = quantileAt(artifact.calibrationScores, level);
  return model.predict(pipeline.transform(features)).map((p) => ({
    value: clampPercent(p), lower: clampPercent(p - q), upper: clampPercent(p + q),
  }));
}

const CALIBRATION_LEVELS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/** The stored evaluation, in the shape the other model versions use (cards and charts read it alike). */
export interface MixtureViabilityEvaluation {
  task: 'regression';
  target: 'viability';
  unit: 'percent';
  n: number;
  nGroups: number;
  seed: number;
  level: number;
  split: { kind: 'group-kfold' | 'leave-one-group-out'; nFolds: number; groupsDisjoint: boolean | null; description: string };
  metrics: RegressionEvaluation['metrics'];
  baselines: RegressionEvaluation['baselines'];
  conformal: { level: number; coverage: number; meanWidth: number; method: 'split-conformal-absolute' };
  calibration: { level: number; coverage: number }[];
  outOfFold: { index: number; measured: number; predicted: number; lower: number | null; upper: number | null; domainScore: null; inDomain: boolean }[];
  limits: string[];
}

export function summarizeMixtureViability(fit: MixtureViabilityFit, rows: readonly MixtureViabilityRow[]): MixtureViabilityEvaluation {
  const ev = fit.evaluation;
  const y = rows.map((r) => r.y);
  const nGroups = new Set(rows.map((r) => r.group)).size;
  const residual = ev.oof.predictions.map((p, i) => Math.abs((y[i] as number) - p));
  const tested = ev.oof.foldOf.map((f, i) => (f >= 0 ? i : -1)).filter((i) => i >= 0);
  // Each row's interval is calibrated on the residuals of rows outside its own fold, as in evaluateRegression.
  const halfWidth = (i: number, level: number): number => {
    const others = tested.filter((j) => ev.oof.foldOf[j] !== ev.oof.foldOf[i]).map((j) => residual[j] as number).sort((a, b) => a - b);
    return quantileAt(others, level);
  };
  const coverageAt = (level: number): number => tested.filter((i) => (residual[i] as number) <= halfWidth(i, level)).length / tested.length;
  const kind = ev.split.kind === 'leave-one-group-out' ? 'leave-one-group-out' : 'group-kfold';
  return {
    task: 'regression', target: 'viability', unit: 'percent', n: rows.length, nGroups, seed: ev.seed, level: fit.artifact.level,
    split: {
      kind, nFolds: ev.split.nFolds, groupsDisjoint: ev.split.groupsDisjoint,
      description: kind === 'leave-one-group-out' ? `leave one mixture out over ${nGroups} mixtures` : `grouped ${ev.split.nFolds}-fold over ${nGroups} mixtures`,
    },
    metrics: ev.metrics,
    baselines: ev.baselines,
    conformal: { level: ev.conformal.level, coverage: ev.conformal.coverage, meanWidth: ev.conformal.meanWidth, method: 'split-conformal-absolute' },
    calibration: CALIBRATION_LEVELS.map((level) => ({ level, coverage: coverageAt(level) })),
    outOfFold: tested.map((i) => {
      const iv = ev.oof.intervals?.[i];
      const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? clampPercent(v) : null);
      return {
        index: i, measured: y[i] as number, predicted: ev.oof.predictions[i] as number,
        lower: finite(iv?.lower), upper: finite(iv?.upper), domainScore: null, inDomain: true,
      };
    }),
    limits: [
      'Trained on verified experiments of one project: it predicts mixtures and protocols like those, not new chemistry.',
      'Folds are grouped by mixture, so the metrics estimate the error on a mixture never measured; replicates of one mixture stay together.',
      'Intervals are split-conformal on absolute residuals (each row calibrated without its own fold) and clamped to 0–100 %.',
      'Protocol numbers missing from an experiment are imputed with the training median.',
    ],
  };
}
