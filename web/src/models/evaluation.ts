// Reads a stored evaluation (ModelEvaluation in src/ml/pipeline.ts, kept as JSON in model_versions) into the
// shapes the version page draws. The API types it as an open record, so every field is checked here: a
// malformed or missing part becomes an empty list or null, and the page says so instead of drawing nonsense.
import { isNumber, LOWER_IS_BETTER } from './format.ts';
import type { Task } from './model-api.ts';

export type Metrics = Record<string, number>;

export interface OutOfFoldPoint {
  index: number;
  measured: number;
  predicted: number;
  lower: number | null;
  upper: number | null;
  domainScore: number | null;
}

export interface CalibrationPoint {
  level: number;
  coverage: number;
}

export interface LearningPoint {
  nTrain: number;
  metric: number;
}

export interface Importance {
  name: string;
  importance: number;
}

export interface SplitInfo {
  kind: string | null;
  description: string | null;
  nFolds: number | null;
  nClusters: number | null;
  groupsDisjoint: boolean | null;
}

export interface Conformal {
  level: number;
  coverage: number;
  meanWidth: number | null;
}

export interface YRandomization {
  observed: number | null;
  permutedMean: number | null;
  permutedSd: number | null;
  pValue: number | null;
  metric: string | null;
  rounds: number | null;
}

/** What a kinetic toxicity fit adds (ToxicityEvaluation in src/ml/toxicity-evaluation.ts), shown as stored. */
export interface KineticFit {
  parameters: unknown;
  notIdentified: unknown;
  converged: boolean | null;
  foldsFailed: number | null;
}

export interface Evaluation {
  task: Task;
  /** Unit of the target when the evaluation names one ('%' for viability), else ''. */
  unit: string;
  n: number | null;
  nGroups: number | null;
  metrics: Metrics;
  baselines: Record<string, Metrics>;
  split: SplitInfo;
  conformal: Conformal | null;
  calibration: CalibrationPoint[];
  learningCurve: LearningPoint[];
  learningMetric: string | null;
  featureImportance: Importance[];
  /** How importance was measured (e.g. impurity decrease, permutation), when the pipeline says. */
  importanceMethod: string | null;
  yRandomization: YRandomization | null;
  domainThreshold: number | null;
  outOfDomainFraction: number | null;
  metricsInDomain: Metrics | null;
  metricsOutOfDomain: Metrics | null;
  /** Like-for-like: the model on exactly the rows a partial baseline (g·x) could predict. */
  baselineComparisons: { name: string; feature: string; g: number | null; model: Metrics; baseline: Metrics }[];
  outOfFold: OutOfFoldPoint[];
  limits: string[];
  kinetic: KineticFit | null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function numberOrNull(value: unknown): number | null {
  return isNumber(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function metricsOf(value: unknown): Metrics {
  const out: Metrics = {};
  for (const [k, v] of Object.entries(record(value))) if (isNumber(v)) out[k] = v;
  return out;
}

function list<T>(value: unknown, read: (item: Record<string, unknown>, index: number) => T | null): T[] {
  if (!Array.isArray(value)) return [];
  const out: T[] = [];
  value.forEach((item, i) => {
    const parsed = read(record(item), i);
    if (parsed !== null) out.push(parsed);
  });
  return out;
}

export function readEvaluation(raw: Record<string, unknown>, task: Task): Evaluation {
  const split = record(raw.split);
  const conformal = record(raw.conformal);
  const y = raw.yRandomization === undefined || raw.yRandomization === null ? null : record(raw.yRandomization);
  const domain = record(raw.domain);
  const learningCurve = list(raw.learningCurve, (p) => (isNumber(p.nTrain) && isNumber(p.metric) ? { nTrain: p.nTrain, metric: p.metric } : null));
  const firstLearning = Array.isArray(raw.learningCurve) ? record(raw.learningCurve[0]) : {};
  return {
    task,
    unit: raw.unit === 'percent' ? '%' : typeof raw.unit === 'string' ? raw.unit : '',
    n: numberOrNull(raw.n),
    nGroups: numberOrNull(raw.nGroups),
    metrics: metricsOf(raw.metrics),
    baselines: Object.fromEntries(Object.entries(record(raw.baselines)).map(([k, v]) => [k, metricsOf(v)])),
    split: {
      kind: stringOrNull(split.kind),
      description: stringOrNull(split.description),
      nFolds: numberOrNull(split.nFolds),
      nClusters: numberOrNull(split.nClusters),
      groupsDisjoint: typeof split.groupsDisjoint === 'boolean' ? split.groupsDisjoint : null,
    },
    conformal: isNumber(conformal.level) && isNumber(conformal.coverage)
      ? { level: conformal.level, coverage: conformal.coverage, meanWidth: numberOrNull(conformal.meanWidth) }
      : null,
    calibration: list(raw.calibration, (p) => (isNumber(p.level) && isNumber(p.coverage) ? { level: p.level, coverage: p.coverage } : null)),
    learningCurve,
    learningMetric: stringOrNull(firstLearning.metricName),
    featureImportance: list(raw.featureImportance, (p) => (typeof p.name === 'string' && isNumber(p.importance) ? { name: p.name, importance: p.importance } : null)),
    importanceMethod: stringOrNull(raw.featureImportanceMethod),
    yRandomization: y
      ? {
        observed: numberOrNull(y.observed),
        permutedMean: numberOrNull(y.permutedMean),
        permutedSd: numberOrNull(y.permutedSd),
        pValue: numberOrNull(y.pValue),
        metric: stringOrNull(y.metric),
        rounds: numberOrNull(y.rounds),
      }
      : null,
    domainThreshold: numberOrNull(domain.threshold),
    outOfDomainFraction: numberOrNull(domain.outOfDomainFraction),
    metricsInDomain: domain.metricsInDomain ? metricsOf(domain.metricsInDomain) : null,
    metricsOutOfDomain: domain.metricsOutOfDomain ? metricsOf(domain.metricsOutOfDomain) : null,
    baselineComparisons: Object.entries(record(raw.baselineComparisons)).flatMap(([name, v]) => {
      const c = record(v);
      return typeof c.feature === 'string' ? [{ name, feature: c.feature, g: numberOrNull(c.g), model: metricsOf(c.model), baseline: metricsOf(c.baseline) }] : [];
    }),
    outOfFold: list(raw.outOfFold, (p, i) =>
      isNumber(p.measured) && isNumber(p.predicted)
        ? {
          index: isNumber(p.index) ? p.index : i,
          measured: p.measured,
          predicted: p.predicted,
          lower: numberOrNull(p.lower),
          upper: numberOrNull(p.upper),
          domainScore: numberOrNull(p.domainScore),
        }
        : null),
    limits: Array.isArray(raw.limits) ? raw.limits.filter((l): l is string => typeof l === 'string') : [],
    kinetic: raw.parameters !== undefined
      ? {
        parameters: raw.parameters,
        notIdentified: raw.notIdentified ?? null,
        converged: typeof raw.converged === 'boolean' ? raw.converged : null,
        foldsFailed: numberOrNull(raw.foldsFailed),
      }
      : null,
  };
}

/** The best naive baseline on the headline metric (lowest MAE, or highest ROC-AUC), or null when there is none. */
export function bestBaseline(task: Task, baselines: Record<string, unknown>): { name: string; value: number } | null {
  const key = task === 'classification' ? 'rocAuc' : 'mae';
  let best: { name: string; value: number } | null = null;
  for (const [name, m] of Object.entries(baselines)) {
    const value = metricsOf(m)[key];
    if (value === undefined) continue;
    const better = best === null || (LOWER_IS_BETTER.has(key) ? value < best.value : value > best.value);
    if (better) best = { name, value };
  }
  return best;
}
