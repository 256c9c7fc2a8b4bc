import { describe, expect, it } from 'vitest';
import { csvField, csvHeader, csvLine, sdfRecord } from './export-format.ts';
import type { MoleculeDetail } from './schemas.ts';

const glycerol: MoleculeDetail = {
  id: '00000000-0000-4000-8000-000000000001', name: 'Glycerol, "pure"', synonyms: ['glycerin', 'glycerine'],
  canonicalSmiles: 'OCC(O)CO', inchi: 'InChI=1S/C3H8O3/c4-1-3(6)2-5/h3-6H,1-2H2', inchikey: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N',
  formula: 'C3H8O3', molecularWeight: 92.094, exactMass: 92.047, clogp: -1.67, tpsa: 60.69, hbd: 3, hba: 3, rotatableBonds: 2,
  heavyAtoms: 6, polarGroupTotal: 3, identifiers: { pubchemCid: 753, chemblId: 'CHEMBL692', cas: '56-81-5' }, links: [],
  projectId: null, visibility: 'public', source: { key: 'polge1949', title: 'Revival', doi: '10.1038/164666a0', year: 1949 }, createdAt: '2026-01-01T00:00:00.000Z',
  descriptors: { tpsa: 60.69, NumHBD: 3 }, standardization: { input: 'OCC(O)CO', changed: false, steps: [], strippedFragments: [] },
};

describe('export formats', () => {
  it('quotes CSV fields per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
  });

  it('writes one CSV line per molecule with identifiers, source and descriptors in header order', () => {
    const names = ['NumHBD', 'tpsa'];
    const header = csvHeader(names).trim().split(',');
    const line = csvLine(glycerol, names).trim();
    expect(header.slice(-2)).toEqual(['descriptor_NumHBD', 'descriptor_tpsa']);
    expect(line).toContain('"Glycerol, ""pure"""');
    expect(line).toContain('glycerin|glycerine');
    expect(line).toContain('753,CHEMBL692,56-81-5,,polge1949,10.1038/164666a0,3,60.69');
  });

  it('writes an SD record: the name as title, the molblock, then data items, ending with $$$$', () => {
    const record = sdfRecord(glycerol, '\n     RDKit          2D\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n');
    expect(record.startsWith('Glycerol, "pure"\n     RDKit')).toBe(true);
    expect(record).toMatch(/M {2}END\n> {2}<id>\n00000000-0000-4000-8000-000000000001\n\n/);
    expect(record).toMatch(/> {2}<cas>\n56-81-5\n\n/);
    expect(record).not.toMatch(/> {2}<project_id>/); // empty values are left out
    expect(record.endsWith('$$$$\n')).toBe(true);
  });
});
