/**
 * Fahy's q_v*: water molecules per polar group of the penetrating cryoprotectants, evaluated at the
 * minimum concentration that vitrifies (Fahy, Wowk, Wu & Paynter 2004, Cryobiology 48:22–35).
 * Higher q_v* predicts lower non-specific toxicity. At any other composition the same ratio is q_v.
 *
 *   q_v = n_water / Σ_i (n_i · p_i)      over penetrating CPAs i; p_i = polar groups per molecule
 *
 * Counting rule adopted here (UNVERIFIED against the 2004 paper, whose text was not retrieved; see
 * docs/science.md): each alcohol hydroxyl counts 1; a sulfoxide S=O counts 1; an amide group
 * (carbonyl plus its nitrogen, including N-substituted amides) counts 1 — urea's one carbonyl with two
 * nitrogens also counts 1; ether oxygens count 0. The convention is a parameter so it can be corrected
 * without touching callers.
 */
import { WATER_MOLAR_MASS } from './units.ts';

export type PolarGroup = 'hydroxyl' | 'sulfoxide' | 'amide' | 'ether';

export type PolarGroupCounts = Readonly<Partial<Record<PolarGroup, number>>>;

export interface PolarGroupConvention {
  readonly id: string;
  readonly weights: Readonly<Record<PolarGroup, number>>;
  readonly verified: boolean;
  readonly description: string;
}

export const DEFAULT_POLAR_GROUP_CONVENTION: PolarGroupConvention = {
  id: 'cryoprotect-v1',
  weights: { hydroxyl: 1, sulfoxide: 1, amide: 1, ether: 0 },
  verified: false,
  description:
    'Hydroxyl 1, sulfoxide 1, amide (or urea) group 1, ether 0. Follows the patent abstract wording ' +
    '"number of water molecules per polar group on penetrating cryoprotectants"; the exact counting in ' +
    'Fahy et al. 2004 (Cryobiology 48:22) has not been checked.',
};

/**
 * SMARTS that identify each group, for the chemistry layer to count with RDKit. Count distinct matches
 * of the FIRST atom of the pattern (so urea's one carbonyl is one amide group, not two).
 */
export const POLAR_GROUP_SMARTS: Readonly<Record<PolarGroup, string>> = {
  hydroxyl: '[OX2H][#6;!$([#6]=[O,S,N])]',
  sulfoxide: '[#16X3]=[OX1]',
  amide: '[CX3](=[OX1])[NX3]',
  ether: '[OX2;H0]([#6])[#6]',
};

/** Group counts of common penetrating CPAs, keyed by InChIKey (science.md §7.1), under the adopted rule. */
export const POLAR_GROUPS_OF_COMMON_CPAS: Readonly<Record<string, { name: string; groups: PolarGroupCounts }>> = {
  'IAZDPXIOMUYVGZ-UHFFFAOYSA-N': { name: 'DMSO', groups: { sulfoxide: 1 } },
  'PEDCQBHIVMGVHV-UHFFFAOYSA-N': { name: 'glycerol', groups: { hydroxyl: 3 } },
  'LYCAIKOWRPUZTN-UHFFFAOYSA-N': { name: 'ethylene glycol', groups: { hydroxyl: 2 } },
  'DNIAPMSPPWPWGF-UHFFFAOYSA-N': { name: '1,2-propanediol', groups: { hydroxyl: 2 } },
  'YPFDHNVEDLHUCE-UHFFFAOYSA-N': { name: '1,3-propanediol', groups: { hydroxyl: 2 } },
  'OWBTYPJTUOEWEK-UHFFFAOYSA-N': { name: '2,3-butanediol', groups: { hydroxyl: 2 } },
  'PUPZLCDOIYMWBV-UHFFFAOYSA-N': { name: '1,3-butanediol', groups: { hydroxyl: 2 } },
  'MTHSVFCYNBDYFN-UHFFFAOYSA-N': { name: 'diethylene glycol', groups: { hydroxyl: 2, ether: 1 } },
  'PSJBSUHYCGQTHZ-UHFFFAOYSA-N': { name: '3-methoxy-1,2-propanediol', groups: { hydroxyl: 2, ether: 1 } },
  'ZHNUHDYFZUAESO-UHFFFAOYSA-N': { name: 'formamide', groups: { amide: 1 } },
  'DLFVBJFMPXGRIB-UHFFFAOYSA-N': { name: 'acetamide', groups: { amide: 1 } },
  'ATHHXGZTWNVVOU-UHFFFAOYSA-N': { name: 'N-methylformamide', groups: { amide: 1 } },
  'ZMXDDKWLCZADIW-UHFFFAOYSA-N': { name: 'N,N-dimethylformamide', groups: { amide: 1 } },
  'FXHOOIRPVKKKFG-UHFFFAOYSA-N': { name: 'N,N-dimethylacetamide', groups: { amide: 1 } },
  'XSQUKJJJFZCRTK-UHFFFAOYSA-N': { name: 'urea', groups: { amide: 1 } },
  'OKKJLVBELUTLKV-UHFFFAOYSA-N': { name: 'methanol', groups: { hydroxyl: 1 } },
  'LFQSCWFLJHTTHZ-UHFFFAOYSA-N': { name: 'ethanol', groups: { hydroxyl: 1 } },
};

export function polarGroupCount(groups: PolarGroupCounts, convention: PolarGroupConvention = DEFAULT_POLAR_GROUP_CONVENTION): number {
  let total = 0;
  for (const [group, count] of Object.entries(groups) as [PolarGroup, number][]) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`Count of ${group} groups must be a non-negative integer, got ${count}`);
    total += count * convention.weights[group];
  }
  return total;
}

export interface PenetratingCpa {
  readonly key: string;
  /** mol per kg of water; null when unknown (e.g. missing molar mass). */
  readonly molality: number | null;
  /** Polar groups per molecule under the chosen convention; null when unknown. */
  readonly polarGroups: number | null;
}

export type QvResult =
  | { readonly value: number; readonly missing: readonly [] }
  | { readonly value: null; readonly missing: readonly { component: string; missing: 'molality' | 'polarGroups' }[]; readonly reason?: string };

/**
 * q_v from molalities (mol CPA per kg water), using n_water = 1000 / M_water per kg of water.
 * Pass only PENETRATING components: non-penetrating solutes (sugars, polymers) are not part of q_v.
 * Gives q_v* when the molalities are those of the minimum vitrifying concentration.
 */
export function qvStar(penetrating: readonly PenetratingCpa[], waterMolarMass: number = WATER_MOLAR_MASS): QvResult {
  const missing: { component: string; missing: 'molality' | 'polarGroups' }[] = [];
  let groupMoles = 0;
  for (const c of penetrating) {
    if (c.molality === null) missing.push({ component: c.key, missing: 'molality' });
    if (c.polarGroups === null) missing.push({ component: c.key, missing: 'polarGroups' });
    if (c.molality === null || c.polarGroups === null) continue;
    if (!Number.isFinite(c.molality) || c.molality < 0) throw new RangeError(`Molality of "${c.key}" must be >= 0`);
    if (!Number.isFinite(c.polarGroups) || c.polarGroups < 0) throw new RangeError(`Polar groups of "${c.key}" must be >= 0`);
    groupMoles += c.molality * c.polarGroups;
  }
  if (missing.length > 0) return { value: null, missing };
  if (groupMoles === 0) return { value: null, missing: [], reason: 'No penetrating polar groups: q_v is unbounded' };
  return { value: 1000 / waterMolarMass / groupMoles, missing: [] };
}
