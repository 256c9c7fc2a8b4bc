import type { Queryable } from '../../db/db.ts';

/** Molecule look-ups for mixture evaluation. Runs inside the caller's transaction, so RLS decides visibility. */
export interface MixtureMolecule {
  id: string;
  name: string | null;
  inchikey: string;
  molecularWeight: number;
}

interface Row {
  id: string;
  name: string | null;
  inchikey: string;
  molecular_weight: number;
}

const toMolecule = (r: Row): MixtureMolecule => ({ id: r.id, name: r.name, inchikey: r.inchikey, molecularWeight: Number(r.molecular_weight) });

export async function findByIds(tx: Queryable, ids: readonly string[]): Promise<Map<string, MixtureMolecule>> {
  if (ids.length === 0) return new Map();
  const result = await tx.query<Row>('select id, name, inchikey, molecular_weight from molecules where id = any($1::uuid[])', [ids]);
  return new Map(result.rows.map((r) => [r.id, toMolecule(r)]));
}

/** One visible row per InChIKey; the public reference row wins over a project's copy of the same structure. */
export async function findByInchikeys(tx: Queryable, inchikeys: readonly string[]): Promise<Map<string, MixtureMolecule>> {
  if (inchikeys.length === 0) return new Map();
  const result = await tx.query<Row>(
    `select distinct on (inchikey) id, name, inchikey, molecular_weight
       from molecules where inchikey = any($1::text[])
      order by inchikey, (project_id is null) desc, created_at, id`,
    [inchikeys],
  );
  return new Map(result.rows.map((r) => [r.inchikey, toMolecule(r)]));
}
