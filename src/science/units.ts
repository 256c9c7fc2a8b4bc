/**
 * Physical quantities and concentration units used across the formulation science.
 *
 * Branded numbers keep formulas from mixing, e.g., a mass fraction with a mole fraction: both are plain
 * numbers at run time, but the type checker refuses to pass one where the other is expected.
 */

declare const brand: unique symbol;
/** A number tagged at compile time with the quantity it measures. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Kelvin = Brand<number, 'Kelvin'>;
export type MassFraction = Brand<number, 'MassFraction'>;
export type MoleFraction = Brand<number, 'MoleFraction'>;
/** Molarity: mol per litre of solution. */
export type MolPerL = Brand<number, 'MolPerL'>;
/** Molality: mol per kilogram of water (the solvent), not per kilogram of solution. */
export type MolPerKg = Brand<number, 'MolPerKg'>;
/** Osmolality: osmol per kilogram of water. */
export type OsmolPerKg = Brand<number, 'OsmolPerKg'>;
export type GramPerMol = Brand<number, 'GramPerMol'>;
export type GramPerMl = Brand<number, 'GramPerMl'>;

function finite(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new RangeError(`${what} must be a finite number, got ${value}`);
  return value;
}

function positive(value: number, what: string): number {
  if (!(finite(value, what) > 0)) throw new RangeError(`${what} must be > 0, got ${value}`);
  return value;
}

function fraction(value: number, what: string): number {
  finite(value, what);
  if (value < 0 || value > 1) throw new RangeError(`${what} must lie in [0, 1], got ${value}`);
  return value;
}

function nonNegative(value: number, what: string): number {
  if (finite(value, what) < 0) throw new RangeError(`${what} must be >= 0, got ${value}`);
  return value;
}

export const kelvin = (value: number): Kelvin => positive(value, 'Temperature (K)') as Kelvin;
export const celsiusToKelvin = (celsius: number): Kelvin => kelvin(finite(celsius, 'Temperature (°C)') + 273.15);
export const kelvinToCelsius = (k: Kelvin): number => k - 273.15;
export const massFraction = (value: number): MassFraction => fraction(value, 'Mass fraction') as MassFraction;
export const moleFraction = (value: number): MoleFraction => fraction(value, 'Mole fraction') as MoleFraction;
export const molPerL = (value: number): MolPerL => nonNegative(value, 'Molarity (mol/L)') as MolPerL;
export const molPerKg = (value: number): MolPerKg => nonNegative(value, 'Molality (mol/kg)') as MolPerKg;
export const osmolPerKg = (value: number): OsmolPerKg => nonNegative(value, 'Osmolality (osmol/kg)') as OsmolPerKg;
export const gramPerMol = (value: number): GramPerMol => positive(value, 'Molar mass (g/mol)') as GramPerMol;
export const gramPerMl = (value: number): GramPerMl => positive(value, 'Density (g/mL)') as GramPerMl;

/**
 * Water, the balance component of every formulation.
 * Molar mass from IUPAC standard atomic weights (H 1.008, O 15.999; Prohaska et al. 2022,
 * doi:10.1515/pac-2019-0603). Density of air-free water at 20 °C, 0.99821 g/mL (CRC Handbook of
 * Chemistry and Physics; see data/reference/science/component-properties.csv).
 */
export const WATER_MOLAR_MASS = gramPerMol(18.015);
export const WATER_DENSITY_20C = gramPerMl(0.99821);

export const CONCENTRATION_UNITS = [
  'mol/L',
  'mmol/L',
  'mol/kg',
  '%w/v',
  '%w/w',
  '%v/v',
  'mg/mL',
  'g/L',
  'massFraction',
  'moleFraction',
] as const;

export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];

export function isConcentrationUnit(value: string): value is ConcentrationUnit {
  return (CONCENTRATION_UNITS as readonly string[]).includes(value);
}

/** What a unit counts of the component itself: its moles, its mass (g), or its pure volume (mL). */
export type UnitNumerator = 'moles' | 'mass' | 'pureVolume';
/** What a unit divides by: solution volume (mL), water mass (g), solution mass (g) or total moles. */
export type UnitDenominator = 'solutionVolume' | 'waterMass' | 'solutionMass' | 'totalMoles';

export interface UnitDefinition {
  readonly numerator: UnitNumerator;
  readonly denominator: UnitDenominator;
  /** amount = factor × numerator / denominator, with masses in g, volumes in mL, amounts in mol. */
  readonly factor: number;
  readonly description: string;
}

/**
 * Every concentration unit is a ratio of one extensive quantity of the component to one extensive
 * quantity of the solution. Written this way, "amount a in unit u" is the linear equation
 * numerator_i − (a / factor) · denominator = 0 in the unknown masses, which is what the composition
 * solver relies on. The same table is used to express masses back in any unit, so solving and
 * expressing can never disagree about what a unit means.
 */
export const UNIT_DEFINITIONS: Readonly<Record<ConcentrationUnit, UnitDefinition>> = {
  'mol/L': { numerator: 'moles', denominator: 'solutionVolume', factor: 1000, description: 'mol per litre of solution (molarity, "M")' },
  'mmol/L': { numerator: 'moles', denominator: 'solutionVolume', factor: 1e6, description: 'mmol per litre of solution ("mM")' },
  'mol/kg': { numerator: 'moles', denominator: 'waterMass', factor: 1000, description: 'mol per kg of water (molality, "m")' },
  '%w/v': { numerator: 'mass', denominator: 'solutionVolume', factor: 100, description: 'g per 100 mL of solution' },
  '%w/w': { numerator: 'mass', denominator: 'solutionMass', factor: 100, description: 'g per 100 g of solution' },
  '%v/v': { numerator: 'pureVolume', denominator: 'solutionVolume', factor: 100, description: 'mL of pure component (before mixing) per 100 mL of solution' },
  'mg/mL': { numerator: 'mass', denominator: 'solutionVolume', factor: 1000, description: 'mg per mL of solution' },
  'g/L': { numerator: 'mass', denominator: 'solutionVolume', factor: 1000, description: 'g per litre of solution' },
  massFraction: { numerator: 'mass', denominator: 'solutionMass', factor: 1, description: 'mass of component / mass of solution' },
  moleFraction: { numerator: 'moles', denominator: 'totalMoles', factor: 1, description: 'moles of component / total moles including water' },
};

/** Whether a unit needs a solution volume, i.e. a measured solution density or every pure density. */
export const unitNeedsSolutionVolume = (unit: ConcentrationUnit): boolean =>
  UNIT_DEFINITIONS[unit].denominator === 'solutionVolume';
