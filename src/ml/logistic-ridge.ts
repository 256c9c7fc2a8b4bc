/**
 * L2-penalized logistic regression on standardized features (intercept unpenalized), fitted by Newton's
 * method (iteratively reweighted least squares). A linear, well-calibrated classifier baseline.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { applyScaling, fitScaling, type ColumnScaling } from './standardize.ts';
import { checkBinaryLabels, checkSerialized, checkTrainingData, type BinaryClassifier, type SerializedModel } from './types.ts';

export interface LogisticRidgeOptions {
  /** Penalty λ on the squared norm of the standardized coefficients. Default 1. */
  alpha?: number;
  /** Newton iterations at most. Default 100. */
  maxIterations?: number;
  /** Stop when the largest coefficient change is below this. Default 1e-10. */
  tolerance?: number;
}

const KIND = 'logistic-ridge-classifier';
const FORMAT = 1;

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export class LogisticRidgeClassifier implements BinaryClassifier {
  readonly alpha: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  private scaling: ColumnScaling | null = null;
  /** Coefficients on standardized features; index 0 is the intercept. */
  private beta: number[] = [];
  iterations = 0;

  constructor(options: LogisticRidgeOptions = {}) {
    this.alpha = options.alpha ?? 1;
    this.maxIterations = options.maxIterations ?? 100;
    this.tolerance = options.tolerance ?? 1e-10;
    if (!(this.alpha > 0)) throw new Error('logistic ridge: alpha must be > 0 (separable data have no unpenalized optimum)');
  }

  fit(X: number[][], y: number[]): void {
    const p = checkTrainingData(X, y, 'logistic ridge');
    checkBinaryLabels(y, 'logistic ridge');
    const scaling = fitScaling(X);
    const Z = applyScaling(X, scaling).map((r) => [1, ...r]);
    const d = p + 1;
    let beta = new Array<number>(d).fill(0);
    for (this.iterations = 0; this.iterations < this.maxIterations; ) {
      this.iterations++;
      const H = new Matrix(d, d);
      const g = new Matrix(d, 1);
      for (let i = 0; i < Z.length; i++) {
        const z = Z[i] as number[];
        let eta = 0;
        for (let j = 0; j < d; j++) eta += (beta[j] as number) * (z[j] as number);
        const q = sigmoid(eta);
        const w = Math.max(q * (1 - q), 1e-12);
        const r = (y[i] as number) - q;
        for (let j = 0; j < d; j++) {
          g.set(j, 0, g.get(j, 0) + (z[j] as number) * r);
          for (let k = 0; k <= j; k++) H.set(j, k, H.get(j, k) + w * (z[j] as number) * (z[k] as number));
        }
      }
      for (let j = 0; j < d; j++) {
        for (let k = 0; k < j; k++) H.set(k, j, H.get(j, k));
        if (j > 0) {
          H.set(j, j, H.get(j, j) + this.alpha);
          g.set(j, 0, g.get(j, 0) - this.alpha * (beta[j] as number));
        } else H.set(0, 0, H.get(0, 0) + 1e-10);
      }
      const step = new CholeskyDecomposition(H).solve(g).getColumn(0);
      beta = beta.map((b, j) => b + (step[j] as number));
      if (Math.max(...step.map(Math.abs)) < this.tolerance) break;
    }
    this.beta = beta;
    this.scaling = scaling;
  }

  /** Coefficients in original feature units and the matching intercept. */
  get coefficients(): { intercept: number; coefficients: number[] } {
    const s = this.scaling;
    if (!s) throw new Error('logistic ridge: not fitted');
    const coefficients = this.beta.slice(1).map((b, j) => b / (s.scales[j] as number));
    const intercept = (this.beta[0] as number) - coefficients.reduce((acc, c, j) => acc + c * (s.means[j] as number), 0);
    return { intercept, coefficients };
  }

  predictProba(X: number[][]): number[] {
    const s = this.scaling;
    if (!s) throw new Error('logistic ridge: predict called before fit');
    return applyScaling(X, s).map((z) => {
      let eta = this.beta[0] as number;
      for (let j = 0; j < z.length; j++) eta += (this.beta[j + 1] as number) * (z[j] as number);
      return sigmoid(eta);
    });
  }

  predict(X: number[][], threshold = 0.5): number[] {
    return this.predictProba(X).map((q) => (q >= threshold ? 1 : 0));
  }

  toJSON(): SerializedModel {
    if (!this.scaling) throw new Error('logistic ridge: cannot serialize an unfitted model');
    return {
      kind: KIND,
      formatVersion: FORMAT,
      hyperparameters: { alpha: this.alpha, maxIterations: this.maxIterations, tolerance: this.tolerance },
      state: { beta: this.beta, scaling: this.scaling, iterations: this.iterations },
    };
  }

  static fromJSON(obj: SerializedModel): LogisticRidgeClassifier {
    checkSerialized(obj, KIND, FORMAT);
    const h = obj.hyperparameters;
    const m = new LogisticRidgeClassifier({ alpha: h.alpha as number, maxIterations: h.maxIterations as number, tolerance: h.tolerance as number });
    m.beta = obj.state.beta as number[];
    m.scaling = obj.state.scaling as ColumnScaling;
    m.iterations = obj.state.iterations as number;
    return m;
  }
}
