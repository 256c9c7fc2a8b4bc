import { Problem, type FieldError } from '../../app/problems.ts';
import type { Actor, Db } from '../../db/db.ts';
import { evaluateMixture, type ResolvedComponent } from './evaluate.ts';
import * as repo from './repo.ts';
import { scienceReference, WATER_INCHIKEY, type ScienceReference } from './reference.ts';
import type { EvaluateMixtureBody, MixtureComponentInput, MixtureEvaluation } from './schemas.ts';

export interface MixtureService {
  /** Evaluates a recipe without saving anything; bad content answers 422 naming components[i].<field>. */
  evaluate(actor: Actor, body: EvaluateMixtureBody): Promise<MixtureEvaluation>;
}

const IDENTIFIERS = ['inchikey', 'moleculeId', 'componentId'] as const;
type Identifier = (typeof IDENTIFIERS)[number];

const refuse = (errors: FieldError[]): Problem =>
  new Problem('unprocessable', `The recipe cannot be evaluated. ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);

/** Which identifier each component uses; exactly one is allowed. */
function identifiersOf(components: readonly MixtureComponentInput[]): Identifier[] {
  const errors: FieldError[] = [];
  const chosen = components.map((c, i) => {
    const given = IDENTIFIERS.filter((id) => c[id] !== undefined);
    if (given.length === 0) {
      errors.push({ field: `components[${i}]`, in: 'body', message: 'give exactly one of inchikey, moleculeId or componentId' });
    } else if (given.length > 1) {
      for (const id of given.slice(1)) {
        errors.push({ field: `components[${i}].${id}`, in: 'body', message: `give exactly one of ${given.join(', ')}, not several` });
      }
    }
    return given[0]!;
  });
  if (errors.length > 0) throw refuse(errors);
  return chosen;
}

function resolveAll(
  components: readonly MixtureComponentInput[],
  identifiers: readonly Identifier[],
  found: { byId: Map<string, repo.MixtureMolecule>; byInchikey: Map<string, repo.MixtureMolecule> },
  reference: ScienceReference,
): ResolvedComponent[] {
  const errors: FieldError[] = [];
  const firstFieldOfKey = new Map<string, string>();
  const resolved = components.map((c, i): ResolvedComponent | null => {
    const id = identifiers[i]!;
    const field = `components[${i}].${id}`;
    const base = { amount: c.amount, unit: c.unit, role: c.role ?? null };
    let out: ResolvedComponent | null = null;
    if (id === 'componentId') {
      const ns = reference.nonstructural(c.componentId!);
      if (!ns) {
        const known = reference.data.nonstructuralComponents.map((n) => n.key).join(', ');
        errors.push({ field, in: 'body', message: `no non-structural component "${c.componentId}"; known: ${known}` });
        return null;
      }
      out = {
        ...base, key: ns.key, name: ns.name, inchikey: null, moleculeId: null,
        molarMass: ns.averageMolarMass, density: ns.density, densitySource: ns.density !== null ? ns.sourceId : null,
      };
    } else {
      const molecule = id === 'moleculeId' ? found.byId.get(c.moleculeId!) : found.byInchikey.get(c.inchikey!.toUpperCase());
      if ((molecule?.inchikey ?? c.inchikey?.toUpperCase()) === WATER_INCHIKEY) {
        errors.push({ field, in: 'body', message: 'water is the balance and cannot be listed as a component' });
        return null;
      }
      if (!molecule) {
        errors.push({
          field, in: 'body',
          message: id === 'moleculeId'
            ? `molecule ${c.moleculeId} does not exist or is not visible to you`
            : `no molecule with InChIKey ${c.inchikey!.toUpperCase()} is visible to you; register it first`,
        });
        return null;
      }
      const density = reference.property(molecule.inchikey, 'density');
      out = {
        ...base, key: molecule.inchikey, name: molecule.name ?? reference.nameOf(molecule.inchikey) ?? molecule.inchikey,
        inchikey: molecule.inchikey, moleculeId: molecule.id, molarMass: molecule.molecularWeight,
        density: density?.value ?? null, densitySource: density?.sourceId ?? null,
      };
    }
    const earlier = firstFieldOfKey.get(out.key);
    if (earlier) {
      errors.push({ field, in: 'body', message: `${out.name} is already listed as ${earlier.replace(/\.\w+$/, '')}; list each component once` });
      return null;
    }
    firstFieldOfKey.set(out.key, field);
    return out;
  });
  if (errors.length > 0) throw refuse(errors);
  return resolved as ResolvedComponent[];
}

export function createMixtureService(db: Db): MixtureService {
  return {
    async evaluate(actor, body) {
      const reference = scienceReference();
      const identifiers = identifiersOf(body.components);
      const ids = [...new Set(body.components.flatMap((c, i) => (identifiers[i] === 'moleculeId' ? [c.moleculeId!] : [])))];
      const keys = [...new Set(body.components.flatMap((c, i) => (identifiers[i] === 'inchikey' ? [c.inchikey!.toUpperCase()] : [])))];
      const found = ids.length + keys.length === 0
        ? { byId: new Map(), byInchikey: new Map() }
        : await db.asUser(actor, async (tx) => ({ byId: await repo.findByIds(tx, ids), byInchikey: await repo.findByInchikeys(tx, keys) }));
      const components = resolveAll(body.components, identifiers, found, reference);
      return evaluateMixture(
        { components, ...(body.solutionDensity !== undefined ? { solutionDensity: body.solutionDensity } : {}) },
        reference,
      );
    },
  };
}
