/**
 * Survival prediction from a kinetic toxicity model, with intervals from the fit's parameter covariance
 * (delta method) and notes on where the prediction leaves the training domain.
 */
import { normalQuantile } from './normal-quantile.ts';
import {
  type CpaComposition,
  type Exposure,
  type ParameterSpec,
  type ParameterUncertainty,
  pairKey,
  rateGradient,
  type ResolvedStep,
  resolveExposure,
  specFromName,
  TOXICITY_MODEL_FORM,
  type ToxicityIssue,
  type ToxicityKineticModel,
  ToxicityModelError,
  toxicityRate,
  validateComposition,
} from './toxicity-model.ts';

export interface PredictOptions {
  /** Interval level. Default 0.9. */
  readonly level?: number;
}

export interface SurvivalPrediction {
  readonly survival: number;
  readonly cumulativeHazard: number;
  readonly level: number;
  /**
   * Interval of the expected survival from parameter uncertainty (delta method on ln H, i.e. the
   * complementary log-log interval). Null when the model has no uncertainty or the prediction depends on
   * a direction the data did not determine.
   */
  readonly interval: { readonly lower: number; readonly upper: number } | null;
  /**
   * Interval for a new measurement: adds the residual scatter of ln(survival) seen in the fit. Its upper
   * bound can exceed 1, as normalized viability measurements do.
   */
  readonly predictionInterval: { readonly lower: number; readonly upper: number } | null;
  /** False when any CPA, total molality, pair or duration lies outside what the model was fitted on. */
  readonly inDomain: boolean;
  readonly notes: readonly string[];
}

/** Predicted survival of an exposure, with intervals from the fit's parameter covariance. */
export function predictSurvival(model: ToxicityKineticModel, composition: CpaComposition, exposure: Exposure, options: PredictOptions = {}): SurvivalPrediction {
  const level = options.level ?? 0.9;
  const issues: ToxicityIssue[] = [];
  if (model?.form !== TOXICITY_MODEL_FORM) issues.push({ field: 'model.form', message: `expected ${TOXICITY_MODEL_FORM}` });
  if (!(level > 0 && level < 1)) issues.push({ field: 'options.level', message: 'must be in (0, 1)' });
  validateComposition(composition, 'composition', issues);
  const steps = resolveExposure(composition, exposure, 'exposure', issues);
  const known = new Set(model?.cpas ?? []);
  steps.forEach((step, s) => {
    for (const [key, c] of Object.entries(step.composition)) {
      if (c > 0 && !known.has(key)) {
        const field = step.composition === composition ? `composition.${key}` : `exposure[${s}].composition.${key}`;
        issues.push({ field, message: `the model was not fitted on ${key} (known: ${[...known].join(', ') || 'none'})` });
      }
    }
  });
  if (issues.length > 0) throw new ToxicityModelError(dedupe(issues));

  const params = model.parameters;
  const hazard = steps.reduce((h, step) => h + step.minutes * toxicityRate(params, step.composition), 0);
  const survival = Math.exp(-hazard);
  const notes: string[] = [];
  const inDomain = domainNotes(model, steps, notes);
  for (const term of model.notIdentified) {
    if (term.fixedAt !== null && dependsOn(term.parameter, steps)) notes.push(`${term.parameter} = ${term.fixedAt}: ${term.reason}`);
  }

  const z = normalQuantile(0.5 + level / 2);
  const u = model.uncertainty;
  if (u === null) {
    notes.push('the model carries no parameter uncertainty: no interval');
    return { survival, cumulativeHazard: hazard, level, interval: null, predictionInterval: null, inDomain, notes };
  }
  const gradient = hazardGradient(model, steps, u);
  const scaledGradient = gradient.map((g, i) => (u.scales[i]! > 0 ? g / u.scales[i]! : g === 0 ? 0 : Number.POSITIVE_INFINITY));
  const norm = Math.hypot(...scaledGradient);
  const leak = u.nullDirections.reduce((m, v) => Math.max(m, Math.abs(v.reduce((s, vi, i) => s + vi * scaledGradient[i]!, 0))), 0);
  if (!Number.isFinite(norm) || (norm > 0 && leak > 1e-4 * norm)) {
    notes.push('this prediction depends on a combination of parameters the data did not determine: no interval');
    return { survival, cumulativeHazard: hazard, level, interval: null, predictionInterval: null, inDomain, notes };
  }
  let variance = 0;
  gradient.forEach((gi, i) => gradient.forEach((gj, j) => (variance += gi * gj * u.covariance[i]![j]!)));
  const seH = Math.sqrt(Math.max(variance, 0));
  const interval =
    hazard > 0
      ? { lower: Math.exp(-hazard * Math.exp((z * seH) / hazard)), upper: Math.exp(-hazard * Math.exp((-z * seH) / hazard)) }
      : { lower: 1, upper: 1 };
  const spread = z * Math.sqrt(variance + u.residualStandardDeviation ** 2);
  const predictionInterval = { lower: Math.exp(-hazard - spread), upper: Math.exp(-hazard + spread) };
  return { survival, cumulativeHazard: hazard, level, interval, predictionInterval, inDomain, notes };
}

function dedupe(issues: readonly ToxicityIssue[]): ToxicityIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.field}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** ∂H/∂θ over the model's uncertainty parameters (internal coordinates). */
function hazardGradient(model: ToxicityKineticModel, steps: readonly ResolvedStep[], u: ParameterUncertainty): number[] {
  const specs: ParameterSpec[] = u.parameterNames.map((name, i) => specFromName(name, u.transforms[i]!));
  const gradient = new Array<number>(specs.length).fill(0);
  for (const step of steps) {
    const g = rateGradient(model.parameters, specs, step.composition);
    g.forEach((v, i) => (gradient[i]! += step.minutes * v));
  }
  return gradient;
}

function dependsOn(parameter: string, steps: readonly ResolvedStep[]): boolean {
  const present = new Set(steps.flatMap((s) => Object.entries(s.composition).filter(([, c]) => c > 0).map(([k]) => k)));
  const spec = specFromName(parameter, 'identity');
  if (spec.cpa !== undefined) return present.has(spec.cpa);
  if (spec.pair !== undefined) return steps.some((s) => (s.composition[spec.pair![0]] ?? 0) > 0 && (s.composition[spec.pair![1]] ?? 0) > 0);
  return present.size > 0;
}

function domainNotes(model: ToxicityKineticModel, steps: readonly ResolvedStep[], notes: string[]): boolean {
  const domain = model.domain;
  if (domain === null) {
    notes.push('the model records no training domain');
    return false;
  }
  let inside = true;
  const minutes = steps.reduce((t, s) => t + s.minutes, 0);
  if (minutes > domain.maxMinutes * (1 + 1e-9)) {
    inside = false;
    notes.push(`exposure of ${minutes} min is longer than any fitted (${domain.maxMinutes} min)`);
  }
  const pairs = new Set(domain.pairsSeen);
  for (const step of steps) {
    if (step.minutes <= 0) continue;
    const present = Object.entries(step.composition).filter(([, c]) => c > 0);
    let total = 0;
    for (const [key, c] of present) {
      total += c;
      const max = domain.maxMolality[key] ?? 0;
      if (c > max * (1 + 1e-9)) {
        inside = false;
        notes.push(`${key} at ${c} mol/kg is above the highest fitted (${max} mol/kg)`);
      }
    }
    if (total > domain.maxTotalMolality * (1 + 1e-9)) {
      inside = false;
      notes.push(`total ${total} mol/kg is above the highest fitted (${domain.maxTotalMolality} mol/kg)`);
    }
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        const key = pairKey(present[i]![0], present[j]![0]);
        if (!pairs.has(key)) {
          inside = false;
          notes.push(`${key.replace('|', ' and ')} were never fitted together`);
        }
      }
    }
  }
  return inside;
}
