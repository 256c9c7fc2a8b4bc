/**
 * Regression, ranking and classification metrics. All take parallel arrays (truth first) and throw on length
 * mismatch or empty input; a metric that is undefined for the data (e.g. ROC-AUC with one class) returns NaN.
 */

function check(a: readonly number[], b: readonly number[], name: string): void {
  if (a.length !== b.length) throw new Error(`${name}: arrays differ in length (${a.length} vs ${b.length})`);
  if (a.length === 0) throw new Error(`${name}: empty input`);
}

export function mae(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred, 'mae');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return s / yTrue.length;
}

export function rmse(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred, 'rmse');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
  return Math.sqrt(s / yTrue.length);
}

/** Coefficient of determination 1 − SS_res / SS_tot (can be negative; NaN when the truth is constant). */
export function r2(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred, 'r2');
  const m = yTrue.reduce((s, v) => s + v, 0) / yTrue.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
    tot += ((yTrue[i] as number) - m) ** 2;
  }
  return tot === 0 ? NaN : 1 - res / tot;
}

export function pearson(x: readonly number[], y: readonly number[]): number {
  check(x, y, 'pearson');
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** 1-based ranks with ties given the average of the ranks they span. */
export function averageRanks(v: readonly number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => (v[a] as number) - (v[b] as number));
  const ranks = new Array<number>(v.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && v[order[j + 1] as number] === v[order[i] as number]) j++;
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t] as number] = r;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's ρ: Pearson correlation of average ranks, which is the tie-corrected form. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  check(x, y, 'spearman');
  return pearson(averageRanks(x), averageRanks(y));
}

function classCounts(yTrue: readonly number[], name: string): { pos: number; neg: number } {
  let pos = 0;
  for (const v of yTrue) {
    if (v === 1) pos++;
    else if (v !== 0) throw new Error(`${name}: labels must be 0 or 1, got ${v}`);
  }
  return { pos, neg: yTrue.length - pos };
}

/**
 * Area under the ROC curve, computed as the Mann–Whitney U statistic / (n₁ n₀) on average ranks, so a tied
 * positive–negative pair counts one half.
 */
export function rocAuc(yTrue: readonly number[], scores: readonly number[]): number {
  check(yTrue, scores, 'rocAuc');
  const { pos, neg } = classCounts(yTrue, 'rocAuc');
  if (pos === 0 || neg === 0) return NaN;
  const ranks = averageRanks(scores);
  let rankSum = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === 1) rankSum += ranks[i] as number;
  const u = rankSum - (pos * (pos + 1)) / 2;
  return u / (pos * neg);
}

/**
 * Average precision (area under the precision–recall curve as a step function):
 * AP = Σ_k (R_k − R_{k−1}) P_k over distinct score thresholds from high to low. Tied scores enter together,
 * matching scikit-learn's average_precision_score.
 */
export function averagePrecision(yTrue: readonly number[], scores: readonly number[]): number {
  check(yTrue, scores, 'averagePrecision');
  const { pos } = classCounts(yTrue, 'averagePrecision');
  if (pos === 0) return NaN;
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  let i = 0;
  while (i < order.length) {
    const s = scores[order[i] as number];
    while (i < order.length && scores[order[i] as number] === s) {
      if (yTrue[order[i] as number] === 1) tp++;
      else fp++;
      i++;
    }
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

/** Alias: PR-AUC is reported as average precision. */
export const prAuc = averagePrecision;

export function accuracy(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred, 'accuracy');
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** Mean of sensitivity and specificity (NaN if a class is absent from the truth). */
export function balancedAccuracy(yTrue: readonly number[], yPred: readonly number[]): number {
  check(yTrue, yPred, 'balancedAccuracy');
  const { pos, neg } = classCounts(yTrue, 'balancedAccuracy');
  if (pos === 0 || neg === 0) return NaN;
  let tp = 0;
  let tn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1 && yPred[i] === 1) tp++;
    if (yTrue[i] === 0 && yPred[i] === 0) tn++;
  }
  return (tp / pos + tn / neg) / 2;
}

/**
 * Enrichment factor in the top `fraction` of the ranking: (actives among the top n_x / n_x) / (actives / N),
 * with n_x = ceil(fraction · N). Compounds tied with the last selected score share the remaining slots, so
 * ties contribute their expected number of actives rather than depending on input order.
 */
export function enrichmentFactor(yTrue: readonly number[], scores: readonly number[], fraction: number): number {
  check(yTrue, scores, 'enrichmentFactor');
  if (!(fraction > 0 && fraction <= 1)) throw new Error('enrichmentFactor: fraction must be in (0, 1]');
  const { pos } = classCounts(yTrue, 'enrichmentFactor');
  const N = yTrue.length;
  if (pos === 0) return NaN;
  const nx = Math.ceil(fraction * N);
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let taken = 0;
  let actives = 0;
  let i = 0;
  while (i < N && taken < nx) {
    const s = scores[order[i] as number];
    let j = i;
    let blockActives = 0;
    while (j < N && scores[order[j] as number] === s) {
      if (yTrue[order[j] as number] === 1) blockActives++;
      j++;
    }
    const block = j - i;
    const slots = Math.min(block, nx - taken);
    actives += (blockActives * slots) / block;
    taken += slots;
    i = j;
  }
  return actives / nx / (pos / N);
}

export interface RegressionMetrics {
  n: number;
  mae: number;
  rmse: number;
  r2: number;
  spearman: number;
  pearson: number;
}

export function regressionMetrics(yTrue: readonly number[], yPred: readonly number[]): RegressionMetrics {
  return {
    n: yTrue.length,
    mae: mae(yTrue, yPred),
    rmse: rmse(yTrue, yPred),
    r2: r2(yTrue, yPred),
    spearman: spearman(yTrue, yPred),
    pearson: pearson(yTrue, yPred),
  };
}

export interface ClassificationMetrics {
  n: number;
  prevalence: number;
  rocAuc: number;
  prAuc: number;
  accuracy: number;
  balancedAccuracy: number;
  /** Enrichment factor in the top 10 % of scores. */
  enrichmentTop10: number;
}

/** Threshold-based metrics use `threshold` on the scores (default 0.5, i.e. scores are probabilities). */
export function classificationMetrics(yTrue: readonly number[], scores: readonly number[], threshold = 0.5): ClassificationMetrics {
  const labels = scores.map((s) => (s >= threshold ? 1 : 0));
  return {
    n: yTrue.length,
    prevalence: classCounts(yTrue, 'classificationMetrics').pos / yTrue.length,
    rocAuc: rocAuc(yTrue, scores),
    prAuc: averagePrecision(yTrue, scores),
    accuracy: accuracy(yTrue, labels),
    balancedAccuracy: balancedAccuracy(yTrue, labels),
    enrichmentTop10: enrichmentFactor(yTrue, scores, 0.1),
  };
}
