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
import { conformalQuantile } from './conformal.ts';
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
  conformal: { level: number; coverage: number; meanWidth: number; method: 'conformal-log-survival' };
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
): { fit: ToxicityFit; evaluation: ToxicityEvaluation; calibrationScores: number[] } {
  const level = options.level ?? 0.9;
  const groups = observations.map((o) => compositionGroup(o.composition));
  const nGroups = new Set(groups).size;
  if (nGroups < 3) {
    throw new ToxicityModelError([{ field: 'observations', message: `cross-validation needs at least 3 distinct compositions, found ${nGroups}` }]);
  }
  const k = Math.min(options.folds ?? 5, nGroups);
  const folds = groupKFold(groups, k, options.seed);
  const n = observations.length;
  const floor = options.fit?.survivalFloor ?? 0.01;
  const predicted = new Array<number>(n).fill(Number.NaN);
  const inDomain = new Array<boolean>(n).fill(false);
  const baseline = new Array<number>(n).fill(Number.NaN);
  const foldOf = new Array<number>(n).fill(-1);
  let foldsFailed = 0;
  folds.forEach((fold, f) => {
    const train = fold.train.map((i) => observations[i]!);
    const mean = train.reduce((a, o) => a + o.survival, 0) / train.length;
    let fit: ToxicityFit;
    try {
      fit = fitToxicityModel(train, options.fit ?? {});
    } catch (error) {
      // A fold whose training part cannot identify the model (e.g. it lacks a CPA) is reported, not hidden.
      if (!(error instanceof ToxicityModelError)) throw error;
      foldsFailed++;
      return;
    }
    for (const i of fold.test) {
      const o = observations[i]!;
      try {
        const p = predictSurvival(fit.model, o.composition, o.exposure);
        predicted[i] = p.survival;
        inDomain[i] = p.inDomain;
        baseline[i] = mean;
        foldOf[i] = f;
      } catch (error) {
        if (!(error instanceof ToxicityModelError)) throw error; // a CPA unseen in training: no prediction for this row
      }
    }
  });
  const rows = observations.map((_, i) => i).filter((i) => foldOf[i]! >= 0);
  if (rows.length < 3) throw new ToxicityModelError([{ field: 'observations', message: 'too few rows could be predicted out of fold to evaluate the model' }]);
  // Nonconformity on the log scale, where the model's errors are multiplicative: |ln s − ln ŝ|.
  const score = (i: number) => Math.abs(Math.log(Math.max(observations[i]!.survival, floor)) - Math.log(Math.max(predicted[i]!, floor)));
  const scores = new Map(rows.map((i) => [i, score(i)]));
  const intervalAt = (i: number, q: number) => ({ lower: predicted[i]! * Math.exp(-q), upper: predicted[i]! * Math.exp(q) });
  // Each row's interval is calibrated on the other folds' scores only, so its measured coverage is honest.
  const coverageAt = (level: number) => {
    const quantiles = new Map<number, number>();
    let inside = 0;
    let width = 0;
    for (const i of rows) {
      const f = foldOf[i]!;
      if (!quantiles.has(f)) quantiles.set(f, conformalQuantile(rows.filter((j) => foldOf[j] !== f).map((j) => scores.get(j)!), level));
      const iv = intervalAt(i, quantiles.get(f)!);
      if (observations[i]!.survival >= iv.lower && observations[i]!.survival <= iv.upper) inside++;
      width += Math.min(iv.upper, 1.5) * 100 - iv.lower * 100;
    }
    return { coverage: inside / rows.length, meanWidth: width / rows.length, quantiles };
  };
  const pct = (v: number) => v * 100;
  const measured = rows.map((i) => pct(observations[i]!.survival));
  const metrics = regressionMetrics(measured, rows.map((i) => pct(predicted[i]!)));
  const baselines = { mean: regressionMetrics(measured, rows.map((i) => pct(baseline[i]!))) };
  const deployed = coverageAt(level);
  const fit = fitToxicityModel(observations, options.fit ?? {});
  return {
    fit,
    calibrationScores: rows.map((i) => scores.get(i)!).sort((a, b) => a - b),
    evaluation: {
      task: 'regression', target: 'viability', unit: 'percent', n, nGroups, seed: options.seed, level,
      split: { kind: 'group-kfold', nFolds: folds.length, groupsDisjoint: true, description: `grouped ${folds.length}-fold over ${nGroups} distinct compositions` },
      metrics, baselines,
      conformal: { level, coverage: deployed.coverage, meanWidth: deployed.meanWidth, method: 'conformal-log-survival' },
      calibration: CALIBRATION_LEVELS.map((l) => ({ level: l, coverage: coverageAt(l).coverage })),
      outOfFold: rows.map((i) => {
        const iv = intervalAt(i, deployed.quantiles.get(foldOf[i]!)!);
        return {
          index: i, measured: pct(observations[i]!.survival), predicted: pct(predicted[i]!),
          lower: Number.isFinite(iv.lower) ? pct(iv.lower) : null, upper: Number.isFinite(iv.upper) ? pct(iv.upper) : null,
          domainScore: null, inDomain: inDomain[i]!,
        };
      }),
      foldsFailed,
      converged: fit.converged,
      parameters: fit.parameters,
      notIdentified: fit.notIdentified,
      limits: [
        'One temperature per model: the kinetic form does not model temperature dependence.',
        'Intervals are split-conformal on ln(survival) from out-of-fold residuals (each row calibrated without its own fold); they assume new exposures resemble the training ones.',
        ...(fit.converged ? [] : ['The final fit stopped at its iteration limit before meeting the convergence test; parameters may be imprecise along weakly determined directions.']),
        ...(foldsFailed ? [`${foldsFailed} fold(s) could not be fitted from their training part and were left out of the metrics.`] : []),
      ],
    },
  };
}

/** Conformal interval of a predicted survival from stored log-scale scores, or null when there are too few for the level. */
export function toxicityInterval(survival: number, scores: readonly number[], level: number): { lower: number; upper: number } | null {
  const q = conformalQuantile(scores, level);
  return Number.isFinite(q) ? { lower: survival * Math.exp(-q), upper: survival * Math.exp(q) } : null;
}

/** Metrics of a fixed, already fitted model on new exposures (no refitting), beside the training-mean baseline. */
export function evaluateFixedToxicityModel(
  model: Parameters<typeof predictSurvival>[0],
  trainingMeanSurvival: number,
  observations: readonly ToxicityObservation[],
  level = 0.9,
  calibrationScores: readonly number[] = [],
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
    const interval = toxicityInterval(p.survival, calibrationScores, level);
    if (interval) {
      withInterval++;
      if (o.survival >= interval.lower && o.survival <= interval.upper) covered++;
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
