import { describe, expect, it } from 'vitest';
import { checkSdf, csvLayout, csvRows, detectDelimiter, ImportFileError, sdfRows } from './import-rows.ts';

const MOL = 'ethanol\n  test\n\n  3  2  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0\n    1.5000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0\n    2.2500    1.2990    0.0000 O   0  0  0  0  0  0  0  0  0  0  0  0\n  1  2  1  0\n  2  3  1  0\nM  END';

describe('CSV import rows', () => {
  it('finds SMILES, name and identifier columns and keeps going past bad rows', () => {
    const { columns, rows } = csvRows('Name,SMILES,CAS,synonyms\n"Glycerol, pure",OCC(O)CO,56-81-5,glycerin|glycerine\nempty,,,\nshort,CCO\n');
    expect(columns).toEqual(['Name', 'SMILES', 'CAS', 'synonyms']);
    expect(rows[0]).toEqual({ index: 0, line: 2, row: { smiles: 'OCC(O)CO', name: 'Glycerol, pure', cas: '56-81-5', synonyms: ['glycerin', 'glycerine'] } });
    expect(rows[1]).toMatchObject({ index: 1, line: 3, error: 'SMILES is empty' });
    expect(rows[2]).toMatchObject({ index: 2, error: 'expected 4 fields, found 2' });
  });

  it('reads TSV and named columns', () => {
    expect(detectDelimiter('smiles\tid')).toBe('\t');
    expect(detectDelimiter('a,b\tc')).toBe(',');
    const { rows } = csvRows('smi\tid\nCCO\tNCI1\n', { smilesColumn: 'smi', nameColumn: 'id' });
    expect(rows[0]?.row).toEqual({ smiles: 'CCO', name: 'NCI1' });
  });

  it('names the columns it found when the SMILES or name column is wrong or absent', () => {
    expect(() => csvLayout(['a', 'b'], {})).toThrow(/no SMILES column.*columns found: "a", "b"/);
    expect(() => csvLayout(['smiles'], { smilesColumn: 'SMILES' })).toThrow(/SMILES column "SMILES" not found; columns found: "smiles"/);
    const error = (() => {
      try {
        csvLayout(['smiles'], { nameColumn: 'title' });
      } catch (e) {
        return e as ImportFileError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error?.field).toBe('nameColumn');
  });

  it('refuses empty files, header-only files and unterminated quotes as a whole', () => {
    expect(() => csvRows('')).toThrow(/empty/);
    expect(() => csvRows('  \n')).toThrow(/empty/);
    expect(() => csvRows('smiles\n')).toThrow(/header but no rows/);
    expect(() => csvRows('smiles\n"CCO\n')).toThrow(/not readable as CSV/);
  });
});

describe('SDF import rows', () => {
  it('takes names from a data field or the title line, identifiers from data fields, and reports broken records', () => {
    const text = `${MOL}\n>  <NAME>\nEthanol\n\n>  <PUBCHEM_COMPOUND_CID>\n702\n\n$$$$\nbroken\n$$$$\n${MOL}\n$$$$\n`;
    const rows = sdfRows(text, { nameField: 'NAME' });
    expect(rows).toHaveLength(3);
    expect(rows[0]?.row).toMatchObject({ name: 'Ethanol', pubchemCid: '702' });
    expect(rows[0]?.row?.molblock).toMatch(/M {2}END$/);
    expect(rows[1]?.error).toMatch(/SDF record 2: record has no "M {2}END" line/);
    expect(rows[2]?.row?.name).toBe('ethanol');
    expect(() => checkSdf(rows, text)).not.toThrow();
  });

  it('refuses a file where no record is usable, and an empty file', () => {
    const text = 'not\nan sdf\n';
    expect(() => checkSdf(sdfRows(text), text)).toThrow(/not a readable SD file/);
    expect(() => checkSdf(sdfRows(''), '')).toThrow(/empty/);
    expect(sdfRows(MOL, {}, 7)[0]?.index).toBe(7);
  });
});
