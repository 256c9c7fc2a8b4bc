/**
 * The weighted least-squares problem of the kinetic toxicity fit, its Levenberg–Marquardt solver and the
 * deterministic starting points.
 */
import { boundedLeastSquares } from './bounded-least-squares.ts';
import { solveLinearSystem, SingularSystemError } from './linear-system.ts';
import { type Design, median, type PreparedObservation } from './toxicity-design.ts';
import { type ParameterKind, type ParameterSpec, parametersFromValues, toNatural, type ToxicityParameters } from './toxicity-model.ts';

/** One exposure step as dense arrays over the model's CPAs. */
interface CompiledStep {
  readonly minutes: number;
  /** Molality per model CPA (index into `cpas`), its logarithm (unused where 0), total and its log. */
  readonly molality: Float64Array;
  readonly logMolality: Float64Array;
  readonly total: number;
  readonly logTotal: number;
}

/**
 * The weighted least-squares problem in the free internal coordinates. Steps are compiled to dense
 * arrays once, because the optimizer evaluates them thousands of times.
 */
export class LeastSquaresProblem {
  private readonly compiled: readonly (readonly CompiledStep[])[];
  private readonly rateSpec: Int32Array;
  private readonly exponentSpec: Int32Array;
  private readonly nonSpecificRateSpec: number;
  private readonly nonSpecificExponentSpec: number;
  private readonly interactionSpecs: readonly { readonly j: number; readonly a: number; readonly b: number }[];

  constructor(
    readonly cpas: readonly string[],
    readonly specs: readonly ParameterSpec[],
    readonly free: readonly number[],
    readonly fixedInternal: ReadonlyMap<number, number>,
    readonly observations: readonly PreparedObservation[],
  ) {
    const index = new Map(cpas.map((c, i) => [c, i]));
    this.compiled = observations.map((obs) =>
      obs.steps.map((step) => {
        const molality = new Float64Array(cpas.length);
        const logMolality = new Float64Array(cpas.length);
        let total = 0;
        for (const [key, c] of Object.entries(step.composition)) {
          total += c;
          const i = index.get(key);
          if (i !== undefined && c > 0) {
            molality[i] = c;
            logMolality[i] = Math.log(c);
          }
        }
        return { minutes: step.minutes, molality, logMolality, total, logTotal: total > 0 ? Math.log(total) : 0 };
      }),
    );
    const find = (kind: ParameterKind, cpa?: string): number => specs.findIndex((s) => s.kind === kind && s.cpa === cpa);
    this.rateSpec = Int32Array.from(cpas.map((c) => find('specificRate', c)));
    this.exponentSpec = Int32Array.from(cpas.map((c) => find('specificExponent', c)));
    this.nonSpecificRateSpec = find('nonSpecificRate');
    this.nonSpecificExponentSpec = find('nonSpecificExponent');
    this.interactionSpecs = specs.flatMap((s, j) => (s.kind === 'interaction' ? [{ j, a: index.get(s.pair![0])!, b: index.get(s.pair![1])! }] : []));
  }

  internalVector(freeValues: readonly number[]): number[] {
    const theta = this.specs.map((_, j) => this.fixedInternal.get(j) ?? 0);
    this.free.forEach((j, f) => (theta[j] = freeValues[f]!));
    return theta;
  }

  parameters(freeValues: readonly number[]): ToxicityParameters {
    const theta = this.internalVector(freeValues);
    return parametersFromValues(this.cpas, this.specs, theta.map((t, j) => toNatural(this.specs[j]!, t)));
  }

  clamp(freeValues: readonly number[]): number[] {
    return freeValues.map((v, f) => {
      const spec = this.specs[this.free[f]!]!;
      return Math.min(spec.upper, Math.max(spec.lower, v));
    });
  }

  /**
   * Cumulative hazard of each observation at the given natural parameter values and, when `gradients` is
   * given, ∂H/∂(internal coordinate of every spec) into it (one row per observation). Same law as
   * `rawRate`/`rateGradient`, on the compiled steps.
   */
  hazards(natural: Float64Array, gradients?: Float64Array[]): Float64Array {
    const out = new Float64Array(this.compiled.length);
    const n = this.cpas.length;
    const terms = new Float64Array(n);
    const bRate = natural[this.nonSpecificRateSpec]!;
    const bExponent = natural[this.nonSpecificExponentSpec]!;
    this.compiled.forEach((steps, o) => {
      const grad = gradients?.[o];
      grad?.fill(0);
      let h = 0;
      for (const step of steps) {
        let k = 0;
        for (let i = 0; i < n; i++) {
          const c = step.molality[i]!;
          terms[i] = c > 0 ? natural[this.rateSpec[i]!]! * Math.exp(natural[this.exponentSpec[i]!]! * step.logMolality[i]!) : 0;
          k += terms[i]!;
        }
        const nonSpecific = step.total > 0 ? bRate * Math.exp(bExponent * step.logTotal) : 0;
        k += nonSpecific;
        for (const { j, a, b } of this.interactionSpecs) k += natural[j]! * step.molality[a]! * step.molality[b]!;
        if (k <= 0) continue; // clamped at zero: no hazard, no gradient
        h += step.minutes * k;
        if (grad === undefined) continue;
        const m = step.minutes;
        for (let i = 0; i < n; i++) {
          if (terms[i] === 0) continue;
          grad[this.rateSpec[i]!]! += m * terms[i]!;
          grad[this.exponentSpec[i]!]! += m * terms[i]! * step.logMolality[i]! * natural[this.exponentSpec[i]!]!;
        }
        if (nonSpecific > 0) {
          grad[this.nonSpecificRateSpec]! += m * nonSpecific;
          grad[this.nonSpecificExponentSpec]! += m * nonSpecific * step.logTotal * bExponent;
        }
        for (const { j, a, b } of this.interactionSpecs) grad[j]! += m * step.molality[a]! * step.molality[b]!;
      }
      out[o] = h;
    });
    return out;
  }

  naturalValues(freeValues: readonly number[]): Float64Array {
    return Float64Array.from(this.internalVector(freeValues), (t, j) => toNatural(this.specs[j]!, t));
  }

  /**
   * Residuals r_n = √w_n (y_n + H_n) and Jacobian ∂r_n/∂θ_free. A censored observation only says
   * S ≤ floor, so it contributes nothing while the prediction is at or below the floor.
   */
  evaluate(freeValues: readonly number[], withJacobian: boolean): { r: number[]; jacobian: number[][] } {
    const gradients = withJacobian ? this.observations.map(() => new Float64Array(this.specs.length)) : undefined;
    const h = this.hazards(this.naturalValues(freeValues), gradients);
    const r: number[] = [];
    const jacobian: number[][] = [];
    this.observations.forEach((obs, n) => {
      const satisfied = obs.censored && obs.y + h[n]! >= 0;
      r.push(satisfied ? 0 : obs.sqrtWeight * (obs.y + h[n]!));
      if (gradients) jacobian.push(this.free.map((j) => (satisfied ? 0 : gradients[n]![j]! * obs.sqrtWeight)));
    });
    return { r, jacobian };
  }
}

const sumSquares = (r: readonly number[]): number => r.reduce((s, v) => s + v * v, 0);

export interface LmResult {
  readonly theta: number[];
  readonly rss: number;
  readonly converged: boolean;
  readonly iterations: number;
}

export function levenbergMarquardt(problem: LeastSquaresProblem, start: readonly number[], maxIterations: number): LmResult {
  let theta = problem.clamp(start);
  let { r, jacobian } = problem.evaluate(theta, true);
  let rss = sumSquares(r);
  let lambda = 1e-3;
  const p = theta.length;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const a = normalMatrix(jacobian);
    const g = new Array<number>(p).fill(0);
    jacobian.forEach((row, n) => row.forEach((v, f) => (g[f]! += v * r[n]!)));
    const maxDiag = Math.max(...a.map((row, f) => row[f]!), 1e-300);
    let improved = false;
    while (lambda <= 1e16) {
      const damped = a.map((row, f) => row.map((v, c) => (c === f ? v + lambda * Math.max(v, 1e-12 * maxDiag) : v)));
      let step: number[];
      try {
        step = solveLinearSystem(damped, g.map((v) => -v));
      } catch (error) {
        if (!(error instanceof SingularSystemError)) throw error;
        lambda *= 10;
        continue;
      }
      const candidate = problem.clamp(theta.map((t, f) => t + step[f]!));
      const trial = problem.evaluate(candidate, false);
      const trialRss = sumSquares(trial.r);
      if (Number.isFinite(trialRss) && trialRss < rss) {
        const moved = Math.max(...candidate.map((c, f) => Math.abs(c - theta[f]!)));
        const drop = rss - trialRss;
        theta = candidate;
        ({ r, jacobian } = problem.evaluate(theta, true));
        rss = trialRss;
        lambda = Math.max(lambda / 3, 1e-12);
        improved = true;
        if (drop <= 1e-14 * (1 + rss) || moved < 1e-10) return { theta, rss, converged: true, iterations: iteration };
        break;
      }
      lambda *= 4;
    }
    // No downhill step at any damping: a (possibly constrained) minimum.
    if (!improved) return { theta, rss, converged: true, iterations: iteration };
  }
  return { theta, rss, converged: false, iterations: maxIterations };
}

export function normalMatrix(jacobian: readonly (readonly number[])[]): number[][] {
  const p = jacobian[0]?.length ?? 0;
  const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const row of jacobian) {
    for (let i = 0; i < p; i++) {
      const ri = row[i]!;
      if (ri === 0) continue;
      for (let j = 0; j < p; j++) a[i]![j]! += ri * row[j]!;
    }
  }
  return a;
}

/**
 * Deterministic starts. The first comes from variable projection: for fixed exponents, H is linear in the
 * rates and interaction coefficients, so those are solved exactly (rates ≥ 0) while the exponents are set
 * by a coordinate search over a grid. Plain log-scale starts alone get caught where a rate has collapsed
 * toward zero (its log-gradient vanishes there). The others: exponents 1 and 2 for the specific terms,
 * 1.5 and 3 for the non-specific term.
 */
export function startingPoints(problem: LeastSquaresProblem, design: Design): number[][] {
  return [variableProjectionStart(problem), ...gridStarts(problem, design)];
}

const EXPONENT_GRID = [0.5, 1, 1.5, 2, 2.5, 3, 4];

function variableProjectionStart(problem: LeastSquaresProblem): number[] {
  const { specs, free } = problem;
  const exponents = new Map<number, number>();
  for (const j of free) if (specs[j]!.kind === 'specificExponent' || specs[j]!.kind === 'nonSpecificExponent') exponents.set(j, 1);
  const linear = free.filter((j) => !exponents.has(j));
  const solveFor = (candidate: ReadonlyMap<number, number>): { coefficients: number[]; rss: number } => {
    const theta = specs.map((spec, j) => {
      const e = candidate.get(j);
      if (e !== undefined) return Math.log(e);
      if (linear.includes(j)) return spec.transform === 'log' ? 0 : 1; // unit coefficient: H column = its term
      return problem.fixedInternal.get(j)!;
    });
    // Columns: ∂H/∂(each linear parameter) at unit value, which is its term; offset: the fixed terms.
    const unit = Float64Array.from(theta, (t, j) => toNatural(specs[j]!, t));
    const gradients = problem.observations.map(() => new Float64Array(specs.length));
    problem.hazards(unit, gradients);
    const offsetValues = Float64Array.from(unit, (v, j) => (linear.includes(j) ? 0 : v));
    const offsets = problem.hazards(offsetValues);
    const columns = linear.map((j) => problem.observations.map((obs, n) => gradients[n]![j]! * obs.sqrtWeight));
    const target = problem.observations.map((obs, n) => -obs.sqrtWeight * (obs.y + offsets[n]!));
    const coefficients = boundedLeastSquares(columns, target, linear.map((j) => specs[j]!.transform === 'log'));
    const rss = target.reduce((sum, t, n) => sum + (t - columns.reduce((s, col, l) => s + col[n]! * coefficients[l]!, 0)) ** 2, 0);
    return { coefficients, rss };
  };
  let best = solveFor(exponents);
  // Coarse grid first, then two finer passes around the current values.
  const grids: ((current: number) => number[])[] = [
    () => EXPONENT_GRID,
    (current) => [current - 0.25, current + 0.25],
    (current) => [current - 0.125, current + 0.125],
  ];
  for (let sweep = 0; sweep < 5; sweep++) {
    let changed = false;
    for (const j of exponents.keys()) {
      for (const value of grids[Math.min(sweep, grids.length - 1)]!(exponents.get(j)!).filter((v) => v >= 0.1)) {
        if (value === exponents.get(j)) continue;
        const candidate = new Map(exponents).set(j, value);
        const result = solveFor(candidate);
        if (result.rss < best.rss * (1 - 1e-9)) {
          best = result;
          exponents.set(j, value);
          changed = true;
        }
      }
    }
    if (!changed && sweep >= grids.length - 1) break;
  }
  return free.map((j) => {
    const e = exponents.get(j);
    if (e !== undefined) return Math.log(e);
    const c = best.coefficients[linear.indexOf(j)]!;
    return specs[j]!.transform === 'log' ? Math.log(Math.max(c, 1e-9)) : c;
  });
}

function gridStarts(problem: LeastSquaresProblem, design: Design): number[][] {
  // Scale of the rate: median observed ln-loss per (total molality × minute).
  const ratios = problem.observations
    .map((obs) => {
      const dose = obs.steps.reduce((d, s) => d + s.minutes * Object.values(s.composition).reduce((t, c) => t + c, 0), 0);
      return dose > 0 ? Math.max(-obs.y, 1e-6) / dose : Number.NaN;
    })
    .filter((v) => Number.isFinite(v));
  const scale = Math.max(ratios.length > 0 ? median(ratios) : 1e-3, 1e-8);
  const starts: number[][] = [];
  for (const p0 of [1, 2]) {
    for (const q0 of [1.5, 3]) {
      starts.push(
        problem.free.map((j) => {
          const spec = problem.specs[j]!;
          switch (spec.kind) {
            case 'specificRate':
              return Math.log((scale / 2) * Math.pow(design.typicalMolality[spec.cpa!]!, 1 - p0));
            case 'specificExponent':
              return Math.log(p0);
            case 'nonSpecificRate':
              return Math.log((scale / 2) * Math.pow(design.domain.maxTotalMolality / 2, 1 - q0));
            case 'nonSpecificExponent':
              return Math.log(q0);
            case 'interaction':
              return 0;
          }
        }),
      );
    }
  }
  return starts;
}
