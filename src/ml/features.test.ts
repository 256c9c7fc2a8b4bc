import { describe, expect, it } from 'vitest';
import { FeaturePipeline, mixtureFeatures, type MixtureComponent } from './features.ts';

describe('FeaturePipeline', () => {
  const train = [{ a: 1, b: 10 }, { a: 3, b: null }, { a: 5, b: 30 }, { a: NaN, b: 40 }, { b: 20 }];

  it('imputes training medians and standardizes with training statistics', () => {
    const p = FeaturePipeline.fit(train, ['a', 'b']);
    expect(p.state.medians).toEqual([3, 25]);
    expect(p.state.missingCounts).toEqual([2, 1]);
    const X = p.transform(train);
    for (let j = 0; j < 2; j++) {
      const col = X.map((r) => r[j]!);
      const m = col.reduce((s, v) => s + v, 0) / col.length;
      const v = col.reduce((s, x) => s + (x - m) ** 2, 0) / col.length;
      expect(m).toBeCloseTo(0, 12);
      expect(v).toBeCloseTo(1, 12);
    }
    // Column a after imputation is [1,3,5,3,3]: mean 3, sd √1.6.
    expect(p.transform([{ a: 7, b: 25 }])[0]![0]).toBeCloseTo(4 / Math.sqrt(1.6), 12);
    // A missing value at prediction time becomes the training median.
    expect(p.transform([{}])[0]![0]).toBeCloseTo(0, 12);
  });

  it('keeps raw units when standardize is off and restores from JSON', () => {
    const p = FeaturePipeline.fit(train, ['b', 'a', 'never'], { standardize: false });
    expect(p.transform([{ a: 2 }])).toEqual([[25, 2, 0]]);
    const back = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
    expect(back.transform(train)).toEqual(p.transform(train));
    expect(() => FeaturePipeline.fit(train, ['a', 'a'])).toThrow();
  });
});

describe('mixtureFeatures', () => {
  // Glycerol C3H8O3, M = 92.094 g/mol, three OH groups; water M = 18.015 g/mol.
  const glycerol: MixtureComponent = { id: 'glycerol', amount: 50, molarMass: 92.094, descriptors: { tpsa: 60.69 }, polarGroups: 3 };
  const water: MixtureComponent = { id: 'water', amount: 50, molarMass: 18.015, descriptors: { tpsa: 31.5 }, isWater: true };

  it('converts 50 % w/w glycerol to mole fractions and weighted descriptors', () => {
    const f = mixtureFeatures([glycerol, water], { basis: 'mass', descriptorNames: ['tpsa'], fractionIds: ['glycerol', 'dmso'] });
    const nG = 0.5 / 92.094;
    const nW = 0.5 / 18.015;
    const xG = nG / (nG + nW);
    expect(f.component_count).toBe(1);
    expect(f.water_mass_fraction).toBe(0.5);
    expect(f.solute_mass_fraction).toBe(0.5);
    expect(f.water_mole_fraction).toBeCloseTo(1 - xG, 14);
    expect(f.massw_tpsa).toBeCloseTo((60.69 + 31.5) / 2, 12);
    expect(f.molew_tpsa).toBeCloseTo(xG * 60.69 + (1 - xG) * 31.5, 12);
    expect(f.solute_massw_tpsa).toBeCloseTo(60.69, 12);
    // 0.5 kg glycerol per kg solution × 3 OH / 0.092094 kg/mol = 16.29 mol OH per kg.
    expect(f.polar_group_density).toBeCloseTo((0.5 * 3 * 1000) / 92.094, 10);
    expect(f.massfrac_glycerol).toBe(0.5);
    expect(f.massfrac_dmso).toBe(0);
  });

  it('gives the same features from the equivalent mole-basis composition', () => {
    const byMass = mixtureFeatures([glycerol, water], { basis: 'mass', descriptorNames: ['tpsa'] });
    const nG = 50 / 92.094;
    const nW = 50 / 18.015;
    const byMole = mixtureFeatures([{ ...glycerol, amount: nG }, { ...water, amount: nW }], { basis: 'mole', descriptorNames: ['tpsa'] });
    for (const [k, v] of Object.entries(byMass)) expect(byMole[k]).toBeCloseTo(v, 12);
  });

  it('marks missing descriptors and polar counts as NaN for later imputation', () => {
    const f = mixtureFeatures([{ ...glycerol, descriptors: {}, polarGroups: undefined }, water], { basis: 'mass', descriptorNames: ['tpsa'] });
    expect(f.massw_tpsa).toBeNaN();
    expect(f.polar_group_density).toBeNaN();
    expect(() => mixtureFeatures([{ ...glycerol, molarMass: 0 }], { basis: 'mass', descriptorNames: [] })).toThrow();
  });
});
