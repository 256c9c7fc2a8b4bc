import type { Queryable } from '../../db/db.ts';
import type { Visibility } from '../sharing/visibility-schema.ts';

/** Molecule look-ups for mixture evaluation. Runs inside the caller's transaction, so RLS decides visibility. */
export interface MixtureMolecule {
  id: string;
  name: string | null;
  inchikey: string;
  molecularWeight: number;
  projectId: string | null;
}

interface Row {
  id: string;
  name: string | null;
  inchikey: string;
  molecular_weight: number;
  project_id: string | null;
}

const toMolecule = (r: Row): MixtureMolecule => ({
  id: r.id, name: r.name, inchikey: r.inchikey, molecularWeight: Number(r.molecular_weight), projectId: r.project_id,
});

export async function findByIds(tx: Queryable, ids: readonly string[]): Promise<Map<string, MixtureMolecule>> {
  if (ids.length === 0) return new Map();
  const result = await tx.query<Row>('select id, name, inchikey, molecular_weight, project_id from molecules where id = any($1::uuid[])', [ids]);
  return new Map(result.rows.map((r) => [r.id, toMolecule(r)]));
}

/** One visible row per InChIKey; the public reference row wins over a project's copy of the same structure. */
export async function findByInchikeys(tx: Queryable, inchikeys: readonly string[]): Promise<Map<string, MixtureMolecule>> {
  if (inchikeys.length === 0) return new Map();
  const result = await tx.query<Row>(
    `select distinct on (inchikey) id, name, inchikey, molecular_weight, project_id
       from molecules where inchikey = any($1::text[])
      order by inchikey, (project_id is null) desc, created_at, id`,
    [inchikeys],
  );
  return new Map(result.rows.map((r) => [r.inchikey, toMolecule(r)]));
}

// ---- Non-structural components ---------------------------------------------------------------------------------

export interface SourceRef {
  key: string;
  title: string;
  doi: string | null;
  year: number | null;
}

export interface NonstructuralRecord {
  id: string;
  key: string;
  name: string;
  kind: string;
  averageMolarMass: number | null;
  density: number | null;
  grade: string | null;
  notes: string | null;
  projectId: string | null;
  source: SourceRef | null;
}

interface NonstructuralRow {
  id: string;
  key: string;
  name: string;
  kind: string;
  average_molar_mass: number | null;
  density: number | null;
  grade: string | null;
  notes: string | null;
  project_id: string | null;
  source_key: string | null;
  source_title: string | null;
  source_doi: string | null;
  source_year: number | null;
}

const sourceOf = (r: { source_key: string | null; source_title: string | null; source_doi: string | null; source_year: number | null }): SourceRef | null =>
  r.source_key ? { key: r.source_key, title: r.source_title ?? r.source_key, doi: r.source_doi, year: r.source_year } : null;

const SELECT_NONSTRUCTURAL = `
  select n.id, n.key, n.name, n.kind, n.average_molar_mass, n.density, n.grade, n.notes, n.project_id,
         s.key as source_key, s.title as source_title, s.doi as source_doi, s.year as source_year
    from nonstructural_components n left join sources s on s.id = n.source_id`;

const toNonstructural = (r: NonstructuralRow): NonstructuralRecord => ({
  id: r.id, key: r.key, name: r.name, kind: r.kind,
  averageMolarMass: r.average_molar_mass === null ? null : Number(r.average_molar_mass),
  density: r.density === null ? null : Number(r.density),
  grade: r.grade, notes: r.notes, projectId: r.project_id, source: sourceOf(r),
});

/**
 * Visible non-structural components by key. When a project has its own component with a public key, the public
 * reference row wins (as for molecules), unless `preferProject` names that project.
 */
export async function findComponentsByKeys(tx: Queryable, keys: readonly string[], preferProject: string | null = null): Promise<Map<string, NonstructuralRecord>> {
  if (keys.length === 0) return new Map();
  const result = await tx.query<NonstructuralRow>(
    `select distinct on (n.key) * from (${SELECT_NONSTRUCTURAL} where n.key = any($1::text[])) n
      order by n.key, (n.project_id is not distinct from $2::uuid) desc, (n.project_id is null) desc, n.id`,
    [keys, preferProject],
  );
  return new Map(result.rows.map((r) => [r.key, toNonstructural(r)]));
}

/** Visible non-structural components, optionally filtered by part of the key or name, sorted by name. */
export async function listComponents(tx: Queryable, q: string | undefined, limit = 500): Promise<NonstructuralRecord[]> {
  const params: unknown[] = [limit];
  let where = '';
  if (q) {
    params.push(q);
    where = `where n.key ilike '%' || $2 || '%' or n.name ilike '%' || $2 || '%'`;
  }
  const result = await tx.query<NonstructuralRow>(`${SELECT_NONSTRUCTURAL} ${where} order by lower(n.name), n.id limit $1`, params);
  return result.rows.map(toNonstructural);
}

// ---- Mixtures ---------------------------------------------------------------------------------------------------

export interface MixtureRecord {
  id: string;
  projectId: string | null;
  visibility: Visibility;
  name: string;
  description: string | null;
  carrierComponentId: string | null;
  carrierKey: string | null;
  carrierName: string | null;
  carrierText: string | null;
  solutionDensity: number | null;
  verified: boolean;
  source: SourceRef | null;
  createdAt: string;
  updatedAt: string;
  componentCount: number;
}

interface MixtureRow {
  id: string;
  project_id: string | null;
  visibility: Visibility;
  name: string;
  description: string | null;
  carrier_component_id: string | null;
  carrier_key: string | null;
  carrier_name: string | null;
  carrier_text: string | null;
  solution_density: number | null;
  verified: boolean;
  source_key: string | null;
  source_title: string | null;
  source_doi: string | null;
  source_year: number | null;
  created_at: Date;
  updated_at: Date;
  component_count: number | string;
  sort_key?: string;
}

const SELECT_MIXTURE = `
  select m.id, m.project_id, m.visibility, m.name, m.description, m.carrier_component_id, c.key as carrier_key, c.name as carrier_name,
         m.carrier_text, m.solution_density, m.verified, s.key as source_key, s.title as source_title, s.doi as source_doi,
         s.year as source_year, m.created_at, m.updated_at,
         (select count(*) from mixture_components mc where mc.mixture_id = m.id) as component_count
    from mixtures m
    left join nonstructural_components c on c.id = m.carrier_component_id
    left join sources s on s.id = m.source_id`;
const MIXTURE_SORT_KEY = 'lower(m.name)';

const toMixture = (r: MixtureRow): MixtureRecord => ({
  id: r.id, projectId: r.project_id, visibility: r.visibility, name: r.name, description: r.description,
  carrierComponentId: r.carrier_component_id, carrierKey: r.carrier_key, carrierName: r.carrier_name, carrierText: r.carrier_text,
  solutionDensity: r.solution_density === null ? null : Number(r.solution_density),
  verified: r.verified, source: sourceOf(r),
  createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  componentCount: Number(r.component_count),
});

/**
 * Takes a row lock for a read-modify-write in the same transaction; false when the row is gone or not writable
 * (under RLS, FOR UPDATE also applies the update policy).
 */
export async function lockMixture(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.query('select 1 from mixtures where id = $1 for update', [id])).rowCount > 0;
}

/** One visible mixture. */
export async function findMixture(tx: Queryable, id: string): Promise<MixtureRecord | null> {
  const result = await tx.query<MixtureRow>(`${SELECT_MIXTURE} where m.id = $1`, [id]);
  const row = result.rows[0];
  return row ? toMixture(row) : null;
}

export interface MixturePage {
  items: MixtureRecord[];
  next: { sortKey: string; id: string } | null;
}

/** Keyset pagination on (lower(name), id). Scope "mine" means rows of projects (RLS limits them to the actor's). */
export async function listMixtures(
  tx: Queryable,
  options: { limit: number; after?: { sortKey: string; id: string }; q?: string; scope: 'all' | 'reference' | 'mine' },
): Promise<MixturePage> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.scope === 'reference') where.push('m.project_id is null');
  // Public rows of other projects are visible too; "mine" means the projects the actor is a member of.
  if (options.scope === 'mine') where.push('m.project_id is not null and app.project_role(m.project_id) is not null');
  if (options.q) {
    params.push(options.q);
    where.push(`m.name ilike '%' || $${params.length} || '%'`);
  }
  if (options.after) {
    params.push(options.after.sortKey, options.after.id);
    where.push(`(${MIXTURE_SORT_KEY}, m.id) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(options.limit + 1);
  const result = await tx.query<MixtureRow>(
    `${SELECT_MIXTURE.replace('select m.id,', `select ${MIXTURE_SORT_KEY} as sort_key, m.id,`)}
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by ${MIXTURE_SORT_KEY}, m.id limit $${params.length}`,
    params,
  );
  const rows = result.rows.slice(0, options.limit);
  const last = rows[rows.length - 1];
  return {
    items: rows.map(toMixture),
    next: result.rows.length > options.limit && last ? { sortKey: last.sort_key ?? '', id: last.id } : null,
  };
}

/** A stored component with everything evaluation needs from its molecule or non-structural record. */
export interface StoredComponentRecord {
  position: number;
  amount: number;
  unit: string;
  role: string | null;
  moleculeId: string | null;
  moleculeName: string | null;
  inchikey: string | null;
  molecularWeight: number | null;
  nonstructuralId: string | null;
  componentKey: string | null;
  componentName: string | null;
  averageMolarMass: number | null;
  density: number | null;
  componentSourceKey: string | null;
  /** False when the referenced molecule or component is not visible to the reader (should not happen: RLS on write). */
  visible: boolean;
}

interface StoredComponentRow {
  mixture_id: string;
  position: number;
  amount: number;
  unit: string;
  role: string | null;
  molecule_id: string | null;
  molecule_name: string | null;
  inchikey: string | null;
  molecular_weight: number | null;
  nonstructural_component_id: string | null;
  component_key: string | null;
  component_name: string | null;
  average_molar_mass: number | null;
  density: number | null;
  component_source_key: string | null;
  visible: boolean;
}

const numberOrNull = (v: number | null): number | null => (v === null ? null : Number(v));

/** Components of several mixtures, in recipe order, keyed by mixture id. */
export async function findComponents(tx: Queryable, mixtureIds: readonly string[]): Promise<Map<string, StoredComponentRecord[]>> {
  const out = new Map<string, StoredComponentRecord[]>(mixtureIds.map((id) => [id, []]));
  if (mixtureIds.length === 0) return out;
  const result = await tx.query<StoredComponentRow>(
    `select mc.mixture_id, mc.position, mc.amount, mc.unit, mc.role,
            mc.molecule_id, mo.name as molecule_name, mo.inchikey, mo.molecular_weight,
            mc.nonstructural_component_id, n.key as component_key, n.name as component_name, n.average_molar_mass, n.density,
            s.key as component_source_key,
            (mo.id is not null or n.id is not null) as visible
       from mixture_components mc
       left join molecules mo on mo.id = mc.molecule_id
       left join nonstructural_components n on n.id = mc.nonstructural_component_id
       left join sources s on s.id = n.source_id
      where mc.mixture_id = any($1::uuid[])
      order by mc.mixture_id, mc.position`,
    [mixtureIds],
  );
  for (const r of result.rows) {
    out.get(r.mixture_id)?.push({
      position: r.position, amount: Number(r.amount), unit: r.unit, role: r.role,
      moleculeId: r.molecule_id, moleculeName: r.molecule_name, inchikey: r.inchikey, molecularWeight: numberOrNull(r.molecular_weight),
      nonstructuralId: r.nonstructural_component_id, componentKey: r.component_key, componentName: r.component_name,
      averageMolarMass: numberOrNull(r.average_molar_mass), density: numberOrNull(r.density), componentSourceKey: r.component_source_key,
      visible: r.visible,
    });
  }
  return out;
}

export interface MixtureFields {
  name: string;
  description: string | null;
  carrierComponentId: string | null;
  carrierText: string | null;
  solutionDensity: number | null;
}

export interface ComponentToStore {
  position: number;
  moleculeId: string | null;
  nonstructuralId: string | null;
  amount: number;
  unit: string;
  role: string | null;
}

/** Inserts a mixture; null when the name is already taken in the scope. */
export async function insertMixture(
  tx: Queryable,
  m: MixtureFields & { projectId: string | null; createdBy: string | null; verified?: boolean; sourceId?: string | null; referenceKey?: string | null; visibility?: Visibility },
): Promise<string | null> {
  const result = await tx.query<{ id: string }>(
    `insert into mixtures (project_id, name, description, carrier_component_id, carrier_text, solution_density, verified, source_id,
                           reference_key, created_by, visibility)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (project_id, name) do nothing
     returning id`,
    [m.projectId, m.name, m.description, m.carrierComponentId, m.carrierText, m.solutionDensity, m.verified ?? false,
      m.sourceId ?? null, m.referenceKey ?? null, m.createdBy, m.visibility ?? 'project'],
  );
  return result.rows[0]?.id ?? null;
}

/** True when another mixture in the same scope already has this name. */
export async function nameTaken(tx: Queryable, projectId: string | null, name: string, exceptId: string): Promise<boolean> {
  const result = await tx.query('select 1 from mixtures where project_id is not distinct from $1 and name = $2 and id <> $3', [projectId, name, exceptId]);
  return result.rowCount > 0;
}

export async function updateMixture(tx: Queryable, id: string, m: MixtureFields & { verified: boolean }): Promise<void> {
  await tx.query(
    `update mixtures set name = $2, description = $3, carrier_component_id = $4, carrier_text = $5, solution_density = $6,
                         verified = $7, updated_at = now()
      where id = $1`,
    [id, m.name, m.description, m.carrierComponentId, m.carrierText, m.solutionDensity, m.verified],
  );
}

/** Replaces the whole recipe of a mixture (delete, then insert in order). */
export async function replaceComponents(tx: Queryable, mixtureId: string, components: readonly ComponentToStore[]): Promise<void> {
  await tx.query('delete from mixture_components where mixture_id = $1', [mixtureId]);
  if (components.length === 0) return;
  await tx.query(
    `insert into mixture_components (mixture_id, position, molecule_id, nonstructural_component_id, amount, unit, role)
     select $1, c.position, c.molecule_id, c.nonstructural_component_id, c.amount, c.unit, c.role
       from unnest($2::int[], $3::uuid[], $4::uuid[], $5::float8[], $6::text[], $7::text[])
            as c(position, molecule_id, nonstructural_component_id, amount, unit, role)`,
    [
      mixtureId,
      components.map((c) => c.position),
      components.map((c) => c.moleculeId),
      components.map((c) => c.nonstructuralId),
      components.map((c) => c.amount),
      components.map((c) => c.unit),
      components.map((c) => c.role),
    ],
  );
}

export async function deleteMixture(tx: Queryable, id: string): Promise<boolean> {
  const result = await tx.query('delete from mixtures where id = $1', [id]);
  return result.rowCount > 0;
}

/** The actor's standing for writing into a scope: project role (null = not a member) and admin flag. */
export async function writeStanding(tx: Queryable, projectId: string | null): Promise<{ role: string | null; admin: boolean }> {
  const result = await tx.query<{ role: string | null; admin: boolean }>('select app.project_role($1::uuid) as role, app.is_admin() as admin', [projectId]);
  return result.rows[0] ?? { role: null, admin: false };
}
