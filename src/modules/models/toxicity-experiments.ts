/**
 * Verified toxicity experiments as exposures for the kinetic model: the mixture's molalities held for each
 * loading step (scaled by the step's fraction of the final concentration), and the viability measured after
 * exposure without cooling. Pure; every experiment that cannot be used says why.
 */
import type { ToxicityObservation } from '../../science/toxicity-kinetics.ts';
import type { MixtureDetail } from '../mixtures/schemas.ts';

export interface ExposureStepRecord {
  durationMin: number;
  temperatureC: number;
  fractionOfFinal?: number;
  amount?: number;
  unit?: string;
}

export interface ToxicityExperiment {
  experimentId: string;
  title: string;
  loading: readonly ExposureStepRecord[];
  mixture: MixtureDetail;
  /** exposure_viability mean, percent of the untreated control. */
  viabilityPercent: number;
}

export interface ExperimentObservation {
  experimentId: string;
  title: string;
  observation: ToxicityObservation | null;
  temperatureC: number | null;
  error: string | null;
}

/**
 * CPA key of a mixture component in the kinetic model: its InChIKey (stable whatever a lab calls the compound,
 * and what the formulation pages match on), or its name for a component without a structure.
 */
export const cpaKey = (component: { name: string; inchikey: string | null }): string => component.inchikey ?? component.name;

export function experimentObservation(e: ToxicityExperiment): ExperimentObservation {
  const fail = (error: string): ExperimentObservation => ({ experimentId: e.experimentId, title: e.title, observation: null, temperatureC: null, error });
  const derived = e.mixture.derived;
  if (!derived) return fail(`the mixture "${e.mixture.name}" cannot be evaluated, so its molalities are unknown`);
  const final: Record<string, number> = {};
  for (const c of derived.components) {
    if (c.massFraction === 0) continue;
    if (c.molality === null) return fail(`the molality of ${c.name} is unknown (no molar mass)`);
    final[cpaKey(c)] = (final[cpaKey(c)] ?? 0) + c.molality;
  }
  if (e.loading.length === 0) return fail('the protocol has no loading steps, so the exposure time is unknown');
  const temperatures = new Set(e.loading.map((s) => s.temperatureC));
  if (temperatures.size > 1) return fail(`the loading steps run at different temperatures (${[...temperatures].join(', ')} °C); the kinetic model has one temperature`);
  const steps: { minutes: number; composition: Record<string, number> }[] = [];
  for (const [i, step] of e.loading.entries()) {
    if (step.fractionOfFinal === undefined) {
      return fail(`loading step ${i + 1} gives its concentration as an amount; record fractionOfFinal so the exposure can be computed`);
    }
    const f = step.fractionOfFinal;
    steps.push({ minutes: step.durationMin, composition: Object.fromEntries(Object.entries(final).map(([k, m]) => [k, m * f])) });
  }
  const survival = e.viabilityPercent / 100;
  return {
    experimentId: e.experimentId, title: e.title, temperatureC: [...temperatures][0]!, error: null,
    observation: { composition: final, exposure: steps, survival },
  };
}

/** Keeps the most common exposure temperature (one temperature per model); others are reported as skipped. */
export function singleTemperature(rows: readonly ExperimentObservation[]): { kept: ExperimentObservation[]; skipped: ExperimentObservation[]; temperatureC: number | null } {
  const usable = rows.filter((r) => r.observation !== null);
  const counts = new Map<number, number>();
  for (const r of usable) counts.set(r.temperatureC!, (counts.get(r.temperatureC!) ?? 0) + 1);
  const temperatureC = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? null;
  const kept: ExperimentObservation[] = [];
  const skipped: ExperimentObservation[] = [];
  for (const r of rows) {
    if (r.observation === null) skipped.push(r);
    else if (r.temperatureC === temperatureC) kept.push(r);
    else skipped.push({ ...r, observation: null, error: `exposed at ${r.temperatureC} °C; this model is fitted at ${temperatureC} °C, where most experiments ran` });
  }
  return { kept, skipped, temperatureC };
}
