/**
 * Turns recipe components — as a request names them, or as they are stored — into the ResolvedComponent values
 * evaluate.ts computes with. Both paths build components with the same two helpers, so a stored recipe evaluates
 * exactly as the same recipe sent to :evaluate.
 */
import { Problem, type FieldError } from '../../app/problems.ts';
import type { Queryable } from '../../db/db.ts';
import type { ComponentRole, ConcentrationUnit } from '../../science/index.ts';
import type { ResolvedComponent } from './evaluate.ts';
import * as repo from './repo.ts';
import { WATER_INCHIKEY, type ScienceReference } from './reference.ts';
import type { MixtureComponentInput } from './schemas.ts';

const IDENTIFIERS = ['inchikey', 'moleculeId', 'componentId'] as const;
type Identifier = (typeof IDENTIFIERS)[number];

export const refuse = (errors: FieldError[]): Problem =>
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

interface Amount {
  amount: number;
  unit: ConcentrationUnit;
  role: ComponentRole | null;
}

/** A molecule as a recipe component: name from the registry (else the reference data), density from cited data. */
export function moleculeComponent(
  m: { id: string; name: string | null; inchikey: string; molecularWeight: number },
  amount: Amount,
  reference: ScienceReference,
): ResolvedComponent {
  const density = reference.property(m.inchikey, 'density');
  return {
    ...amount, key: m.inchikey, name: m.name ?? reference.nameOf(m.inchikey) ?? m.inchikey, inchikey: m.inchikey, moleculeId: m.id,
    molarMass: m.molecularWeight, density: density?.value ?? null, densitySource: density?.sourceId ?? null,
  };
}

/** A non-structural component: molar mass and density from its own record (null when not cited). */
export function nonstructuralComponent(
  n: { key: string; name: string; averageMolarMass: number | null; density: number | null; sourceKey: string | null },
  amount: Amount,
): ResolvedComponent {
  return {
    ...amount, key: n.key, name: n.name, inchikey: null, moleculeId: null,
    molarMass: n.averageMolarMass, density: n.density, densitySource: n.density !== null ? n.sourceKey : null,
  };
}

export interface ResolvedRecipe {
  components: ResolvedComponent[];
  /** What to store for each component (same order). */
  stored: repo.ComponentToStore[];
}

/**
 * Resolves request components inside the caller's transaction (RLS decides visibility). `scope` is the project
 * (null = public reference data) the recipe will be stored in; a stored recipe may only use rows that are public
 * or belong to that project, so its readers can always see every component. Undefined scope: evaluation only.
 */
export async function resolveRecipe(
  tx: Queryable,
  inputs: readonly MixtureComponentInput[],
  reference: ScienceReference,
  scope?: string | null,
): Promise<ResolvedRecipe> {
  const identifiers = identifiersOf(inputs);
  const pick = (id: Identifier, f: (c: MixtureComponentInput) => string) =>
    [...new Set(inputs.flatMap((c, i) => (identifiers[i] === id ? [f(c)] : [])))];
  const byId = await repo.findByIds(tx, pick('moleculeId', (c) => c.moleculeId!));
  const byInchikey = await repo.findByInchikeys(tx, pick('inchikey', (c) => c.inchikey!.toUpperCase()));
  const componentKeys = pick('componentId', (c) => c.componentId!);
  const byKey = await repo.findComponentsByKeys(tx, componentKeys, scope ?? null);
  const knownKeys = componentKeys.some((k) => !byKey.has(k)) ? (await repo.listComponents(tx, undefined, 100)).map((n) => n.key) : [];

  const errors: FieldError[] = [];
  const outOfScope = (projectId: string | null) => scope !== undefined && projectId !== null && projectId !== scope;
  const scopeMessage = scope === null
    ? 'is private to a project; a public reference recipe may only use public reference data'
    : 'belongs to another project; a recipe may use public reference data and its own project\'s';
  const firstFieldOfKey = new Map<string, string>();
  const components: ResolvedComponent[] = [];
  const stored: repo.ComponentToStore[] = [];
  inputs.forEach((c, i) => {
    const id = identifiers[i]!;
    const field = `components[${i}].${id}`;
    const amount: Amount = { amount: c.amount, unit: c.unit, role: c.role ?? null };
    let out: ResolvedComponent;
    let nonstructuralId: string | null = null;
    if (id === 'componentId') {
      const ns = byKey.get(c.componentId!);
      if (!ns) {
        errors.push({ field, in: 'body', message: `no non-structural component "${c.componentId}"; known: ${knownKeys.join(', ')}` });
        return;
      }
      if (outOfScope(ns.projectId)) {
        errors.push({ field, in: 'body', message: `component ${ns.key} ${scopeMessage}` });
        return;
      }
      out = nonstructuralComponent({ ...ns, sourceKey: ns.source?.key ?? null }, amount);
      nonstructuralId = ns.id;
    } else {
      const molecule = id === 'moleculeId' ? byId.get(c.moleculeId!) : byInchikey.get(c.inchikey!.toUpperCase());
      if ((molecule?.inchikey ?? c.inchikey?.toUpperCase()) === WATER_INCHIKEY) {
        errors.push({ field, in: 'body', message: 'water is the balance and cannot be listed as a component' });
        return;
      }
      if (!molecule) {
        errors.push({
          field, in: 'body',
          message: id === 'moleculeId'
            ? `molecule ${c.moleculeId} does not exist or is not visible to you`
            : `no molecule with InChIKey ${c.inchikey!.toUpperCase()} is visible to you; register it first`,
        });
        return;
      }
      if (outOfScope(molecule.projectId)) {
        errors.push({ field, in: 'body', message: `molecule ${molecule.name ?? molecule.inchikey} ${scopeMessage}` });
        return;
      }
      out = moleculeComponent(molecule, amount, reference);
    }
    const earlier = firstFieldOfKey.get(out.key);
    if (earlier) {
      errors.push({ field, in: 'body', message: `${out.name} is already listed as ${earlier.replace(/\.\w+$/, '')}; list each component once` });
      return;
    }
    firstFieldOfKey.set(out.key, field);
    components.push(out);
    stored.push({ position: i, moleculeId: out.moleculeId, nonstructuralId, amount: c.amount, unit: c.unit, role: c.role ?? null });
  });
  if (errors.length > 0) throw refuse(errors);
  return { components, stored };
}

export interface ResolvedCarrier {
  componentId: string | null;
  text: string | null;
  /** Display name for the evaluation's assumption; undefined when there is no carrier. */
  name: string | undefined;
}

/**
 * A carrier names a non-structural component by key when one is visible (and in scope), else it is kept as free
 * text ("PBS"). Either way the solver treats it as water.
 */
export async function resolveCarrier(tx: Queryable, carrier: string | null | undefined, scope?: string | null): Promise<ResolvedCarrier> {
  const text = carrier?.trim();
  if (!text) return { componentId: null, text: null, name: undefined };
  const found = (await repo.findComponentsByKeys(tx, [text], scope ?? null)).get(text);
  if (found && !(scope !== undefined && found.projectId !== null && found.projectId !== scope)) {
    return { componentId: found.id, text: null, name: found.name };
  }
  return { componentId: null, text, name: text };
}

/**
 * A stored recipe as evaluation input. A component that is no longer visible makes the recipe unevaluable; the
 * write policies prevent that, so it is reported rather than thrown.
 */
export function storedRecipe(rows: readonly repo.StoredComponentRecord[], reference: ScienceReference): ResolvedComponent[] | Problem {
  const errors: FieldError[] = [];
  const components = rows.flatMap((r, i): ResolvedComponent[] => {
    const amount: Amount = { amount: r.amount, unit: r.unit as ConcentrationUnit, role: r.role as ComponentRole | null };
    if (r.moleculeId !== null && r.inchikey !== null && r.molecularWeight !== null) {
      return [moleculeComponent({ id: r.moleculeId, name: r.moleculeName, inchikey: r.inchikey, molecularWeight: r.molecularWeight }, amount, reference)];
    }
    if (r.nonstructuralId !== null && r.componentKey !== null && r.componentName !== null) {
      return [nonstructuralComponent({
        key: r.componentKey, name: r.componentName, averageMolarMass: r.averageMolarMass, density: r.density, sourceKey: r.componentSourceKey,
      }, amount)];
    }
    errors.push({ field: `components[${i}]`, in: 'body', message: 'this component is not visible to you' });
    return [];
  });
  return errors.length > 0 ? refuse(errors) : components;
}
