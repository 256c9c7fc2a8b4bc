/**
 * Fitting the kinetic toxicity model to recorded exposures (least squares on ln survival) and reporting
 * what the data determine: standard errors, intervals, and the directions of parameter space they do not.
 */
import { normalQuantile } from './normal-quantile.ts';
import { symmetricEigen } from './symmetric-eigen.ts';
import { analyseDesign, type Design, type PreparedObservation } from './toxicity-design.ts';
import { LeastSquaresProblem, levenbergMarquardt, type LmResult, normalMatrix, startingPoints } from './toxicity-least-squares.ts';
import {
  type NotIdentifiedTerm,
  type ParameterKind,
  type ParameterSpec,
  parameterName,
  parametersFromValues,
  resolveExposure,
  specsFor,
  toNatural,
  TOXICITY_MODEL_FORM,
  type ToxicityIssue,
  type ToxicityKineticModel,
  ToxicityModelError,
  type ToxicityObservation,
  toxicityRate,
  validateComposition,
} from './toxicity-model.ts';

export interface FitToxicityOptions {
  /**
   * Observed survival at or below this is treated as "at most this" (left-censored: it penalizes only
   * predictions above it), because a zero viability has no logarithm and values near zero are assay
   * noise. Set it to the detection floor of your viability assay. Default 0.01.
   */
  readonly survivalFloor?: number;
  /** Parameters to hold at a given natural value, by name (`specific.exponent:glycerol`, `nonSpecific.rate`). */
  readonly fixed?: Readonly<Record<string, number>>;
  /** Confidence level of the reported parameter intervals. Default 0.95. */
  readonly level?: number;
  /** Levenberg–Marquardt iteration cap per start. Default 500. */
  readonly maxIterations?: number;
}

export type ParameterStatus =
  /** Estimated from the data, with a standard error. */
  | 'estimated'
  /** Estimated, but at a numerical bound (a rate driven to ~0): no standard error. */
  | 'atBound'
  /** Free in the fit, but the data do not determine it (a null direction of the Fisher information). */
  | 'notDetermined'
  /** Not estimable from the design of the data; held at `fixedAt` and listed in `notIdentified`. */
  | 'notIdentified'
  /** Held by the caller (`options.fixed`). */
  | 'fixedByUser';

export interface FittedParameter {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly cpa?: string;
  readonly cpas?: readonly [string, string];
  readonly value: number;
  readonly standardError: number | null;
  readonly interval: { readonly lower: number; readonly upper: number } | null;
  readonly status: ParameterStatus;
}

export interface ObservationResidual {
  readonly index: number;
  readonly observed: number;
  readonly predicted: number;
  /** ln(observed) − ln(predicted), the quantity least squares minimizes; 0 for a censored observation predicted at or below the floor. */
  readonly logResidual: number;
  readonly weight: number;
}

export interface ToxicityFit {
  readonly model: ToxicityKineticModel;
  readonly parameters: readonly FittedParameter[];
  readonly residuals: readonly ObservationResidual[];
  /** Weighted residual sum of squares of ln(survival). */
  readonly rss: number;
  readonly residualStandardDeviation: number;
  readonly degreesOfFreedom: number;
  readonly observations: number;
  readonly notIdentified: readonly NotIdentifiedTerm[];
  readonly converged: boolean;
  readonly iterations: number;
  readonly level: number;
  /** Observations at or below `survivalFloor`, fitted as "survival ≤ floor" (left-censored). */
  readonly flooredObservations: readonly number[];
}

/** Fits the kinetic model to recorded exposures by Levenberg–Marquardt on ln(survival). Deterministic. */
export function fitToxicityModel(observations: readonly ToxicityObservation[], options: FitToxicityOptions = {}): ToxicityFit {
  const issues: ToxicityIssue[] = [];
  const floor = options.survivalFloor ?? 0.01;
  const level = options.level ?? 0.95;
  const maxIterations = options.maxIterations ?? 500;
  if (!(floor > 0 && floor < 1)) issues.push({ field: 'options.survivalFloor', message: 'must be in (0, 1)' });
  if (!(level > 0 && level < 1)) issues.push({ field: 'options.level', message: 'must be in (0, 1)' });
  if (!Number.isInteger(maxIterations) || maxIterations < 1) issues.push({ field: 'options.maxIterations', message: 'must be a positive integer' });
  if (!Array.isArray(observations) || observations.length === 0) {
    issues.push({ field: 'observations', message: 'at least one observation is required' });
    throw new ToxicityModelError(issues);
  }

  const prepared: PreparedObservation[] = [];
  const floored: number[] = [];
  observations.forEach((obs, n) => {
    const field = `observations[${n}]`;
    const before = issues.length;
    if (!validateComposition(obs?.composition, `${field}.composition`, issues)) return;
    const steps = resolveExposure(obs.composition, obs.exposure, `${field}.exposure`, issues);
    if (typeof obs.survival !== 'number' || !Number.isFinite(obs.survival) || obs.survival < 0) {
      issues.push({ field: `${field}.survival`, message: 'must be a finite fraction ≥ 0 (viability normalized to control)' });
    }
    const weight = obs.weight ?? 1;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) issues.push({ field: `${field}.weight`, message: 'must be a finite number > 0' });
    if (issues.length > before) return;
    const censored = obs.survival <= floor;
    if (censored) floored.push(n);
    prepared.push({ steps, y: Math.log(Math.max(obs.survival, floor)), sqrtWeight: Math.sqrt(weight), weight, observed: obs.survival, censored });
  });
  if (issues.length > 0) throw new ToxicityModelError(issues);

  const design = analyseDesign(prepared);
  const fixedByUser = options.fixed ?? {};
  const specs = specsFor(design.cpas, design.pairs);
  const knownNames = new Set(specs.map((s) => s.name));
  for (const [name, value] of Object.entries(fixedByUser)) {
    if (!knownNames.has(name)) issues.push({ field: `options.fixed.${name}`, message: `no such parameter; known: ${[...knownNames].join(', ')}` });
    else if (!Number.isFinite(value)) issues.push({ field: `options.fixed.${name}`, message: 'must be a finite number' });
    else {
      const spec = specs.find((s) => s.name === name)!;
      if (spec.transform === 'log' && !(value > 0)) issues.push({ field: `options.fixed.${name}`, message: 'rates and exponents must be > 0' });
    }
  }
  if (issues.length > 0) throw new ToxicityModelError(issues);

  // Each parameter is free, fixed by the user, or fixed because the design cannot identify it.
  const structural = new Map(design.notIdentified.filter((t) => t.fixedAt !== null).map((t) => [t.parameter, t]));
  const fixedInternal = new Map<number, number>();
  specs.forEach((spec, j) => {
    const user = fixedByUser[spec.name];
    if (user !== undefined) fixedInternal.set(j, spec.transform === 'log' ? Math.log(user) : user);
    else {
      const s = structural.get(spec.name);
      // ln 0 = −∞ maps back to exactly 0.
      if (s) fixedInternal.set(j, spec.transform === 'log' ? Math.log(s.fixedAt!) : s.fixedAt!);
    }
  });
  const free = specs.map((_, j) => j).filter((j) => !fixedInternal.has(j));
  if (prepared.length <= free.length) {
    throw new ToxicityModelError([
      {
        field: 'observations',
        message: `${prepared.length} observation(s) for ${free.length} free parameter(s): at least ${free.length + 1} are needed (fix parameters with options.fixed, or record more exposures)`,
      },
    ]);
  }

  const problem = new LeastSquaresProblem(design.cpas, specs, free, fixedInternal, prepared);
  let best: LmResult | null = null;
  for (const start of startingPoints(problem, design)) {
    const result = levenbergMarquardt(problem, start, maxIterations);
    if (best === null || result.rss < best.rss - 1e-12 * (1 + best.rss)) best = result;
  }
  const fit = best!;
  return summarize(problem, design, fit, { level, floored, prepared, userFixed: new Set(Object.keys(fixedByUser)) });
}

function summarize(
  problem: LeastSquaresProblem,
  design: Design,
  fit: LmResult,
  context: { level: number; floored: number[]; prepared: readonly PreparedObservation[]; userFixed: ReadonlySet<string> },
): ToxicityFit {
  const { specs, free } = problem;
  const n = problem.observations.length;
  const dof = n - free.length;
  const sigma2 = fit.rss / dof;
  const { r, jacobian } = problem.evaluate(fit.theta, true);

  // Parameters driven to a bound carry no standard error and are treated as known for the covariance.
  const atBound = free.map((j, f) => {
    const spec = specs[j]!;
    const t = fit.theta[f]!;
    return spec.transform === 'log' && (t <= spec.lower + 1e-6 || t >= spec.upper - 1e-6);
  });
  // An exponent whose rate collapsed to ~0 has no information at all: not determined, not in the covariance.
  const rateOf = (spec: ParameterSpec): string | null =>
    spec.kind === 'specificExponent' ? parameterName('specificRate', spec.cpa) : spec.kind === 'nonSpecificExponent' ? parameterName('nonSpecificRate') : null;
  const collapsedRate = (name: string): boolean => {
    const j = specs.findIndex((s) => s.name === name);
    const f = free.indexOf(j);
    return f >= 0 ? fit.theta[f]! <= specs[j]!.lower + 1e-6 : !(toNatural(specs[j]!, problem.fixedInternal.get(j)!) > 0);
  };
  const orphaned = free.map((j) => {
    const rate = rateOf(specs[j]!);
    return rate !== null && collapsedRate(rate);
  });
  const active = free.map((_, f) => f).filter((f) => !atBound[f] && !orphaned[f]);
  const fisher = normalMatrix(jacobian.map((row) => active.map((f) => row[f]!)));
  const scales = fisher.map((row, i) => Math.sqrt(row[i]!));
  const { covariance, nullDirections, undetermined } = pseudoInverseCovariance(fisher, scales, sigma2);

  const z = normalQuantile(0.5 + context.level / 2);
  const natural = specs.map((spec, j) => {
    const f = free.indexOf(j);
    const internal = f >= 0 ? fit.theta[f]! : problem.fixedInternal.get(j)!;
    return toNatural(spec, internal);
  });
  const structural = new Map(design.notIdentified.map((t) => [t.parameter, t]));
  const parameters: FittedParameter[] = specs.map((spec, j) => {
    const base = {
      name: spec.name,
      kind: spec.kind,
      ...(spec.cpa !== undefined ? { cpa: spec.cpa } : {}),
      ...(spec.pair !== undefined ? { cpas: spec.pair } : {}),
      value: natural[j]!,
    };
    const f = free.indexOf(j);
    if (f < 0) {
      const status: ParameterStatus = context.userFixed.has(spec.name) || !structural.has(spec.name) ? 'fixedByUser' : 'notIdentified';
      return { ...base, standardError: null, interval: null, status };
    }
    const collapsed = (spec.kind === 'specificRate' || spec.kind === 'nonSpecificRate') && fit.theta[f]! <= spec.lower + 1e-6;
    if (orphaned[f]) return { ...base, standardError: null, interval: null, status: 'notDetermined' };
    if (atBound[f]) return { ...base, value: collapsed ? 0 : base.value, standardError: null, interval: null, status: 'atBound' };
    const a = active.indexOf(f);
    if (undetermined[a]) return { ...base, standardError: null, interval: null, status: 'notDetermined' };
    const seInternal = Math.sqrt(Math.max(covariance[a]![a]!, 0));
    const t = fit.theta[f]!;
    const standardError = spec.transform === 'log' ? base.value * seInternal : seInternal;
    const interval = { lower: toNatural(spec, t - z * seInternal), upper: toNatural(spec, t + z * seInternal) };
    return { ...base, standardError, interval, status: 'estimated' };
  });

  // Bound rates are reported and used as exactly 0 so the model does not carry a 1e-10 artefact.
  const modelValues = parameters.map((p) => p.value);
  const activeSpecs = active.map((f) => specs[free[f]!]!);
  const model: ToxicityKineticModel = {
    form: TOXICITY_MODEL_FORM,
    cpas: design.cpas,
    parameters: parametersFromValues(design.cpas, specs, modelValues),
    uncertainty: {
      parameterNames: activeSpecs.map((s) => s.name),
      transforms: activeSpecs.map((s) => s.transform),
      covariance,
      scales,
      nullDirections,
      residualStandardDeviation: Math.sqrt(sigma2),
      degreesOfFreedom: dof,
    },
    notIdentified: design.notIdentified,
    domain: design.domain,
  };
  const fitted = problem.parameters(fit.theta);
  const hazards = problem.observations.map((obs) => obs.steps.reduce((h, step) => h + step.minutes * toxicityRate(fitted, step.composition), 0));
  const residuals: ObservationResidual[] = problem.observations.map((obs, i) => {
    const lnPredicted = -hazards[i]!;
    return { index: i, observed: obs.observed, predicted: Math.exp(lnPredicted), logResidual: r[i]! / obs.sqrtWeight, weight: obs.weight };
  });
  return {
    model,
    parameters,
    residuals,
    rss: fit.rss,
    residualStandardDeviation: Math.sqrt(sigma2),
    degreesOfFreedom: dof,
    observations: n,
    notIdentified: design.notIdentified,
    converged: fit.converged,
    iterations: fit.iterations,
    level: context.level,
    flooredObservations: context.floored,
  };
}

// Eigenvalues of the scaled Fisher information below this fraction of the largest are treated as zero:
// the data carry no information along that direction (relative precision of ~1e-5 in the parameters).
const NULL_EIGENVALUE_RATIO = 1e-10;
// A parameter whose squared loading on the null space reaches this is reported as not determined.
const NULL_LOADING = 0.1;

function pseudoInverseCovariance(
  fisher: readonly (readonly number[])[],
  scales: readonly number[],
  sigma2: number,
): { covariance: number[][]; nullDirections: number[][]; undetermined: boolean[] } {
  const p = fisher.length;
  const zeroColumn = scales.map((s) => !(s > 0));
  const scaled = fisher.map((row, i) => row.map((v, j) => (zeroColumn[i] || zeroColumn[j] ? 0 : v / (scales[i]! * scales[j]!))));
  const { values, vectors } = symmetricEigen(scaled);
  const maxValue = Math.max(...values, 0);
  const covariance = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const nullDirections: number[][] = [];
  values.forEach((lambda, k) => {
    const v = vectors.map((row) => row[k]!);
    if (!(lambda > NULL_EIGENVALUE_RATIO * maxValue)) {
      nullDirections.push(v);
      return;
    }
    for (let i = 0; i < p; i++) {
      if (zeroColumn[i]) continue;
      for (let j = 0; j < p; j++) {
        if (zeroColumn[j]) continue;
        covariance[i]![j]! += (sigma2 * v[i]! * v[j]!) / (lambda * scales[i]! * scales[j]!);
      }
    }
  });
  const undetermined = Array.from({ length: p }, (_, i) => zeroColumn[i]! || nullDirections.reduce((s, v) => s + v[i]! * v[i]!, 0) >= NULL_LOADING);
  return { covariance, nullDirections, undetermined };
}
