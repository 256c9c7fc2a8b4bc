import { beforeAll, describe, expect, it } from 'vitest';
import { computeDescriptors, drugLikeness } from './descriptors.ts';
import { functionalGroupCounts } from './functional-groups.ts';
import { loadChemContext, using, type ChemContext } from './rdkit.ts';

let ctx: ChemContext;
beforeAll(async () => {
  ctx = await loadChemContext();
});

const groups = (smiles: string) => using(ctx.rdkit.get_mol(smiles)!, (m) => functionalGroupCounts(ctx, m));
const zero = {
  hydroxyl: 0, amide: 0, sulfoxide: 0, ether: 0, primaryAmine: 0, secondaryAmine: 0, tertiaryAmine: 0,
  carboxylicAcid: 0, amine: 0, polarGroupTotal: 0,
};

describe('functionalGroupCounts (CPA functional groups)', () => {
  it.each([
    ['water', 'O', {}],
    ['glycerol', 'OCC(O)CO', { hydroxyl: 3, polarGroupTotal: 3 }],
    ['DMSO', 'CS(C)=O', { sulfoxide: 1, polarGroupTotal: 1 }],
    ['DMSO, charge-separated', 'C[S+](C)[O-]', { sulfoxide: 1, polarGroupTotal: 1 }],
    ['formamide', 'NC=O', { amide: 1, polarGroupTotal: 1 }],
    ['N,N-dimethylacetamide', 'CC(=O)N(C)C', { amide: 1, polarGroupTotal: 1 }],
    ['urea (one carbonyl, one amide group)', 'NC(N)=O', { amide: 1, polarGroupTotal: 1 }],
    ['diethylene glycol', 'OCCOCCO', { hydroxyl: 2, ether: 1, polarGroupTotal: 2 }],
    ['3-methoxy-1,2-propanediol', 'COCC(O)CO', { hydroxyl: 2, ether: 1, polarGroupTotal: 2 }],
    ['ethyl acetate (ester O is not an ether)', 'CCOC(C)=O', {}],
    ['sucrose', 'OC[C@H]1O[C@@](CO)(O[C@H]2O[C@H](CO)[C@@H](O)[C@H](O)[C@H]2O)[C@@H](O)[C@@H]1O', { hydroxyl: 8, ether: 3, polarGroupTotal: 8 }],
    ['L-proline', 'O=C(O)[C@@H]1CCCN1', { secondaryAmine: 1, amine: 1, carboxylicAcid: 1 }],
    ['L-isoleucine', 'CC[C@H](C)[C@H](N)C(=O)O', { primaryAmine: 1, amine: 1, carboxylicAcid: 1 }],
    ['betaine (quaternary N is not an amine; carboxylate counts)', 'C[N+](C)(C)CC(=O)[O-]', { carboxylicAcid: 1 }],
    ['ectoine (amidine N is not an amine)', 'CC1=N[C@H](C(=O)O)CCN1', { carboxylicAcid: 1 }],
    ['taurine', 'NCCS(=O)(=O)O', { primaryAmine: 1, amine: 1 }],
    ['triethanolamine', 'OCCN(CCO)CCO', { hydroxyl: 3, tertiaryAmine: 1, amine: 1, polarGroupTotal: 3 }],
    ['phenol (aromatic OH counts as hydroxyl)', 'Oc1ccccc1', { hydroxyl: 1, polarGroupTotal: 1 }],
    ['pyridine (aromatic N is not an amine)', 'c1ccncc1', {}],
  ])('%s', (_name, smiles, expected) => {
    expect(groups(smiles)).toEqual({ ...zero, ...expected });
  });
});

describe('drug-likeness flags', () => {
  it('counts Lipinski violations and applies the one-violation allowance', () => {
    expect(drugLikeness({ amw: 342.3, CrippenClogP: -5.4, lipinskiHBD: 8, lipinskiHBA: 11, NumRotatableBonds: 5, tpsa: 189.5 }))
      .toEqual({ lipinskiViolations: 2, lipinskiPass: false, veberPass: false });
    expect(drugLikeness({ amw: 501, CrippenClogP: 1, lipinskiHBD: 1, lipinskiHBA: 2, NumRotatableBonds: 11, tpsa: 20 }))
      .toEqual({ lipinskiViolations: 1, lipinskiPass: true, veberPass: false });
    expect(drugLikeness({ amw: 500, CrippenClogP: 5, lipinskiHBD: 5, lipinskiHBA: 10, NumRotatableBonds: 10, tpsa: 140 }))
      .toEqual({ lipinskiViolations: 0, lipinskiPass: true, veberPass: true });
  });
});

describe('computeDescriptors', () => {
  it('has the full RDKit set plus our counts and flags, all numeric', () => {
    const d = using(ctx.rdkit.get_mol('OC[C@H]1O[C@@](CO)(O[C@H]2O[C@H](CO)[C@@H](O)[C@H](O)[C@H]2O)[C@@H](O)[C@@H]1O')!, (m) => computeDescriptors(ctx, m));
    for (const key of ['exactmw', 'amw', 'CrippenClogP', 'tpsa', 'NumHBD', 'NumHBA', 'NumRotatableBonds', 'chi0v', 'kappa3', 'Phi', 'labuteASA']) {
      expect(typeof d[key]).toBe('number');
    }
    expect(Object.keys(d).length).toBeGreaterThanOrEqual(43 + 13);
    expect(Object.values(d).every((v) => Number.isFinite(v))).toBe(true);
    expect(d).toMatchObject({ hydroxyl: 8, polarGroupTotal: 8, lipinskiViolations: 2, lipinskiPass: 0, veberPass: 0 });
    expect(d.amw).toBeCloseTo(342.3, 1);
  });
});
