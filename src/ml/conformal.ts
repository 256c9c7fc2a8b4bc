/**
 * Conformal prediction intervals (distribution-free, finite-sample coverage under exchangeability).
 *
 * - Split conformal (Lei et al. 2018, JASA 113:1094): scores s_i = |y_i − ŷ_i| (optionally / difficulty) on a
 *   calibration set not used for fitting; interval ŷ ± q·d with q the ⌈(n+1)·level⌉-th smallest score.
 * - CV+ (Barber, Candès, Ramdas & Tibshirani 2021, Ann. Stat. 49:486): uses every row once as calibration via
 *   K-fold out-of-fold residuals and the K fold models' predictions at the test point; coverage ≥ 1 − 2α in
 *   theory and close to 1 − α in practice.
 *
 * Normalized scores divide by a difficulty estimate (GP predictive sd, forest tree spread) plus β, so that
 * intervals widen where the model is less sure; β keeps a near-zero estimate from collapsing an interval.
 */

export interface Interval {
  lower: number;
  upper: number;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new Error(`conformal: level must be in (0, 1), got ${level}`);
}

/** Conformal quantile: the ⌈(n+1)·level⌉-th smallest score, or +∞ when that exceeds n (too few scores). */
export function conformalQuantile(scores: readonly number[], level: number): number {
  checkLevel(level);
  const sorted = scores.filter((s) => !Number.isNaN(s)).sort((a, b) => a - b);
  const rank = Math.ceil((sorted.length + 1) * level);
  return rank > sorted.length ? Infinity : (sorted[rank - 1] as number);
}

function median(v: readonly number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface ConformalCalibration {
  level: number;
  /** Score quantile: an absolute residual, or a multiple of (difficulty + beta) when normalized. */
  quantile: number;
  normalized: boolean;
  beta: number;
  nCalibration: number;
}

export interface CalibrationInput {
  yTrue: readonly number[];
  yPred: readonly number[];
  /** Difficulty per calibration row; when given, scores are normalized. */
  difficulty?: readonly number[];
  /** Added to every difficulty. Default: 0.1 × the median calibration difficulty. */
  beta?: number;
}

/** Learn the split-conformal quantile from held-out (or out-of-fold) predictions. */
export function calibrateConformal(input: CalibrationInput, level: number): ConformalCalibration {
  checkLevel(level);
  const { yTrue, yPred, difficulty } = input;
  if (yTrue.length !== yPred.length || (difficulty && difficulty.length !== yTrue.length)) {
    throw new Error('calibrateConformal: arrays differ in length');
  }
  const normalized = difficulty !== undefined;
  const beta = normalized ? (input.beta ?? 0.1 * median(difficulty)) : 0;
  if (normalized && !(beta > 0) && difficulty.some((d) => !(d > 0))) {
    throw new Error('calibrateConformal: difficulty estimates of 0 need a positive beta');
  }
  const scores = yTrue.map((y, i) => {
    const r = Math.abs(y - (yPred[i] as number));
    return normalized ? r / ((difficulty[i] as number) + beta) : r;
  });
  return { level, quantile: conformalQuantile(scores, level), normalized, beta, nCalibration: scores.filter((s) => !Number.isNaN(s)).length };
}

/** Intervals ŷ ± q (or ŷ ± q·(d + β) for a normalized calibration). */
export function conformalIntervals(cal: ConformalCalibration, yPred: readonly number[], difficulty?: readonly number[]): Interval[] {
  if (cal.normalized && (!difficulty || difficulty.length !== yPred.length)) {
    throw new Error('conformalIntervals: a normalized calibration needs a difficulty per prediction');
  }
  return yPred.map((p, i) => {
    const half = cal.normalized ? cal.quantile * ((difficulty as readonly number[])[i]! + cal.beta) : cal.quantile;
    return { lower: p - half, upper: p + half };
  });
}

export interface CvPlusInput {
  /** Out-of-fold prediction per training row. */
  oofPredictions: readonly number[];
  yTrue: readonly number[];
  /** Fold that produced each row's out-of-fold prediction (rows with -1 are skipped). */
  foldOf: readonly number[];
  /** testPredictionsByFold[k][j]: prediction of the model trained without fold k, at test point j. */
  testPredictionsByFold: readonly (readonly number[])[];
  /** Optional normalization: out-of-fold difficulty per training row and per fold model at each test point. */
  oofDifficulty?: readonly number[];
  testDifficultyByFold?: readonly (readonly number[])[];
  /** Added to every difficulty. Default: 0.1 × the median out-of-fold difficulty. */
  beta?: number;
}

/** CV+ intervals, one per test point. */
export function cvPlusIntervals(input: CvPlusInput, level: number): Interval[] {
  checkLevel(level);
  const { oofPredictions, yTrue, foldOf, testPredictionsByFold, oofDifficulty, testDifficultyByFold } = input;
  const normalized = oofDifficulty !== undefined;
  if (normalized !== (testDifficultyByFold !== undefined)) throw new Error('cvPlusIntervals: give both difficulty arrays or neither');
  const rows: number[] = [];
  for (let i = 0; i < foldOf.length; i++) if ((foldOf[i] as number) >= 0 && !Number.isNaN(oofPredictions[i])) rows.push(i);
  const n = rows.length;
  const beta = normalized ? (input.beta ?? 0.1 * median(rows.map((i) => oofDifficulty[i] as number))) : 0;
  const scores = rows.map((i) => {
    const r = Math.abs((yTrue[i] as number) - (oofPredictions[i] as number));
    return normalized ? r / ((oofDifficulty[i] as number) + beta) : r;
  });
  const alpha = 1 - level;
  const loRank = Math.floor(alpha * (n + 1));
  const hiRank = Math.ceil((1 - alpha) * (n + 1));
  const nTest = (testPredictionsByFold[0] ?? []).length;
  const out: Interval[] = [];
  const lows = new Float64Array(n);
  const highs = new Float64Array(n);
  for (let j = 0; j < nTest; j++) {
    for (let t = 0; t < n; t++) {
      const k = foldOf[rows[t] as number] as number;
      const mu = (testPredictionsByFold[k] as readonly number[])[j] as number;
      const scale = normalized ? ((testDifficultyByFold as readonly (readonly number[])[])[k] as readonly number[])[j]! + beta : 1;
      lows[t] = mu - (scores[t] as number) * scale;
      highs[t] = mu + (scores[t] as number) * scale;
    }
    lows.sort();
    highs.sort();
    out.push({
      lower: loRank < 1 ? -Infinity : (lows[loRank - 1] as number),
      upper: hiRank > n ? Infinity : (highs[hiRank - 1] as number),
    });
  }
  return out;
}

/** Fraction of targets inside their closed interval [lower, upper]. */
export function coverage(intervals: readonly Interval[], y: readonly number[]): number {
  if (intervals.length !== y.length || y.length === 0) throw new Error('coverage: need one interval per target (≥ 1)');
  let inside = 0;
  intervals.forEach((iv, i) => {
    if ((y[i] as number) >= iv.lower && (y[i] as number) <= iv.upper) inside++;
  });
  return inside / y.length;
}

/** Mean interval width (∞ if any interval is unbounded). */
export function meanWidth(intervals: readonly Interval[]): number {
  if (intervals.length === 0) throw new Error('meanWidth: no intervals');
  return intervals.reduce((s, iv) => s + (iv.upper - iv.lower), 0) / intervals.length;
}
