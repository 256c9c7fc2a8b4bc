/**
 * Glass transition temperature (Tg) of aqueous CPA solutions from pure-component parameters.
 *
 * Models (see docs/science.md for equations, sources and caveats):
 * - Gordon–Taylor (1952), binary:   Tg = (w_s·Tg_s + k·w_w·Tg_w) / (w_s + k·w_w)
 *   k multiplies the WATER term, as in Roos (1993) and in the reference data (gt_k).
 * - Multicomponent Gordon–Taylor:   Tg = Σ q_i·w_i·Tg_i / Σ q_i·w_i with q_water ≡ 1 and q_i = 1 / k_i,
 *   which reduces exactly to the binary form for one solute (k_i being that solute's binary k with water).
 * - Fox (1956):                      1/Tg = Σ w_i / Tg_i
 * - Couchman–Karasz (1978):          Tg = Σ w_i·ΔCp_i·Tg_i / Σ w_i·ΔCp_i   (linear form)
 *                                    ln Tg = Σ w_i·ΔCp_i·ln Tg_i / Σ w_i·ΔCp_i (log form)
 *
 * A parameter that has no cited value is never guessed: mixture functions return kelvin: null and the
 * list of what is missing.
 */
import { type Kelvin, type MassFraction, kelvin, massFraction } from './units.ts';

/**
 * Default Tg of pure (glassy) water: 136 K (Johari, Hallbrucker & Mayer 1987, Nature 330:552).
 * Inaba & Andersson (2007) extrapolate glycerol–water GT data to 135 K; dielectric work suggests
 * higher values. Every function takes water's Tg as a parameter so this stays configurable.
 */
export const WATER_TG_DEFAULT: Kelvin = kelvin(136);

const MASS_FRACTION_SUM_TOLERANCE = 1e-6;

export class GlassTransitionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlassTransitionInputError';
  }
}

export type TgParameter = 'tg' | 'k' | 'deltaCp';

export interface MissingTgParameters {
  /** Component key, or "water". */
  readonly component: string;
  readonly missing: readonly TgParameter[];
}

export type TgModel = 'gordon-taylor' | 'fox' | 'couchman-karasz-linear' | 'couchman-karasz-log';

export type TgEstimate =
  | { readonly kelvin: Kelvin; readonly model: TgModel; readonly missing: readonly [] }
  | { readonly kelvin: null; readonly model: TgModel; readonly missing: readonly MissingTgParameters[] };

/** One non-water component of a mixture, with whatever parameters are known for it. */
export interface TgSolute {
  readonly key: string;
  readonly massFraction: number;
  /** Pure-component Tg (K). */
  readonly tg?: number | null;
  /** Gordon–Taylor constant of the binary with water (multiplies water's term). */
  readonly k?: number | null;
  /** Heat-capacity step at the solute's Tg, J g⁻¹ K⁻¹ (Couchman–Karasz). */
  readonly deltaCp?: number | null;
}

export interface TgWater {
  readonly massFraction: number;
  /** Defaults to WATER_TG_DEFAULT. */
  readonly tg?: number;
  /** Heat-capacity step of water at its Tg, J g⁻¹ K⁻¹; needed only by Couchman–Karasz. */
  readonly deltaCp?: number | null;
}

export interface TgMixture {
  readonly water: TgWater;
  readonly solutes: readonly TgSolute[];
}

function checkFraction(value: number, what: string): MassFraction {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new GlassTransitionInputError(`${what} must be a mass fraction in [0, 1], got ${value}`);
  }
  return massFraction(value);
}

function checkPositive(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new GlassTransitionInputError(`${what} must be a positive number, got ${value}`);
  return value;
}

function checkMixture(mixture: TgMixture): void {
  checkFraction(mixture.water.massFraction, 'Water mass fraction');
  let sum = mixture.water.massFraction;
  const keys = new Set<string>();
  for (const s of mixture.solutes) {
    checkFraction(s.massFraction, `Mass fraction of "${s.key}"`);
    if (keys.has(s.key) || s.key === 'water') throw new GlassTransitionInputError(`Duplicate or reserved component key "${s.key}"`);
    keys.add(s.key);
    sum += s.massFraction;
  }
  if (Math.abs(sum - 1) > MASS_FRACTION_SUM_TOLERANCE) {
    throw new GlassTransitionInputError(`Mass fractions must sum to 1 (water included), got ${sum}`);
  }
}

const known = (v: number | null | undefined): v is number => v !== null && v !== undefined;

/** A weighted-mean model term for one species: weight w·q and the temperature it pulls towards. */
interface Term {
  readonly weight: number;
  readonly tg: number;
}

function estimate(model: TgModel, mixture: TgMixture, needs: readonly TgParameter[], termOf: (s: TgSolute | null) => Term): TgEstimate {
  checkMixture(mixture);
  const missing: MissingTgParameters[] = [];
  const waterNeeds = needs.filter((p) => p === 'deltaCp' && !known(mixture.water.deltaCp));
  if (mixture.water.massFraction > 0 && waterNeeds.length > 0) missing.push({ component: 'water', missing: waterNeeds });
  for (const s of mixture.solutes) {
    if (s.massFraction === 0) continue; // an absent component needs no parameters
    const lacking = needs.filter((p) => !known(s[p]));
    if (lacking.length > 0) missing.push({ component: s.key, missing: lacking });
  }
  if (missing.length > 0) return { kelvin: null, model, missing };

  const terms = [termOf(null), ...mixture.solutes.filter((s) => s.massFraction > 0).map(termOf)];
  const total = terms.reduce((a, t) => a + t.weight, 0);
  if (!(total > 0)) throw new GlassTransitionInputError('All weights are zero');
  if (model === 'fox') {
    return { kelvin: kelvin(1 / terms.reduce((a, t) => a + t.weight / t.tg, 0)), model, missing: [] };
  }
  if (model === 'couchman-karasz-log') {
    return { kelvin: kelvin(Math.exp(terms.reduce((a, t) => a + t.weight * Math.log(t.tg), 0) / total)), model, missing: [] };
  }
  return { kelvin: kelvin(terms.reduce((a, t) => a + t.weight * t.tg, 0) / total), model, missing: [] };
}

const waterTgOf = (water: TgWater): number => checkPositive(water.tg ?? WATER_TG_DEFAULT, 'Water Tg');

/** Multicomponent Gordon–Taylor; every solute present needs tg and k (its binary GT constant with water). */
export function gordonTaylorMixture(mixture: TgMixture): TgEstimate {
  return estimate('gordon-taylor', mixture, ['tg', 'k'], (s) =>
    s === null
      ? { weight: mixture.water.massFraction, tg: waterTgOf(mixture.water) }
      : { weight: s.massFraction / checkPositive(s.k!, `k of "${s.key}"`), tg: checkPositive(s.tg!, `Tg of "${s.key}"`) },
  );
}

/** Fox equation over water and solutes; every solute present needs tg. */
export function foxMixture(mixture: TgMixture): TgEstimate {
  return estimate('fox', mixture, ['tg'], (s) =>
    s === null
      ? { weight: mixture.water.massFraction, tg: waterTgOf(mixture.water) }
      : { weight: s.massFraction, tg: checkPositive(s.tg!, `Tg of "${s.key}"`) },
  );
}

/** Couchman–Karasz; water and every solute present need ΔCp, solutes also tg. */
export function couchmanKaraszMixture(mixture: TgMixture, form: 'linear' | 'log' = 'linear'): TgEstimate {
  return estimate(form === 'linear' ? 'couchman-karasz-linear' : 'couchman-karasz-log', mixture, ['tg', 'deltaCp'], (s) =>
    s === null
      ? {
          weight: mixture.water.massFraction === 0 ? 0 : mixture.water.massFraction * checkPositive(mixture.water.deltaCp ?? Number.NaN, 'ΔCp of water'),
          tg: waterTgOf(mixture.water),
        }
      : { weight: s.massFraction * checkPositive(s.deltaCp!, `ΔCp of "${s.key}"`), tg: checkPositive(s.tg!, `Tg of "${s.key}"`) },
  );
}

export interface GordonTaylorBinary {
  /** Mass fraction of the solute; water is the rest. */
  readonly soluteMassFraction: number;
  readonly soluteTg: number;
  readonly k: number;
  readonly waterTg?: number;
}

/** Binary Gordon–Taylor for solute + water. */
export function gordonTaylorBinary(input: GordonTaylorBinary): Kelvin {
  const ws = checkFraction(input.soluteMassFraction, 'Solute mass fraction');
  const ww = 1 - ws;
  const k = checkPositive(input.k, 'k');
  const tgs = checkPositive(input.soluteTg, 'Solute Tg');
  const tgw = checkPositive(input.waterTg ?? WATER_TG_DEFAULT, 'Water Tg');
  return kelvin((ws * tgs + k * ww * tgw) / (ws + k * ww));
}

/** Binary Fox equation for solute + water. */
export function foxBinary(input: Omit<GordonTaylorBinary, 'k'>): Kelvin {
  const ws = checkFraction(input.soluteMassFraction, 'Solute mass fraction');
  const tgs = checkPositive(input.soluteTg, 'Solute Tg');
  const tgw = checkPositive(input.waterTg ?? WATER_TG_DEFAULT, 'Water Tg');
  return kelvin(1 / (ws / tgs + (1 - ws) / tgw));
}

/** Gordon–Taylor k implied by Couchman–Karasz heat-capacity steps: k = ΔCp_water / ΔCp_solute. */
export function gordonTaylorKFromHeatCapacity(deltaCpWater: number, deltaCpSolute: number): number {
  return checkPositive(deltaCpWater, 'ΔCp of water') / checkPositive(deltaCpSolute, 'ΔCp of solute');
}

/**
 * The k that makes binary Gordon–Taylor pass through one measured point (w_s, Tg) — how the glycerol
 * k = 2.84 in the reference data was derived from Inaba & Andersson (2007).
 */
export function gordonTaylorKFromPoint(point: { soluteMassFraction: number; tg: number }, soluteTg: number, waterTg: number = WATER_TG_DEFAULT): number {
  const ws = checkFraction(point.soluteMassFraction, 'Solute mass fraction');
  const ww = 1 - ws;
  const tg = checkPositive(point.tg, 'Tg');
  if (ww === 0 || tg === waterTg) throw new GlassTransitionInputError('The point does not determine k');
  // tg·(ws + k·ww) = ws·Tg_s + k·ww·Tg_w  ⇒  k = ws·(Tg_s − tg) / (ww·(tg − Tg_w))
  const k = (ws * (checkPositive(soluteTg, 'Solute Tg') - tg)) / (ww * (tg - checkPositive(waterTg, 'Water Tg')));
  if (!(k > 0)) throw new GlassTransitionInputError('The point lies outside the range between the pure-component Tg values');
  return k;
}

export interface TgCurvePoint {
  readonly soluteMassFraction: MassFraction;
  readonly kelvin: Kelvin;
}

export interface TgCurveOptions {
  readonly model?: 'gordon-taylor' | 'fox';
  /** Number of evenly spaced points including both ends (default 101). */
  readonly points?: number;
  readonly from?: number;
  readonly to?: number;
}

/** Tg versus solute mass fraction for a binary with water (for plotting a state diagram). */
export function binaryTgCurve(params: { soluteTg: number; k?: number; waterTg?: number }, options: TgCurveOptions = {}): TgCurvePoint[] {
  const model = options.model ?? 'gordon-taylor';
  const count = options.points ?? 101;
  if (!Number.isInteger(count) || count < 2) throw new GlassTransitionInputError('A curve needs at least 2 points');
  const from = checkFraction(options.from ?? 0, 'Curve start');
  const to = checkFraction(options.to ?? 1, 'Curve end');
  if (model === 'gordon-taylor' && params.k === undefined) throw new GlassTransitionInputError('Gordon–Taylor needs k');
  return Array.from({ length: count }, (_, i) => {
    const w = i === count - 1 ? to : from + ((to - from) * i) / (count - 1);
    const base = { soluteMassFraction: w, soluteTg: params.soluteTg, ...(params.waterTg !== undefined ? { waterTg: params.waterTg } : {}) };
    return {
      soluteMassFraction: massFraction(w),
      kelvin: model === 'fox' ? foxBinary(base) : gordonTaylorBinary({ ...base, k: params.k! }),
    };
  });
}
