import { describe, expect, it } from 'vitest';
import { EXPECTED_HEADERS, parseReferenceData, type ReferenceDataFiles, type ReferenceFile } from './reference-data.ts';

// Each rule of the reference-data validator, checked on a minimal hand-made data set: one valid row per file, then
// one broken row at a time. The shipped files must pass all of them (reference-data.test.ts); this file proves the
// rules fire, with the file and line that a curator needs to find the row.

const GLYCEROL = 'PEDCQBHIVMGVHV-UHFFFAOYSA-N';

const csv = (file: ReferenceFile, ...rows: string[]) => [EXPECTED_HEADERS[file].join(','), ...rows].join('\n') + '\n';

const VALID: ReferenceDataFiles = {
  sources: csv('sources', 'src1,10.1000/xyz,A title,An Author,2000,A Journal,https://example.org/a,'),
  nonstructuralComponents: csv('nonstructuralComponents', 'saline,Saline carrier,carrier,,1.0,,src1'),
  componentProperties: csv('componentProperties', `${GLYCEROL},glycerol,molar_mass,92.09,g/mol,,src1,L`),
  formulations: csv('formulations', 'f1,Formulation one,saline,as published,src1,false,'),
  formulationComponents: csv('formulationComponents', `f1,glycerol,${GLYCEROL},,10,%w/v,penetrating,src1,false`),
};

/** Issues as "file:line: message" for the valid set with some rows appended (or a file replaced). */
const issuesWith = (extra: Partial<Record<ReferenceFile, string>>, replace: Partial<ReferenceDataFiles> = {}) => {
  const files = { ...VALID, ...replace };
  for (const [file, rows] of Object.entries(extra) as [ReferenceFile, string][]) files[file] = files[file] + rows + '\n';
  return parseReferenceData(files).issues.map((i) => `${i.file}:${i.line}: ${i.message}`);
};

describe('reference data validation rules', () => {
  it('accepts the minimal valid set', () => {
    const { data, issues } = parseReferenceData(VALID);
    expect(issues).toEqual([]);
    expect(data.formulationComponents).toEqual([expect.objectContaining({ formulationKey: 'f1', amount: 10, unit: '%w/v', verified: false })]);
    expect(data.nonstructuralComponents[0]).toMatchObject({ key: 'saline', averageMolarMass: null, density: 1 });
  });

  it('reports CSV syntax errors and rows with the wrong number of fields, with their file', () => {
    // A file that cannot be read at all loses all its rows, so its dependants are reported too.
    expect(issuesWith({}, { formulationComponents: 'formulation_key,component_name\n"unterminated\n' })).toEqual([
      'formulationComponents:0: line 2: unterminated quoted field',
      'formulations:0: Formulation "f1" has no components',
    ]);
    expect(issuesWith({ sources: 'src2,,Only three' })).toEqual(['sources:3: Expected 8 fields, got 3']);
  });

  it('requires values, positive numbers and a true/false verified flag', () => {
    expect(issuesWith({ componentProperties: `${GLYCEROL},glycerol,density,,g/mL,,src1,L` })).toEqual(['componentProperties:3: value is required']);
    expect(issuesWith({ componentProperties: `${GLYCEROL},glycerol,density,-1.2,g/mL,,src1,L` })).toEqual(['componentProperties:3: value must be > 0, got -1.2']);
    expect(issuesWith({ sources: 'src2,,Title,,0,,,' })).toEqual(['sources:3: year must be > 0, got 0']);
    expect(issuesWith({ formulations: 'f2,Formulation two,,as published,src1,yes,' })).toEqual(
      expect.arrayContaining(['formulations:3: verified must be "true" or "false", got "yes"']),
    );
  });

  it('checks InChIKeys and property names of component properties', () => {
    expect(issuesWith({ componentProperties: 'not-a-key,glycerol,density,1.26,g/mL,,src1,L' })).toEqual(['componentProperties:3: Malformed InChIKey "not-a-key"']);
    expect(issuesWith({ componentProperties: `${GLYCEROL},glycerol,viscosity,1.4,Pa s,,src1,L` })).toEqual(['componentProperties:3: Unknown property "viscosity"']);
  });

  it('needs the Gordon–Taylor k paired with its Tg', () => {
    expect(issuesWith({ componentProperties: `${GLYCEROL},glycerol,gt_k,2.1,1,,src1,L` })).toEqual(['componentProperties:0: gt_k of glycerol has no paired gt_tg']);
    expect(issuesWith({ componentProperties: `${GLYCEROL},glycerol,gt_tg,190,K,,src1,L\n${GLYCEROL},glycerol,gt_k,2.1,1,,src1,L` })).toEqual([]);
  });

  it('identifies each formulation component by exactly one well-formed key', () => {
    expect(issuesWith({ formulationComponents: `f1,both,${GLYCEROL},saline,1,%w/v,other,src1,false` })).toEqual([
      'formulationComponents:3: Exactly one of inchikey and nonstructural_key must be given',
    ]);
    expect(issuesWith({ formulationComponents: 'f1,neither,,,1,%w/v,other,src1,false' })).toEqual([
      'formulationComponents:3: Exactly one of inchikey and nonstructural_key must be given',
    ]);
    expect(issuesWith({ formulationComponents: 'f1,bad key,GLYCEROL,,1,%w/v,other,src1,false' })).toEqual(['formulationComponents:3: Malformed InChIKey "GLYCEROL"']);
    expect(issuesWith({ formulationComponents: 'f1,mystery,,mystery-polymer,1,%w/v,other,src1,false' })).toEqual([
      'formulationComponents:3: Unknown nonstructural_key "mystery-polymer"',
    ]);
  });

  it('refuses negative amounts and a verified component of an unverified formulation', () => {
    expect(issuesWith({ formulationComponents: `f1,glycerol,${GLYCEROL},,-5,%w/v,penetrating,src1,false` })).toEqual(['formulationComponents:3: amount must be >= 0']);
    expect(issuesWith({ formulationComponents: `f1,glycerol,${GLYCEROL},,5,%w/v,penetrating,src1,true` })).toEqual([
      'formulationComponents:3: Component marked verified in an unverified formulation "f1"',
    ]);
    expect(issuesWith({ formulationComponents: `f1,glycerol,${GLYCEROL},,5,%w/v,penetrating,src1,true` }, {
      formulations: csv('formulations', 'f1,Formulation one,saline,as published,src1,true,'),
    })).toEqual([]);
  });

  it('refuses a carrier that is not a carrier and a formulation without components', () => {
    expect(issuesWith({ nonstructuralComponents: 'peg,PEG 400,polymer,400,1.13,,src1', formulations: 'f2,Formulation two,peg,as published,src1,false,' })).toEqual([
      'formulations:3: carrier_key "peg" is not a carrier in nonstructural-components.csv',
    ]);
    expect(issuesWith({ formulations: 'f2,Formulation two,,as published,src1,false,' })).toEqual(['formulations:0: Formulation "f2" has no components']);
  });
});
