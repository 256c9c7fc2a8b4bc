import { beforeAll, describe, expect, it } from 'vitest';
import { loadChemContext, using, type ChemContext } from './rdkit.ts';
import { chooseParentFragment, neutralize, standardizeSmiles } from './standardize.ts';

let ctx: ChemContext;
beforeAll(async () => {
  ctx = await loadChemContext();
});

const canon = (smiles: string) => using(ctx.rdkit.get_mol(smiles)!, (m) => m.get_smiles());
const standardize = (smiles: string) => standardizeSmiles(ctx, canon(smiles), smiles);

describe('standardizeSmiles', () => {
  it('strips sodium and neutralizes acetate to acetic acid, saying so', () => {
    const { smiles, report } = standardize('[Na+].CC(=O)[O-]');
    expect(smiles).toBe('CC(=O)O');
    expect(report).toEqual({
      input: '[Na+].CC(=O)[O-]',
      changed: true,
      strippedFragments: ['[Na+]'],
      steps: ['kept largest organic fragment CC(=O)[O-]; stripped [Na+]', 'neutralized charges: CC(=O)[O-] -> CC(=O)O'],
    });
  });

  it('keeps betaine as a zwitterion (quaternary N cannot be neutralized)', () => {
    const { smiles, report } = standardize('C[N+](C)(C)CC(=O)[O-]');
    expect(smiles).toBe('C[N+](C)(C)CC(=O)[O-]');
    expect(report.changed).toBe(false);
    expect(report.strippedFragments).toEqual([]);
  });

  it('keeps a quaternary cation after stripping its counter-ion (choline chloride)', () => {
    const { smiles, report } = standardize('C[N+](C)(C)CCO.[Cl-]');
    expect(smiles).toBe('C[N+](C)(C)CCO');
    expect(report.strippedFragments).toEqual(['[Cl-]']);
  });

  it('neutralizes a protonated amine salt and an amino-acid zwitterion', () => {
    expect(standardize('CC[NH3+].[Cl-]').smiles).toBe('CCN');
    expect(standardize('C[C@H]([NH3+])C(=O)[O-]').smiles).toBe('C[C@H](N)C(=O)O');
  });

  it('keeps charge-separated groups such as nitro and N-oxides', () => {
    expect(standardize('O=[N+]([O-])c1ccccc1').report.changed).toBe(false);
    expect(standardize('C[N+](C)([O-])C').smiles).toBe(canon('C[N+](C)([O-])C'));
  });

  it('keeps stereo, including double-bond geometry, through neutralization', () => {
    expect(standardize('C/C=C/C(=O)[O-].[K+]').smiles).toBe('C/C=C/C(=O)O');
    const sucrose = 'OC[C@H]1O[C@@](CO)(O[C@H]2O[C@H](CO)[C@@H](O)[C@H](O)[C@H]2O)[C@@H](O)[C@@H]1O';
    expect(standardize(`${sucrose}.O.O`).smiles).toBe(sucrose);
  });

  it('does not canonicalize tautomers', () => {
    expect(standardize('CC(=O)C').smiles).toBe('CC(C)=O');
    expect(standardize('C=C(C)O').smiles).toBe('C=C(C)O'); // the enol stays an enol
  });

  it('keeps an all-inorganic input whole (NaCl is a formulation component in its own right)', () => {
    const { smiles, report } = standardize('[Na+].[Cl-]');
    expect(smiles).toBe('[Cl-].[Na+]');
    expect(report.changed).toBe(false);
  });

  it('keeps a permanent cation\'s counter-anion on the strongest acid (sulfonate before carboxylate)', () => {
    const { smiles } = standardize('C[N+](C)(C)CC(CS(=O)(=O)[O-])C(=O)[O-].[Na+]');
    expect(smiles).toBe(canon('C[N+](C)(C)CC(CS(=O)(=O)[O-])C(=O)O'));
  });
});

describe('chooseParentFragment', () => {
  it('prefers the largest fragment containing carbon and lists the rest', () => {
    expect(chooseParentFragment(ctx, canon('OCCO.O.[Na+].[Cl-]'))).toEqual({ smiles: 'OCCO', stripped: ['O', '[Cl-]', '[Na+]'] });
    expect(chooseParentFragment(ctx, canon('CO.OCC(O)CO'))).toEqual({ smiles: 'OCC(O)CO', stripped: ['CO'] });
    expect(chooseParentFragment(ctx, canon('OCCO.OCCO'))).toEqual({ smiles: 'OCCO', stripped: ['OCCO'] });
  });
});

describe('neutralize', () => {
  it('protonates a phenolate and deprotonates a pyridinium', () => {
    expect(neutralize(ctx, canon('[O-]c1ccccc1')).smiles).toBe('Oc1ccccc1');
    expect(neutralize(ctx, canon('c1cc[nH+]cc1')).smiles).toBe('c1ccncc1');
  });
});
