import { Problem, type FieldError } from '../../app/problems.ts';
import type { Actor, Db, Queryable } from '../../db/db.ts';
import { binaryTgCurve, WATER_TG_DEFAULT } from '../../science/index.ts';
import { evaluateMixture, gordonTaylorParameters } from './evaluate.ts';
import * as repo from './repo.ts';
import { scienceReference, WATER_INCHIKEY, type ScienceReference } from './reference.ts';
import { resolveCarrier, resolveRecipe, storedRecipe, type ResolvedCarrier, type ResolvedRecipe } from './resolve.ts';
import type {
  CreateMixtureBody,
  EvaluateMixtureBody,
  MixtureDetail,
  MixtureEvaluation,
  MixtureListQuery,
  MixtureSummary,
  NonstructuralComponent,
  TgCurve,
  UpdateMixtureBody,
} from './schemas.ts';

export interface MixtureService {
  /** Evaluates a recipe without saving anything; bad content answers 422 naming components[i].<field>. */
  evaluate(actor: Actor, body: EvaluateMixtureBody): Promise<MixtureEvaluation>;
  list(actor: Actor, query: MixtureListQuery): Promise<{ items: MixtureSummary[]; nextCursor: string | null }>;
  get(actor: Actor, id: string): Promise<MixtureDetail>;
  /** Saves a recipe that evaluates; 409 when the name is taken in its scope, 422 exactly as evaluate. */
  create(actor: Actor, body: CreateMixtureBody): Promise<MixtureDetail>;
  /** Replaces name, description, carrier, solution density and components in one transaction. */
  update(actor: Actor, id: string, body: UpdateMixtureBody): Promise<MixtureDetail>;
  remove(actor: Actor, id: string): Promise<void>;
  /** 2–4 mixtures, in the order asked; 404 naming every id that is not visible. */
  compare(actor: Actor, ids: readonly string[]): Promise<MixtureDetail[]>;
  /** Binary Tg curve with water for one molecule of a stored mixture, from its cited Gordon–Taylor parameters. */
  tgCurve(actor: Actor, id: string, query: { component: string; points: number }): Promise<TgCurve>;
  components(actor: Actor, q?: string): Promise<NonstructuralComponent[]>;
}

function encodeCursor(position: { sortKey: string; id: string }): string {
  return Buffer.from(JSON.stringify([position.sortKey, position.id])).toString('base64url');
}

function decodeCursor(cursor: string): { sortKey: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string'
      && /^[0-9a-f-]{36}$/i.test(value[1])) {
      return { sortKey: value[0], id: value[1] };
    }
  } catch {
    // Fall through to the problem below.
  }
  throw new Problem('invalid-request', 'The cursor is not one this API issued', [
    { field: 'cursor', in: 'querystring', message: 'use the nextCursor value from a previous page' },
  ]);
}

const notFound = (id: string): Problem => new Problem('not-found', `Mixture ${id} does not exist or is not visible to you`);

/** May the actor write into this scope? Answers as the API should: 404 hides a project, 403 refuses a role. */
async function assertCanWrite(tx: Queryable, projectId: string | null, verb: 'add' | 'change' | 'delete'): Promise<void> {
  const { role, admin } = await repo.writeStanding(tx, projectId);
  if (projectId === null) {
    if (!admin) {
      throw new Problem('forbidden', verb === 'add'
        ? 'Only administrators may add public reference mixtures; pass a projectId'
        : `Only administrators may ${verb} public reference mixtures; copy it into a project instead`);
    }
    return;
  }
  if (role === null) {
    throw new Problem('not-found', `Project ${projectId} does not exist or is not visible to you`, [
      { field: 'projectId', in: 'body', message: 'no such project' },
    ]);
  }
  if (role !== 'owner' && role !== 'editor') {
    throw new Problem('forbidden', `Your role in this project (${role}) cannot ${verb} mixtures; owners and editors can`);
  }
}

/** The unique (project, name) constraint raced past the pre-check: still a 409, not a 500. */
async function mapNameConflict<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'mixtures_project_id_name_key') throw nameConflict(name);
    throw error;
  }
}

const nameConflict = (name: string): Problem =>
  new Problem('conflict', `A mixture named "${name}" already exists in this scope`, [
    { field: 'name', in: 'body', message: `"${name}" is already used by another mixture in the same project (or in the public reference set)` },
  ]);

function carrierFields(carrier: ResolvedCarrier): { carrierComponentId: string | null; carrierText: string | null } {
  return { carrierComponentId: carrier.componentId, carrierText: carrier.text };
}

/** Evaluates a resolved recipe; 422 (as :evaluate) propagates. */
function evaluateResolved(recipe: ResolvedRecipe['components'], solutionDensity: number | null | undefined, carrier: string | undefined, reference: ScienceReference): MixtureEvaluation {
  return evaluateMixture({
    components: recipe,
    ...(solutionDensity !== null && solutionDensity !== undefined ? { solutionDensity } : {}),
    ...(carrier !== undefined ? { carrier } : {}),
  }, reference);
}

/** The API view of a stored mixture with its derived block recomputed now. */
function toDetail(record: repo.MixtureRecord, rows: readonly repo.StoredComponentRecord[], reference: ScienceReference): MixtureDetail {
  const components = rows.map((r) => ({
    position: r.position,
    moleculeId: r.moleculeId,
    componentId: r.componentKey,
    name: r.moleculeId !== null ? (r.moleculeName ?? (r.inchikey ? reference.nameOf(r.inchikey) : null) ?? r.inchikey ?? '') : (r.componentName ?? ''),
    inchikey: r.inchikey,
    amount: r.amount,
    unit: r.unit,
    role: r.role,
  }));
  const base = {
    id: record.id,
    name: record.name,
    description: record.description,
    projectId: record.projectId,
    visibility: record.visibility,
    verified: record.verified,
    carrier: record.carrierKey ?? record.carrierText,
    carrierName: record.carrierName ?? record.carrierText,
    solutionDensity: record.solutionDensity,
    source: record.source,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    components,
  };
  const recipe = storedRecipe(rows, reference);
  let problem: Problem;
  if (recipe instanceof Problem) problem = recipe;
  else {
    try {
      return { ...base, derived: evaluateResolved(recipe, record.solutionDensity, record.carrierName ?? record.carrierText ?? undefined, reference) };
    } catch (error) {
      if (!(error instanceof Problem) || error.status !== 422) throw error;
      problem = error;
    }
  }
  return { ...base, derived: null, derivedError: { detail: problem.detail ?? problem.message, errors: problem.errors ?? [] } };
}

async function loadDetail(tx: Queryable, id: string, reference: ScienceReference): Promise<MixtureDetail | null> {
  const record = await repo.findMixture(tx, id);
  if (!record) return null;
  const rows = (await repo.findComponents(tx, [id])).get(id) ?? [];
  return toDetail(record, rows, reference);
}

const sameRecipe = (before: readonly repo.StoredComponentRecord[], after: readonly repo.ComponentToStore[]): boolean =>
  before.length === after.length && before.every((b, i) => {
    const a = after[i]!;
    return b.position === a.position && b.moleculeId === a.moleculeId && b.nonstructuralId === a.nonstructuralId
      && b.amount === a.amount && b.unit === a.unit && b.role === a.role;
  });

function toSummary(r: repo.MixtureRecord): MixtureSummary {
  return {
    id: r.id, name: r.name, description: r.description, projectId: r.projectId, visibility: r.visibility, verified: r.verified,
    carrier: r.carrierKey ?? r.carrierText, carrierName: r.carrierName ?? r.carrierText, componentCount: r.componentCount, source: r.source,
  };
}

export function createMixtureService(db: Db): MixtureService {
  return {
    async evaluate(actor, body) {
      const reference = scienceReference();
      return db.asUser(actor, async (tx) => {
        const recipe = await resolveRecipe(tx, body.components, reference);
        const carrier = await resolveCarrier(tx, body.carrier);
        return evaluateResolved(recipe.components, body.solutionDensity, carrier.name, reference);
      });
    },

    async list(actor, query) {
      const page = await db.asUser(actor, (tx) => repo.listMixtures(tx, {
        limit: query.limit, scope: query.scope,
        ...(query.q ? { q: query.q } : {}),
        ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
      }));
      return { items: page.items.map(toSummary), nextCursor: page.next ? encodeCursor(page.next) : null };
    },

    async get(actor, id) {
      const detail = await db.asUser(actor, (tx) => loadDetail(tx, id, scienceReference()));
      if (!detail) throw notFound(id);
      return detail;
    },

    async create(actor, body) {
      const reference = scienceReference();
      const projectId = body.projectId ?? null;
      const name = body.name.trim();
      return mapNameConflict(name, () => db.asUser(actor, async (tx) => {
        await assertCanWrite(tx, projectId, 'add');
        const recipe = await resolveRecipe(tx, body.components, reference, projectId);
        const carrier = await resolveCarrier(tx, body.carrier, projectId);
        // Nothing is saved unless the recipe evaluates: the same 422 as :evaluate.
        evaluateResolved(recipe.components, body.solutionDensity, carrier.name, reference);
        const id = await repo.insertMixture(tx, {
          projectId, name, description: body.description ?? null, ...carrierFields(carrier),
          solutionDensity: body.solutionDensity ?? null, createdBy: actor.userId, visibility: body.visibility ?? 'project',
        });
        if (id === null) throw nameConflict(name);
        await repo.replaceComponents(tx, id, recipe.stored);
        return (await loadDetail(tx, id, reference))!;
      }));
    },

    async update(actor, id, body) {
      const reference = scienceReference();
      const name = body.name.trim();
      return mapNameConflict(name, () => db.asUser(actor, async (tx) => {
        const record = await repo.findMixture(tx, id);
        if (!record) throw notFound(id);
        await assertCanWrite(tx, record.projectId, 'change');
        if (!(await repo.lockMixture(tx, id))) throw notFound(id);
        if (body.projectId !== undefined && body.projectId !== record.projectId) {
          throw new Problem('unprocessable', 'A mixture cannot move to another project; create a copy there instead', [
            { field: 'projectId', in: 'body', message: `must be ${record.projectId ?? 'null'} (the mixture's project) or omitted` },
          ]);
        }
        const recipe = await resolveRecipe(tx, body.components, reference, record.projectId);
        const carrier = await resolveCarrier(tx, body.carrier, record.projectId);
        evaluateResolved(recipe.components, body.solutionDensity, carrier.name, reference);
        if (await repo.nameTaken(tx, record.projectId, name, id)) throw nameConflict(name);
        const before = (await repo.findComponents(tx, [id])).get(id) ?? [];
        const solutionDensity = body.solutionDensity ?? null;
        // "Verified" vouches for a composition checked against its source; a changed recipe is no longer that one.
        const verified = record.verified && solutionDensity === record.solutionDensity && sameRecipe(before, recipe.stored);
        await repo.updateMixture(tx, id, { name, description: body.description ?? null, ...carrierFields(carrier), solutionDensity, verified });
        await repo.replaceComponents(tx, id, recipe.stored);
        return (await loadDetail(tx, id, reference))!;
      }));
    },

    async remove(actor, id) {
      await db.asUser(actor, async (tx) => {
        const record = await repo.findMixture(tx, id);
        if (!record) throw notFound(id);
        await assertCanWrite(tx, record.projectId, 'delete');
        if (!(await repo.deleteMixture(tx, id))) throw notFound(id);
      });
    },

    async compare(actor, ids) {
      const reference = scienceReference();
      return db.asUser(actor, async (tx) => {
        const records = await Promise.all(ids.map((id) => repo.findMixture(tx, id)));
        const errors: FieldError[] = [];
        records.forEach((r, i) => {
          if (!r) errors.push({ field: `ids[${i}]`, in: 'body', message: `mixture ${ids[i]} does not exist or is not visible to you` });
        });
        if (errors.length > 0) {
          throw new Problem('not-found', `Not visible: ${errors.map((e) => e.field).join(', ')}`, errors);
        }
        const rows = await repo.findComponents(tx, ids);
        return records.map((r) => toDetail(r!, rows.get(r!.id) ?? [], reference));
      });
    },

    async tgCurve(actor, id, query) {
      const reference = scienceReference();
      const inchikey = query.component.toUpperCase();
      const rows = await db.asUser(actor, async (tx) => {
        const record = await repo.findMixture(tx, id);
        if (!record) throw notFound(id);
        return { record, components: (await repo.findComponents(tx, [id])).get(id) ?? [] };
      });
      const field = (message: string): Problem =>
        new Problem('unprocessable', message, [{ field: 'component', in: 'querystring', message }]);
      const stored = rows.components.find((c) => c.inchikey === inchikey);
      if (!stored) {
        const molecules = rows.components.flatMap((c) => (c.inchikey ? [`${c.moleculeName ?? c.inchikey} (${c.inchikey})`] : []));
        throw field(`${inchikey} is not a molecule in mixture "${rows.record.name}"; its molecules: ${molecules.join(', ') || 'none'}`);
      }
      const name = stored.moleculeName ?? reference.nameOf(inchikey) ?? inchikey;
      const p = gordonTaylorParameters({ inchikey }, reference);
      if (p.tg === null || p.k === null) {
        const missing = [p.tg === null ? 'tg' : null, p.k === null ? 'k' : null].filter((m) => m !== null).join(', ');
        throw field(`${name} has no cited Gordon–Taylor parameters (missing: ${missing}); a curve is never drawn from guessed values`);
      }
      const waterTg = reference.property(WATER_INCHIKEY, 'tg');
      const waterTgValue = waterTg?.value ?? WATER_TG_DEFAULT;
      const points = binaryTgCurve({ soluteTg: p.tg, k: p.k, waterTg: waterTgValue }, { points: query.points });
      const keys = [...new Set([p.tgSource, p.kSource, waterTg?.sourceId ?? null].filter((k): k is string => k !== null))];
      return {
        component: inchikey,
        name,
        method: 'gordon-taylor',
        parameters: { tg: p.tg, k: p.k, water: { tg: waterTgValue } },
        points: points.map((pt) => ({ massFraction: pt.soluteMassFraction, kelvin: pt.kelvin })),
        sources: keys.map((key) => {
          const s = reference.source(key);
          return { key, title: s?.title ?? key, doi: s?.doi ?? null, year: s?.year ?? null };
        }),
      };
    },

    async components(actor, q) {
      const rows = await db.asUser(actor, (tx) => repo.listComponents(tx, q || undefined));
      return rows.map((r) => ({
        key: r.key, name: r.name, kind: r.kind, averageMolarMass: r.averageMolarMass, density: r.density,
        grade: r.grade, notes: r.notes, projectId: r.projectId, source: r.source,
      }));
    },
  };
}
