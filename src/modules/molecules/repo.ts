import type { Queryable } from '../../db/db.ts';
import type { RegisteredStructure } from '../../chem/pool.ts';
import type { Molecule, MoleculeDetail } from './schemas.ts';

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
  project_id: string | null;
  created_at: Date;
  source_key: string | null;
  source_title: string | null;
  source_doi: string | null;
  source_year: number | null;
  descriptors?: Record<string, number>;
  standardization?: MoleculeDetail['standardization'];
  sort_key?: string;
}

const SELECT = `
  select m.id, m.name, m.synonyms, m.canonical_smiles, m.inchi, m.inchikey, m.formula, m.molecular_weight, m.exact_mass,
         m.project_id, m.created_at, s.key as source_key, s.title as source_title, s.doi as source_doi, s.year as source_year`;
const FROM = 'from molecules m left join sources s on s.id = m.source_id';
const SORT_KEY = 'lower(coalesce(m.name, m.canonical_smiles))';

function toMolecule(row: MoleculeRow): Molecule {
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
    projectId: row.project_id,
    source: row.source_key
      ? { key: row.source_key, title: row.source_title ?? '', doi: row.source_doi, year: row.source_year }
      : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export interface NewMolecule {
  projectId: string | null;
  name: string | null;
  synonyms: string[];
  structure: RegisteredStructure;
  sourceId: string | null;
  createdBy: string | null;
}

/** Inserts unless the structure already exists in the scope; returns the row either way. */
export async function insertOrFind(tx: Queryable, m: NewMolecule): Promise<{ molecule: MoleculeDetail; created: boolean }> {
  const s = m.structure;
  const inserted = await tx.query<{ id: string }>(
    `insert into molecules (project_id, name, synonyms, canonical_smiles, inchi, inchikey, formula, molecular_weight,
                            exact_mass, descriptors, morgan_fp, standardization, source_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     on conflict (project_id, inchikey) do nothing
     returning id`,
    [
      m.projectId, m.name, m.synonyms, s.canonicalSmiles, s.inchi, s.inchikey, s.formula, s.molecularWeight, s.exactMass,
      JSON.stringify(s.descriptors), Buffer.from(s.morganFingerprint), JSON.stringify(s.standardization), m.sourceId, m.createdBy,
    ],
  );
  const created = inserted.rowCount > 0;
  const found = created
    ? await findById(tx, inserted.rows[0]!.id)
    : await findByInchikey(tx, m.projectId, s.inchikey);
  if (!found) throw new Error(`molecule ${s.inchikey} vanished between insert and read`);
  return { molecule: found, created };
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

function toDetail(row: MoleculeRow): MoleculeDetail {
  return {
    ...toMolecule(row),
    descriptors: row.descriptors ?? {},
    standardization: row.standardization ?? { input: '', changed: false, steps: [], strippedFragments: [] },
  };
}

export async function findSmiles(tx: Queryable, id: string): Promise<string | null> {
  const result = await tx.query<{ canonical_smiles: string }>('select canonical_smiles from molecules where id = $1', [id]);
  return result.rows[0]?.canonical_smiles ?? null;
}

export interface ListPage {
  items: Molecule[];
  next: { sortKey: string; id: string } | null;
}

/** Keyset pagination on (lower(name or SMILES), id): stable under concurrent inserts, no OFFSET scans. */
export async function list(
  tx: Queryable,
  options: { limit: number; after?: { sortKey: string; id: string }; q?: string },
): Promise<ListPage> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.q) {
    params.push(options.q);
    const p = `$${params.length}`;
    where.push(`(m.name ilike '%' || ${p} || '%' or exists (select 1 from unnest(m.synonyms) syn where syn ilike '%' || ${p} || '%')
                 or m.inchikey = upper(${p}) or m.canonical_smiles = ${p})`);
  }
  if (options.after) {
    params.push(options.after.sortKey, options.after.id);
    where.push(`(${SORT_KEY}, m.id) > ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(options.limit + 1);
  const result = await tx.query<MoleculeRow>(
    `${SELECT}, ${SORT_KEY} as sort_key ${FROM}
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by ${SORT_KEY}, m.id limit $${params.length}`,
    params,
  );
  const rows = result.rows.slice(0, options.limit);
  const last = rows[rows.length - 1];
  return {
    items: rows.map(toMolecule),
    next: result.rows.length > options.limit && last ? { sortKey: last.sort_key ?? '', id: last.id } : null,
  };
}
