/**
 * Gaussian-process regression (Rasmussen & Williams 2006, "Gaussian Processes for Machine Learning", ch. 2 and
 * 5) with kernel k(x, x') = σf² exp(−½ Σ_d (x_d − x'_d)² / ℓ_d²) + σn² δ(x, x'). Inputs and targets are
 * standardized on the training set. Hyperparameters maximize the log marginal likelihood: a grid over
 * (ℓ, σn²) with σf² = 1, then coordinate refinement in log space over every hyperparameter (each ℓ_d
 * separately when `kernel` is 'ard').
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { applyScaling, fitScaling, mean, sd, type ColumnScaling } from './standardize.ts';
import { checkSerialized, checkTrainingData, type SerializedModel, type UncertaintyRegressor } from './types.ts';

export interface GaussianProcessOptions {
  /** 'rbf': one length scale shared by all standardized inputs; 'ard': one per input. Default 'rbf'. */
  kernel?: 'rbf' | 'ard';
  /** Length scales tried on the grid, as multiples of √d (d = number of inputs). Default 2^-4 … 2^2. */
  lengthScaleGrid?: number[];
  /** Noise variances (of the standardized target) tried on the grid. Default 1e-4 … 0.5. */
  noiseGrid?: number[];
  /** Coordinate-refinement rounds after the grid; each round halves the log-space step. Default 3. */
  refinementRounds?: number;
  /** Skip optimization and use these hyperparameters (in standardized units). */
  fixed?: GaussianProcessHyperparameters;
}

/** Kernel hyperparameters in standardized units. */
export interface GaussianProcessHyperparameters {
  lengthScales: number[];
  signalVariance: number;
  noiseVariance: number;
}

const LOG_BOUNDS = {
  lengthScale: [Math.log(1e-2), Math.log(1e3)],
  signal: [Math.log(1e-3), Math.log(1e2)],
  noise: [Math.log(1e-6), Math.log(10)],
} as const;

interface Factorization {
  /** Lower Cholesky factor, row-major. */
  L: Float64Array[];
  alpha: Float64Array;
  logMarginalLikelihood: number;
}

function sqDistScaled(a: readonly number[], b: readonly number[], invL2: readonly number[]): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) {
    const diff = (a[d] as number) - (b[d] as number);
    s += diff * diff * (invL2[d] as number);
  }
  return s;
}

function factorize(Z: readonly number[][], y: readonly number[], h: GaussianProcessHyperparameters): Factorization | null {
  const n = Z.length;
  const invL2 = h.lengthScales.map((l) => 1 / (l * l));
  const K = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    K.set(i, i, h.signalVariance + h.noiseVariance);
    for (let j = 0; j < i; j++) {
      const v = h.signalVariance * Math.exp(-0.5 * sqDistScaled(Z[i] as number[], Z[j] as number[], invL2));
      K.set(i, j, v);
      K.set(j, i, v);
    }
  }
  const chol = new CholeskyDecomposition(K);
  if (!chol.isPositiveDefinite()) return null;
  const L = chol.lowerTriangularMatrix.to2DArray().map((r) => Float64Array.from(r));
  const w = forwardSolve(L, y);
  const alpha = backSolveTransposed(L, w);
  let logDet = 0;
  let quad = 0;
  for (let i = 0; i < n; i++) {
    logDet += Math.log((L[i] as Float64Array)[i] as number);
    quad += (w[i] as number) * (w[i] as number);
  }
  const lml = -0.5 * quad - logDet - 0.5 * n * Math.log(2 * Math.PI);
  return { L, alpha, logMarginalLikelihood: lml };
}

/** Solve L w = b for lower-triangular L. */
function forwardSolve(L: readonly Float64Array[], b: ArrayLike<number>): Float64Array {
  const n = L.length;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = L[i] as Float64Array;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (row[k] as number) * (w[k] as number);
    w[i] = s / (row[i] as number);
  }
  return w;
}

/** Solve Lᵀ x = w for lower-triangular L. */
function backSolveTransposed(L: readonly Float64Array[], w: Float64Array): Float64Array {
  const n = L.length;
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = w[i] as number;
    for (let k = i + 1; k < n; k++) s -= ((L[k] as Float64Array)[i] as number) * (x[k] as number);
    x[i] = s / ((L[i] as Float64Array)[i] as number);
  }
  return x;
}

const KIND = 'gaussian-process-regressor';
const FORMAT = 1;

export class GaussianProcessRegressor implements UncertaintyRegressor {
  readonly kernel: 'rbf' | 'ard';
  readonly lengthScaleGrid: number[];
  readonly noiseGrid: number[];
  readonly refinementRounds: number;
  readonly fixed: GaussianProcessHyperparameters | null;

  hyperparameters: GaussianProcessHyperparameters | null = null;
  logMarginalLikelihood = NaN;
  private scaling: ColumnScaling | null = null;
  private yMean = 0;
  private yScale = 1;
  private Z: number[][] = [];
  private yStd: number[] = [];
  private fact: Factorization | null = null;

  constructor(options: GaussianProcessOptions = {}) {
    this.kernel = options.kernel ?? 'rbf';
    this.lengthScaleGrid = options.lengthScaleGrid ?? [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4];
    this.noiseGrid = options.noiseGrid ?? [1e-4, 1e-3, 1e-2, 0.05, 0.2, 0.5];
    this.refinementRounds = options.refinementRounds ?? 3;
    this.fixed = options.fixed ?? null;
  }

  fit(X: number[][], y: number[]): void {
    const d = checkTrainingData(X, y, 'gaussian process');
    this.scaling = fitScaling(X);
    this.Z = applyScaling(X, this.scaling);
    this.yMean = mean(y);
    const s = sd(y);
    this.yScale = s > 0 ? s : 1;
    this.yStd = y.map((v) => (v - this.yMean) / this.yScale);

    const h = this.fixed ?? this.optimize(d);
    const fact = factorize(this.Z, this.yStd, h);
    if (!fact) throw new Error('gaussian process: kernel matrix is not positive definite for the chosen hyperparameters');
    this.hyperparameters = h;
    this.fact = fact;
    this.logMarginalLikelihood = fact.logMarginalLikelihood;
  }

  private evaluate(theta: readonly number[], d: number): number {
    const f = factorize(this.Z, this.yStd, this.unpack(theta, d));
    return f ? f.logMarginalLikelihood : -Infinity;
  }

  /** θ = [log ℓ (1 or d values), log σf², log σn²]. */
  private unpack(theta: readonly number[], d: number): GaussianProcessHyperparameters {
    const nL = this.kernel === 'ard' ? d : 1;
    const ls = theta.slice(0, nL).map(Math.exp);
    return {
      lengthScales: this.kernel === 'ard' ? ls : new Array<number>(d).fill(ls[0] as number),
      signalVariance: Math.exp(theta[nL] as number),
      noiseVariance: Math.exp(theta[nL + 1] as number),
    };
  }

  private optimize(d: number): GaussianProcessHyperparameters {
    const nL = this.kernel === 'ard' ? d : 1;
    let best: number[] = [];
    let bestVal = -Infinity;
    for (const lMul of this.lengthScaleGrid) {
      for (const noise of this.noiseGrid) {
        const theta = [...new Array<number>(nL).fill(Math.log(lMul * Math.sqrt(d))), 0, Math.log(noise)];
        const v = this.evaluate(theta, d);
        if (v > bestVal) {
          bestVal = v;
          best = theta;
        }
      }
    }
    if (best.length === 0) throw new Error('gaussian process: no grid point gave a positive-definite kernel');
    const bounds = (k: number): readonly [number, number] => (k < nL ? LOG_BOUNDS.lengthScale : k === nL ? LOG_BOUNDS.signal : LOG_BOUNDS.noise);
    // Pattern search: try ± step on each coordinate, keep improvements, halve the step each round.
    let step = 1;
    for (let round = 0; round < this.refinementRounds; round++, step /= 2) {
      for (let k = 0; k < best.length; k++) {
        const [lo, hi] = bounds(k);
        for (const dir of [1, -1]) {
          let moved = true;
          // Keep walking in a direction while it helps (bounded, so a flat likelihood cannot loop forever).
          for (let walk = 0; moved && walk < 4; walk++) {
            moved = false;
            const cand = best.slice();
            cand[k] = Math.min(hi, Math.max(lo, (cand[k] as number) + dir * step));
            if (cand[k] === best[k]) break;
            const v = this.evaluate(cand, d);
            if (v > bestVal + 1e-9) {
              bestVal = v;
              best = cand;
              moved = true;
            }
          }
        }
      }
    }
    return this.unpack(best, d);
  }

  predict(X: number[][]): number[] {
    return this.predictWithStd(X).mean;
  }

  /**
   * Predictive mean and standard deviation in target units. By default the sd is that of a new observation
   * (latent variance + noise variance); pass includeNoise = false for the latent function's sd alone.
   */
  predictWithStd(X: number[][], includeNoise = true): { mean: number[]; std: number[] } {
    const h = this.hyperparameters;
    const fact = this.fact;
    const scaling = this.scaling;
    if (!h || !fact || !scaling) throw new Error('gaussian process: predict called before fit');
    const invL2 = h.lengthScales.map((l) => 1 / (l * l));
    const Zq = applyScaling(X, scaling);
    const n = this.Z.length;
    const kStar = new Float64Array(n);
    const meanOut: number[] = [];
    const stdOut: number[] = [];
    for (const z of Zq) {
      let mu = 0;
      for (let i = 0; i < n; i++) {
        const k = h.signalVariance * Math.exp(-0.5 * sqDistScaled(z, this.Z[i] as number[], invL2));
        kStar[i] = k;
        mu += k * (fact.alpha[i] as number);
      }
      const v = forwardSolve(fact.L, kStar);
      let vv = 0;
      for (let i = 0; i < n; i++) vv += (v[i] as number) * (v[i] as number);
      const latentVar = Math.max(0, h.signalVariance - vv);
      const variance = latentVar + (includeNoise ? h.noiseVariance : 0);
      meanOut.push(this.yMean + this.yScale * mu);
      stdOut.push(this.yScale * Math.sqrt(variance));
    }
    return { mean: meanOut, std: stdOut };
  }

  /**
   * The training inputs and targets are stored (a GP is defined by its data); the Cholesky factor is
   * recomputed on load with the same arithmetic, so restored predictions are bit-identical.
   */
  toJSON(): SerializedModel {
    if (!this.hyperparameters || !this.scaling) throw new Error('gaussian process: cannot serialize an unfitted model');
    return {
      kind: KIND,
      formatVersion: FORMAT,
      hyperparameters: {
        kernel: this.kernel,
        lengthScaleGrid: this.lengthScaleGrid,
        noiseGrid: this.noiseGrid,
        refinementRounds: this.refinementRounds,
        fixed: this.fixed,
      },
      state: {
        fitted: this.hyperparameters,
        logMarginalLikelihood: this.logMarginalLikelihood,
        scaling: this.scaling,
        yMean: this.yMean,
        yScale: this.yScale,
        Z: this.Z,
        yStd: this.yStd,
      },
    };
  }

  static fromJSON(obj: SerializedModel): GaussianProcessRegressor {
    checkSerialized(obj, KIND, FORMAT);
    const hp = obj.hyperparameters;
    const m = new GaussianProcessRegressor({
      kernel: hp.kernel as 'rbf' | 'ard',
      lengthScaleGrid: hp.lengthScaleGrid as number[],
      noiseGrid: hp.noiseGrid as number[],
      refinementRounds: hp.refinementRounds as number,
      ...(hp.fixed ? { fixed: hp.fixed as GaussianProcessHyperparameters } : {}),
    });
    const st = obj.state;
    m.hyperparameters = st.fitted as GaussianProcessHyperparameters;
    m.logMarginalLikelihood = st.logMarginalLikelihood as number;
    m.scaling = st.scaling as ColumnScaling;
    m.yMean = st.yMean as number;
    m.yScale = st.yScale as number;
    m.Z = st.Z as number[][];
    m.yStd = st.yStd as number[];
    const fact = factorize(m.Z, m.yStd, m.hyperparameters);
    if (!fact) throw new Error('gaussian process: stored hyperparameters give a singular kernel');
    m.fact = fact;
    return m;
  }
}
