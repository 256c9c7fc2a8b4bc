/**
 * Core of the kinetic CPA toxicity model: the plain-data types, parameter naming, the rate law k(c) and
 * the exact integration of piecewise-constant exposures. The functional form, its sources and units are
 * documented at the public entry point, toxicity-kinetics.ts:
 *
 *   k(c) = max(0, Σ_i a_i·c_i^p_i  +  b·T^q  +  Σ_{i<j} g_ij·c_i·c_j),      T = Σ_i c_i,      S = exp(−∫k dt)
 */

/** Identifies this functional form in stored models, so a later form is never mistaken for it. */
export const TOXICITY_MODEL_FORM = 'cryoprotect-kinetic-v1';

/** Molality (mol per kg water) of each CPA, keyed by the caller's CPA key (e.g. an InChIKey or a name). */
export type CpaComposition = Readonly<Record<string, number>>;

export interface ExposureStep {
  readonly minutes: number;
  /** Composition held during this step; omitted → the observation's (or prediction's) composition. */
  readonly composition?: CpaComposition;
}

/** A single duration (minutes at the given composition) or a list of piecewise-constant steps. */
export type Exposure = number | readonly ExposureStep[];

export interface ToxicityObservation {
  readonly composition: CpaComposition;
  readonly exposure: Exposure;
  /** Viability normalized to the untreated control (fraction; values slightly above 1 are noise and kept). */
  readonly survival: number;
  /** Relative weight of this observation in the least-squares fit (default 1). */
  readonly weight?: number;
}

export interface SpecificTerm {
  /** a_i, min⁻¹ at 1 mol/kg. */
  readonly rate: number;
  /** p_i, dimensionless. */
  readonly exponent: number;
}

export interface InteractionTerm {
  /** The two CPA keys, in sorted order. */
  readonly cpas: readonly [string, string];
  /** g_ij, min⁻¹ per (mol/kg)²; negative values reduce toxicity (neutralization). */
  readonly coefficient: number;
}

export interface ToxicityParameters {
  readonly specific: Readonly<Record<string, SpecificTerm>>;
  readonly nonSpecific: SpecificTerm;
  readonly interactions: readonly InteractionTerm[];
}

export type ParameterTransform = 'log' | 'identity';

/** What the fit learned about parameter uncertainty, in the internal (log or identity) coordinates. */
export interface ParameterUncertainty {
  /** Names of the estimated parameters, in covariance order (see `parameterName`). */
  readonly parameterNames: readonly string[];
  readonly transforms: readonly ParameterTransform[];
  /** Covariance of the internal coordinates (pseudo-inverse over the identified directions). */
  readonly covariance: readonly (readonly number[])[];
  /** √diag(JᵀWJ): the scaling under which `nullDirections` were computed. */
  readonly scales: readonly number[];
  /** Unit vectors (scaled coordinates) along which the data do not determine the parameters. */
  readonly nullDirections: readonly (readonly number[])[];
  /** Residual standard deviation of ln(survival) at weight 1. */
  readonly residualStandardDeviation: number;
  readonly degreesOfFreedom: number;
}

export interface NotIdentifiedTerm {
  readonly parameter: string;
  readonly reason: string;
  /** The value used in the model, or null when the CPA is left out of the model altogether. */
  readonly fixedAt: number | null;
}

export interface ModelDomain {
  /** Highest molality of each CPA seen in the training exposures. */
  readonly maxMolality: Readonly<Record<string, number>>;
  readonly maxTotalMolality: number;
  /** Longest total exposure seen (minutes). */
  readonly maxMinutes: number;
  /** CPA pairs seen together ("a|b", sorted). */
  readonly pairsSeen: readonly string[];
}

/** A fitted (or hand-built) model. Plain data: it serializes to JSON unchanged. */
export interface ToxicityKineticModel {
  readonly form: typeof TOXICITY_MODEL_FORM;
  readonly cpas: readonly string[];
  readonly parameters: ToxicityParameters;
  readonly uncertainty: ParameterUncertainty | null;
  readonly notIdentified: readonly NotIdentifiedTerm[];
  readonly domain: ModelDomain | null;
}

export interface ToxicityIssue {
  /** Dotted path of the offending input (`observations[3].survival`, `composition.glycerol`). */
  readonly field: string;
  readonly message: string;
}

/** Bad input to the toxicity model; `issues` name the fields, so an API can answer 422. */
export class ToxicityModelError extends Error {
  readonly issues: readonly ToxicityIssue[];
  constructor(issues: readonly ToxicityIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; ') || 'Invalid toxicity model input');
    this.name = 'ToxicityModelError';
    this.issues = issues;
  }
}

// ---------------------------------------------------------------------------------------------------
// Parameter naming and the rate law

export type ParameterKind = 'specificRate' | 'specificExponent' | 'nonSpecificRate' | 'nonSpecificExponent' | 'interaction';

export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Stable parameter names used in fit results, `fixed` options and the covariance. */
export function parameterName(kind: ParameterKind, cpa?: string, other?: string): string {
  switch (kind) {
    case 'specificRate':
      return `specific.rate:${cpa}`;
    case 'specificExponent':
      return `specific.exponent:${cpa}`;
    case 'nonSpecificRate':
      return 'nonSpecific.rate';
    case 'nonSpecificExponent':
      return 'nonSpecific.exponent';
    case 'interaction':
      return `interaction:${pairKey(cpa ?? '', other ?? '')}`;
  }
}

/** One parameter of the model and its internal (fitted) coordinate. */
export interface ParameterSpec {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly cpa?: string;
  readonly pair?: readonly [string, string];
  readonly transform: ParameterTransform;
  /** Bounds of the internal coordinate; numerical safeguards, not physical claims. */
  readonly lower: number;
  readonly upper: number;
}

// Rates below 1e-10 min⁻¹ (one log-unit of survival in ~19,000 years) are indistinguishable from zero.
const RATE_BOUNDS = [Math.log(1e-10), Math.log(1e4)] as const;
const EXPONENT_BOUNDS = [Math.log(0.05), Math.log(20)] as const;
const INTERACTION_BOUND = 1e4;

export function specsFor(cpas: readonly string[], pairs: readonly (readonly [string, string])[]): ParameterSpec[] {
  const specs: ParameterSpec[] = [];
  for (const cpa of cpas) {
    specs.push({ name: parameterName('specificRate', cpa), kind: 'specificRate', cpa, transform: 'log', lower: RATE_BOUNDS[0], upper: RATE_BOUNDS[1] });
    specs.push({ name: parameterName('specificExponent', cpa), kind: 'specificExponent', cpa, transform: 'log', lower: EXPONENT_BOUNDS[0], upper: EXPONENT_BOUNDS[1] });
  }
  specs.push({ name: parameterName('nonSpecificRate'), kind: 'nonSpecificRate', transform: 'log', lower: RATE_BOUNDS[0], upper: RATE_BOUNDS[1] });
  specs.push({ name: parameterName('nonSpecificExponent'), kind: 'nonSpecificExponent', transform: 'log', lower: EXPONENT_BOUNDS[0], upper: EXPONENT_BOUNDS[1] });
  for (const [a, b] of pairs) {
    specs.push({ name: parameterName('interaction', a, b), kind: 'interaction', pair: [a, b], transform: 'identity', lower: -INTERACTION_BOUND, upper: INTERACTION_BOUND });
  }
  return specs;
}

export const toNatural = (spec: { transform: ParameterTransform }, internal: number): number =>
  spec.transform === 'log' ? Math.exp(internal) : internal;

export function parametersFromValues(cpas: readonly string[], specs: readonly ParameterSpec[], natural: readonly number[]): ToxicityParameters {
  const specific: Record<string, { rate: number; exponent: number }> = {};
  for (const cpa of cpas) specific[cpa] = { rate: 0, exponent: 1 };
  const nonSpecific = { rate: 0, exponent: 1 };
  const interactions: InteractionTerm[] = [];
  specs.forEach((spec, j) => {
    const v = natural[j]!;
    if (spec.kind === 'specificRate') specific[spec.cpa!]!.rate = v;
    else if (spec.kind === 'specificExponent') specific[spec.cpa!]!.exponent = v;
    else if (spec.kind === 'nonSpecificRate') nonSpecific.rate = v;
    else if (spec.kind === 'nonSpecificExponent') nonSpecific.exponent = v;
    else interactions.push({ cpas: spec.pair as [string, string], coefficient: v });
  });
  return { specific, nonSpecific, interactions };
}

const power = (c: number, p: number): number => (c > 0 ? Math.pow(c, p) : 0);

/** Toxicity rate k (min⁻¹) of one composition. Unknown CPAs must have been rejected by the caller. */
export function toxicityRate(parameters: ToxicityParameters, composition: CpaComposition): number {
  return Math.max(0, rawRate(parameters, composition));
}

function rawRate(parameters: ToxicityParameters, composition: CpaComposition): number {
  let k = 0;
  let total = 0;
  for (const [cpa, c] of Object.entries(composition)) {
    total += c;
    const term = parameters.specific[cpa];
    if (term) k += term.rate * power(c, term.exponent);
  }
  k += parameters.nonSpecific.rate * power(total, parameters.nonSpecific.exponent);
  for (const { cpas: [a, b], coefficient } of parameters.interactions) {
    k += coefficient * (composition[a] ?? 0) * (composition[b] ?? 0);
  }
  return k;
}

/** ∂k/∂(internal coordinate) for each spec; zero where the rate is clamped at 0. */
export function rateGradient(parameters: ToxicityParameters, specs: readonly ParameterSpec[], composition: CpaComposition): number[] {
  if (rawRate(parameters, composition) < 0) return specs.map(() => 0);
  let total = 0;
  for (const c of Object.values(composition)) total += c;
  return specs.map((spec) => {
    switch (spec.kind) {
      case 'specificRate': {
        const t = parameters.specific[spec.cpa!]!;
        return t.rate * power(composition[spec.cpa!] ?? 0, t.exponent);
      }
      case 'specificExponent': {
        const t = parameters.specific[spec.cpa!]!;
        const c = composition[spec.cpa!] ?? 0;
        return c > 0 ? t.rate * Math.pow(c, t.exponent) * Math.log(c) * t.exponent : 0;
      }
      case 'nonSpecificRate':
        return parameters.nonSpecific.rate * power(total, parameters.nonSpecific.exponent);
      case 'nonSpecificExponent': {
        const { rate, exponent } = parameters.nonSpecific;
        return total > 0 ? rate * Math.pow(total, exponent) * Math.log(total) * exponent : 0;
      }
      case 'interaction':
        return (composition[spec.pair![0]] ?? 0) * (composition[spec.pair![1]] ?? 0);
    }
  });
}

/** The inverse of `parameterName`, for parameters named in a stored model's uncertainty (bounds are not stored). */
export function specFromName(name: string, transform: ParameterTransform): ParameterSpec {
  const base = { name, transform, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
  if (name.startsWith('specific.rate:')) return { ...base, kind: 'specificRate', cpa: name.slice('specific.rate:'.length) };
  if (name.startsWith('specific.exponent:')) return { ...base, kind: 'specificExponent', cpa: name.slice('specific.exponent:'.length) };
  if (name === 'nonSpecific.rate') return { ...base, kind: 'nonSpecificRate' };
  if (name === 'nonSpecific.exponent') return { ...base, kind: 'nonSpecificExponent' };
  if (name.startsWith('interaction:')) {
    const [a, b] = name.slice('interaction:'.length).split('|') as [string, string];
    return { ...base, kind: 'interaction', pair: [a, b] };
  }
  throw new ToxicityModelError([{ field: 'model.uncertainty.parameterNames', message: `unknown parameter ${name}` }]);
}

// ---------------------------------------------------------------------------------------------------
// Exposures

export interface ResolvedStep {
  readonly minutes: number;
  readonly composition: CpaComposition;
}

export function validateComposition(composition: unknown, field: string, issues: ToxicityIssue[]): composition is CpaComposition {
  if (typeof composition !== 'object' || composition === null || Array.isArray(composition)) {
    issues.push({ field, message: 'must be an object of CPA key → molality (mol/kg)' });
    return false;
  }
  for (const [key, value] of Object.entries(composition as Record<string, unknown>)) {
    if (key.trim() === '' || key.includes('|')) issues.push({ field, message: 'CPA keys must be non-empty and must not contain "|" (it joins interaction pairs)' });
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      issues.push({ field: `${field}.${key}`, message: 'molality must be a finite number ≥ 0 (mol/kg water)' });
    }
  }
  return true;
}

export function resolveExposure(composition: CpaComposition, exposure: Exposure, field: string, issues: ToxicityIssue[]): ResolvedStep[] {
  if (typeof exposure === 'number') {
    if (!Number.isFinite(exposure) || exposure <= 0) issues.push({ field, message: 'duration must be a finite number of minutes > 0' });
    return [{ minutes: exposure, composition }];
  }
  if (!Array.isArray(exposure) || exposure.length === 0) {
    issues.push({ field, message: 'must be a duration in minutes or a non-empty list of steps' });
    return [];
  }
  const steps: ResolvedStep[] = [];
  let total = 0;
  exposure.forEach((step: ExposureStep, s) => {
    const minutes = step?.minutes;
    if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) {
      issues.push({ field: `${field}[${s}].minutes`, message: 'must be a finite number of minutes ≥ 0' });
      return;
    }
    total += minutes;
    if (step.composition !== undefined && !validateComposition(step.composition, `${field}[${s}].composition`, issues)) return;
    steps.push({ minutes, composition: step.composition ?? composition });
  });
  if (steps.length === exposure.length && !(total > 0)) issues.push({ field, message: 'total exposure must be > 0 minutes' });
  return steps;
}

/** Cumulative toxicity H = ∫k dt (dimensionless) of a piecewise-constant exposure; survival is exp(−H). */
export function cumulativeHazard(parameters: ToxicityParameters, composition: CpaComposition, exposure: Exposure): number {
  const issues: ToxicityIssue[] = [];
  validateComposition(composition, 'composition', issues);
  const steps = resolveExposure(composition, exposure, 'exposure', issues);
  if (issues.length > 0) throw new ToxicityModelError(issues);
  return steps.reduce((h, step) => h + step.minutes * toxicityRate(parameters, step.composition), 0);
}

/** Survival fraction exp(−∫k dt) for known parameters (no uncertainty). */
export function survivalFraction(parameters: ToxicityParameters, composition: CpaComposition, exposure: Exposure): number {
  return Math.exp(-cumulativeHazard(parameters, composition, exposure));
}
