/**
 * Ideal osmolality (osmol per kg of water) of a formulation:
 *
 *   Π_ideal = Σ_j i_j · b_j
 *
 * b_j = molality (mol/kg water), i_j = van 't Hoff factor (particles per formula unit: 1 for
 * non-electrolytes, e.g. 2 for NaCl at complete dissociation). Assumptions, stated in every result:
 * osmotic coefficient φ = 1 (ideal-dilute); no solute–solute interaction; dissociation as given.
 * Real CPA solutions at several mol/kg deviate from ideality, and salts have φ < 1, so this is an
 * order-of-magnitude guide for osmotic design, not a prediction of a measured osmolality.
 */
import { type OsmolPerKg, osmolPerKg } from './units.ts';

export interface OsmoticSolute {
  readonly key: string;
  /** mol/kg water; null when unknown (e.g. polymer without Mn). */
  readonly molality: number | null;
  /** Particles per formula unit; default 1 (non-electrolyte). */
  readonly vantHoffFactor?: number;
}

export interface OsmolalityResult {
  /** Null when any solute's molality is unknown. */
  readonly osmolality: OsmolPerKg | null;
  /** Sum over the solutes whose molality is known (a lower bound when some are missing). */
  readonly knownContribution: OsmolPerKg;
  readonly missing: readonly string[];
  readonly assumptions: readonly string[];
}

export function idealOsmolality(solutes: readonly OsmoticSolute[]): OsmolalityResult {
  let sum = 0;
  const missing: string[] = [];
  const nonDissociating: string[] = [];
  for (const s of solutes) {
    const factor = s.vantHoffFactor ?? 1;
    if (!Number.isFinite(factor) || factor <= 0) throw new RangeError(`van 't Hoff factor of "${s.key}" must be > 0, got ${factor}`);
    if (s.vantHoffFactor === undefined) nonDissociating.push(s.key);
    if (s.molality === null) {
      missing.push(s.key);
      continue;
    }
    if (!Number.isFinite(s.molality) || s.molality < 0) throw new RangeError(`Molality of "${s.key}" must be >= 0, got ${s.molality}`);
    sum += factor * s.molality;
  }
  const assumptions = [
    'Ideal solution: osmotic coefficient 1, osmolality = Σ i·b over solutes (osmol per kg water).',
    'Solutes of the carrier solution count only if listed.',
  ];
  if (nonDissociating.length > 0) {
    assumptions.push(`Treated as non-dissociating (i = 1): ${nonDissociating.join(', ')}.`);
  }
  return {
    osmolality: missing.length > 0 ? null : osmolPerKg(sum),
    knownContribution: osmolPerKg(sum),
    missing,
    assumptions,
  };
}
