/**
 * Design analysis of recorded exposures, before any fitting: which terms of the kinetic toxicity model the
 * data can identify at all, the training domain, and typical molalities for starting points.
 */
import type { ModelDomain, NotIdentifiedTerm, ResolvedStep } from './toxicity-model.ts';
import { pairKey, parameterName } from './toxicity-model.ts';

/** One validated observation, ready for the least-squares problem. */
export interface PreparedObservation {
  readonly steps: readonly ResolvedStep[];
  readonly y: number;
  readonly sqrtWeight: number;
  readonly weight: number;
  readonly observed: number;
  /** Observed at or below the survival floor: known only to be ≤ the floor (left-censored). */
  readonly censored: boolean;
}

export interface Design {
  readonly cpas: readonly string[];
  readonly pairs: readonly (readonly [string, string])[];
  readonly notIdentified: readonly NotIdentifiedTerm[];
  readonly domain: ModelDomain;
  readonly typicalMolality: Readonly<Record<string, number>>;
}

/** Which terms the recorded exposures can identify at all, before any fitting. */
export function analyseDesign(prepared: readonly PreparedObservation[]): Design {
  const levels = new Map<string, Set<number>>();
  const listed = new Set<string>();
  const pairCounts = new Map<string, number>();
  const maxMolality: Record<string, number> = {};
  let maxTotal = 0;
  let maxMinutes = 0;
  let mixtureSteps = 0;
  const totals = new Set<number>();
  for (const obs of prepared) {
    maxMinutes = Math.max(maxMinutes, obs.steps.reduce((t, s) => t + s.minutes, 0));
    for (const step of obs.steps) {
      if (step.minutes <= 0) continue;
      const present = Object.entries(step.composition).filter(([key, c]) => {
        listed.add(key);
        return c > 0;
      });
      let total = 0;
      for (const [key, c] of present) {
        total += c;
        maxMolality[key] = Math.max(maxMolality[key] ?? 0, c);
        if (!levels.has(key)) levels.set(key, new Set());
        levels.get(key)!.add(roundLevel(c));
      }
      if (present.length >= 2) mixtureSteps++;
      if (total > 0) totals.add(roundLevel(total));
      maxTotal = Math.max(maxTotal, total);
      for (let i = 0; i < present.length; i++) {
        for (let j = i + 1; j < present.length; j++) {
          const key = pairKey(present[i]![0], present[j]![0]);
          pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
        }
      }
    }
  }
  const cpas = [...levels.keys()].sort();
  const notIdentified: NotIdentifiedTerm[] = [];
  for (const key of [...listed].filter((k) => !levels.has(k)).sort()) {
    notIdentified.push({ parameter: parameterName('specificRate', key), reason: `${key} is never present at a positive molality: left out of the model, predictions containing it are refused`, fixedAt: null });
  }
  for (const cpa of cpas) {
    if (levels.get(cpa)!.size < 2) {
      notIdentified.push({ parameter: parameterName('specificExponent', cpa), reason: `${cpa} was seen at one molality only: its rate is taken as proportional to molality`, fixedAt: 1 });
    }
  }
  if (cpas.length < 2 || mixtureSteps === 0) {
    const why = cpas.length < 2 ? 'with one CPA' : 'without any mixture exposure';
    notIdentified.push({ parameter: parameterName('nonSpecificRate'), reason: `${why} the non-specific term of the total molality cannot be told apart from the specific terms`, fixedAt: 0 });
    notIdentified.push({ parameter: parameterName('nonSpecificExponent'), reason: 'irrelevant while the non-specific rate is 0', fixedAt: 1 });
  } else if (totals.size < 2) {
    notIdentified.push({ parameter: parameterName('nonSpecificExponent'), reason: 'one total molality only: the non-specific rate is taken as proportional to it', fixedAt: 1 });
  }
  const pairs: (readonly [string, string])[] = [];
  for (let i = 0; i < cpas.length; i++) {
    for (let j = i + 1; j < cpas.length; j++) {
      const pair = [cpas[i]!, cpas[j]!] as const;
      pairs.push(pair);
      if (!pairCounts.has(pairKey(...pair))) {
        notIdentified.push({ parameter: parameterName('interaction', ...pair), reason: `no exposure contains both ${pair[0]} and ${pair[1]}: interaction taken as 0`, fixedAt: 0 });
      }
    }
  }
  const typicalMolality: Record<string, number> = {};
  for (const cpa of cpas) typicalMolality[cpa] = median([...levels.get(cpa)!]);
  return {
    cpas,
    pairs,
    notIdentified,
    domain: { maxMolality, maxTotalMolality: maxTotal, maxMinutes, pairsSeen: [...pairCounts.keys()].sort() },
    typicalMolality,
  };
}

const roundLevel = (c: number): number => Math.round(c * 1e9) / 1e9;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
