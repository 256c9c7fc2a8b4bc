/**
 * Glass transition of a CPA solution as physics plus a learned residual (Δ-learning, science.md §1): the
 * multicomponent Gordon–Taylor estimate from per-component Tg and k, shifted by the mean residual of verified
 * measurements, with an interval that combines the uncertainty of model-estimated component Tg values and a
 * split-conformal quantile of the measured residuals. The result never leaves the physical range: a
 * Gordon–Taylor mixture Tg is a weighted mean, so it lies between the lowest and highest component Tg.
 */
import { gordonTaylorMixture, WATER_TG_DEFAULT } from './glass-transition.ts';

/** Residuals needed before a correction and an interval are learned from them. */
export const MIN_RESIDUALS = 5;
/**
 * Water density (g/mL) for the Simha–Boyer estimate of k; 0.99821 g/mL at 20 °C (CRC Handbook, as in
 * data/reference/science/component-properties.csv).
 */
export const WATER_DENSITY_20C = 0.99821;

export interface EstimatedValue {
  value: number;
  /** Where it came from: a cited reference value, or a trained model version (with its interval). */
  source: 'cited' | 'model';
  lower?: number | null;
  upper?: number | null;
  /** Model version id or source key, for the ledger. */
  ref?: string | null;
}

export interface SolutionTgComponent {
  key: string;
  name: string;
  massFraction: number;
  tg: EstimatedValue | null;
  /** Gordon–Taylor constant of the binary with water; cited, or null to estimate it from density (Simha–Boyer). */
  k: number | null;
  /** Pure-component density, g/mL; enables the Simha–Boyer estimate of a missing k. */
  density?: number | null;
}

export interface SolutionTgInput {
  waterMassFraction: number;
  waterTg?: number;
  components: readonly SolutionTgComponent[];
  /** Measured − Gordon–Taylor, from verified measurements of other mixtures (or of this one). */
  residuals?: readonly number[];
  level: number;
}

export interface SolutionTgComponentUse {
  key: string;
  name: string;
  tg: number;
  tgSource: 'cited' | 'model';
  tgRef: string | null;
  tgLower: number | null;
  tgUpper: number | null;
  k: number;
  kSource: 'cited' | 'simha-boyer';
}

export type SolutionTgResult =
  | {
    kelvin: number;
    lower: number | null;
    upper: number | null;
    level: number;
    physics: number;
    residual: { applied: boolean; offset: number; n: number; halfWidth: number | null };
    clamped: boolean;
    method: string;
    components: SolutionTgComponentUse[];
    notes: string[];
  }
  | { kelvin: null; reason: string; missing: { key: string; name: string; missing: string[] }[] };

/**
 * k ≈ ρs·Tg,s / (ρw·Tg,w): the Simha–Boyer rule, as quoted for Gordon–Taylor in science.md §1.1
 * (R. Simha and R. F. Boyer, J. Chem. Phys. 37 (1962) 1003, doi:10.1063/1.1733201).
 */
export function simhaBoyerK(soluteDensity: number, soluteTg: number, waterTg: number = WATER_TG_DEFAULT, waterDensity = WATER_DENSITY_20C): number {
  if (!(soluteDensity > 0 && soluteTg > 0 && waterTg > 0 && waterDensity > 0)) throw new Error('Simha–Boyer k needs positive densities and Tg values');
  return (soluteDensity * soluteTg) / (waterDensity * waterTg);
}

/** Split-conformal half-width: the ⌈(n+1)·level⌉-th smallest absolute deviation, or null when n is too small for the level. */
export function conformalHalfWidth(deviations: readonly number[], level: number): number | null {
  const n = deviations.length;
  const rank = Math.ceil((n + 1) * level);
  if (rank > n) return null;
  const sorted = deviations.map(Math.abs).sort((a, b) => a - b);
  return sorted[rank - 1]!;
}

export function predictSolutionTg(input: SolutionTgInput): SolutionTgResult {
  if (!(input.level > 0 && input.level < 1)) throw new Error(`level must be in (0, 1), got ${input.level}`);
  const waterTg = input.waterTg ?? WATER_TG_DEFAULT;
  const present = input.components.filter((c) => c.massFraction > 0);
  const missing: { key: string; name: string; missing: string[] }[] = [];
  const uses: SolutionTgComponentUse[] = [];
  for (const c of present) {
    const lacking: string[] = [];
    if (!c.tg) lacking.push('tg');
    let k = c.k;
    let kSource: SolutionTgComponentUse['kSource'] = 'cited';
    if (k === null && c.tg && c.density) {
      k = simhaBoyerK(c.density, c.tg.value, waterTg);
      kSource = 'simha-boyer';
    }
    if (k === null) lacking.push(c.tg ? 'k (no cited value and no density for the Simha–Boyer estimate)' : 'k');
    if (lacking.length) {
      missing.push({ key: c.key, name: c.name, missing: lacking });
      continue;
    }
    uses.push({
      key: c.key, name: c.name, tg: c.tg!.value, tgSource: c.tg!.source, tgRef: c.tg!.ref ?? null,
      tgLower: c.tg!.lower ?? null, tgUpper: c.tg!.upper ?? null, k: k!, kSource,
    });
  }
  if (missing.length) {
    return { kelvin: null, reason: `no Gordon–Taylor parameters for ${missing.map((m) => `${m.name} (${m.missing.join(', ')})`).join('; ')}`, missing };
  }

  const gt = (pick: (u: SolutionTgComponentUse) => { tg: number; k: number }): number => {
    const estimate = gordonTaylorMixture({
      water: { massFraction: input.waterMassFraction, tg: waterTg },
      solutes: input.components.map((c) => {
        const u = uses.find((x) => x.key === c.key);
        return u ? { key: c.key, massFraction: c.massFraction, ...pick(u) } : { key: c.key, massFraction: c.massFraction, tg: 1, k: 1 };
      }),
    });
    return estimate.kelvin!;
  };
  // Simha–Boyer ties k to Tg, so the bounds move both together; a cited k stays fixed.
  const withTg = (u: SolutionTgComponentUse, tg: number) => ({ tg, k: u.kSource === 'simha-boyer' ? u.k * (tg / u.tg) : u.k });
  const physics = gt((u) => ({ tg: u.tg, k: u.k }));
  const uncertain = uses.some((u) => u.tgLower !== null && u.tgUpper !== null);
  // Gordon–Taylor increases with every component Tg, so the corners give the range over the component intervals.
  const physicsLow = uncertain ? gt((u) => withTg(u, u.tgLower ?? u.tg)) : physics;
  const physicsHigh = uncertain ? gt((u) => withTg(u, u.tgUpper ?? u.tg)) : physics;

  const residuals = input.residuals ?? [];
  const notes: string[] = [];
  let offset = 0;
  let halfWidth: number | null = null;
  const applied = residuals.length >= MIN_RESIDUALS;
  if (applied) {
    offset = residuals.reduce((a, r) => a + r, 0) / residuals.length;
    halfWidth = conformalHalfWidth(residuals.map((r) => r - offset), input.level);
    if (halfWidth === null) notes.push(`${residuals.length} verified measurements are too few for a ${input.level} interval from residuals.`);
  } else {
    notes.push(`No learned correction: ${residuals.length} verified Tg measurement(s) of mixtures with complete Gordon–Taylor parameters; ${MIN_RESIDUALS} are needed.`);
  }

  const tgs = [waterTg, ...uses.map((u) => u.tg)];
  const lo = Math.min(...tgs, ...uses.map((u) => u.tgLower ?? u.tg));
  const hi = Math.max(...tgs, ...uses.map((u) => u.tgUpper ?? u.tg));
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  const raw = physics + offset;
  const kelvin = clamp(raw);
  const clamped = kelvin !== raw;
  if (clamped) notes.push('The corrected value fell outside the range of the component Tg values and was limited to it.');
  const intervalKnown = applied ? halfWidth !== null : uncertain;
  const lower = intervalKnown ? clamp(physicsLow + offset - (halfWidth ?? 0)) : null;
  const upper = intervalKnown ? clamp(physicsHigh + offset + (halfWidth ?? 0)) : null;
  if (!intervalKnown) notes.push('No interval: every parameter is a cited value and there are not enough measurements to calibrate one.');
  if (uses.some((u) => u.tgSource === 'model')) notes.push('Some component Tg values are predictions of the pure-compound model; their intervals are carried into this one.');
  if (uses.some((u) => u.kSource === 'simha-boyer')) notes.push('Some Gordon–Taylor k values are Simha–Boyer estimates from density (ρs·Tg,s / ρw·Tg,w), not fitted values.');

  const method = ['gordon-taylor', uses.some((u) => u.tgSource === 'model') ? 'model-tg' : null, applied ? 'residual' : null].filter(Boolean).join('+');
  return {
    kelvin, lower, upper, level: input.level, physics, clamped, method, components: uses, notes,
    residual: { applied, offset, n: residuals.length, halfWidth },
  };
}
