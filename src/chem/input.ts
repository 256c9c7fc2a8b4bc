import { ChemInputError } from './errors.ts';
import { clearLog, readLog, type ChemContext, type Mol } from './rdkit.ts';

/** Longest structure text we accept; far above any real CPA, low enough to keep a worker responsive. */
export const MAX_INPUT_CHARS = 100_000;

export type StructureFormat = 'smiles' | 'molblock';

export interface StructureInput {
  smiles?: string;
  molblock?: string;
}

export interface StructureText {
  format: StructureFormat;
  text: string;
}

/** Picks and checks the one structure text a caller gave; throws ChemInputError with a reason otherwise. */
export function structureText(input: StructureInput): StructureText {
  const smiles = input.smiles?.trim();
  // A molblock's first line (the name) may be blank, so only trailing whitespace is trimmed there.
  const molblock = input.molblock?.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  if (smiles && molblock) throw new ChemInputError('give either a SMILES or a molblock, not both');
  if (!smiles && !molblock) throw new ChemInputError('structure is empty: give a SMILES or a molblock');
  const format: StructureFormat = smiles ? 'smiles' : 'molblock';
  const text = (smiles || molblock) as string;
  if (text.length > MAX_INPUT_CHARS) {
    throw new ChemInputError(`structure is too long: ${text.length} characters, at most ${MAX_INPUT_CHARS} allowed`);
  }
  if (format === 'molblock' && !/M {2}END/.test(text)) {
    throw new ChemInputError('molblock is incomplete: no "M  END" line');
  }
  if (format === 'smiles' && /\n/.test(text)) {
    throw new ChemInputError('SMILES must be a single line (did you mean to send a molblock?)');
  }
  return { format, text };
}

const PARSE_DETAILS = JSON.stringify({ sanitize: true, removeHs: true, kekulize: true });

/**
 * Parses a checked structure into an RDKit molecule the caller must delete. Rejects what cannot be a registered
 * compound: parse failures (with RDKit's own message), empty structures and dummy/attachment atoms.
 */
export function parseStructure(ctx: ChemContext, text: StructureText): Mol {
  return parseCanonical(ctx, text).mol;
}

/**
 * parseStructure plus the molecule's canonical SMILES, which the dummy-atom check needs anyway: RDKit writes every
 * atom of atomic number 0 (*, R#, attachment points, atom lists) as `*`, so this costs one get_smiles instead of a
 * get_json (~70 vs ~180 µs here).
 */
export function parseCanonical(ctx: ChemContext, { format, text }: StructureText): { mol: Mol; smiles: string } {
  clearLog(ctx);
  const mol = ctx.rdkit.get_mol(text, PARSE_DETAILS);
  const label = format === 'smiles' ? 'SMILES' : 'molblock';
  if (!mol || !mol.is_valid()) {
    mol?.delete();
    const why = readLog(ctx);
    throw new ChemInputError(`${label} could not be parsed: ${why || 'RDKit rejected it without a message'}`);
  }
  try {
    if (mol.get_num_atoms() === 0) throw new ChemInputError(`${label} has no atoms`);
    const smiles = mol.get_smiles();
    if (smiles.includes('*')) {
      throw new ChemInputError(`${label} contains a dummy or attachment atom (*, R); register a complete compound`);
    }
    return { mol, smiles };
  } catch (err) {
    mol.delete();
    throw err;
  }
}
