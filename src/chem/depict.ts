import { ChemInputError } from './errors.ts';
import { parseStructure, structureText } from './input.ts';
import { using, type ChemContext } from './rdkit.ts';
import { matchedAtomsAndBonds, parseQuery } from './substructure.ts';

export interface DepictInput {
  smiles: string;
  width?: number;
  height?: number;
  /** SMARTS (or SMILES) whose matches are highlighted. */
  highlightQuery?: string;
}

const MIN_SIZE = 16;
const MAX_SIZE = 2000;

function size(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < MIN_SIZE || value > MAX_SIZE) {
    throw new ChemInputError(`${name} must be an integer between ${MIN_SIZE} and ${MAX_SIZE} pixels`);
  }
  return value;
}

/** 2D depiction as SVG text, optionally with the atoms and bonds of every query match highlighted. */
export function depictSvg(ctx: ChemContext, input: DepictInput): string {
  const width = size(input.width, 300, 'width');
  const height = size(input.height, 200, 'height');
  return using(parseStructure(ctx, structureText({ smiles: input.smiles })), (mol) => {
    if (!input.highlightQuery) return mol.get_svg(width, height);
    const highlight = using(parseQuery(ctx, input.highlightQuery), (q) => matchedAtomsAndBonds(mol, q));
    return mol.get_svg_with_highlights(JSON.stringify({ width, height, ...highlight }));
  });
}
