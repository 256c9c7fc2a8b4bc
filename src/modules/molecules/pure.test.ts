import { describe, expect, it } from 'vitest';
import { parseChange } from './change-feed.ts';
import { identifierQuery, normalizeIdentifiers } from './identifiers-input.ts';
import { moleculeLinks } from './links.ts';
import { decodeCursor, encodeCursor } from './service.ts';
import { structureInput } from './structure-input.ts';

const ID = '00000000-0000-4000-8000-000000000001';

describe('molecule module helpers', () => {
  it('round-trips list cursors per sort and refuses cursors of another sort', () => {
    const c = encodeCursor({ sort: 'clogp', order: 'desc', position: { key: -1.25, id: ID } });
    expect(decodeCursor(c, 'clogp', 'desc')).toEqual({ key: -1.25, id: ID });
    expect(() => decodeCursor(c, 'clogp', 'asc')).toThrow(/sort/);
    expect(() => decodeCursor(c, 'name', 'desc')).toThrow(/sort/);
    expect(decodeCursor(encodeCursor({ sort: 'tpsa', order: 'asc', position: { key: null, id: ID } }), 'tpsa', 'asc').key).toBeNull();
    expect(() => decodeCursor('garbage', 'name', 'asc')).toThrow(/cursor/);
    expect(() => decodeCursor(Buffer.from(JSON.stringify(['name', 'asc', 5, ID])).toString('base64url'), 'name', 'asc')).toThrow();
  });

  it('normalizes identifiers and names the invalid ones', () => {
    expect(normalizeIdentifiers({ cas: '56815', pubchemCid: 'CID: 753', chemblId: 'chembl692' })).toEqual({
      value: { cas: '56-81-5', pubchemCid: 753, chemblId: 'CHEMBL692' }, errors: [],
    });
    expect(normalizeIdentifiers({ cas: null }).value).toEqual({ cas: null });
    const bad = normalizeIdentifiers({ cas: '56-81-6', pubchemCid: -3, chemblId: 'CHEMBL' }, 'molecules[2].');
    expect(bad.errors.map((e) => e.field)).toEqual(['molecules[2].pubchemCid', 'molecules[2].chemblId', 'molecules[2].cas']);
    expect(identifierQuery('64-17-5')).toEqual({ cas: '64-17-5', pubchemCid: null, chemblId: null });
    expect(identifierQuery('CID 702').pubchemCid).toBe(702);
    expect(identifierQuery('glycerol')).toEqual({ cas: null, pubchemCid: null, chemblId: null });
  });

  it('links out by CID when known and by InChIKey otherwise', () => {
    expect(moleculeLinks({ inchikey: 'X', pubchemCid: null, chemblId: null, cas: null })[0]?.url).toMatch(/#query=X$/);
    expect(moleculeLinks({ inchikey: 'X', pubchemCid: 702, chemblId: 'CHEMBL545', cas: '64-17-5' }).map((l) => l.label)).toEqual(['PubChem CID 702', 'CHEMBL545', 'CAS 64-17-5']);
  });

  it('parses change notifications and ignores foreign payloads', () => {
    expect(parseChange(JSON.stringify({ op: 'insert', id: ID, projectId: null, oldProjectId: null }))).toEqual({ op: 'insert', id: ID, projectId: null, oldProjectId: null });
    expect(parseChange('not json')).toBeNull();
    expect(parseChange(JSON.stringify({ op: 'truncate', id: ID }))).toBeNull();
    expect(parseChange(undefined)).toBeNull();
  });

  it('accepts exactly one structure and unwraps a single SD record', () => {
    expect(structureInput({ smiles: 'CCO' })).toEqual({ input: { smiles: 'CCO' } });
    expect(structureInput({})).toMatchObject({ error: 'give smiles or molblock' });
    expect(structureInput({ smiles: 'C', molblock: 'x' })).toMatchObject({ field: 'smiles' });
    const mol = 'x\n  t\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0\nM  END';
    expect(structureInput({ molblock: `${mol}\n>  <NAME>\nmethane\n\n$$$$\n` })).toEqual({ input: { molblock: mol } });
    expect(structureInput({ molblock: `${mol}\n$$$$\n${mol}\n$$$$\n` })).toMatchObject({ error: 'expected one SD-file record, found 2' });
  });
});
