/**
 * The contracts every estimator in src/ml follows, so that validation, conformal calibration and evaluation
 * can treat them alike. Rows are numeric feature vectors (`number[]`) except for fingerprint models, whose rows
 * are packed bit vectors (`Uint8Array`).
 */

/** JSON-safe description of a fitted model: enough to reproduce its predictions exactly. */
export interface SerializedModel {
  /** Estimator identifier, e.g. "random-forest-regressor"; `fromJSON` in serialization.ts dispatches on it. */
  kind: string;
  /** Bumped when the stored shape of `state` changes incompatibly. */
  formatVersion: number;
  hyperparameters: Record<string, unknown>;
  state: Record<string, unknown>;
}

export interface Regressor<Row = number[]> {
  fit(X: Row[], y: number[]): void;
  predict(X: Row[]): number[];
  toJSON(): SerializedModel;
}

/** A regressor that also estimates how uncertain each prediction is (GP posterior sd, forest tree spread). */
export interface UncertaintyRegressor<Row = number[]> extends Regressor<Row> {
  predictWithStd(X: Row[]): { mean: number[]; std: number[] };
}

/**
 * Binary classifier: labels are 0 (inactive) and 1 (active). `predictProba` returns P(label = 1), which is
 * the score used for ROC-AUC, PR-AUC and enrichment.
 */
export interface BinaryClassifier<Row = number[]> {
  fit(X: Row[], y: number[]): void;
  predictProba(X: Row[]): number[];
  /** Hard labels at a probability threshold (default 0.5). */
  predict(X: Row[], threshold?: number): number[];
  toJSON(): SerializedModel;
}

export function hasStd<Row>(model: Regressor<Row>): model is UncertaintyRegressor<Row> {
  return typeof (model as Partial<UncertaintyRegressor<Row>>).predictWithStd === 'function';
}

/** Checks shared by every `fit`: same length, finite targets, rectangular numeric rows. */
export function checkTrainingData(X: readonly number[][], y: readonly number[], name: string): number {
  if (X.length !== y.length) throw new Error(`${name}: X has ${X.length} rows but y has ${y.length}`);
  if (X.length === 0) throw new Error(`${name}: no training rows`);
  const p = (X[0] as number[]).length;
  for (let i = 0; i < X.length; i++) {
    const row = X[i] as number[];
    if (row.length !== p) throw new Error(`${name}: row ${i} has ${row.length} features, expected ${p}`);
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(row[j])) throw new Error(`${name}: X[${i}][${j}] is not a finite number (impute first)`);
    }
    if (!Number.isFinite(y[i])) throw new Error(`${name}: y[${i}] is not a finite number`);
  }
  return p;
}

export function checkBinaryLabels(y: readonly number[], name: string): void {
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`${name}: labels must be 0 or 1, y[${i}] = ${y[i]}`);
  }
}

export function checkSerialized(obj: SerializedModel, kind: string, formatVersion: number): void {
  if (obj.kind !== kind) throw new Error(`expected a serialized ${kind}, got ${obj.kind}`);
  if (obj.formatVersion !== formatVersion) {
    throw new Error(`${kind}: unsupported format version ${obj.formatVersion} (this build reads ${formatVersion})`);
  }
}
