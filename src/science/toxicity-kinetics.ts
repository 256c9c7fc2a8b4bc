/**
 * Kinetic model of cryoprotectant (CPA) toxicity for mixtures: fit to recorded exposures, predict survival
 * with an interval.
 *
 * Survival after an exposure is S = exp(−H), H = ∫ k(c(t)) dt (first-order loss of viable cells; the
 * "toxicity cost function" of Benson, Kearsley & Higgins 2012, Cryobiology 64:144, whose text was not
 * retrieved: form as summarized in the project research notes). The toxicity rate k (min⁻¹) of a
 * composition c (mol per kg water) is
 *
 *   k(c) = max(0, Σ_i a_i·c_i^p_i  +  b·T^q  +  Σ_{i<j} g_ij·c_i·c_j),      T = Σ_i c_i
 *          specific terms          non-specific   pairwise interactions (g < 0: neutralization)
 *
 * This is the STRUCTURE of the multi-CPA model of Warner et al. 2022 (Cryobiology 108:1–9,
 * doi 10.1016/j.cryobiol.2022.09.002, PMC9529850): specific toxicity per CPA, non-specific toxicity and
 * interactions between CPAs. Only that paper's abstract could be retrieved, not its equations or
 * parameter table, so the functional forms here are our own choice, documented in docs/science.md
 * ("Kinetic toxicity model"): the power law a·c^p is the single-CPA form of the toxicity cost function
 * (Benson 2012); the non-specific term depends only on the total molality; interactions are bilinear.
 * The published Warner 2022 parameters cannot be used with this form and none are shipped.
 *
 * Units: molality in mol/kg water, time in minutes, a_i and b in min⁻¹ at 1 mol/kg, g_ij in
 * min⁻¹·(mol/kg)⁻². One temperature per model (temperature dependence is not modelled).
 *
 * A piecewise-constant exposure (e.g. multi-step addition) integrates exactly: H = Σ_s k(c_s)·Δt_s.
 *
 * This module is the public entry point; the implementation is split by job:
 *   toxicity-model.ts           types, parameter naming, the rate law and exposure integration
 *   toxicity-design.ts          which terms the recorded exposures can identify, the training domain
 *   toxicity-least-squares.ts   the least-squares problem, Levenberg–Marquardt and its starting points
 *   toxicity-fit.ts             fitToxicityModel: estimates, standard errors, identifiability
 *   toxicity-predict.ts         predictSurvival: delta-method intervals and domain checks
 */
import {
  TOXICITY_MODEL_FORM,
  type ToxicityIssue,
  type ToxicityKineticModel,
  ToxicityModelError,
  type ToxicityParameters,
} from './toxicity-model.ts';

export {
  cumulativeHazard,
  pairKey,
  parameterName,
  survivalFraction,
  TOXICITY_MODEL_FORM,
  ToxicityModelError,
  toxicityRate,
} from './toxicity-model.ts';
export type {
  CpaComposition,
  Exposure,
  ExposureStep,
  InteractionTerm,
  ModelDomain,
  NotIdentifiedTerm,
  ParameterKind,
  ParameterTransform,
  ParameterUncertainty,
  SpecificTerm,
  ToxicityIssue,
  ToxicityKineticModel,
  ToxicityObservation,
  ToxicityParameters,
} from './toxicity-model.ts';
export { fitToxicityModel } from './toxicity-fit.ts';
export type { FitToxicityOptions, FittedParameter, ObservationResidual, ParameterStatus, ToxicityFit } from './toxicity-fit.ts';
export { predictSurvival } from './toxicity-predict.ts';
export type { PredictOptions, SurvivalPrediction } from './toxicity-predict.ts';
export { normalQuantile } from './normal-quantile.ts';

/** A model from known parameters (e.g. entered from a paper in this form), without uncertainty or domain. */
export function createToxicityModel(parameters: ToxicityParameters): ToxicityKineticModel {
  const issues: ToxicityIssue[] = [];
  const check = (value: number, field: string, positive: boolean): void => {
    if (!Number.isFinite(value) || value < 0 || (positive && value === 0)) issues.push({ field, message: positive ? 'must be a finite number > 0' : 'must be a finite number ≥ 0' });
  };
  for (const [cpa, term] of Object.entries(parameters.specific)) {
    check(term.rate, `parameters.specific.${cpa}.rate`, false);
    check(term.exponent, `parameters.specific.${cpa}.exponent`, true);
  }
  check(parameters.nonSpecific.rate, 'parameters.nonSpecific.rate', false);
  check(parameters.nonSpecific.exponent, 'parameters.nonSpecific.exponent', true);
  const cpas = Object.keys(parameters.specific).sort();
  const interactions = parameters.interactions.map((term, i) => {
    const [a, b] = term.cpas;
    if (!cpas.includes(a) || !cpas.includes(b) || a === b) issues.push({ field: `parameters.interactions[${i}].cpas`, message: 'must name two different CPAs of parameters.specific' });
    if (!Number.isFinite(term.coefficient)) issues.push({ field: `parameters.interactions[${i}].coefficient`, message: 'must be a finite number' });
    return { cpas: (a < b ? [a, b] : [b, a]) as [string, string], coefficient: term.coefficient };
  });
  if (issues.length > 0) throw new ToxicityModelError(issues);
  return {
    form: TOXICITY_MODEL_FORM,
    cpas,
    parameters: { specific: parameters.specific, nonSpecific: parameters.nonSpecific, interactions },
    uncertainty: null,
    notIdentified: [],
    domain: null,
  };
}
