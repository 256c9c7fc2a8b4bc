import { describe, expect, it } from 'vitest';
import { CompositionError, type CompositionIssue } from './composition-error.ts';
import {
  type ComponentAmount,
  convertAmount,
  expressComponent,
  solveComposition,
  trySolveComposition,
} from './composition.ts';
import { seededRandom } from './seeded-random.ts';
import { CONCENTRATION_UNITS, type ConcentrationUnit, WATER_DENSITY_20C, WATER_MOLAR_MASS } from './units.ts';

function issuesOf(fn: () => unknown): readonly CompositionIssue[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof CompositionError) return e.issues;
    throw e;
  }
  throw new Error('expected a CompositionError');
}

const closeRel = (actual: number, expected: number, rel: number): boolean =>
  Math.abs(actual - expected) <= rel * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-300;

describe('solveComposition: hand-computed cases', () => {
  it('1 mol/kg glycerol (binary with water)', () => {
    const r = solveComposition({ components: [{ key: 'glycerol', amount: 1, unit: 'mol/kg', molarMass: 92.094, density: 1.2613 }] });
    // 92.094 g glycerol per 1000 g water
    expect(r.components[0]!.massFraction).toBeCloseTo(92.094 / 1092.094, 12);
    const nWater = 1000 / WATER_MOLAR_MASS;
    expect(r.components[0]!.moleFraction).toBeCloseTo(1 / (1 + nWater), 12);
    expect(r.components[0]!.molality).toBeCloseTo(1, 12);
    const volumeMl = 1000 / WATER_DENSITY_20C + 92.094 / 1.2613;
    expect(r.components[0]!.molarity).toBeCloseTo(1000 / volumeMl, 12);
    expect(r.water.massFraction).toBeCloseTo(1000 / 1092.094, 12);
    expect(r.volumeModel).toBe('ideal-volume-additivity');
    expect(r.assumptions.join(' ')).toMatch(/ideal volume additivity/);
  });

  it('%w/v with a measured solution density', () => {
    // 10 g in 100 mL of a 1.05 g/mL solution: 10 g of 105 g
    const r = solveComposition({ components: [{ key: 'x', amount: 10, unit: '%w/v' }], solutionDensity: 1.05 });
    expect(r.components[0]!.massFraction).toBeCloseTo(10 / 105, 12);
    expect(r.volumeModel).toBe('measured-density');
    expect(r.solutionDensity).toBe(1.05);
    expect(r.components[0]!.molarity).toBeNull();
    expect(r.notes.join(' ')).toMatch(/molar mass/);
    expect(r.assumptions.join(' ')).toMatch(/measured solution density/);
  });

  it('mixed units in one recipe: 3.1 mol/L DMSO + 22 %w/v formamide + 0.5 mol/kg trehalose', () => {
    const components: ComponentAmount[] = [
      { key: 'dmso', amount: 3.1, unit: 'mol/L', molarMass: 78.13, density: 1.0955 },
      { key: 'formamide', amount: 22, unit: '%w/v', molarMass: 45.041, density: 1.1334 },
      { key: 'trehalose', amount: 0.5, unit: 'mol/kg', molarMass: 342.297, density: 1.58 },
    ];
    const r = solveComposition({ components });
    const total = r.components.reduce((s, c) => s + c.massFraction, 0) + r.water.massFraction;
    expect(total).toBeCloseTo(1, 12);
    expect(r.components[0]!.molarity).toBeCloseTo(3.1, 10);
    expect(r.components[2]!.molality).toBeCloseTo(0.5, 10);
    expect(expressComponent({ components }, 'formamide', '%w/v')).toBeCloseTo(22, 10);
    // Without trehalose's density the solution volume is undefined, so the recipe cannot be solved.
    const withoutDensity = components.map((c) => (c.key === 'trehalose' ? { ...c, density: undefined } : c));
    const issues = issuesOf(() => solveComposition({ components: withoutDensity }));
    expect(issues).toContainEqual(expect.objectContaining({ kind: 'missing', component: 'trehalose', missing: 'density' }));
    // A measured density makes it solvable again.
    expect(trySolveComposition({ components: withoutDensity, solutionDensity: 1.15 }).ok).toBe(true);
  });

  it('%w/v → mol/L does not depend on the solution density (VS55-style check)', () => {
    const at = (rho: number) => convertAmount(24.2, '%w/v', 'mol/L', { molarMass: 78.13, solutionDensity: rho });
    expect(at(1.0)).toBeCloseTo(at(1.2), 12);
    expect(at(1.0)).toBeCloseTo((24.2 * 10) / 78.13, 12);
  });

  it('%v/v uses the pure-component volume before mixing', () => {
    // 40 %v/v EG at measured solution density 1.06: 40 mL EG (44.54 g) per 100 mL (106 g)
    const w = convertAmount(40, '%v/v', 'massFraction', { density: 1.1135, solutionDensity: 1.06 });
    expect(w).toBeCloseTo((40 * 1.1135) / 106, 12);
  });
});

describe('solveComposition: outputs that cannot be computed are null, with a reason', () => {
  it('mole fractions are null when a polymer has no molar mass', () => {
    const r = solveComposition({
      components: [
        { key: 'eg', amount: 0.3, unit: 'massFraction', molarMass: 62.068 },
        { key: 'pvp', amount: 0.02, unit: 'massFraction' },
      ],
    });
    expect(r.components[0]!.moleFraction).toBeNull();
    expect(r.water.moleFraction).toBeNull();
    expect(r.components[0]!.molality).toBeCloseTo(300 / 62.068 / 0.68, 9);
    expect(r.components[0]!.molarity).toBeNull();
    expect(r.volumeModel).toBe('unavailable');
    expect(r.notes.join(' ')).toMatch(/pvp/);
  });
});

describe('solveComposition: typed errors', () => {
  it('names a missing molar mass for a molar unit', () => {
    const issues = issuesOf(() => solveComposition({ components: [{ key: 'dmso', amount: 1, unit: 'mol/kg' }] }));
    expect(issues).toEqual([expect.objectContaining({ kind: 'missing', component: 'dmso', missing: 'molarMass' })]);
  });

  it('names every missing molar mass for a mole fraction', () => {
    const issues = issuesOf(() =>
      solveComposition({
        components: [
          { key: 'a', amount: 0.1, unit: 'moleFraction', molarMass: 50 },
          { key: 'b', amount: 0.1, unit: 'massFraction' },
        ],
      }),
    );
    expect(issues).toEqual([expect.objectContaining({ component: 'b', missing: 'molarMass' })]);
  });

  it('names a missing own density for %v/v even with a measured solution density', () => {
    const issues = issuesOf(() => solveComposition({ components: [{ key: 'eg', amount: 40, unit: '%v/v' }], solutionDensity: 1.06 }));
    expect(issues).toEqual([expect.objectContaining({ component: 'eg', missing: 'density' })]);
  });

  it('reports components that exceed the whole solution', () => {
    const issues = issuesOf(() =>
      solveComposition({
        components: [
          { key: 'a', amount: 0.7, unit: 'massFraction' },
          { key: 'b', amount: 40, unit: '%w/w' },
        ],
      }),
    );
    expect(issues).toEqual([expect.objectContaining({ kind: 'problem', problem: 'exceedsTotal' })]);
  });

  it('rejects negative and non-finite amounts, duplicates, water as a component and bad properties', () => {
    const issues = issuesOf(() =>
      solveComposition({
        components: [
          { key: 'a', amount: -1, unit: 'massFraction' },
          { key: 'b', amount: Number.NaN, unit: 'massFraction' },
          { key: 'b', amount: 0.1, unit: 'massFraction' },
          { key: 'Water', amount: 0.1, unit: 'massFraction' },
          { key: 'c', amount: 0.1, unit: 'mol/kg', molarMass: 0 },
          { key: 'd', amount: 0.1, unit: 'ppm' as ConcentrationUnit },
        ],
      }),
    );
    const problems = issues.map((i) => (i.kind === 'problem' ? `${i.problem}:${i.component}` : 'missing'));
    expect(problems).toEqual(
      expect.arrayContaining(['negativeAmount:a', 'nonFiniteAmount:b', 'duplicateComponent:b', 'reservedKey:Water', 'invalidProperty:c', 'unknownUnit:d']),
    );
  });

  it('allows a mixture with no water and then gives no molality', () => {
    const r = solveComposition({ components: [{ key: 'a', amount: 1, unit: 'massFraction', molarMass: 60 }] });
    expect(r.water.massFraction).toBe(0);
    expect(r.components[0]!.molality).toBeNull();
    expect(r.components[0]!.moleFraction).toBe(1);
  });
});

// ---- property test -------------------------------------------------------------------------------

interface Species {
  key: string;
  molarMass: number;
  density: number;
  mass: number;
}

/** Independent, explicit formulas for each unit (deliberately not using UNIT_DEFINITIONS). */
function expectedAmount(unit: ConcentrationUnit, s: Species, all: Species[], water: Species, solutionDensity: number | undefined): number {
  const totalMass = all.reduce((t, x) => t + x.mass, water.mass);
  const volumeMl = solutionDensity !== undefined ? totalMass / solutionDensity : all.reduce((t, x) => t + x.mass / x.density, water.mass / water.density);
  const moles = s.mass / s.molarMass;
  const totalMoles = all.reduce((t, x) => t + x.mass / x.molarMass, water.mass / water.molarMass);
  switch (unit) {
    case 'mol/L': return moles / (volumeMl / 1000);
    case 'mmol/L': return (1000 * moles) / (volumeMl / 1000);
    case 'mol/kg': return moles / (water.mass / 1000);
    case '%w/v': return (100 * s.mass) / volumeMl;
    case '%w/w': return (100 * s.mass) / totalMass;
    case '%v/v': return (100 * (s.mass / s.density)) / volumeMl;
    case 'mg/mL': return (1000 * s.mass) / volumeMl;
    case 'g/L': return s.mass / (volumeMl / 1000);
    case 'massFraction': return s.mass / totalMass;
    case 'moleFraction': return moles / totalMoles;
  }
}

describe('property: every unit round-trips through every other unit (seeded)', () => {
  const rng = seededRandom(20240611);
  const cases = Array.from({ length: 30 }, (_, caseIndex) => {
    const count = rng.int(1, 4);
    const waterFraction = rng.uniform(0.25, 0.9);
    const shares = Array.from({ length: count }, () => rng.uniform(0.05, 1));
    const shareSum = shares.reduce((a, b) => a + b, 0);
    const species: Species[] = shares.map((share, i) => ({
      key: `c${i}`,
      // mostly small molecules, sometimes a polymer-sized Mn
      molarMass: rng.next() < 0.15 ? rng.uniform(1000, 70000) : rng.uniform(30, 500),
      density: rng.uniform(0.78, 1.6),
      mass: (1000 * (1 - waterFraction) * share) / shareSum,
    }));
    const water: Species = { key: 'water', molarMass: WATER_MOLAR_MASS, density: WATER_DENSITY_20C, mass: 1000 * waterFraction };
    const solutionDensity = caseIndex % 2 === 0 ? undefined : rng.uniform(0.95, 1.35);
    return { species, water, solutionDensity };
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, { species, water, solutionDensity }) => {
    const density = solutionDensity === undefined ? {} : { solutionDensity };
    for (const from of CONCENTRATION_UNITS) {
      const given = species.map((s) => expectedAmount(from, s, species, water, solutionDensity));
      const recipe: ComponentAmount[] = species.map((s, i) => ({ key: s.key, amount: given[i]!, unit: from, molarMass: s.molarMass, density: s.density }));

      // Solving the recipe written in `from` recovers the masses.
      const solved = solveComposition({ components: recipe, ...density });
      species.forEach((s, i) => expect(closeRel(solved.components[i]!.gramsPerKgSolution, s.mass, 1e-9)).toBe(true));

      for (const to of CONCENTRATION_UNITS) {
        const converted = species.map((s, i) =>
          convertAmount(given[i]!, from, to, {
            key: s.key,
            molarMass: s.molarMass,
            density: s.density,
            otherComponents: recipe.filter((_, j) => j !== i),
            ...density,
          }),
        );
        species.forEach((s, i) => {
          const want = expectedAmount(to, s, species, water, solutionDensity);
          if (!closeRel(converted[i]!, want, 1e-9)) {
            throw new Error(`${s.key}: ${from} → ${to} gave ${converted[i]}, expected ${want}`);
          }
        });
        const back = solveComposition({
          components: species.map((s, i) => ({ key: s.key, amount: converted[i]!, unit: to, molarMass: s.molarMass, density: s.density })),
          ...density,
        });
        species.forEach((s, i) => {
          if (!closeRel(back.components[i]!.gramsPerKgSolution, s.mass, 1e-9)) {
            throw new Error(`${s.key}: re-solving in ${to} (from ${from}) gave ${back.components[i]!.gramsPerKgSolution} g, expected ${s.mass} g`);
          }
        });
        expect(closeRel(back.water.gramsPerKgSolution, water.mass, 1e-9)).toBe(true);
      }
    }
  });
});
