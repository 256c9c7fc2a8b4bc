import { beforeAll, describe, expect, it } from 'vitest';
import { loadChemContext, type ChemContext } from './rdkit.ts';
import { registerStructure } from './register.ts';
import { parseSdf } from './sdf.ts';

const GLYCEROL = `glycerol
     RDKit          2D

  6  5  0  0  0  0  0  0  0  0999 V2000
    0.0000    0.0000    0.0000 O   0  0
    1.2990    0.7500    0.0000 C   0  0
    2.5981   -0.0000    0.0000 C   0  0
    2.5981   -1.5000    0.0000 O   0  0
    3.8971    0.7500    0.0000 C   0  0
    5.1962   -0.0000    0.0000 O   0  0
  1  2  1  0
  2  3  1  0
  3  4  1  0
  3  5  1  0
  5  6  1  0
M  END`;

let ctx: ChemContext;
beforeAll(async () => {
  ctx = await loadChemContext();
});

describe('parseSdf', () => {
  it('splits records and reads single- and multi-line data items', () => {
    const text = [
      GLYCEROL,
      '> <NAME>',
      'Glycerol',
      '',
      '>  <CAS> (1)',
      '56-81-5',
      '',
      '> <NOTES>',
      'line one',
      'line two',
      '',
      '$$$$',
      GLYCEROL.replace('glycerol', ''),
      '$$$$',
      '',
    ].join('\r\n');
    const records = parseSdf(text);
    expect(records).toHaveLength(2);
    expect(records[0]).toEqual({
      index: 0,
      molblock: GLYCEROL,
      properties: { NAME: 'Glycerol', CAS: '56-81-5', NOTES: 'line one\nline two' },
    });
    expect(records[1]?.properties).toEqual({});
    expect(records[1]?.molblock.startsWith('\n')).toBe(true); // the blank name line is kept
    expect(registerStructure(ctx, { molblock: records[0]!.molblock }).canonicalSmiles).toBe('OCC(O)CO');
    expect(registerStructure(ctx, { molblock: records[1]!.molblock }).inchikey).toBe('PEDCQBHIVMGVHV-UHFFFAOYSA-N');
  });

  it('turns broken records into error entries and keeps the others', () => {
    const text = [
      'no end here', 'junk', '$$$$',
      GLYCEROL, '> <ID>', '7', '', '$$$$',
      '$$$$',
      'x', '', '', 'not a counts line', 'M  END', '$$$$',
      GLYCEROL, 'stray text', '$$$$',
      GLYCEROL, '> <ID>', '9', // last record without "$$$$" and without the blank line
    ].join('\n');
    const records = parseSdf(text);
    expect(records.map((r) => [r.index, r.error ?? null])).toEqual([
      [0, 'record has no "M  END" line'],
      [1, null],
      [2, 'empty record'],
      [3, 'counts line (line 4) declares neither V2000 nor V3000'],
      [4, 'unexpected line after "M  END": stray text'],
      [5, null],
    ]);
    expect(records[1]?.properties).toEqual({ ID: '7' });
    expect(records[5]?.properties).toEqual({ ID: '9' });
  });

  it('returns nothing for empty text', () => {
    expect(parseSdf('')).toEqual([]);
    expect(parseSdf('\n\n  \n')).toEqual([]);
  });
});
