import { describe, expect, it } from 'vitest';
import { CompositionError, type CompositionIssue } from './composition-error.ts';
import { expressComponent, solveComposition, trySolveComposition, type CompositionInput } from './composition.ts';

// Inputs the solver must refuse with a named problem rather than return numbers for (composition.test.ts covers the
// computed values).

function issuesOf(fn: () => unknown): readonly CompositionIssue[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof CompositionError) return e.issues;
    throw e;
  }
  throw new Error('expected a CompositionError');
}

const GLYCEROL = { key: 'glycerol', amount: 20, unit: '%w/w', molarMass: 92.094, density: 1.2613 } as const;

describe('composition solver: refused inputs', () => {
  it('names a non-positive solution density and non-positive water properties', () => {
    const issues = issuesOf(() => solveComposition({ components: [GLYCEROL], solutionDensity: 0, water: { density: -1, molarMass: Number.NaN } }));
    expect(issues.map((i) => i.message)).toEqual([
      'Solution density must be a positive number, got 0',
      'Water molarMass must be a positive number, got NaN',
      'Water density must be a positive number, got -1',
    ]);
    expect(issues.filter((i) => i.kind === 'problem' && i.component === 'water')).toHaveLength(2);
  });

  it('refuses amounts that contradict each other (a negative mass would be needed)', () => {
    // A 0.5 mass fraction of glycerol cannot coexist with a 0.1 mole fraction of ethanol plus water: ethanol would
    // need a negative mass. (The total check passes, so this is the per-component check.)
    const input: CompositionInput = {
      components: [
        { key: 'glycerol', amount: 50, unit: 'massFraction', molarMass: 92.094 },
        { key: 'ethanol', amount: 10, unit: 'moleFraction', molarMass: 46.069 },
      ],
    };
    const issues = issuesOf(() => solveComposition(input));
    expect(issues).toEqual([expect.objectContaining({ kind: 'problem', problem: 'inconsistent', component: 'ethanol' })]);
  });

  it('trySolveComposition returns the error instead of throwing it, and the result when it solves', () => {
    const failed = trySolveComposition({ components: [{ ...GLYCEROL, amount: -1 }] });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.issues[0]).toMatchObject({ problem: 'negativeAmount', component: 'glycerol' });
    const solved = trySolveComposition({ components: [GLYCEROL] });
    expect(solved.ok && solved.value.components[0]?.massFraction).toBeCloseTo(0.2, 12);
  });

  it('expressComponent names an unknown component and the property a unit needs', () => {
    expect(issuesOf(() => expressComponent({ components: [GLYCEROL] }, 'sucrose', 'mol/kg'))).toEqual([
      expect.objectContaining({ problem: 'unknownComponent', component: 'sucrose' }),
    ]);
    // Mass units solve without a molar mass; molality then needs it.
    const noMolarMass: CompositionInput = { components: [{ key: 'polymer', amount: 10, unit: '%w/w' }] };
    expect(expressComponent(noMolarMass, 'polymer', 'massFraction')).toBeCloseTo(0.1, 12);
    const issues = issuesOf(() => expressComponent(noMolarMass, 'polymer', 'mol/kg'));
    expect(issues).toEqual([expect.objectContaining({ kind: 'missing', component: 'polymer', missing: 'molarMass' })]);
    expect(issues[0]?.message).toMatch(/required to express the result in mol\/kg/);
  });
});
