import { beforeAll, describe, expect, it } from 'vitest';
import { elementSymbol, hillFormula } from './formula.ts';
import { parseMolJson } from './mol-json.ts';
import { loadChemContext, using, type ChemContext } from './rdkit.ts';

let ctx: ChemContext;
beforeAll(async () => {
  ctx = await loadChemContext();
});

const formula = (smiles: string) => using(ctx.rdkit.get_mol(smiles)!, (m) => hillFormula(parseMolJson(m.get_json())));

describe('hillFormula', () => {
  it.each([
    ['OCC(O)CO', 'C3H8O3'],
    ['CS(C)=O', 'C2H6OS'],
    ['O', 'H2O'],
    ['NCCS(=O)(=O)O', 'C2H7NO3S'],
    ['[Na+].[Cl-]', 'ClNa'],
    ['C[N+](C)(C)CCO', 'C5H14NO+'],
    ['OS(=O)(=O)[O-].[O-]S(=O)(=O)[O-]', 'HO8S2-3'],
    ['[2H]OC', 'CH4O'],
    ['c1ccncc1', 'C5H5N'],
    ['BrCCl', 'CH2BrCl'],
  ])('%s -> %s', (smiles, expected) => {
    expect(formula(smiles)).toBe(expected);
  });

  it('knows the periodic table by atomic number', () => {
    expect(elementSymbol(1)).toBe('H');
    expect(elementSymbol(26)).toBe('Fe');
    expect(elementSymbol(118)).toBe('Og');
    expect(() => elementSymbol(119)).toThrow(RangeError);
  });
});
