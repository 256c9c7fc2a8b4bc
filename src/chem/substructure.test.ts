import { beforeAll, describe, expect, it } from 'vitest';
import { depictSvg } from './depict.ts';
import { ChemInputError } from './errors.ts';
import { isPatternSuperset } from './fingerprint.ts';
import { loadChemContext, type ChemContext } from './rdkit.ts';
import { moleculePatternFingerprint, queryPatternFingerprint, substructureMatches } from './substructure.ts';

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
