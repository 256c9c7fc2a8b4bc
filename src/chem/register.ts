import { computeDescriptors } from './descriptors.ts';
import { ChemInternalError } from './errors.ts';
import { morganFingerprint, patternFingerprint } from './fingerprint.ts';
import { structureIdentity } from './identity.ts';
import { parseCanonical, structureText, type StructureInput } from './input.ts';
import { using, type ChemContext } from './rdkit.ts';
import { standardizeSmiles, type StandardizationReport } from './standardize.ts';

export type { StandardizationReport, StructureInput };

export interface RegisteredStructure {
  canonicalSmiles: string;
  inchi: string;
  inchikey: string;
  formula: string;
  /** Average molecular weight (RDKit 'amw'), g/mol. */
  molecularWeight: number;
  /** Monoisotopic mass (RDKit 'exactmw'), Da. */
  exactMass: number;
  /** RDKit get_descriptors() + CPA functional-group counts + Lipinski/Veber flags (see descriptors.ts). */
  descriptors: Record<string, number>;
  /** Morgan radius 2, 2048 bits = 256 bytes; bit i = byte i >> 3, bit (i & 7). */
  morganFingerprint: Uint8Array;
  /** RDKit pattern fingerprint (2048 bits) for the substructure pre-screen; computed here to save a re-parse. */
  patternFingerprint: Uint8Array;
  standardization: StandardizationReport;
}

/** Parses, standardizes and describes one structure. Throws ChemInputError when it cannot be registered. */
export function registerStructure(ctx: ChemContext, input: StructureInput): RegisteredStructure {
  const text = structureText(input);
  const parsed = parseCanonical(ctx, text);
  parsed.mol.delete();
  const inputSmiles = parsed.smiles;
  const { smiles, report } = standardizeSmiles(ctx, inputSmiles, text.text);
  const parent = ctx.rdkit.get_mol(smiles);
  if (!parent || !parent.is_valid()) {
    parent?.delete();
    throw new ChemInternalError(`standardized SMILES ${smiles} does not parse`);
  }
  return using(parent, (mol) => {
    const identity = structureIdentity(ctx, mol);
    const descriptors = computeDescriptors(ctx, mol);
    return {
      ...identity,
      molecularWeight: descriptors.amw ?? Number.NaN,
      exactMass: descriptors.exactmw ?? Number.NaN,
      descriptors,
      morganFingerprint: morganFingerprint(mol),
      patternFingerprint: patternFingerprint(mol),
      standardization: report,
    };
  });
}
