/**
 * Composition solver: turns a recipe written in mixed concentration units (water as the balance) into
 * masses, and from masses into every unit.
 *
 * Each unit is a linear constraint on the unknown masses (see UNIT_DEFINITIONS). With the closure
 * relations m_total = Σ m_j, n_total = Σ m_j / M_j and either V = Σ m_j / ρ_j (ideal volume
 * additivity) or V = m_total / ρ_solution (measured density), a recipe of n components gives n
 * homogeneous linear equations in n + 1 masses; fixing the basis (1000 g of solution) makes the
 * system square.
 */
import {
  CompositionError,
  type CompositionIssue,
  type MissingQuantity,
} from './composition-error.ts';
import { SingularSystemError, solveLinearSystem } from './linear-system.ts';
import {
  type ConcentrationUnit,
  type GramPerMl,
  type MassFraction,
  type MolPerKg,
  type MolPerL,
  type MoleFraction,
  UNIT_DEFINITIONS,
  type UnitDenominator,
  type UnitNumerator,
  WATER_DENSITY_20C,
  WATER_MOLAR_MASS,
  gramPerMl,
  isConcentrationUnit,
  massFraction,
  molPerKg,
  molPerL,
  moleFraction,
} from './units.ts';

export interface ComponentAmount {
  readonly key: string;
  readonly amount: number;
  readonly unit: ConcentrationUnit;
  /** g/mol; for a polymer, its number-average molar mass Mn. */
  readonly molarMass?: number;
  /** Pure-component density, g/mL at 20–25 °C. */
  readonly density?: number;
}

export interface WaterProperties {
  readonly molarMass?: number;
  readonly density?: number;
}

export interface CompositionInput {
  readonly components: readonly ComponentAmount[];
  /** Measured density of the final solution, g/mL. When given it replaces ideal volume additivity. */
  readonly solutionDensity?: number;
  /** Overrides for water (defaults: 18.015 g/mol, 0.99821 g/mL at 20 °C). */
  readonly water?: WaterProperties;
}

export type VolumeModel = 'measured-density' | 'ideal-volume-additivity' | 'unavailable';

export interface ComponentComposition {
  readonly key: string;
  readonly massFraction: MassFraction;
  /** Null when some component's molar mass is unknown (see notes). */
  readonly moleFraction: MoleFraction | null;
  /** mol per litre of solution; null without own molar mass or without a solution volume. */
  readonly molarity: MolPerL | null;
  /** mol per kg of water; null without own molar mass or when the mixture contains no water. */
  readonly molality: MolPerKg | null;
  /** Grams of the component in 1000 g of solution (the solver's basis). */
  readonly gramsPerKgSolution: number;
}

export interface CompositionResult {
  readonly components: readonly ComponentComposition[];
  readonly water: {
    readonly massFraction: MassFraction;
    readonly moleFraction: MoleFraction | null;
    readonly gramsPerKgSolution: number;
  };
  readonly volumeModel: VolumeModel;
  /** Measured, or implied by ideal volume additivity; null when no volume could be computed. */
  readonly solutionDensity: GramPerMl | null;
  /** Models and defaults the numbers depend on. */
  readonly assumptions: readonly string[];
  /** Why any output is null. */
  readonly notes: readonly string[];
}

const BASIS_GRAMS = 1000;
export const WATER_KEY = 'water';

interface Species {
  readonly key: string;
  readonly molarMass: number | undefined;
  readonly density: number | undefined;
}

/** A solved mixture: species (components then water, last) and their masses on the basis. */
interface SolvedMixture {
  readonly species: readonly Species[];
  readonly masses: readonly number[];
  readonly volumeModel: VolumeModel;
  readonly solutionDensity: number | undefined;
}

function isPositiveFinite(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v) && v > 0;
}

function validate(input: CompositionInput): CompositionIssue[] {
  const issues: CompositionIssue[] = [];
  const seen = new Set<string>();
  for (const c of input.components) {
    if (c.key.trim().toLowerCase() === WATER_KEY) {
      issues.push({ kind: 'problem', problem: 'reservedKey', component: c.key, message: `"${c.key}" is the balance component and cannot be listed` });
    }
    if (seen.has(c.key)) {
      issues.push({ kind: 'problem', problem: 'duplicateComponent', component: c.key, message: `Component "${c.key}" is listed twice` });
    }
    seen.add(c.key);
    if (!isConcentrationUnit(c.unit)) {
      issues.push({ kind: 'problem', problem: 'unknownUnit', component: c.key, message: `Unknown unit "${String(c.unit)}" for "${c.key}"` });
    }
    if (!Number.isFinite(c.amount)) {
      issues.push({ kind: 'problem', problem: 'nonFiniteAmount', component: c.key, message: `Amount of "${c.key}" is not a finite number` });
    } else if (c.amount < 0) {
      issues.push({ kind: 'problem', problem: 'negativeAmount', component: c.key, message: `Amount of "${c.key}" is negative (${c.amount})` });
    }
    for (const [prop, value] of [['molarMass', c.molarMass], ['density', c.density]] as const) {
      if (value !== undefined && !isPositiveFinite(value)) {
        issues.push({ kind: 'problem', problem: 'invalidProperty', component: c.key, message: `${prop} of "${c.key}" must be a positive number, got ${value}` });
      }
    }
  }
  if (input.solutionDensity !== undefined && !isPositiveFinite(input.solutionDensity)) {
    issues.push({ kind: 'problem', problem: 'invalidProperty', message: `Solution density must be a positive number, got ${input.solutionDensity}` });
  }
  for (const [prop, value] of [['molarMass', input.water?.molarMass], ['density', input.water?.density]] as const) {
    if (value !== undefined && !isPositiveFinite(value)) {
      issues.push({ kind: 'problem', problem: 'invalidProperty', component: WATER_KEY, message: `Water ${prop} must be a positive number, got ${value}` });
    }
  }
  return issues;
}

function speciesOf(input: CompositionInput): Species[] {
  return [
    ...input.components.map((c) => ({ key: c.key, molarMass: c.molarMass, density: c.density })),
    {
      key: WATER_KEY,
      molarMass: input.water?.molarMass ?? WATER_MOLAR_MASS,
      density: input.water?.density ?? WATER_DENSITY_20C,
    },
  ];
}

function volumeModelOf(species: readonly Species[], solutionDensity: number | undefined): VolumeModel {
  if (solutionDensity !== undefined) return 'measured-density';
  return species.every((s) => s.density !== undefined) ? 'ideal-volume-additivity' : 'unavailable';
}

/** Collects the density / molar mass a unit needs for component `index`; empty when all are known. */
function missingFor(
  species: readonly Species[],
  index: number,
  unit: ConcentrationUnit,
  volumeModel: VolumeModel,
): { component: string; missing: MissingQuantity; why: string }[] {
  const def = UNIT_DEFINITIONS[unit];
  const self = species[index]!;
  const out: { component: string; missing: MissingQuantity; why: string }[] = [];
  if (def.numerator === 'moles' && self.molarMass === undefined) {
    out.push({ component: self.key, missing: 'molarMass', why: `"${self.key}" is expressed in ${unit}` });
  }
  if (def.numerator === 'pureVolume' && self.density === undefined) {
    out.push({ component: self.key, missing: 'density', why: `"${self.key}" is expressed in ${unit}` });
  }
  if (def.denominator === 'solutionVolume' && volumeModel === 'unavailable') {
    for (const s of species) {
      if (s.density === undefined) {
        out.push({
          component: s.key,
          missing: 'density',
          why: `"${self.key}" is expressed in ${unit}, which needs the solution volume (give every pure density or a measured solution density)`,
        });
      }
    }
  }
  if (def.denominator === 'totalMoles') {
    for (const s of species) {
      if (s.molarMass === undefined) {
        out.push({ component: s.key, missing: 'molarMass', why: `"${self.key}" is expressed in ${unit}, which needs the total moles` });
      }
    }
  }
  return out;
}

function numeratorVector(species: readonly Species[], index: number, numerator: UnitNumerator): number[] {
  const v = new Array<number>(species.length).fill(0);
  const s = species[index]!;
  v[index] = numerator === 'mass' ? 1 : numerator === 'moles' ? 1 / s.molarMass! : 1 / s.density!;
  return v;
}

function denominatorVector(
  species: readonly Species[],
  denominator: UnitDenominator,
  volumeModel: VolumeModel,
  solutionDensity: number | undefined,
): number[] {
  switch (denominator) {
    case 'solutionMass':
      return species.map(() => 1);
    case 'waterMass':
      return species.map((s) => (s.key === WATER_KEY ? 1 : 0));
    case 'totalMoles':
      return species.map((s) => 1 / s.molarMass!);
    case 'solutionVolume':
      return volumeModel === 'measured-density'
        ? species.map(() => 1 / solutionDensity!)
        : species.map((s) => 1 / s.density!);
  }
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

function solveMixture(input: CompositionInput): SolvedMixture {
  const issues = validate(input);
  if (issues.length > 0) throw new CompositionError(issues);

  const species = speciesOf(input);
  const volumeModel = volumeModelOf(species, input.solutionDensity);

  const missing = new Map<string, CompositionIssue>();
  input.components.forEach((c, i) => {
    for (const m of missingFor(species, i, c.unit, volumeModel)) {
      const id = `${m.component}\u0000${m.missing}`;
      if (!missing.has(id)) {
        missing.set(id, {
          kind: 'missing',
          component: m.component,
          missing: m.missing,
          message: `${m.missing === 'density' ? 'Density' : 'Molar mass'} of "${m.component}" is required: ${m.why}`,
        });
      }
    }
  });
  if (missing.size > 0) throw new CompositionError([...missing.values()]);

  const n = species.length;
  const rows: number[][] = input.components.map((c, i) => {
    const def = UNIT_DEFINITIONS[c.unit];
    const num = numeratorVector(species, i, def.numerator);
    const den = denominatorVector(species, def.denominator, volumeModel, input.solutionDensity);
    return num.map((v, j) => v - (c.amount / def.factor) * den[j]!);
  });
  rows.push(new Array<number>(n).fill(1));
  const rhs = [...input.components.map(() => 0), BASIS_GRAMS];

  let masses: number[];
  try {
    masses = solveLinearSystem(rows, rhs);
  } catch (e) {
    if (e instanceof SingularSystemError) {
      throw new CompositionError([{ kind: 'problem', problem: 'inconsistent', message: 'The amounts given do not determine a unique composition' }]);
    }
    throw e;
  }

  const tolerance = 1e-9 * BASIS_GRAMS;
  const waterMass = masses[n - 1]!;
  if (!Number.isFinite(waterMass) || waterMass < -tolerance) {
    throw new CompositionError([{
      kind: 'problem',
      problem: 'exceedsTotal',
      message: 'The components add up to more than the whole solution: no water would be left',
    }]);
  }
  const negative = species.find((s, i) => s.key !== WATER_KEY && !(masses[i]! >= -tolerance));
  if (negative) {
    throw new CompositionError([{ kind: 'problem', problem: 'inconsistent', component: negative.key, message: `The amounts given imply a negative mass of "${negative.key}"` }]);
  }
  masses = masses.map((m) => Math.max(0, m));
  return { species, masses, volumeModel, solutionDensity: input.solutionDensity };
}

/** Solution volume in mL on the basis, or null when the volume model is unavailable. */
function volumeOf(mix: SolvedMixture): number | null {
  if (mix.volumeModel === 'unavailable') return null;
  return dot(denominatorVector(mix.species, 'solutionVolume', mix.volumeModel, mix.solutionDensity), mix.masses);
}

type Expressed = { value: number } | { value: null; missing: { component: string; missing: MissingQuantity; why: string }[] };

function express(mix: SolvedMixture, index: number, unit: ConcentrationUnit): Expressed {
  const missing = missingFor(mix.species, index, unit, mix.volumeModel);
  if (missing.length > 0) return { value: null, missing };
  const def = UNIT_DEFINITIONS[unit];
  const num = dot(numeratorVector(mix.species, index, def.numerator), mix.masses);
  const den = dot(denominatorVector(mix.species, def.denominator, mix.volumeModel, mix.solutionDensity), mix.masses);
  if (num === 0) return { value: 0 };
  return { value: (def.factor * num) / den };
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

function assumptionsFor(mix: SolvedMixture, input: CompositionInput): string[] {
  const a = [
    'Water is the balance component; solutes of a carrier solution are not included unless listed as components.',
    `Masses solved on a basis of ${BASIS_GRAMS} g of solution.`,
  ];
  const waterDensity = mix.species[mix.species.length - 1]!.density!;
  if (mix.volumeModel === 'measured-density') {
    a.push(`Solution volume from the measured solution density: V = m_total / ${mix.solutionDensity} g/mL.`);
  } else if (mix.volumeModel === 'ideal-volume-additivity') {
    a.push(
      `Solution volume from ideal volume additivity: V = Σ m_j / ρ_j with pure-component densities (water ${waterDensity} g/mL). ` +
        'Aqueous CPA solutions deviate from additivity (non-zero excess volume), so volume-based values (mol/L, %w/v, %v/v, mg/mL, g/L) ' +
        'are approximate; give a measured solution density to remove this error.',
    );
  } else {
    a.push('No solution volume: no measured solution density was given and some pure-component densities are unknown.');
  }
  if (input.components.some((c) => c.unit === '%v/v')) {
    a.push('%v/v is read as the volume of the pure component before mixing per volume of final solution.');
  }
  if (input.water?.molarMass === undefined) a.push(`Water molar mass ${WATER_MOLAR_MASS} g/mol (IUPAC standard atomic weights).`);
  return a;
}

/** Solves a recipe; throws CompositionError naming what is missing or wrong. */
export function solveComposition(input: CompositionInput): CompositionResult {
  const mix = solveMixture(input);
  const notes: string[] = [];
  const n = mix.species.length;
  const waterIndex = n - 1;
  const waterMass = mix.masses[waterIndex]!;
  const volume = volumeOf(mix);
  const unknownMolarMass = mix.species.filter((s) => s.molarMass === undefined).map((s) => s.key);
  const unknownDensity = mix.species.filter((s) => s.density === undefined).map((s) => s.key);

  if (unknownMolarMass.length > 0) {
    notes.push(`Mole fractions are not given because the molar mass of ${unknownMolarMass.join(', ')} is unknown.`);
  }
  if (volume === null) {
    notes.push(`Molarities are not given because the solution volume is unknown: give a measured solution density or the density of ${unknownDensity.join(', ')}.`);
  }
  if (waterMass === 0) notes.push('Molalities are not given because the mixture contains no water.');

  const components: ComponentComposition[] = input.components.map((c, i) => {
    const mass = mix.masses[i]!;
    const mf = express(mix, i, 'moleFraction');
    const molarity = volume === null ? { value: null } : express(mix, i, 'mol/L');
    const molality = waterMass === 0 ? { value: null } : express(mix, i, 'mol/kg');
    if (c.molarMass === undefined) {
      notes.push(`Molarity and molality of "${c.key}" are not given because its molar mass is unknown.`);
    }
    return {
      key: c.key,
      massFraction: massFraction(clamp01(mass / BASIS_GRAMS)),
      moleFraction: mf.value === null ? null : moleFraction(clamp01(mf.value)),
      molarity: molarity.value === null ? null : molPerL(molarity.value),
      molality: molality.value === null ? null : molPerKg(molality.value),
      gramsPerKgSolution: mass,
    };
  });

  const waterMoleFraction = express(mix, waterIndex, 'moleFraction');
  const density = mix.volumeModel === 'measured-density' ? mix.solutionDensity! : volume === null ? null : BASIS_GRAMS / volume;

  return {
    components,
    water: {
      massFraction: massFraction(clamp01(waterMass / BASIS_GRAMS)),
      moleFraction: waterMoleFraction.value === null ? null : moleFraction(clamp01(waterMoleFraction.value)),
      gramsPerKgSolution: waterMass,
    },
    volumeModel: mix.volumeModel,
    solutionDensity: density === null ? null : gramPerMl(density),
    assumptions: assumptionsFor(mix, input),
    notes,
  };
}

export type CompositionOutcome = { ok: true; value: CompositionResult } | { ok: false; error: CompositionError };

/** Like solveComposition, but returns the error instead of throwing it. */
export function trySolveComposition(input: CompositionInput): CompositionOutcome {
  try {
    return { ok: true, value: solveComposition(input) };
  } catch (e) {
    if (e instanceof CompositionError) return { ok: false, error: e };
    throw e;
  }
}

function missingError(missing: { component: string; missing: MissingQuantity; why: string }[], unit: ConcentrationUnit): CompositionError {
  return new CompositionError(
    missing.map((m) => ({
      kind: 'missing' as const,
      component: m.component,
      missing: m.missing,
      message: `${m.missing === 'density' ? 'Density' : 'Molar mass'} of "${m.component}" is required to express the result in ${unit}`,
    })),
  );
}

/** Solves the recipe and expresses one of its components (or "water") in `unit`. */
export function expressComponent(input: CompositionInput, key: string, unit: ConcentrationUnit): number {
  const mix = solveMixture(input);
  const index = mix.species.findIndex((s) => s.key === key);
  if (index < 0) {
    throw new CompositionError([{ kind: 'problem', problem: 'unknownComponent', component: key, message: `No component "${key}" in the recipe` }]);
  }
  const out = express(mix, index, unit);
  if (out.value === null) throw missingError(out.missing, unit);
  return out.value;
}

export interface ConversionContext {
  /** Key for the converted component (default "component"); must not clash with otherComponents. */
  readonly key?: string;
  readonly molarMass?: number;
  readonly density?: number;
  /** The rest of the recipe. Conversions between solution-relative units depend on it; empty = a binary with water. */
  readonly otherComponents?: readonly ComponentAmount[];
  readonly solutionDensity?: number;
  readonly water?: WaterProperties;
}

/**
 * Converts one component's amount between units. The answer depends on the whole solution (a molality
 * depends on how much water the other solutes leave), so the rest of the recipe is part of the context.
 */
export function convertAmount(amount: number, fromUnit: ConcentrationUnit, toUnit: ConcentrationUnit, context: ConversionContext = {}): number {
  const key = context.key ?? 'component';
  const component: ComponentAmount = {
    key,
    amount,
    unit: fromUnit,
    ...(context.molarMass !== undefined ? { molarMass: context.molarMass } : {}),
    ...(context.density !== undefined ? { density: context.density } : {}),
  };
  return expressComponent(
    {
      components: [...(context.otherComponents ?? []), component],
      ...(context.solutionDensity !== undefined ? { solutionDensity: context.solutionDensity } : {}),
      ...(context.water !== undefined ? { water: context.water } : {}),
    },
    key,
    toUnit,
  );
}
