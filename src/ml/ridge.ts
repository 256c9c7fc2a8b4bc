/**
 * Ridge regression on standardized features. The intercept is not penalized (targets are centred), and the
 * penalty acts on standardized coefficients so that a feature's unit does not change how hard it is shrunk.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { applyScaling, fitScaling, mean, type ColumnScaling } from './standardize.ts';
import { checkSerialized, checkTrainingData, type Regressor, type SerializedModel } from './types.ts';

export interface RidgeOptions {
  /** Penalty λ on the squared norm of the standardized coefficients. Default 1. */
  alpha?: number;
}

const KIND = 'ridge-regressor';
const FORMAT = 1;

export class RidgeRegressor implements Regressor {
  readonly alpha: number;
  private scaling: ColumnScaling | null = null;
  /** Coefficients in the original feature units. */
  coefficients: number[] = [];
  intercept = 0;

  constructor(options: RidgeOptions = {}) {
    this.alpha = options.alpha ?? 1;
    if (!(this.alpha >= 0)) throw new Error(`ridge: alpha must be ≥ 0, got ${this.alpha}`);
  }

  fit(X: number[][], y: number[]): void {
    const p = checkTrainingData(X, y, 'ridge');
    const scaling = fitScaling(X);
    const Z = applyScaling(X, scaling);
    const yMean = mean(y);
    const A = new Matrix(p, p);
    const b = new Matrix(p, 1);
    for (let i = 0; i < Z.length; i++) {
      const z = Z[i] as number[];
      const r = (y[i] as number) - yMean;
      for (let j = 0; j < p; j++) {
        const zj = z[j] as number;
        b.set(j, 0, b.get(j, 0) + zj * r);
        for (let k = 0; k <= j; k++) A.set(j, k, A.get(j, k) + zj * (z[k] as number));
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < j; k++) A.set(k, j, A.get(j, k));
      // A tiny floor keeps alpha = 0 (OLS) solvable when a column is constant.
      A.set(j, j, A.get(j, j) + this.alpha + 1e-10);
    }
    const chol = new CholeskyDecomposition(A);
    if (!chol.isPositiveDefinite()) throw new Error('ridge: normal equations are singular; increase alpha');
    const beta = chol.solve(b).getColumn(0);
    this.coefficients = beta.map((bj, j) => bj / (scaling.scales[j] as number));
    this.intercept = yMean - this.coefficients.reduce((s, c, j) => s + c * (scaling.means[j] as number), 0);
    this.scaling = scaling;
  }

  predict(X: number[][]): number[] {
    if (!this.scaling) throw new Error('ridge: predict called before fit');
    return X.map((row) => {
      let s = this.intercept;
      for (let j = 0; j < this.coefficients.length; j++) s += (this.coefficients[j] as number) * (row[j] as number);
      return s;
    });
  }

  toJSON(): SerializedModel {
    if (!this.scaling) throw new Error('ridge: cannot serialize an unfitted model');
    return {
      kind: KIND,
      formatVersion: FORMAT,
      hyperparameters: { alpha: this.alpha },
      state: { coefficients: this.coefficients, intercept: this.intercept, scaling: this.scaling },
    };
  }

  static fromJSON(obj: SerializedModel): RidgeRegressor {
    checkSerialized(obj, KIND, FORMAT);
    const m = new RidgeRegressor({ alpha: obj.hyperparameters.alpha as number });
    m.coefficients = obj.state.coefficients as number[];
    m.intercept = obj.state.intercept as number;
    m.scaling = obj.state.scaling as ColumnScaling;
    return m;
  }
}
