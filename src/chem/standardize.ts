import { ChemInternalError } from './errors.ts';
import { parseMolJson, type JsonAtom, type MolGraph } from './mol-json.ts';
import { using, type ChemContext } from './rdkit.ts';
import { editAtoms, type AtomEdit } from './smiles-atoms.ts';

export interface StandardizationReport {
  input: string;
  changed: boolean;
  steps: string[];
  strippedFragments: string[];
}

export interface StandardizedStructure {
  /** Canonical SMILES of the parent structure that gets registered. */
  smiles: string;
  report: StandardizationReport;
}

/*
 * Our standardization, in order:
 *   1. Keep the parent fragment: the largest fragment containing carbon (salts, counter-ions, water and other
 *      solvents of crystallization are stripped and listed). If no fragment has carbon (NaCl, water, ...) the input
 *      is an inorganic compound in its own right and is kept whole.
 *   2. Neutralize charges that can be neutralized by adding or removing a proton, keeping charge pairs on adjacent
 *      atoms (nitro, N-oxide) and keeping as many anions as are needed to balance permanent cations (quaternary
 *      ammonium), so betaine stays a zwitterion and choline stays a cation.
 * Stereo, isotopes and everything else are kept as drawn.
 *
 * No canonical tautomer on purpose: tautomer canonicalization can move hydrogens and double bonds (and erase
 * stereocentres next to them), so the registered canonical SMILES would differ from what the chemist drew, and the
 * canonical form can change between RDKit releases, which would silently change registered identities. Duplicate
 * detection is on the standard InChIKey, which already treats the common mobile-H tautomers as one compound.
 */
export function standardizeSmiles(ctx: ChemContext, canonicalInput: string, originalText: string): StandardizedStructure {
  const steps: string[] = [];
  const parent = chooseParentFragment(ctx, canonicalInput);
  if (parent.stripped.length > 0) {
    steps.push(`kept largest organic fragment ${parent.smiles}; stripped ${parent.stripped.join(', ')}`);
  }
  const neutral = neutralize(ctx, parent.smiles);
  if (neutral.smiles !== parent.smiles) steps.push(`neutralized charges: ${parent.smiles} -> ${neutral.smiles}`);
  steps.push(...neutral.notes);
  return {
    smiles: neutral.smiles,
    report: { input: originalText, changed: parent.stripped.length > 0 || neutral.smiles !== parent.smiles, steps, strippedFragments: parent.stripped },
  };
}

interface FragmentInfo {
  smiles: string;
  organic: boolean;
  heavyAtoms: number;
  totalAtoms: number;
  sumZ: number;
}

export function chooseParentFragment(ctx: ChemContext, canonicalSmiles: string): { smiles: string; stripped: string[] } {
  // Connected components never share ring-closure digits, so splitting canonical SMILES on '.' is exact.
  const pieces = canonicalSmiles.split('.');
  if (pieces.length === 1) return { smiles: canonicalSmiles, stripped: [] };
  const fragments = pieces.map((smiles) => describeFragment(ctx, smiles));
  const organic = fragments.filter((f) => f.organic);
  if (organic.length === 0) return { smiles: canonicalSmiles, stripped: [] };
  // Largest by heavy atoms, then by atoms including hydrogens, then heavier atoms, then SMILES for determinism.
  const best = organic.reduce((a, b) => (compareFragments(a, b) <= 0 ? a : b));
  const bestIndex = fragments.indexOf(best);
  return { smiles: best.smiles, stripped: fragments.filter((_, i) => i !== bestIndex).map((f) => f.smiles) };
}

function compareFragments(a: FragmentInfo, b: FragmentInfo): number {
  return (
    b.heavyAtoms - a.heavyAtoms || b.totalAtoms - a.totalAtoms || b.sumZ - a.sumZ || (a.smiles < b.smiles ? -1 : a.smiles > b.smiles ? 1 : 0)
  );
}

function describeFragment(ctx: ChemContext, smiles: string): FragmentInfo {
  const graph = graphOf(ctx, smiles);
  let totalAtoms = 0;
  let sumZ = 0;
  for (const a of graph.atoms) {
    totalAtoms += 1 + a.implicitHs;
    sumZ += a.z + a.implicitHs;
  }
  return {
    smiles,
    organic: graph.atoms.some((a) => a.z === 6),
    heavyAtoms: graph.atoms.filter((a) => a.z !== 1).length,
    totalAtoms,
    sumZ,
  };
}

function graphOf(ctx: ChemContext, smiles: string): MolGraph {
  const mol = ctx.rdkit.get_mol(smiles);
  if (!mol) throw new ChemInternalError(`RDKit could not re-parse its own SMILES ${smiles}`);
  return using(mol, (m) => parseMolJson(m.get_json()));
}

const CHARGED_BRACKET_ATOM = /\[[^\]]*[+-][^\]]*\]/;
const PROTONATABLE_ANIONS = new Set([7, 8, 16, 34]); // N, O, S, Se
const DEPROTONATABLE_CATIONS = new Set([7, 8, 15, 16]); // N, O, P, S

/**
 * Removes charges by (de)protonation where that gives the same compound in neutral form. Returns the canonical
 * SMILES and notes about charges deliberately kept.
 */
export function neutralize(ctx: ChemContext, smiles: string): { smiles: string; notes: string[] } {
  // SMILES can only write a charge inside brackets ([N+], [O-]): without one there is nothing to neutralize, and
  // most molecules skip the parse + JSON round trip below.
  if (!CHARGED_BRACKET_ATOM.test(smiles)) return { smiles, notes: [] };
  const graph = graphOf(ctx, smiles);
  const charged = (i: number) => (graph.atoms[i]?.charge ?? 0) !== 0;
  const isolated = (a: JsonAtom) => !a.neighbors.some(charged); // not half of a nitro / N-oxide style pair
  const cations = graph.atoms.filter((a) => a.charge > 0 && isolated(a));
  const anions = graph.atoms.filter((a) => a.charge < 0 && isolated(a));

  const removableCations = cations.filter((a) => a.charge === 1 && a.implicitHs > 0 && DEPROTONATABLE_CATIONS.has(a.z));
  const permanentPositive = cations.filter((a) => !removableCations.includes(a)).reduce((s, a) => s + a.charge, 0);
  const protonatable = anions
    .filter((a) => a.charge === -1 && PROTONATABLE_ANIONS.has(a.z))
    .sort((a, b) => anionKeepRank(graph, a) - anionKeepRank(graph, b) || a.index - b.index);
  // The strongest acids stay deprotonated to balance charges that cannot be removed (quaternary N: betaine).
  const keptAnions = protonatable.slice(0, permanentPositive);
  const protonate = protonatable.slice(permanentPositive);

  const edits = new Map<number, AtomEdit>();
  for (const a of removableCations) edits.set(a.index, (t) => ({ ...t, charge: 0, hCount: t.hCount - 1 }));
  for (const a of protonate) edits.set(a.index, (t) => ({ ...t, charge: 0, hCount: t.hCount + 1 }));
  const notes: string[] = [];
  if (keptAnions.length > 0) notes.push(`kept ${keptAnions.length} anionic atom(s) balancing a permanent positive charge`);
  if (edits.size === 0) return { smiles, notes };

  const edited = editAtoms(smiles, edits);
  const mol = ctx.rdkit.get_mol(edited);
  if (!mol || !mol.is_valid()) {
    mol?.delete();
    return { smiles, notes: [...notes, `charges kept: neutral form ${edited} is not a valid structure`] };
  }
  return { smiles: using(mol, (m) => m.get_smiles()), notes };
}

/** Lower = more acidic conjugate acid = kept charged first. */
function anionKeepRank(graph: MolGraph, anion: JsonAtom): number {
  if (anion.z !== 8) return anion.z === 16 ? 3 : 4;
  const center = graph.atoms[anion.neighbors[0] ?? -1];
  if (!center) return 2;
  const hasDoubleBondedO = graph.bonds.some(
    (b) => b.order === 2 && b.atoms.includes(center.index) && graph.atoms[b.atoms[0] === center.index ? b.atoms[1] : b.atoms[0]]?.z === 8,
  );
  if (hasDoubleBondedO && (center.z === 16 || center.z === 15)) return 0; // sulfonate, sulfate, phosphate
  if (hasDoubleBondedO) return 1; // carboxylate
  return 2; // alkoxide, phenolate
}
