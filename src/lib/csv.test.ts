import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv.ts';

describe('CSV (RFC 4180)', () => {
  it('handles quotes, embedded commas, doubled quotes, newlines in fields, CRLF and a BOM', () => {
    const text = '\uFEFFname,smiles,note\r\n"1,2-Propanediol",CC(O)CO,"said ""PG""\nsecond line"\r\nWater,O,\r\n';
    const { columns, records } = parseCsv(text);
    expect(columns).toEqual(['name', 'smiles', 'note']);
    expect(records).toEqual([
      { line: 2, values: { name: '1,2-Propanediol', smiles: 'CC(O)CO', note: 'said "PG"\nsecond line' } },
      { line: 4, values: { name: 'Water', smiles: 'O', note: '' } },
    ]);
  });

  it('names the line of a malformed record', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(new CsvError('expected 2 fields, found 1', 3));
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow(/unterminated/);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/duplicate column "a"/);
    expect(() => parseCsv('a,b\n1,x"y"\n')).toThrow(new CsvError('quote inside an unquoted field', 2));
  });

  it('returns nothing for an empty file', () => {
    expect(parseCsv('')).toEqual({ columns: [], records: [] });
  });
});
