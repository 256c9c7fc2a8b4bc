import { describe, expect, it } from 'vitest';
import { CompositionError } from '../../science/index.ts';
import { compositionProblem, isPenetrating, type MixtureInput, type ResolvedComponent } from './evaluate.ts';

const component = (over: Partial<ResolvedComponent>): ResolvedComponent => ({
  key: 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N', name: 'DMSO', inchikey: 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N', moleculeId: null, role: null,
  amount: 1, unit: 'mol/L', molarMass: 78.13, density: 1.0955, densitySource: 'gaylord-dmso', ...over,
});

describe('isPenetrating', () => {
  it('follows an explicit role, else the science core list of common penetrating CPAs', () => {
    expect(isPenetrating(component({}))).toBe(true);
    expect(isPenetrating(component({ role: 'non-penetrating' }))).toBe(false);
    expect(isPenetrating(component({ key: 'HDTRYLNUVZCQOY-LIZSDCNHSA-N', inchikey: 'HDTRYLNUVZCQOY-LIZSDCNHSA-N', name: 'trehalose' }))).toBe(false);
    expect(isPenetrating(component({ key: 'x-1000', inchikey: null, role: 'penetrating' }))).toBe(true);
  });
});

describe('compositionProblem', () => {
  const input: MixtureInput = {
    components: [
      component({}),
      component({ key: 'ficoll-70', name: 'Ficoll 70', inchikey: null, unit: '%w/w', molarMass: null, density: null, densitySource: null }),
    ],
  };

  it('names every component whose unit needs the missing density, with names instead of keys', () => {
    const problem = compositionProblem(
      new CompositionError([{ kind: 'missing', component: 'ficoll-70', missing: 'density', message: 'x' }]),
      input,
    );
    expect(problem.status).toBe(422);
    expect(problem.errors).toEqual([
      { field: 'components[0].amount', in: 'body', message: expect.stringMatching(/^density of Ficoll 70 is unknown: cannot convert mol\/L of DMSO .*solutionDensity/) },
    ]);
  });

  it('maps recipe-wide and component problems to fields', () => {
    const problem = compositionProblem(new CompositionError([
      { kind: 'problem', problem: 'inconsistent', component: 'ficoll-70', message: 'The amounts given imply a negative mass of "ficoll-70"' },
      { kind: 'problem', problem: 'invalidProperty', message: 'Solution density must be a positive number, got -1' },
    ]), input);
    expect(problem.errors).toEqual([
      { field: 'components[1].amount', in: 'body', message: 'The amounts given imply a negative mass of Ficoll 70' },
      { field: 'solutionDensity', in: 'body', message: 'Solution density must be a positive number, got -1' },
    ]);
  });
});
