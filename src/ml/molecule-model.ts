/**
 * One fitted molecule model: feature construction (descriptors, derived descriptors, fingerprint bits chosen on
 * the training rows), imputation and scaling, an optional linear base and the estimator itself, fitted, used and
 * serialized as a unit. The pipeline fits one per cross-validation fold and one on all rows.
 */
import { FeaturePipeline, type FeaturePipelineState } from './features.ts';
import { GaussianProcessRegressor } from './gaussian-process.ts';
import { GradientBoostingClassifier, GradientBoostingRegressor } from './gradient-boosting.ts';
import { KnnTanimotoClassifier, KnnTanimotoRegressor } from './knn-tanimoto.ts';
import { LogisticRidgeClassifier } from './logistic-ridge.ts';
import {
  DERIVED_DESCRIPTORS,
  fingerprintBitName,
  MOLECULE_DESCRIPTORS,
  moleculeRecord,
  parseFingerprintBitName,
  selectFingerprintBits,
  SIZE_TERMS,
} from './molecule-features.ts';
import { RandomForestClassifier, RandomForestRegressor } from './random-forest.ts';
import { RidgeRegressor } from './ridge.ts';
import { modelFromJSON } from './serialization.ts';
import { hasStd, type BinaryClassifier, type Regressor, type SerializedModel } from './types.ts';

export type Algorithm = 'rf' | 'gbt' | 'gp' | 'ridge' | 'knn';
export type Task = 'regression' | 'classification';
export const ALGORITHMS: readonly Algorithm[] = ['rf', 'gbt', 'gp', 'ridge', 'knn'];
export const TASKS: readonly Task[] = ['regression', 'classification'];

export interface MoleculeRow {
  descriptors: Record<string, number>;
  fingerprint: Uint8Array;
}

/** Label of the knn models' only input, reported as their feature list. */
export const FINGERPRINT_FEATURE = 'morgan_r2_2048';

type Spec =
  | { type: 'int'; min: number; max: number; default: number | null; nullable?: boolean }
  | { type: 'number'; min: number; max: number; minExclusive?: boolean; default: number }
  | { type: 'boolean'; default: boolean }
  | { type: 'enum'; values: readonly string[]; default: string }
  | { type: 'maxFeatures'; default: string | number };

const BASE: Spec = { type: 'enum', values: ['linear', 'none'], default: 'linear' };
const TREE_BITS: Spec = { type: 'int', min: 0, max: 2048, default: 128 };

/**
 * Hyperparameters per algorithm with their defaults. The tree defaults were chosen on the Koop Tg set with a
 * fixed protocol (docs/ml.md, "Pure-compound Tg"): sqrt features per split for the forest, 30 % for boosting,
 * a linear base on size terms for both, 128 fingerprint bits.
 */
const SPECS: Record<Algorithm, Record<string, Spec>> = {
  rf: {
    nEstimators: { type: 'int', min: 1, max: 5000, default: 200 },
    maxFeatures: { type: 'maxFeatures', default: 'sqrt' },
    minSamplesLeaf: { type: 'int', min: 1, max: 1000, default: 1 },
    maxDepth: { type: 'int', min: 1, max: 1000, default: null, nullable: true },
    bootstrap: { type: 'boolean', default: true },
    base: BASE,
    fingerprintBits: TREE_BITS,
  },
  gbt: {
    nEstimators: { type: 'int', min: 1, max: 5000, default: 300 },
    learningRate: { type: 'number', min: 0, max: 1, minExclusive: true, default: 0.05 },
    maxDepth: { type: 'int', min: 1, max: 20, default: 3 },
    subsample: { type: 'number', min: 0, max: 1, minExclusive: true, default: 0.8 },
    minSamplesLeaf: { type: 'int', min: 1, max: 1000, default: 1 },
    maxFeatures: { type: 'maxFeatures', default: 0.3 },
    base: BASE,
    fingerprintBits: TREE_BITS,
  },
  gp: {
    kernel: { type: 'enum', values: ['rbf', 'ard'], default: 'rbf' },
    fingerprintBits: { type: 'int', min: 0, max: 2048, default: 0 },
  },
  ridge: {
    alpha: { type: 'number', min: 0, max: 1e9, minExclusive: true, default: 10 },
    fingerprintBits: { type: 'int', min: 0, max: 2048, default: 0 },
  },
  knn: {
    k: { type: 'int', min: 1, max: 1000, default: 5 },
    weighting: { type: 'enum', values: ['similarity', 'uniform'], default: 'similarity' },
    power: { type: 'number', min: 0, max: 100, minExclusive: true, default: 1 },
  },
};

function checkValue(algorithm: Algorithm, key: string, spec: Spec, v: unknown): unknown {
  const where = `hyperparameters.${key} (${algorithm})`;
  switch (spec.type) {
    case 'int':
      if (v === null && spec.nullable) return null;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || v > spec.max) {
        throw new Error(`${where} must be an integer from ${spec.min} to ${spec.max}${spec.nullable ? ' or null' : ''}, got ${JSON.stringify(v)}`);
      }
      return v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v) || v > spec.max || (spec.minExclusive ? v <= spec.min : v < spec.min)) {
        throw new Error(`${where} must be a number in ${spec.minExclusive ? '(' : '['}${spec.min}, ${spec.max}], got ${JSON.stringify(v)}`);
      }
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw new Error(`${where} must be true or false, got ${JSON.stringify(v)}`);
      return v;
    case 'enum':
      if (typeof v !== 'string' || !spec.values.includes(v)) throw new Error(`${where} must be one of ${spec.values.join(', ')}, got ${JSON.stringify(v)}`);
      return v;
    case 'maxFeatures':
      if (typeof v === 'string' && ['all', 'sqrt', 'log2', 'third'].includes(v)) return v;
      if (typeof v === 'number' && v > 0 && v <= 1) return v;
      throw new Error(`${where} must be 'all', 'sqrt', 'log2', 'third' or a fraction in (0, 1], got ${JSON.stringify(v)}`);
  }
}

/** Validated hyperparameters with every default filled in (JSON-safe; stored with the model version). */
export function resolveHyperparameters(algorithm: Algorithm, task: Task, given: Record<string, unknown> = {}): Record<string, unknown> {
  const specs = SPECS[algorithm];
  if (!specs) throw new Error(`unknown algorithm '${String(algorithm)}' (known: ${ALGORITHMS.join(', ')})`);
  if (algorithm === 'gp' && task === 'classification') throw new Error("algorithm 'gp' supports regression only; use rf, gbt, ridge or knn for classification");
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new Error('hyperparameters must be an object');
  for (const key of Object.keys(given)) {
    if (!(key in specs)) throw new Error(`unknown hyperparameter '${key}' for ${algorithm} (known: ${Object.keys(specs).join(', ')})`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    // A classifier has no linear base: the log-odds of a tree ensemble need no extrapolation help.
    const fallback = key === 'base' && task === 'classification' ? 'none' : spec.default;
    out[key] = key in given ? checkValue(algorithm, key, spec, given[key]) : fallback;
  }
  if (task === 'classification' && out.base === 'linear') throw new Error(`hyperparameters.base 'linear' (${algorithm}) applies to regression only`);
  return out;
}

export interface ModelConfig {
  task: Task;
  algorithm: Algorithm;
  hyperparameters: Record<string, unknown>;
  /** Explicit feature list, or null for the algorithm's default set. */
  featureNames: readonly string[] | null;
  /** User columns (e.g. tm_k) added to the default set; missing values are imputed. */
  extraFeatures: readonly string[];
}

/** The algorithm's recommended features (before fingerprint bits), given which names the training rows have. */
export function defaultFeatureNames(algorithm: Algorithm, present: ReadonlySet<string>): string[] {
  if (algorithm === 'knn') return [];
  const pool = algorithm === 'gp' ? SIZE_TERMS : [...MOLECULE_DESCRIPTORS, ...DERIVED_DESCRIPTORS];
  return pool.filter((n) => present.has(n));
}

const KNOWN_COMPUTED = new Set([...DERIVED_DESCRIPTORS]);

/** Names the rows carry (finite in at least one row), plus the derived ones computable from them. */
export function presentNames(rows: readonly MoleculeRow[]): Set<string> {
  const present = new Set<string>();
  for (const r of rows) for (const [k, v] of Object.entries(r.descriptors)) if (typeof v === 'number' && Number.isFinite(v)) present.add(k);
  if (present.has('NumHeavyAtoms')) for (const n of DERIVED_DESCRIPTORS) present.add(n);
  return present;
}

function isExtra(name: string): boolean {
  return !MOLECULE_DESCRIPTORS.includes(name) && !KNOWN_COMPUTED.has(name) && parseFingerprintBitName(name) === null;
}

export interface FittedModel {
  config: ModelConfig;
  /** Fingerprint bits materialized as fp_<i> features. */
  bits: number[];
  /** Extras that enter the linear base as value-or-0 plus a known flag. */
  indicatorFor: string[];
  featureNames: string[];
  features: FeaturePipeline | null;
  base: { features: FeaturePipeline; model: RidgeRegressor } | null;
  estimator: Regressor<number[]> | BinaryClassifier<number[]> | KnnTanimotoRegressor | KnnTanimotoClassifier;
}

function makeEstimator(config: ModelConfig, seed: number): FittedModel['estimator'] {
  const h = config.hyperparameters;
  const reg = config.task === 'regression';
  switch (config.algorithm) {
    case 'rf': {
      const o = {
        nEstimators: h.nEstimators as number,
        maxFeatures: h.maxFeatures as 'sqrt',
        minSamplesLeaf: h.minSamplesLeaf as number,
        ...(h.maxDepth !== null ? { maxDepth: h.maxDepth as number } : {}),
        bootstrap: h.bootstrap as boolean,
        seed,
      };
      return reg ? new RandomForestRegressor(o) : new RandomForestClassifier(o);
    }
    case 'gbt': {
      const o = {
        nEstimators: h.nEstimators as number,
        learningRate: h.learningRate as number,
        maxDepth: h.maxDepth as number,
        subsample: h.subsample as number,
        minSamplesLeaf: h.minSamplesLeaf as number,
        maxFeatures: h.maxFeatures as number,
        seed,
      };
      return reg ? new GradientBoostingRegressor(o) : new GradientBoostingClassifier(o);
    }
    case 'gp':
      return new GaussianProcessRegressor({ kernel: h.kernel as 'rbf' | 'ard' });
    case 'ridge':
      return reg ? new RidgeRegressor({ alpha: h.alpha as number }) : new LogisticRidgeClassifier({ alpha: h.alpha as number });
    case 'knn': {
      const o = { k: h.k as number, weighting: h.weighting as 'similarity' | 'uniform', power: h.power as number };
      return reg ? new KnnTanimotoRegressor(o) : new KnnTanimotoClassifier(o);
    }
  }
}

/** Ridge penalty of the linear base; mild, because it has a dozen smooth terms and hundreds of rows. */
const BASE_ALPHA = 1;

export function fitMoleculeModel(config: ModelConfig, rows: readonly MoleculeRow[], y: readonly number[], seed: number): FittedModel {
  const estimator = makeEstimator(config, seed);
  if (config.algorithm === 'knn') {
    (estimator as KnnTanimotoRegressor).fit(rows.map((r) => r.fingerprint), y.slice());
    return { config, bits: [], indicatorFor: [], featureNames: [FINGERPRINT_FEATURE], features: null, base: null, estimator };
  }
  const autoBits = config.featureNames === null ? (config.hyperparameters.fingerprintBits as number) : 0;
  const requested = [...(config.featureNames ?? defaultFeatureNames(config.algorithm, presentNames(rows))), ...config.extraFeatures];
  const bits = [
    ...new Set([
      ...requested.map(parseFingerprintBitName).filter((b): b is number => b !== null),
      ...selectFingerprintBits(rows.map((r) => r.fingerprint), autoBits),
    ]),
  ].sort((a, b) => a - b);
  const featureNames = [...new Set([...requested.filter((n) => parseFingerprintBitName(n) === null), ...bits.map(fingerprintBitName)])];
  const indicatorFor = featureNames.filter(isExtra);
  const records = rows.map((r) => moleculeRecord(r.descriptors, r.fingerprint, bits, indicatorFor));
  const features = FeaturePipeline.fit(records, featureNames);
  const X = features.transform(records);
  let target = y.slice();
  let base: FittedModel['base'] = null;
  if (config.task === 'regression' && config.hyperparameters.base === 'linear') {
    const baseNames = [...SIZE_TERMS, ...indicatorFor.flatMap((e) => [`${e}|or0`, `${e}|known`])];
    const baseFeatures = FeaturePipeline.fit(records, baseNames);
    const model = new RidgeRegressor({ alpha: BASE_ALPHA });
    const Xb = baseFeatures.transform(records);
    model.fit(Xb, target);
    const fitted = model.predict(Xb);
    target = target.map((v, i) => v - (fitted[i] as number));
    base = { features: baseFeatures, model };
  }
  (estimator as Regressor).fit(X, target);
  return { config, bits, indicatorFor, featureNames, features, base, estimator };
}

export interface ModelOutput {
  /** Regression: the prediction. Classification: P(active). */
  value: number[];
  /** Difficulty estimate (forest spread, GP sd) when the estimator gives one. */
  std: number[] | null;
}

export function featureMatrix(m: FittedModel, rows: readonly MoleculeRow[]): { X: number[][]; Xb: number[][] | null } {
  const records = rows.map((r) => moleculeRecord(r.descriptors, r.fingerprint, m.bits, m.indicatorFor));
  return { X: m.features ? m.features.transform(records) : [], Xb: m.base ? m.base.features.transform(records) : null };
}

export function predictMoleculeModel(m: FittedModel, rows: readonly MoleculeRow[]): ModelOutput {
  if (m.config.algorithm === 'knn') {
    const fps = rows.map((r) => r.fingerprint);
    const est = m.estimator as KnnTanimotoRegressor | KnnTanimotoClassifier;
    return { value: 'predictProba' in est ? est.predictProba(fps) : est.predict(fps), std: null };
  }
  const { X, Xb } = featureMatrix(m, rows);
  return predictFromMatrix(m, X, Xb);
}

export function predictFromMatrix(m: FittedModel, X: number[][], Xb: number[][] | null): ModelOutput {
  const est = m.estimator as Regressor | BinaryClassifier;
  if ('predictProba' in est) return { value: est.predictProba(X), std: null };
  let value: number[];
  let std: number[] | null = null;
  if (hasStd(est)) {
    const out = est.predictWithStd(X);
    value = out.mean;
    std = out.std;
  } else value = est.predict(X);
  if (m.base && Xb) {
    const b = m.base.model.predict(Xb);
    value = value.map((v, i) => v + (b[i] as number));
  }
  return { value, std };
}

export interface SerializedMoleculeModel {
  bits: number[];
  indicatorFor: string[];
  featureNames: string[];
  features: FeaturePipelineState | null;
  base: { features: FeaturePipelineState; model: SerializedModel } | null;
  estimator: SerializedModel;
}

export function serializeMoleculeModel(m: FittedModel): SerializedMoleculeModel {
  return {
    bits: m.bits.slice(),
    indicatorFor: m.indicatorFor.slice(),
    featureNames: m.featureNames.slice(),
    features: m.features ? m.features.toJSON() : null,
    base: m.base ? { features: m.base.features.toJSON(), model: m.base.model.toJSON() } : null,
    estimator: m.estimator.toJSON(),
  };
}

export function restoreMoleculeModel(config: ModelConfig, s: SerializedMoleculeModel): FittedModel {
  const estimator = modelFromJSON(s.estimator) as FittedModel['estimator'];
  const base = s.base ? { features: FeaturePipeline.fromJSON(s.base.features), model: RidgeRegressor.fromJSON(s.base.model) } : null;
  return {
    config,
    bits: s.bits.slice(),
    indicatorFor: s.indicatorFor.slice(),
    featureNames: s.featureNames.slice(),
    features: s.features ? FeaturePipeline.fromJSON(s.features) : null,
    base,
    estimator,
  };
}

/** Model-native importances where the estimator has them: impurity decrease (forests), |standardized coefficient| (ridge). */
export function nativeImportance(m: FittedModel): { values: number[]; method: string } | null {
  const est = m.estimator;
  if (est instanceof RandomForestRegressor || est instanceof RandomForestClassifier) {
    return { values: est.featureImportance.slice(), method: 'mean impurity decrease over the forest' };
  }
  if (est instanceof RidgeRegressor) {
    // Features are z-scored by the pipeline, so coefficients are already per standard deviation.
    return { values: est.coefficients.map(Math.abs), method: '|coefficient| on z-scored features' };
  }
  if (est instanceof LogisticRidgeClassifier) {
    return { values: est.coefficients.coefficients.map(Math.abs), method: '|log-odds coefficient| on z-scored features' };
  }
  return null;
}
