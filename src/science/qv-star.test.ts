import { describe, expect, it } from 'vitest';
import { solveComposition } from './composition.ts';
import {
  DEFAULT_POLAR_GROUP_CONVENTION,
  POLAR_GROUPS_OF_COMMON_CPAS,
  polarGroupCount,
  qvStar,
} from './qv-star.ts';
import { WATER_MOLAR_MASS } from './units.ts';

const groupsOf = (name: string): number => {
  const entry = Object.values(POLAR_GROUPS_OF_COMMON_CPAS).find((e) => e.name === name);
  if (!entry) throw new Error(`no entry for ${name}`);
  return polarGroupCount(entry.groups);
};

describe('polar group counting (adopted, unverified convention)', () => {
  it('counts hydroxyls, sulfoxide and amide once each, ethers not at all', () => {
    expect(groupsOf('glycerol')).toBe(3);
    expect(groupsOf('DMSO')).toBe(1);
    expect(groupsOf('formamide')).toBe(1);
    expect(groupsOf('urea')).toBe(1);
    expect(groupsOf('3-methoxy-1,2-propanediol')).toBe(2);
    expect(DEFAULT_POLAR_GROUP_CONVENTION.verified).toBe(false);
  });

  it('honours a different convention', () => {
    const countEthers = { ...DEFAULT_POLAR_GROUP_CONVENTION, weights: { ...DEFAULT_POLAR_GROUP_CONVENTION.weights, ether: 1 } };
    expect(polarGroupCount({ hydroxyl: 2, ether: 1 }, countEthers)).toBe(3);
    expect(() => polarGroupCount({ hydroxyl: 1.5 })).toThrow(RangeError);
  });
});

describe('qvStar', () => {
  it('1 mol/kg glycerol: 55.5 water molecules per 3 hydroxyls', () => {
    const r = qvStar([{ key: 'glycerol', molality: 1, polarGroups: 3 }]);
    expect(r.value).toBeCloseTo(1000 / WATER_MOLAR_MASS / 3, 10);
  });

  it('DP6 (3 M DMSO + 3 M PG) from the composition solver', () => {
    const comp = solveComposition({
      components: [
        { key: 'dmso', amount: 3, unit: 'mol/L', molarMass: 78.13, density: 1.0955 },
        { key: 'pg', amount: 3, unit: 'mol/L', molarMass: 76.095, density: 1.0361 },
      ],
    });
    const [dmso, pg] = comp.components;
    const r = qvStar([
      { key: 'dmso', molality: dmso!.molality, polarGroups: groupsOf('DMSO') },
      { key: 'pg', molality: pg!.molality, polarGroups: groupsOf('1,2-propanediol') },
    ]);
    // water moles per L of solution / polar-group moles per L of solution
    const waterMolPerL = (comp.water.gramsPerKgSolution / WATER_MOLAR_MASS) * (dmso!.molarity! / (dmso!.gramsPerKgSolution / 78.13));
    expect(r.value).toBeCloseTo(waterMolPerL / (3 * 1 + 3 * 2), 8);
    expect(r.value).toBeGreaterThan(1);
    expect(r.value).toBeLessThan(10);
  });

  it('reports what is missing and refuses a ratio with no polar groups', () => {
    expect(qvStar([{ key: 'x', molality: null, polarGroups: null }]).missing).toEqual([
      { component: 'x', missing: 'molality' },
      { component: 'x', missing: 'polarGroups' },
    ]);
    const none = qvStar([]);
    expect(none.value).toBeNull();
  });
});
