import { ChemInternalError } from './errors.ts';
import type { ChemContext, Mol } from './rdkit.ts';

/**
 * CPA-relevant functional groups. Each SMARTS starts with the group's key atom; a group is counted once per distinct
 * key atom, so urea (two N on one carbonyl) is one amide group and a diol is two hydroxyls.
 */
export const FUNCTIONAL_GROUP_SMARTS = {
  // O-H on carbon that is not a carbonyl/imine carbon: alcohols, phenols, hemiacetal OH; not acid OH, not water.
  hydroxyl: '[OX2H1][#6;!$([#6]=[O,S,N])]',
  // Carbonyl carbon bonded to a trivalent N: amides, ureas, carbamates, imides (key atom: the carbonyl C).
  amide: '[CX3](=[OX1])[NX3]',
  // S(=O) with two carbon substituents, in either the double-bond or the charge-separated drawing (key atom: S).
  sulfoxide: '[$([SX3](=[OX1])([#6])[#6]),$([SX3+]([OX1-])([#6])[#6])]',
  // O between two carbons, neither of which is a carbonyl/imine carbon: ethers, acetals, ring O of sugars; not esters.
  ether: '[OX2]([#6;!$([#6]=[O,S,N])])[#6;!$([#6]=[O,S,N])]',
  // Amines: neutral sp3-type N bonded only to carbon (and H), not on a C=O/C=S/C=N carbon (excludes amides,
  // thioamides, amidines such as ectoine's ring N) and not aromatic.
  primaryAmine: '[NX3;H2;+0;!$(N~[!#6]);!$(N[#6]=[O,S,N])]',
  secondaryAmine: '[NX3;H1;+0;!$(N~[!#6]);!$(N[#6]=[O,S,N])]',
  tertiaryAmine: '[NX3;H0;+0;!$(N~[!#6]);!$(N[#6]=[O,S,N])]',
  // COOH or carboxylate (betaine's COO- counts), key atom: the carboxyl C.
  carboxylicAcid: '[CX3](=[OX1])[$([OX2H1]),$([OX1-])]',
} as const;

export type FunctionalGroup = keyof typeof FUNCTIONAL_GROUP_SMARTS;

export type FunctionalGroupCounts = Record<FunctionalGroup, number> & { amine: number; polarGroupTotal: number };

const compiled = new WeakMap<ChemContext, Map<FunctionalGroup, Mol>>();

// Query molecules live as long as their RDKit context (one per worker), so they are compiled once and never deleted.
function queries(ctx: ChemContext): Map<FunctionalGroup, Mol> {
  let map = compiled.get(ctx);
  if (!map) {
    map = new Map();
    for (const [name, smarts] of Object.entries(FUNCTIONAL_GROUP_SMARTS) as [FunctionalGroup, string][]) {
      const q = ctx.rdkit.get_qmol(smarts);
      if (!q) throw new ChemInternalError(`functional-group SMARTS for ${name} does not parse: ${smarts}`);
      map.set(name, q);
    }
    compiled.set(ctx, map);
  }
  return map;
}

const MATCH_DETAILS = JSON.stringify({ maxMatches: 100_000 });

export function countKeyAtoms(mol: Mol, query: Mol): number {
  const matches = JSON.parse(mol.get_substruct_matches(query, MATCH_DETAILS)) as { atoms: number[] }[] | Record<string, never>;
  if (!Array.isArray(matches)) return 0;
  return new Set(matches.map((m) => m.atoms[0])).size;
}

/**
 * Counts per group, plus:
 * - amine = primary + secondary + tertiary;
 * - polarGroupTotal = hydroxyl + amide + sulfoxide: the polar groups of Fahy's qv* (Fahy, Wowk, Wu & Paynter 2004,
 *   Cryobiology 48:22-35, as summarized in shared/research/science.md §3.1: "hydroxyl, sulfoxide, amide groups"),
 *   one per group as defined by the SMARTS above. Ethers, amines and acids are deliberately not included; the exact
 *   counting convention of the 2004 paper is unverified, so treat this as our documented convention.
 */
export function functionalGroupCounts(ctx: ChemContext, mol: Mol): FunctionalGroupCounts {
  const counts = {} as Record<FunctionalGroup, number>;
  for (const [name, query] of queries(ctx)) counts[name] = countKeyAtoms(mol, query);
  return {
    ...counts,
    amine: counts.primaryAmine + counts.secondaryAmine + counts.tertiaryAmine,
    polarGroupTotal: counts.hydroxyl + counts.amide + counts.sulfoxide,
  };
}
