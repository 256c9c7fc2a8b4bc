/**
 * Naive baselines every model is reported against (science.md §8.2: "always report vs. naive baselines").
 * The mean and prevalence baselines ignore the features, so they accept any row type.
 */
import { mean } from './standardize.ts';
import { checkBinaryLabels, checkSerialized, type BinaryClassifier, type Regressor, type SerializedModel } from './types.ts';

const FORMAT = 1;

/** Predicts the training mean for every row. */
export class MeanRegressor<Row = number[]> implements Regressor<Row> {
  value = NaN;

  fit(X: Row[], y: number[]): void {
    if (y.length === 0 || X.length !== y.length) throw new Error('mean baseline: need equally many rows and targets (≥ 1)');
    this.value = mean(y);
  }

  predict(X: Row[]): number[] {
    if (Number.isNaN(this.value)) throw new Error('mean baseline: predict called before fit');
    return X.map(() => this.value);
  }

  toJSON(): SerializedModel {
    return { kind: 'mean-regressor', formatVersion: FORMAT, hyperparameters: {}, state: { value: this.value } };
  }

  static fromJSON<Row = number[]>(obj: SerializedModel): MeanRegressor<Row> {
    checkSerialized(obj, 'mean-regressor', FORMAT);
    const m = new MeanRegressor<Row>();
    m.value = obj.state.value as number;
    return m;
  }
}

/**
 * Predicts the training prevalence as P(active) for every row. Its ROC-AUC is 0.5 and its average precision
 * equals the prevalence, the floor a classifier must beat.
 */
export class PrevalenceClassifier<Row = number[]> implements BinaryClassifier<Row> {
  prevalence = NaN;

  fit(X: Row[], y: number[]): void {
    if (y.length === 0 || X.length !== y.length) throw new Error('prevalence baseline: need equally many rows and labels (≥ 1)');
    checkBinaryLabels(y, 'prevalence baseline');
    this.prevalence = mean(y);
  }

  predictProba(X: Row[]): number[] {
    if (Number.isNaN(this.prevalence)) throw new Error('prevalence baseline: predict called before fit');
    return X.map(() => this.prevalence);
  }

  predict(X: Row[], threshold = 0.5): number[] {
    return this.predictProba(X).map((q) => (q >= threshold ? 1 : 0));
  }

  toJSON(): SerializedModel {
    return { kind: 'prevalence-classifier', formatVersion: FORMAT, hyperparameters: {}, state: { prevalence: this.prevalence } };
  }

  static fromJSON<Row = number[]>(obj: SerializedModel): PrevalenceClassifier<Row> {
    checkSerialized(obj, 'prevalence-classifier', FORMAT);
    const m = new PrevalenceClassifier<Row>();
    m.prevalence = obj.state.prevalence as number;
    return m;
  }
}

/**
 * y ≈ g · x for one feature x, with g fitted by least squares through the origin (g = Σxy / Σx²). Used for the
 * Tg ≈ g · Tm rule (g ≈ 0.70 in the literature; science.md §8.1).
 */
export class ScaledFeatureBaseline implements Regressor {
  readonly featureIndex: number;
  g = NaN;

  constructor(options: { featureIndex: number }) {
    if (!(Number.isInteger(options.featureIndex) && options.featureIndex >= 0)) throw new Error('featureIndex must be a non-negative integer');
    this.featureIndex = options.featureIndex;
  }

  fit(X: number[][], y: number[]): void {
    if (X.length !== y.length || X.length === 0) throw new Error('scaled-feature baseline: need equally many rows and targets (≥ 1)');
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < X.length; i++) {
      const x = (X[i] as number[])[this.featureIndex];
      if (!Number.isFinite(x) || !Number.isFinite(y[i])) throw new Error(`scaled-feature baseline: non-finite value in row ${i}`);
      sxy += (x as number) * (y[i] as number);
      sxx += (x as number) * (x as number);
    }
    if (sxx === 0) throw new Error('scaled-feature baseline: the feature is zero in every row');
    this.g = sxy / sxx;
  }

  predict(X: number[][]): number[] {
    if (Number.isNaN(this.g)) throw new Error('scaled-feature baseline: predict called before fit');
    return X.map((row) => this.g * (row[this.featureIndex] as number));
  }

  toJSON(): SerializedModel {
    return {
      kind: 'scaled-feature-baseline',
      formatVersion: FORMAT,
      hyperparameters: { featureIndex: this.featureIndex },
      state: { g: this.g },
    };
  }

  static fromJSON(obj: SerializedModel): ScaledFeatureBaseline {
    checkSerialized(obj, 'scaled-feature-baseline', FORMAT);
    const m = new ScaledFeatureBaseline({ featureIndex: obj.hyperparameters.featureIndex as number });
    m.g = obj.state.g as number;
    return m;
  }
}
