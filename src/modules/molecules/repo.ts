import type { Queryable } from '../../db/db.ts';
import type { RegisteredStructure } from '../../chem/pool.ts';
import type { Visibility } from '../sharing/visibility-schema.ts';
import { moleculeLinks } from './links.ts';
import type { DescriptorFilters, Molecule, MoleculeDetail, MoleculeSelection, SearchHit, SortField } from './schemas.ts';

/** All molecule SQL lives here. Every call runs inside the caller's transaction (RLS applies to it). */
interface MoleculeRow {
  id: string;
  name: string | null;
  synonyms: string[];
  canonical_smiles: string;
  inchi: string;
  inchikey: string;
  formula: string;
  molecular_weight: number;
  exact_mass: number;
  clogp: number | null;
  tpsa: number | null;
  hbd: number | null;
  hba: number | null;
  rotatable_bonds: number | null;
  heavy_atoms: number | null;
  polar_group_total: number | null;
  pubchem_cid: string | null;
  chembl_id: string | null;
  cas: string | null;
  project_id: string | null;
  visibility: Visibility;
  created_at: Date;
  source_key: string | null;
  source_title: string | null;
  source_doi: string | null;
  source_year: number | null;
  descriptors?: Record<string, number>;
  standardization?: MoleculeDetail['standardization'];
  sort_key?: string | number | null;
}

const SELECT = `
  select m.id, m.name, m.synonyms, m.canonical_smiles, m.inchi, m.inchikey, m.formula, m.molecular_weight, m.exact_mass,
         m.clogp, m.tpsa, m.hbd, m.hba, m.rotatable_bonds, m.heavy_atoms, m.polar_group_total,
         m.pubchem_cid, m.chembl_id, m.cas,
         m.project_id, m.visibility, m.created_at, s.key as source_key, s.title as source_title, s.doi as source_doi, s.year as source_year`;
const FROM = 'from molecules m left join sources s on s.id = m.source_id';

/**
 * Sort keys. Numeric keys map NULL to NaN, which PostgreSQL orders above every number and compares equal to
 * itself, so the keyset comparison `(key, id) > (…)` stays total and no row is skipped or repeated.
 */
const SORT_SQL: Record<SortField, { expr: string; cast: string }> = {
  name: { expr: 'lower(coalesce(m.name, m.canonical_smiles))', cast: 'text' },
  molecularWeight: { expr: 'm.molecular_weight', cast: 'float8' },
  clogp: { expr: "coalesce(m.clogp, 'NaN'::float8)", cast: 'float8' },
  tpsa: { expr: "coalesce(m.tpsa, 'NaN'::float8)", cast: 'float8' },
};

function toMolecule(row: MoleculeRow): Molecule {
  const identifiers = {
    pubchemCid: row.pubchem_cid === null ? null : Number(row.pubchem_cid),
    chemblId: row.chembl_id,
    cas: row.cas,
  };
  return {
    id: row.id,
    name: row.name,
    synonyms: row.synonyms,
    canonicalSmiles: row.canonical_smiles,
    inchi: row.inchi,
    inchikey: row.inchikey,
    formula: row.formula,
    molecularWeight: row.molecular_weight,
    exactMass: row.exact_mass,
    clogp: row.clogp,
    tpsa: row.tpsa,
    hbd: row.hbd,
    hba: row.hba,
    rotatableBonds: row.rotatable_bonds,
    heavyAtoms: row.heavy_atoms,
    polarGroupTotal: row.polar_group_total,
    identifiers,
    links: moleculeLinks({ inchikey: row.inchikey, ...identifiers }),
    projectId: row.project_id,
    visibility: row.visibility,
    source: row.source_key
      ? { key: row.source_key, title: row.source_title ?? '', doi: row.source_doi, year: row.source_year }
      : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function toDetail(row: MoleculeRow): MoleculeDetail {
  return {
    ...toMolecule(row),
    descriptors: row.descriptors ?? {},
    standardization: row.standardization ?? { input: '', changed: false, steps: [], strippedFragments: [] },
  };
}

export interface Identifiers {
  pubchemCid: number | null;
  chemblId: string | null;
  cas: string | null;
}

export interface NewMolecule {
  projectId: string | null;
  name: string | null;
  synonyms: string[];
  structure: RegisteredStructure;
  /** RDKit pattern fingerprint for the substructure pre-screen; null leaves it to the backfill. */
  patternFp?: Uint8Array | null;
  identifiers?: Partial<Identifiers>;
  sourceId: string | null;
  createdBy: string | null;
  /** Omitted: 'project' (reference rows are always public). */
  visibility?: Visibility;
}

/** Inserts unless the structure already exists in the scope; returns the row either way. */
export async function insertOrFind(tx: Queryable, m: NewMolecule): Promise<{ molecule: MoleculeDetail; created: boolean }> {
  const s = m.structure;
  const inserted = await tx.query<{ id: string }>(
    `insert into molecules (project_id, name, synonyms, canonical_smiles, inchi, inchikey, formula, molecular_weight,
                            exact_mass, descriptors, morgan_fp, standardization, source_id, created_by, pattern_fp,
                            pubchem_cid, chembl_id, cas, visibility)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     on conflict (project_id, inchikey) do nothing
     returning id`,
    [
      m.projectId, m.name, m.synonyms, s.canonicalSmiles, s.inchi, s.inchikey, s.formula, s.molecularWeight, s.exactMass,
      JSON.stringify(s.descriptors), Buffer.from(s.morganFingerprint), JSON.stringify(s.standardization), m.sourceId, m.createdBy,
      m.patternFp ? Buffer.from(m.patternFp) : null,
      m.identifiers?.pubchemCid ?? null, m.identifiers?.chemblId ?? null, m.identifiers?.cas ?? null, m.visibility ?? 'project',
    ],
  );
  const created = inserted.rowCount > 0;
  const found = created
    ? await findById(tx, inserted.rows[0]!.id)
    : await findByInchikey(tx, m.projectId, s.inchikey);
  if (!found) throw new Error(`molecule ${s.inchikey} vanished between insert and read`);
  return { molecule: found, created };
}

/**
 * Inserts many structures in one statement; rows whose InChIKey already exists in the scope are left alone.
 * Returns the id of every InChIKey given (new or existing) and which ones this call created.
 */
export async function insertMany(
  tx: Queryable,
  projectId: string | null,
  createdBy: string | null,
  rows: readonly Omit<NewMolecule, 'projectId' | 'createdBy' | 'sourceId'>[],
): Promise<Map<string, { id: string; created: boolean }>> {
  const out = new Map<string, { id: string; created: boolean }>();
  if (rows.length === 0) return out;
  const records = rows.map((r) => ({
    name: r.name, synonyms: r.synonyms, canonical_smiles: r.structure.canonicalSmiles, inchi: r.structure.inchi,
    inchikey: r.structure.inchikey, formula: r.structure.formula, molecular_weight: r.structure.molecularWeight,
    exact_mass: r.structure.exactMass, descriptors: r.structure.descriptors, standardization: r.structure.standardization,
    morgan_fp: Buffer.from(r.structure.morganFingerprint).toString('hex'),
    pattern_fp: r.patternFp ? Buffer.from(r.patternFp).toString('hex') : null,
    pubchem_cid: r.identifiers?.pubchemCid ?? null, chembl_id: r.identifiers?.chemblId ?? null, cas: r.identifiers?.cas ?? null,
  }));
  const inserted = await tx.query<{ id: string; inchikey: string }>(
    `insert into molecules (project_id, created_by, name, synonyms, canonical_smiles, inchi, inchikey, formula, molecular_weight,
                            exact_mass, descriptors, standardization, morgan_fp, pattern_fp, pubchem_cid, chembl_id, cas)
     select $1, $2, x.name, coalesce(x.synonyms, array[]::text[]), x.canonical_smiles, x.inchi, x.inchikey, x.formula,
            x.molecular_weight, x.exact_mass, x.descriptors, x.standardization, decode(x.morgan_fp, 'hex'),
            decode(x.pattern_fp, 'hex'), x.pubchem_cid, x.chembl_id, x.cas
     from jsonb_to_recordset($3::jsonb) as x(name text, synonyms text[], canonical_smiles text, inchi text, inchikey text,
          formula text, molecular_weight float8, exact_mass float8, descriptors jsonb, standardization jsonb,
          morgan_fp text, pattern_fp text, pubchem_cid bigint, chembl_id text, cas text)
     on conflict (project_id, inchikey) do nothing
     returning id, inchikey`,
    [projectId, createdBy, JSON.stringify(records)],
  );
  for (const row of inserted.rows) out.set(row.inchikey, { id: row.id, created: true });
  const missing = records.map((r) => r.inchikey).filter((k) => !out.has(k));
  if (missing.length > 0) {
    const existing = await tx.query<{ id: string; inchikey: string }>(
      'select id, inchikey from molecules where project_id is not distinct from $1 and inchikey = any($2::text[])',
      [projectId, missing],
    );
    for (const row of existing.rows) out.set(row.inchikey, { id: row.id, created: false });
  }
  return out;
}

export async function findById(tx: Queryable, id: string): Promise<MoleculeDetail | null> {
  const result = await tx.query<MoleculeRow>(`${SELECT}, m.descriptors, m.standardization ${FROM} where m.id = $1`, [id]);
  const row = result.rows[0];
  return row ? toDetail(row) : null;
}

export async function findByInchikey(tx: Queryable, projectId: string | null, inchikey: string): Promise<MoleculeDetail | null> {
  const result = await tx.query<MoleculeRow>(
    `${SELECT}, m.descriptors, m.standardization ${FROM} where m.inchikey = $1 and m.project_id is not distinct from $2`,
    [inchikey, projectId],
  );
  const row = result.rows[0];
  return row ? toDetail(row) : null;
}

export async function findSmiles(tx: Queryable, id: string): Promise<string | null> {
  const result = await tx.query<{ canonical_smiles: string }>('select canonical_smiles from molecules where id = $1', [id]);
  return result.rows[0]?.canonical_smiles ?? null;
}

export async function findScope(tx: Queryable, id: string): Promise<{ projectId: string | null } | null> {
  const result = await tx.query<{ project_id: string | null }>('select project_id from molecules where id = $1', [id]);
  const row = result.rows[0];
  return row ? { projectId: row.project_id } : null;
}

export interface MoleculeChanges {
  name?: string | null;
  synonyms?: string[];
  pubchemCid?: number | null;
  chemblId?: string | null;
  cas?: string | null;
}

/** Applies the given fields only; returns false when the row is not visible or not writable. */
export async function update(tx: Queryable, id: string, changes: MoleculeChanges): Promise<boolean> {
  const columns: Record<keyof MoleculeChanges, string> = {
    name: 'name', synonyms: 'synonyms', pubchemCid: 'pubchem_cid', chemblId: 'chembl_id', cas: 'cas',
  };
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const key of Object.keys(columns) as (keyof MoleculeChanges)[]) {
    if (changes[key] === undefined) continue;
    params.push(changes[key]);
    sets.push(`${columns[key]} = $${params.length}`);
  }
  sets.push('updated_at = now()');
  const result = await tx.query(`update molecules set ${sets.join(', ')} where id = $1`, params);
  return result.rowCount > 0;
}

export async function remove(tx: Queryable, id: string): Promise<{ projectId: string | null } | null> {
  const result = await tx.query<{ project_id: string | null }>('delete from molecules where id = $1 returning project_id', [id]);
  const row = result.rows[0];
  return row ? { projectId: row.project_id } : null;
}

export async function canWrite(tx: Queryable, projectId: string | null): Promise<{ role: string | null; admin: boolean }> {
  const result = await tx.query<{ role: string | null; admin: boolean }>(
    'select app.project_role($1::uuid) as role, app.is_admin() as admin',
    [projectId],
  );
  return result.rows[0] ?? { role: null, admin: false };
}

/** Project ids whose molecules the acting user may read (public data is always readable). */
export async function readableProjects(tx: Queryable): Promise<string[]> {
  const result = await tx.query<{ project_id: string }>(
    'select project_id from project_members where user_id = app.current_user_id()',
  );
  return result.rows.map((r) => r.project_id);
}

/** Escapes LIKE wildcards so user text matches literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface TextQuery {
  text: string;
  cas: string | null;
  pubchemCid: number | null;
  chemblId: string | null;
}

function filterSql(filters: DescriptorFilters & { q?: TextQuery }, params: unknown[]): string[] {
  const where: string[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const ranges: [keyof DescriptorFilters, string, '>=' | '<='][] = [
    ['minMw', 'm.molecular_weight', '>='], ['maxMw', 'm.molecular_weight', '<='],
    ['minClogp', 'm.clogp', '>='], ['maxClogp', 'm.clogp', '<='],
    ['minTpsa', 'm.tpsa', '>='], ['maxTpsa', 'm.tpsa', '<='],
    ['minHbd', 'm.hbd', '>='], ['maxHbd', 'm.hbd', '<='],
    ['minHba', 'm.hba', '>='], ['maxHba', 'm.hba', '<='],
    ['minPolarGroups', 'm.polar_group_total', '>='], ['maxPolarGroups', 'm.polar_group_total', '<='],
  ];
  for (const [key, column, op] of ranges) {
    const value = filters[key];
    if (typeof value === 'number') where.push(`${column} ${op} ${p(value)}`);
  }
  if (filters.projectId) where.push(`m.project_id = ${p(filters.projectId)}::uuid`);
  if (filters.public === true) where.push('m.project_id is null');
  if (filters.public === false) where.push('m.project_id is not null');
  if (filters.q) {
    const q = filters.q;
    const like = p(`%${likeLiteral(q.text)}%`);
    const text = p(q.text);
    const alternatives = [
      `m.name ilike ${like}`,
      `app.synonyms_text(m.synonyms) ilike ${like}`,
      `m.inchikey = upper(${text})`,
      `m.canonical_smiles = ${text}`,
    ];
    if (q.cas) alternatives.push(`m.cas = ${p(q.cas)}`);
    if (q.pubchemCid !== null) alternatives.push(`m.pubchem_cid = ${p(q.pubchemCid)}`);
    if (q.chemblId) alternatives.push(`m.chembl_id = ${p(q.chemblId)}`);
    where.push(`(${alternatives.join(' or ')})`);
  }
  return where;
}

export interface ListPosition {
  key: string | number | null;
  id: string;
}

export interface ListPage {
  items: Molecule[];
  next: ListPosition | null;
}

/** Keyset pagination on (sort key, id): stable under concurrent inserts, no OFFSET scans, for every sort. */
export async function list(
  tx: Queryable,
  options: Omit<MoleculeSelection, 'q'> & { q?: TextQuery; limit: number; after?: ListPosition; withDescriptors?: boolean },
): Promise<ListPage & { details?: MoleculeDetail[] }> {
  const params: unknown[] = [];
  const where = filterSql(options, params);
  const sort = SORT_SQL[options.sort];
  const desc = options.order === 'desc';
  if (options.after) {
    params.push(options.after.key === null ? 'NaN' : String(options.after.key), options.after.id);
    where.push(`(${sort.expr}, m.id) ${desc ? '<' : '>'} ($${params.length - 1}::${sort.cast}, $${params.length}::uuid)`);
  }
  params.push(options.limit + 1);
  const direction = desc ? 'desc' : 'asc';
  const result = await tx.query<MoleculeRow>(
    `${SELECT}, ${sort.expr} as sort_key ${options.withDescriptors ? ', m.descriptors, m.standardization' : ''} ${FROM}
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by ${sort.expr} ${direction}, m.id ${direction} limit $${params.length}`,
    params,
  );
  const rows = result.rows.slice(0, options.limit);
  const last = rows[rows.length - 1];
  let key: string | number | null = last?.sort_key ?? null;
  if (typeof key === 'number' && Number.isNaN(key)) key = null;
  return {
    items: rows.map(toMolecule),
    ...(options.withDescriptors ? { details: rows.map(toDetail) } : {}),
    next: result.rows.length > options.limit && last ? { key, id: last.id } : null,
  };
}

/** Search hits for the given ids, in the given order; ids the caller cannot read (RLS) are simply absent. */
export async function hits(tx: Queryable, ids: readonly string[], filters?: DescriptorFilters): Promise<SearchHit[]> {
  if (ids.length === 0) return [];
  const params: unknown[] = [ids];
  const where = ['m.id = any($1::uuid[])', ...filterSql(filters ?? {}, params)];
  const result = await tx.query<{ id: string; inchikey: string; name: string | null; canonical_smiles: string; molecular_weight: number; project_id: string | null }>(
    `select m.id, m.inchikey, m.name, m.canonical_smiles, m.molecular_weight, m.project_id from molecules m where ${where.join(' and ')}`,
    params,
  );
  const byId = new Map(result.rows.map((r) => [r.id, r]));
  const out: SearchHit[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r) out.push({ id: r.id, inchikey: r.inchikey, name: r.name, canonicalSmiles: r.canonical_smiles, molecularWeight: r.molecular_weight, projectId: r.project_id });
  }
  return out;
}

export interface IndexRow {
  id: string;
  projectId: string | null;
  smiles: string;
  morganFp: Uint8Array;
  patternFp: Uint8Array | null;
}

interface IndexDbRow {
  id: string;
  project_id: string | null;
  canonical_smiles: string;
  morgan_fp: Buffer;
  pattern_fp: Buffer | null;
}

const toIndexRow = (r: IndexDbRow): IndexRow => ({
  id: r.id, projectId: r.project_id, smiles: r.canonical_smiles,
  morganFp: new Uint8Array(r.morgan_fp), patternFp: r.pattern_fp ? new Uint8Array(r.pattern_fp) : null,
});

/** One page of a scope's fingerprints in id order (`after` = last id of the previous page). */
export async function indexPage(tx: Queryable, projectId: string | null, after: string | null, limit: number): Promise<IndexRow[]> {
  const result = await tx.query<IndexDbRow>(
    `select id, project_id, canonical_smiles, morgan_fp, pattern_fp from molecules
     where project_id is not distinct from $1 and ($2::uuid is null or id > $2::uuid) order by id limit $3`,
    [projectId, after, limit],
  );
  return result.rows.map(toIndexRow);
}

export async function indexRows(tx: Queryable, ids: readonly string[]): Promise<IndexRow[]> {
  if (ids.length === 0) return [];
  const result = await tx.query<IndexDbRow>(
    'select id, project_id, canonical_smiles, morgan_fp, pattern_fp from molecules where id = any($1::uuid[])',
    [ids],
  );
  return result.rows.map(toIndexRow);
}

/** Rows registered before pattern fingerprints existed (or by a path that skipped them). */
export async function missingPatternFps(tx: Queryable, limit: number): Promise<{ id: string; smiles: string }[]> {
  const result = await tx.query<{ id: string; canonical_smiles: string }>(
    'select id, canonical_smiles from molecules where pattern_fp is null order by id limit $1',
    [limit],
  );
  return result.rows.map((r) => ({ id: r.id, smiles: r.canonical_smiles }));
}

export async function setPatternFps(tx: Queryable, rows: readonly { id: string; fp: Uint8Array }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `update molecules m set pattern_fp = decode(x.fp, 'hex')
     from jsonb_to_recordset($1::jsonb) as x(id uuid, fp text) where m.id = x.id`,
    [JSON.stringify(rows.map((r) => ({ id: r.id, fp: Buffer.from(r.fp).toString('hex') })))],
  );
}
