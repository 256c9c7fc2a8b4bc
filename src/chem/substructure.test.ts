import { beforeAll, describe, expect, it } from 'vitest';
import { depictSvg } from './depict.ts';
import { ChemInputError } from './errors.ts';
import { isPatternSuperset } from './fingerprint.ts';
import { loadChemContext, using, type ChemContext } from './rdkit.ts';
import { moleculePatternFingerprint, queryNeedsRingSizes, queryPatternFingerprint, substructureMatches } from './substructure.ts';

let ctx: ChemContext;
beforeAll(async () => {
  ctx = await loadChemContext();
});

const library = [
  { id: 'glycerol', smiles: 'OCC(O)CO' },
  { id: 'dmso', smiles: 'CS(C)=O' },
  { id: 'eg', smiles: 'OCCO' },
  { id: 'formamide', smiles: 'NC=O' },
  { id: 'dmf', smiles: 'CN(C)C=O' },
  { id: 'broken', smiles: 'C1CC' },
  { id: 'benzene', smiles: 'c1ccccc1' },
  { id: 'phenol', smiles: 'Oc1ccccc1' },
];

describe('substructureMatches', () => {
  it('treats the query as SMARTS', () => {
    expect(substructureMatches(ctx, '[OX2H][CX4]', library)).toEqual(['glycerol', 'eg']);
    expect(substructureMatches(ctx, '[NX3][CX3]=O', library)).toEqual(['formamide', 'dmf']);
    expect(substructureMatches(ctx, 'c1ccccc1', library)).toEqual(['benzene', 'phenol']);
  });

  it('accepts SMILES-written queries and explains queries that are neither SMARTS nor SMILES', () => {
    // RDKit's SMARTS parser accepts nearly every SMILES, so the SMILES fallback in parseQuery rarely triggers.
    expect(substructureMatches(ctx, 'OCCO', library)).toEqual(['glycerol', 'eg']);
    expect(() => substructureMatches(ctx, 'C(=O)(O', library)).toThrow(/neither valid SMARTS nor SMILES/);
  });

  it('rejects an empty query', () => {
    expect(() => substructureMatches(ctx, '  ', library)).toThrow(/empty/);
  });

  it('gives the same hits with the pattern-fingerprint pre-screen as without', () => {
    const withFp = library
      .filter((c) => c.id !== 'broken')
      .map((c) => ({ ...c, patternFp: moleculePatternFingerprint(ctx, c.smiles) }));
    for (const query of ['OCCO', '[OX2H]', 'C=O', 'c1ccccc1O', 'CS(C)=O']) {
      expect(substructureMatches(ctx, query, withFp)).toEqual(substructureMatches(ctx, query, library.filter((c) => c.id !== 'broken')));
    }
    const queryFp = queryPatternFingerprint(ctx, 'CS(C)=O');
    expect(withFp.filter((c) => isPatternSuperset(c.patternFp, queryFp)).map((c) => c.id)).toContain('dmso');
    expect(isPatternSuperset(withFp.find((c) => c.id === 'benzene')!.patternFp, queryFp)).toBe(false);
  });
});

describe('substructureMatches without full sanitization of candidates', () => {
  // Fused, bridged and caged ring systems (where fastFindRings and the SSSR differ), heteroaromatics, charges,
  // explicit-H atoms, stereo: all as registered canonical SMILES.
  const molecules = () => [
    'C1CC2CCC1C2', 'C12C3C4C1C5C2C3C45', 'C1C2CC3CC1CC(C2)C3', 'c1ccc2ccccc2c1', 'c1ccc2c(c1)ccc1ccccc12', 'O=C1CCCCC1',
    'c1ccc2[nH]ccc2c1', 'Cc1ccncc1', 'c1ccc2sc(SSc3nc4ccccc4s3)nc2c1', 'O=c1[nH][nH]c2c(Cl)cccc12',
    'CC(=O)C1Cc2ccccc2C1=O', 'C[N+](C)(C)CC(=O)[O-]', 'O=[N+]([O-])c1ccc(O)cc1', 'C[C@H](N)C(=O)O', 'C/C=C/C(=O)O',
    'OCC(O)CO', 'CS(C)=O', 'C1CCC2(CC1)CCCC2', 'C1=CC2=CC=CC=CC2=C1', 'c1ccc2c(c1)Cc1ccccc1-2', 'C#CC1CC1', '[2H]C([2H])([2H])O', '[H][H]', '[H]/N=C/c1ccccc1', '[H]C([H])([H])[H]', 'F/C=C/F', '[NH4+]', '[O-][n+]1ccccc1',
    'NS(=O)(=O)c1ccc(C(=O)O)cc1', 'O=C(O)CCc1ccc2c(c1)OCO2', 'C1CC1C1CC1', 'c1ccc(-c2ccccc2)cc1', 'O=C1NC(=O)C2(CCCC2)N1',
  ].map((smiles, i) => ({ id: i, smiles: using(ctx.rdkit.get_mol(smiles)!, (m) => m.get_smiles()) })); // as stored
  const queries = [
    '[r3]', '[r4]', '[r5]', '[r6]', '[r{7-}]', '[R2]', '[R3]', '[R]', '[R0]', '[x3]', '*@*', '[C^3]', '[c^2]', '[N^2]',
    'c1ccncc1', 'C(=O)O', 'S(=O)(=O)N', '[OX2H][CX4][CX4][OX2H]', '[nH]', '[#1]', '[CH3]', '[v4]', '[N+;H0]', '[$([CX3]=O)]',
    '[C;R1]', 'C1CCCCC1', '[Br,Cl]', 'c:c-c', '[A;r5]', '[#1]~*', '[H]', '[2H]', '[NX4+]', 'N=C', 'F/C=C/F',
  ];

  it('equals matching fully sanitized molecules, for ring-size and hybridization queries too', () => {
    const stored = molecules();
    expect(stored.find((m) => m.id === 18)?.smiles).toBe('c1ccc2cccc-2cc1'); // azulene, as RDKit writes it
    expect(stored.some((m) => m.smiles.includes('[H]'))).toBe(true); // explicit hydrogens that registration keeps
    for (const query of queries) {
      const q = ctx.rdkit.get_qmol(query)!;
      const expected = stored.filter((m) => {
        const mol = ctx.rdkit.get_mol(m.smiles)!;
        try {
          return mol.get_substruct_match(q) !== '{}';
        } finally {
          mol.delete();
        }
      }).map((m) => m.id);
      q.delete();
      expect(substructureMatches(ctx, query, stored), query).toEqual(expected);
    }
  });

  it('knows which queries need SSSR rings or hybridization', () => {
    for (const q of ['[r5]', '[R2]', '[R{2-}]', '[C^3]', '[$(C[r6])]', 'C[Ar]', '[c;r6]', '[R0]']) expect(queryNeedsRingSizes(q), q).toBe(true);
    for (const q of ['c1ccncc1', '[R]', '[x2]', '*@*', '[Br]', 'Br', '[Cr]', '[Sr+2]', 'CCl', '[Rb+]']) expect(queryNeedsRingSizes(q), q).toBe(false);
  });
});

describe('queryPatternFingerprint (with the screening form)', () => {
  const molecules = [
    'OCC(O)CO', 'OCCO', 'CC(O)CO', 'O=C(O)c1ccccc1', 'CC(=O)OC', 'NC(=O)c1ccccc1', 'CNC(=O)c1ccccc1Cl', 'O=C(Nc1ccccc1)c1ccccc1',
    'NS(=O)(=O)c1ccc(C(=O)O)cc1', 'CS(=O)(=O)NC', 'c1ccncc1', 'Cc1ccncc1', 'c1ccc2ncccc2c1', 'O=[N+]([O-])c1ccc(O)cc1',
    'C[N+](C)(C)CC(=O)[O-]', 'OC1CCCCC1O', 'OC1COC(CO)C(O)C1O', 'c1ccc2[nH]ccc2c1', 'CC(=O)[O-].[Na+]', 'OCC(O)C(O)C(O)C(O)CO',
    'c1ccc(-c2ccccc2)cc1', 'c1ccc2c(c1)Cc1ccccc1-2', 'O=C1NC(=O)c2ccccc21', 'CCOC(=O)c1ccc(N)cc1', 'OC(c1ccccc1)c1ccccc1',
    'C1=CC2=CC=CC=CC2=C1', 'O=S(=O)(O)c1ccccc1', 'CN1CCN(C)CC1', 'ClCCl', 'BrC(Br)Br', 'OCC(=O)O', 'O=C(O)CC(O)(CC(=O)O)C(=O)O',
  ];
  const queries = [
    'c1ccccc1C(=O)N', '[OX2H][CX4][CX4][OX2H]', 'c1ccncc1', 'C(=O)O', 'S(=O)(=O)N', '[N+](=O)[O-]', 'OCCO', 'C1CCCCC1',
    '[OX2H]', 'C=O', 'cC(=O)N', '[$(C=O)]O', 'ClCCl', 'c-c', 'cc', '[CX3](=O)[OX2H1]', 'NC=O', 'C(=O)[O-]', 'c1ccc2ccccc2c1',
  ];

  it('never screens out a molecule that matches', () => {
    for (const query of queries) {
      const queryFp = queryPatternFingerprint(ctx, query);
      const q = ctx.rdkit.get_qmol(query)!;
      for (const smiles of molecules) {
        const matches = using(ctx.rdkit.get_mol(smiles)!, (m) => m.get_substruct_match(q) !== '{}');
        if (matches) expect(isPatternSuperset(moleculePatternFingerprint(ctx, smiles), queryFp), `${query} in ${smiles}`).toBe(true);
      }
      q.delete();
    }
  });

  it('sets more bits than the query alone where a screening form exists', () => {
    const bits = (fp: Uint8Array) => fp.reduce((n, b) => n + b.toString(2).replaceAll('0', '').length, 0);
    const alone = (query: string) => using(ctx.rdkit.get_qmol(query)!, (q) => Uint8Array.from(q.get_pattern_fp_as_uint8array()));
    for (const query of ['[OX2H][CX4][CX4][OX2H]', 'C(=O)O', 'c1ccccc1C(=O)N']) {
      expect(bits(queryPatternFingerprint(ctx, query)), query).toBeGreaterThan(bits(alone(query)));
    }
  });
});

describe('depictSvg', () => {
  it('draws SVG, highlighting query matches', () => {
    const plain = depictSvg(ctx, { smiles: 'OCC(O)CO', width: 240, height: 160 });
    const highlighted = depictSvg(ctx, { smiles: 'OCC(O)CO', width: 240, height: 160, highlightQuery: '[OX2H]' });
    expect(plain).toContain("width='240px'");
    expect(plain).toContain('</svg>');
    // RDKit draws highlights as extra filled ellipses (atoms) and coloured paths (bonds).
    expect(highlighted.length).toBeGreaterThan(plain.length);
    expect(highlighted).toMatch(/<ellipse/);
    expect(plain).not.toMatch(/<ellipse/);
  });

  it('rejects bad structures, queries and sizes', () => {
    expect(() => depictSvg(ctx, { smiles: 'C(' })).toThrow(ChemInputError);
    expect(() => depictSvg(ctx, { smiles: 'CCO', highlightQuery: '[C' })).toThrow(ChemInputError);
    expect(() => depictSvg(ctx, { smiles: 'CCO', width: 5 })).toThrow(/width/);
  });
});
