// This test reads the reference CSV files from disk (the module under test itself does no I/O).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CompositionError } from './composition-error.ts';
import { expressComponent, solveComposition } from './composition.ts';
import { gordonTaylorBinary } from './glass-transition.ts';
import {
  CsvSyntaxError,
  type ReferenceDataFiles,
  defaultPropertyValue,
  formulationRecipe,
  parseCsv,
  parseReferenceData,
} from './reference-data.ts';

const dir = new URL('../../data/reference/science/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const files: ReferenceDataFiles = {
  sources: read('sources.csv'),
  componentProperties: read('component-properties.csv'),
  formulations: read('formulations.csv'),
  formulationComponents: read('formulation-components.csv'),
  nonstructuralComponents: read('nonstructural-components.csv'),
};
const { data, issues } = parseReferenceData(files);

const GLYCEROL = 'PEDCQBHIVMGVHV-UHFFFAOYSA-N';
const WATER = 'XLYOFNOQVPJJNP-UHFFFAOYSA-N';

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, embedded commas and newlines, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n"multi\nline",\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', ''],
    ]);
  });

  it('rejects malformed quoting', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b"c"\n')).toThrow(CsvSyntaxError);
  });
});

describe('science reference data files', () => {
  it('parse without a single issue', () => {
    expect(issues).toEqual([]);
  });

  it('every row of every file was kept (nothing silently dropped)', () => {
    const rowCount = (text: string) => parseCsv(text).length - 1;
    expect(data.sources).toHaveLength(rowCount(files.sources));
    expect(data.componentProperties).toHaveLength(rowCount(files.componentProperties));
    expect(data.formulations).toHaveLength(rowCount(files.formulations));
    expect(data.formulationComponents).toHaveLength(rowCount(files.formulationComponents));
    expect(data.nonstructuralComponents).toHaveLength(rowCount(files.nonstructuralComponents));
  });

  it('contain the seed vitrification solutions', () => {
    const keys = data.formulations.map((f) => f.key);
    for (const k of ['vs55', 'vs83', 'dp6', 'm22', 'vm3', 'vs1', 'efs40', 'vsi', 'vsii', 'vs14', 'pvs2', 'pvs3']) expect(keys).toContain(k);
    // Only the Ali & Shelton and Warner compositions were seen in a retrieved text.
    expect(data.formulations.filter((f) => f.verified).map((f) => f.key).sort()).toEqual(['vs14', 'vsi', 'vsii', 'warner2022-optimized']);
  });

  it('give every molecular formulation component a molar mass', () => {
    for (const c of data.formulationComponents.filter((x) => x.inchikey !== null)) {
      expect(defaultPropertyValue(data, c.inchikey!, 'molar_mass'), c.componentName).not.toBeNull();
    }
  });

  it('list water Tg 136 K first (the default) and a glycerol GT pair that reproduces Inaba & Andersson', () => {
    expect(defaultPropertyValue(data, WATER, 'tg')?.value).toBe(136);
    const tg = defaultPropertyValue(data, GLYCEROL, 'gt_tg')!.value;
    const k = defaultPropertyValue(data, GLYCEROL, 'gt_k')!.value;
    expect(Math.abs(gordonTaylorBinary({ soluteMassFraction: 0.76, soluteTg: tg, k, waterTg: 135 }) - 164)).toBeLessThan(0.1);
  });
});

describe('seed formulations through the composition solver', () => {
  it('VS55 adds up to about 55 % w/v as published', () => {
    const recipe = formulationRecipe(data, 'vs55');
    const totalWv = recipe.reduce((s, c) => s + expressComponent({ components: recipe }, c.key, '%w/v'), 0);
    expect(totalWv).toBeGreaterThan(54);
    expect(totalWv).toBeLessThan(56);
  });

  it('M22 adds up to about 9.3 M whatever the solution density, and needs polymer densities otherwise', () => {
    const recipe = formulationRecipe(data, 'm22');
    const small = recipe.filter((c) => c.molarMass !== undefined);
    const totalMolar = (rho: number) => small.reduce((s, c) => s + expressComponent({ components: recipe, solutionDensity: rho }, c.key, 'mol/L'), 0);
    expect(totalMolar(1.0)).toBeCloseTo(totalMolar(1.1), 10);
    expect(totalMolar(1.0)).toBeGreaterThan(9.2);
    expect(totalMolar(1.0)).toBeLessThan(9.4);
    try {
      solveComposition({ components: recipe });
      expect.unreachable('M22 needs polymer densities or a measured density');
    } catch (e) {
      expect(e).toBeInstanceOf(CompositionError);
      const missing = (e as CompositionError).issues.flatMap((i) => (i.kind === 'missing' ? [`${i.component}:${i.missing}`] : []));
      expect(missing.sort()).toEqual(['pvp-k12:density', 'x-1000:density', 'z-1000:density']);
    }
  });

  it.each(['vsi', 'vsii', 'vs14', 'pvs3', 'dp6', 'warner2022-optimized'])('%s solves with the cited densities and leaves water', (key) => {
    const r = solveComposition({ components: formulationRecipe(data, key) });
    expect(r.water.massFraction).toBeGreaterThan(0.05);
    expect(r.volumeModel).toBe('ideal-volume-additivity');
  });
});

describe('validation catches broken data', () => {
  const broken = (patch: Partial<ReferenceDataFiles>) => parseReferenceData({ ...files, ...patch }).issues.map((i) => `${i.file}:${i.message}`);

  it('unknown source ids, units, roles and numbers', () => {
    const extra = `vs55,DMSO,IAZDPXIOMUYVGZ-UHFFFAOYSA-N,,3.1,M,penetrating,nobody2099,false\n` +
      `vs55,DMSO,IAZDPXIOMUYVGZ-UHFFFAOYSA-N,,abc,mol/L,solvent,mehl1993,false\n`;
    const messages = broken({ formulationComponents: files.formulationComponents + extra });
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Unknown source_id "nobody2099"/),
        expect.stringMatching(/Unknown unit "M"/),
        expect.stringMatching(/Unknown role "solvent"/),
        expect.stringMatching(/amount "abc" is not a number/),
      ]),
    );
  });

  it('wrong property units, evidence tags and headers', () => {
    const extra = `${GLYCEROL},glycerol,density,1.26,kg/m3,,crc-handbook,L\n${GLYCEROL},glycerol,tg,190,K,,koop2011,X\n`;
    expect(broken({ componentProperties: files.componentProperties + extra })).toEqual(
      expect.arrayContaining([expect.stringMatching(/Unit of density must be "g\/mL"/), expect.stringMatching(/Evidence must be V, L or C/)]),
    );
    expect(broken({ sources: files.sources.replace('id,doi', 'ident,doi') })).toEqual(expect.arrayContaining([expect.stringMatching(/Header must be/)]));
  });
});
