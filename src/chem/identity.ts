import { ChemInputError } from './errors.ts';
import { hillFormula } from './formula.ts';
import { parseMolJson } from './mol-json.ts';
import type { ChemContext, Mol } from './rdkit.ts';

export interface StructureIdentity {
  canonicalSmiles: string;
  inchi: string;
  inchikey: string;
  formula: string;
}

/** Canonical SMILES, standard InChI/InChIKey (duplicate detection key) and Hill formula of a molecule. */
export function structureIdentity(ctx: ChemContext, mol: Mol): StructureIdentity {
  const canonicalSmiles = mol.get_smiles();
  const inchi = mol.get_inchi();
  if (!inchi.startsWith('InChI=')) {
    throw new ChemInputError(`InChI could not be generated for ${canonicalSmiles}`);
  }
  const inchikey = ctx.rdkit.get_inchikey_for_inchi(inchi);
  if (!/^[A-Z]{14}-[A-Z]{10}-[A-Z]$/.test(inchikey)) {
    throw new ChemInputError(`InChIKey could not be generated for ${canonicalSmiles}`);
  }
  return { canonicalSmiles, inchi, inchikey, formula: hillFormula(parseMolJson(mol.get_json())) };
}
