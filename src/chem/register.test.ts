import { beforeAll, describe, expect, it } from 'vitest';
import { CPA_IDENTITY_TABLE } from './cpa-identity.fixture.ts';
import { ChemInputError } from './errors.ts';
import { loadChemContext, type ChemContext } from './rdkit.ts';
import { registerStructure } from './register.ts';
import { moleculePatternFingerprint } from './substructure.ts';

let ctx: ChemContext;
beforeAll(async () => {
  ctx = await loadChemContext();
});

describe('registerStructure', () => {
  it('registers glycerol with its canonical SMILES, InChIKey, formula and masses', () => {
    const r = registerStructure(ctx, { smiles: 'C(O)C(O)CO' });
    expect(r.canonicalSmiles).toBe('OCC(O)CO');
    expect(r.inchikey).toBe('PEDCQBHIVMGVHV-UHFFFAOYSA-N');
    expect(r.inchi).toBe('InChI=1S/C3H8O3/c4-1-3(6)2-5/h3-6H,1-2H2');
    expect(r.formula).toBe('C3H8O3');
    expect(r.molecularWeight).toBeCloseTo(92.094, 3);
    expect(r.exactMass).toBeCloseTo(92.0473, 4);
    expect(r.morganFingerprint).toBeInstanceOf(Uint8Array);
    expect(r.morganFingerprint.length).toBe(256);
    expect(r.standardization).toEqual({ input: 'C(O)C(O)CO', changed: false, steps: [], strippedFragments: [] });
  });

  it('carries the pattern fingerprint of the registered (standardized) structure', () => {
    const r = registerStructure(ctx, { smiles: '[Na+].CC(=O)[O-]' });
    expect(r.canonicalSmiles).toBe('CC(=O)O');
    expect([...r.patternFingerprint]).toEqual([...moleculePatternFingerprint(ctx, 'CC(=O)O')]);
  });

  it('rejects R groups and attachment points from molblocks too', () => {
    const molblock = ['', '  test', '', '  2  1  0  0  0  0  0  0  0  0999 V2000',
      '    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0',
      '    1.5000    0.0000    0.0000 R#  0  0  0  0  0  0  0  0  0  0  0  0',
      '  1  2  1  0', 'M  RGP  1   2   1', 'M  END'].join('\n');
    expect(() => registerStructure(ctx, { molblock })).toThrow(/dummy/);
  });

  it('registers DMSO', () => {
    expect(registerStructure(ctx, { smiles: 'CS(C)=O' }).inchikey).toBe('IAZDPXIOMUYVGZ-UHFFFAOYSA-N');
  });

  describe.each(CPA_IDENTITY_TABLE)('science.md §7.1: $name', (row) => {
    it('reproduces canonical SMILES, InChIKey and the tabulated descriptors', () => {
      const r = registerStructure(ctx, { smiles: row.smiles });
      expect(r.canonicalSmiles).toBe(row.rdkitCanonical ?? row.smiles);
      expect(r.inchikey).toBe(row.inchikey);
      expect(r.molecularWeight).toBeCloseTo(row.mw, 1);
      expect(r.descriptors.NumHBD).toBe(row.hbd);
      expect(r.descriptors.NumHBA).toBe(row.hba);
      expect(Math.abs((r.descriptors.CrippenClogP ?? NaN) - row.clogp)).toBeLessThanOrEqual(0.0051);
      expect(Math.abs((r.descriptors.tpsa ?? NaN) - row.tpsa)).toBeLessThanOrEqual(0.051);
      expect(r.standardization.changed).toBe(false);
    });
  });

  it('gives the same identity for a molblock as for the SMILES it was written from', () => {
    const mol = ctx.rdkit.get_mol('C[C@@H](O)CO');
    const v2000 = mol!.get_molblock();
    const v3000 = mol!.get_v3Kmolblock();
    mol!.delete();
    const fromSmiles = registerStructure(ctx, { smiles: 'C[C@@H](O)CO' });
    expect(fromSmiles.inchikey).toBe('DNIAPMSPPWPWGF-GSVOUGTGSA-N'); // (R)-propane-1,2-diol
    for (const molblock of [v2000, v3000]) {
      const r = registerStructure(ctx, { molblock });
      expect(r.canonicalSmiles).toBe(fromSmiles.canonicalSmiles);
      expect(r.inchikey).toBe(fromSmiles.inchikey);
    }
  });

  it('strips a counter-ion and neutralizes sodium acetate to acetic acid', () => {
    const r = registerStructure(ctx, { smiles: '[Na+].CC(=O)[O-]' });
    expect(r.canonicalSmiles).toBe('CC(=O)O');
    expect(r.inchikey).toBe('QTBSBXVTEAMEQO-UHFFFAOYSA-N');
    expect(r.standardization.changed).toBe(true);
    expect(r.standardization.strippedFragments).toEqual(['[Na+]']);
    expect(r.standardization.steps.join('\n')).toMatch(/stripped \[Na\+\]/);
  });

  it.each([
    ['empty', { smiles: '   ' }, /empty/],
    ['unparsable', { smiles: 'CC(C' }, /SMILES could not be parsed: .*parenthes/],
    ['unclosed ring', { smiles: 'C1CC' }, /unclosed ring/],
    ['valence', { smiles: 'C(C)(C)(C)(C)C' }, /valence/i],
    ['dummy atom', { smiles: '*CCO' }, /dummy/],
    ['too long', { smiles: 'C'.repeat(100_001) }, /too long/],
    ['both given', { smiles: 'C', molblock: 'x\nM  END' }, /not both/],
    ['broken molblock', { molblock: '\n  junk\n\n  1  0  0\nM  END' }, /molblock could not be parsed/],
  ])('rejects %s input with a ChemInputError saying why', (_label, input, reason) => {
    let error: unknown;
    try {
      registerStructure(ctx, input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ChemInputError);
    expect((error as ChemInputError).reason).toMatch(reason);
  });
});
