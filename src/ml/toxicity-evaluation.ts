/**
 * Cross-validated evaluation of the kinetic toxicity model (src/science/toxicity-kinetics.ts), reported like every
 * other model: out-of-fold viability predictions, MAE/RMSE/R²/Spearman in percentage points beside the
 * training-mean baseline, and the measured coverage of the prediction intervals. Folds group observations by
 * composition, so a formulation is never on both sides of a split. Deterministic for a seed.
 */
import {
  fitToxicityModel, predictSurvival, ToxicityModelError, type CpaComposition, type FitToxicityOptions,
  type ToxicityFit, type ToxicityObservation,
} from '../science/toxicity-kinetics.ts';
import { regressionMetrics, type RegressionMetrics } from './metrics.ts';
import { groupKFold } from './validation.ts';

export interface ToxicityEvaluation {
  task: 'regression';
  target: 'viability';
  unit: 'percent';
  n: number;
  nGroups: number;
  seed: number;
  level: number;
  split: { kind: 'group-kfold'; nFolds: number; groupsDisjoint: true; description: string };
  metrics: RegressionMetrics;
  baselines: { mean: RegressionMetrics };
  /** Named like the conformal summary of other models so cards and charts read it alike; `method` says what it is. */
  conformal: { level: number; coverage: number; meanWidth: number; method: 'fit-prediction-interval' };
  calibration: { level: number; coverage: number }[];
  outOfFold: { index: number; measured: number; predicted: number; lower: number | null; upper: number | null; domainScore: null; inDomain: boolean }[];
  foldsFailed: number;
  /** Whether the final Levenberg–Marquardt fit on all rows met its convergence test. */
  converged: boolean;
  parameters: ToxicityFit['parameters'];
  notIdentified: ToxicityFit['notIdentified'];
  limits: string[];
}

/** Rounded composition plus the exposure: replicates of one condition share a group. */
export function compositionGroup(composition: CpaComposition): string {
  return Object.keys(composition).sort().filter((k) => (composition[k] ?? 0) > 0).map((k) => `${k}=${(composition[k] ?? 0).toFixed(3)}`).join(',') || 'none';
}

const CALIBRATION_LEVELS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

export function evaluateToxicityModel(
  observations: readonly ToxicityObservation[],
  options: { seed: number; level?: number; folds?: number; fit?: FitToxicityOptions },
): { fit: ToxicityFit; evaluation: ToxicityEvaluation } {
  const level = options.level ?? 0.9;
  const groups = observations.map((o) => compositionGroup(o.composition));
  const nGroups = new Set(groups).size;
  if (nGroups < 3) {
    throw new ToxicityModelError([{ field: 'observations', message: `cross-validation needs at least 3 distinct compositions, found ${nGroups}` }]);
  }
  const k = Math.min(options.folds ?? 5, nGroups);
  const folds = groupKFold(groups, k, options.seed);
  const n = observations.length;
  const predicted = new Array<number>(n).fill(Number.NaN);
  const intervals: ({ lower: number; upper: number } | null)[][] = CALIBRATION_LEVELS.map(() => new Array(n).fill(null));
  const inDomain = new Array<boolean>(n).fill(false);
  const baseline = new Array<number>(n).fill(Number.NaN);
  let foldsFailed = 0;
  for (const fold of folds) {
    const train = fold.train.map((i) => observations[i]!);
    const mean = train.reduce((a, o) => a + o.survival, 0) / train.length;
    let fit: ToxicityFit;
    try {
      fit = fitToxicityModel(train, options.fit ?? {});
    } catch (error) {
      // A fold whose training part cannot identify the model (e.g. it lacks a CPA) is reported, not hidden.
      if (!(error instanceof ToxicityModelError)) throw error;
      foldsFailed++;
      continue;
    }
    for (const i of fold.test) {
      const o = observations[i]!;
      baseline[i] = mean;
      try {
        CALIBRATION_LEVELS.forEach((l, li) => {
          const p = predictSurvival(fit.model, o.composition, o.exposure, { level: l });
          predicted[i] = p.survival;
          inDomain[i] = p.inDomain;
          intervals[li]![i] = p.predictionInterval;
        });
      } catch (error) {
        if (!(error instanceof ToxicityModelError)) throw error;
        predicted[i] = Number.NaN; // a CPA unseen in training: no prediction for this row
      }
    }
  }
  const rows = observations.map((_, i) => i).filter((i) => Number.isFinite(predicted[i]!) && Number.isFinite(baseline[i]!));
  if (rows.length < 3) throw new ToxicityModelError([{ field: 'observations', message: 'too few rows could be predicted out of fold to evaluate the model' }]);
  const pct = (v: number) => v * 100;
  const measured = rows.map((i) => pct(observations[i]!.survival));
  const metrics = regressionMetrics(measured, rows.map((i) => pct(predicted[i]!)));
  const baselines = { mean: regressionMetrics(measured, rows.map((i) => pct(baseline[i]!))) };
  const coverageAt = (li: number) => {
    const withInterval = rows.filter((i) => intervals[li]![i] !== null);
    if (withInterval.length === 0) return { coverage: Number.NaN, meanWidth: Number.NaN };
    const inside = withInterval.filter((i) => {
      const iv = intervals[li]![i]!;
      return observations[i]!.survival >= iv.lower && observations[i]!.survival <= iv.upper;
    }).length;
    const width = withInterval.reduce((a, i) => a + pct(intervals[li]![i]!.upper - intervals[li]![i]!.lower), 0) / withInterval.length;
    return { coverage: inside / withInterval.length, meanWidth: width };
  };
  const levelIndex = CALIBRATION_LEVELS.indexOf(level);
  const deployed = levelIndex >= 0 ? coverageAt(levelIndex) : { coverage: Number.NaN, meanWidth: Number.NaN };
  const fit = fitToxicityModel(observations, options.fit ?? {});
  const li = levelIndex >= 0 ? levelIndex : CALIBRATION_LEVELS.length - 2;
  return {
    fit,
    evaluation: {
      task: 'regression', target: 'viability', unit: 'percent', n, nGroups, seed: options.seed, level,
      split: { kind: 'group-kfold', nFolds: folds.length, groupsDisjoint: true, description: `grouped ${folds.length}-fold over ${nGroups} distinct compositions` },
      metrics, baselines,
      conformal: { level, ...deployed, method: 'fit-prediction-interval' },
      calibration: CALIBRATION_LEVELS.map((l, i) => ({ level: l, coverage: coverageAt(i).coverage })),
      outOfFold: rows.map((i) => ({
        index: i, measured: pct(observations[i]!.survival), predicted: pct(predicted[i]!),
        lower: intervals[li]![i] ? pct(intervals[li]![i]!.lower) : null, upper: intervals[li]![i] ? pct(intervals[li]![i]!.upper) : null,
        domainScore: null, inDomain: inDomain[i]!,
      })),
      foldsFailed,
      converged: fit.converged,
      parameters: fit.parameters,
      notIdentified: fit.notIdentified,
      limits: [
        'One temperature per model: the kinetic form does not model temperature dependence.',
        'Intervals come from the fit (parameter covariance and residual scatter), not from a conformal calibration; their measured coverage is reported above.',
        ...(fit.converged ? [] : ['The final fit stopped at its iteration limit before meeting the convergence test; parameters may be imprecise along weakly determined directions.']),
        ...(foldsFailed ? [`${foldsFailed} fold(s) could not be fitted from their training part and were left out of the metrics.`] : []),
      ],
    },
  };
}

/** Metrics of a fixed, already fitted model on new exposures (no refitting), beside the training-mean baseline. */
export function evaluateFixedToxicityModel(
  model: Parameters<typeof predictSurvival>[0],
  trainingMeanSurvival: number,
  observations: readonly ToxicityObservation[],
  level = 0.9,
): { n: number; predicted: number; metrics: RegressionMetrics; baselines: { mean: RegressionMetrics }; coverage: number | null; outOfDomain: number } {
  const measured: number[] = [];
  const predicted: number[] = [];
  let covered = 0;
  let withInterval = 0;
  let outOfDomain = 0;
  for (const o of observations) {
    let p;
    try {
      p = predictSurvival(model, o.composition, o.exposure, { level });
    } catch (error) {
      if (error instanceof ToxicityModelError) continue; // e.g. a CPA the model never saw
      throw error;
    }
    measured.push(o.survival * 100);
    predicted.push(p.survival * 100);
    if (!p.inDomain) outOfDomain++;
    if (p.predictionInterval) {
      withInterval++;
      if (o.survival >= p.predictionInterval.lower && o.survival <= p.predictionInterval.upper) covered++;
    }
  }
  if (measured.length < 2) throw new ToxicityModelError([{ field: 'observations', message: 'fewer than 2 rows could be predicted with this model' }]);
  return {
    n: observations.length,
    predicted: measured.length,
    metrics: regressionMetrics(measured, predicted),
    baselines: { mean: regressionMetrics(measured, measured.map(() => trainingMeanSurvival * 100)) },
    coverage: withInterval ? covered / withInterval : null,
    outOfDomain,
  };
}
