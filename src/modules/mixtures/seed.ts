import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Db, Queryable } from '../../db/db.ts';
import { parseReferenceData, type ReferenceData, type ReferenceDataFiles } from '../../science/index.ts';
import { ReferenceDataError } from '../reference/seed.ts';
import type { ModuleSeeder } from '../reference/seeders.ts';
import { SCIENCE_REFERENCE_DIR } from './reference.ts';

/**
 * Loads the reference formulations of data/reference/science as public rows (project_id null): their citations
 * (into `sources`, reusing a key the core set already loaded), the non-structural components, and the mixtures
 * with their components. Idempotent: an unchanged set of files is skipped (checksum); a changed set replaces the
 * seeded rows, matched by key.
 */
const FILES: Record<keyof ReferenceDataFiles, string> = {
  sources: 'sources.csv',
  componentProperties: 'component-properties.csv',
  formulations: 'formulations.csv',
  formulationComponents: 'formulation-components.csv',
  nonstructuralComponents: 'nonstructural-components.csv',
};
const LOAD_NAME = 'mixtures';

export function readFormulationFiles(dir = SCIENCE_REFERENCE_DIR): { data: ReferenceData; checksum: string } {
  const texts = Object.fromEntries(Object.entries(FILES).map(([k, file]) => [k, readFileSync(`${dir}/${file}`, 'utf8')])) as unknown as ReferenceDataFiles;
  const { data, issues } = parseReferenceData(texts);
  if (issues.length > 0) throw new ReferenceDataError(issues.map((i) => `science/${FILES[i.file]} line ${i.line}: ${i.message}`));
  const hash = createHash('sha256');
  for (const key of Object.keys(FILES) as (keyof ReferenceDataFiles)[]) hash.update(texts[key]).update('\0');
  return { data, checksum: hash.digest('hex') };
}

export interface FormulationSeedReport {
  skipped: boolean;
  sources: { created: number; reused: number };
  components: number;
  mixtures: number;
}

/** Inserts each science source whose key is not yet public; returns the ids of all of them by key. */
async function ensureSources(tx: Queryable, data: ReferenceData): Promise<{ ids: Map<string, string>; created: number }> {
  let created = 0;
  for (const s of data.sources) {
    const inserted = await tx.query(
      `insert into sources (project_id, key, doi, title, authors, year, journal, url, note)
       values (null, $1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (project_id, key) do nothing`,
      [s.id, s.doi, s.title, s.authors || null, s.year, s.journal || null, s.url, s.note || null],
    );
    created += inserted.rowCount;
  }
  const rows = await tx.query<{ key: string; id: string }>(
    'select key, id from sources where project_id is null and key = any($1::text[])',
    [data.sources.map((s) => s.id)],
  );
  return { ids: new Map(rows.rows.map((r) => [r.key, r.id])), created };
}

async function upsertComponents(tx: Queryable, data: ReferenceData, sourceIds: Map<string, string>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const n of data.nonstructuralComponents) {
    const result = await tx.query<{ id: string }>(
      `insert into nonstructural_components (project_id, key, name, kind, average_molar_mass, density, notes, source_id)
       values (null, $1, $2, $3, $4, $5, $6, $7)
       on conflict (project_id, key) do update set name = excluded.name, kind = excluded.kind,
         average_molar_mass = excluded.average_molar_mass, density = excluded.density, notes = excluded.notes,
         source_id = excluded.source_id, updated_at = now()
       returning id`,
      [n.key, n.name, n.kind, n.averageMolarMass, n.density, n.notes || null, sourceIds.get(n.sourceId) ?? null],
    );
    ids.set(n.key, result.rows[0]!.id);
  }
  return ids;
}

/** Public molecules by InChIKey; a formulation naming one that is not loaded is a data error, reported by row. */
async function moleculeIds(tx: Queryable, data: ReferenceData): Promise<Map<string, string>> {
  const wanted = [...new Set(data.formulationComponents.flatMap((c) => (c.inchikey ? [c.inchikey] : [])))];
  const rows = await tx.query<{ inchikey: string; id: string }>(
    'select inchikey, id from molecules where project_id is null and inchikey = any($1::text[])',
    [wanted],
  );
  const ids = new Map(rows.rows.map((r) => [r.inchikey, r.id]));
  const missing = data.formulationComponents.filter((c) => c.inchikey !== null && !ids.has(c.inchikey));
  if (missing.length > 0) {
    throw new ReferenceDataError(missing.map((c) =>
      `science/formulation-components.csv: ${c.formulationKey} component "${c.componentName}" has InChIKey ${c.inchikey}, `
      + 'which is not in the public molecules (add it to data/reference/molecules.csv)'));
  }
  return ids;
}

function description(f: ReferenceData['formulations'][number]): string {
  const total = f.totalAsPublished ? ` Total as published: ${f.totalAsPublished}.` : '';
  return `${f.note}${total}`.trim();
}

export async function seedFormulations(db: Db, options: { force?: boolean; dir?: string } = {}): Promise<FormulationSeedReport> {
  const { data, checksum } = readFormulationFiles(options.dir);
  return db.asMaintenance(async (tx) => {
    const loaded = await tx.query<{ checksum: string }>('select checksum from reference_data_loads where name = $1', [LOAD_NAME]);
    if (!options.force && loaded.rows[0]?.checksum === checksum) {
      return { skipped: true, sources: { created: 0, reused: 0 }, components: 0, mixtures: 0 };
    }
    const sources = await ensureSources(tx, data);
    const componentIds = await upsertComponents(tx, data, sources.ids);
    const molecules = await moleculeIds(tx, data);
    for (const f of data.formulations) {
      const components = data.formulationComponents.filter((c) => c.formulationKey === f.key);
      // Verified only when the recipe and every line of it were checked against the source.
      const verified = f.verified && components.every((c) => c.verified);
      const clash = await tx.query<{ id: string }>(
        'select id from mixtures where project_id is null and name = $1 and reference_key is distinct from $2',
        [f.name, f.key],
      );
      if (clash.rowCount > 0) {
        throw new ReferenceDataError([`science/formulations.csv: ${f.key}: a public mixture named "${f.name}" already exists and was not seeded; rename it first`]);
      }
      const row = await tx.query<{ id: string }>(
        `insert into mixtures (project_id, name, description, carrier_component_id, solution_density, verified, source_id, reference_key)
         values (null, $1, $2, $3, null, $4, $5, $6)
         on conflict (reference_key) where reference_key is not null do update set name = excluded.name,
           description = excluded.description, carrier_component_id = excluded.carrier_component_id,
           verified = excluded.verified, source_id = excluded.source_id, updated_at = now()
         returning id`,
        [f.name, description(f), f.carrierKey ? componentIds.get(f.carrierKey) ?? null : null, verified, sources.ids.get(f.sourceId) ?? null, f.key],
      );
      const mixtureId = row.rows[0]!.id;
      await tx.query('delete from mixture_components where mixture_id = $1', [mixtureId]);
      for (const [position, c] of components.entries()) {
        await tx.query(
          `insert into mixture_components (mixture_id, position, molecule_id, nonstructural_component_id, amount, unit, role)
           values ($1, $2, $3, $4, $5, $6, $7)`,
          [mixtureId, position, c.inchikey ? molecules.get(c.inchikey)! : null, c.nonstructuralKey ? componentIds.get(c.nonstructuralKey)! : null, c.amount, c.unit, c.role],
        );
      }
    }
    // A formulation removed from the files leaves the public set too.
    await tx.query('delete from mixtures where project_id is null and reference_key is not null and not (reference_key = any($1::text[]))', [
      data.formulations.map((f) => f.key),
    ]);
    await tx.query(
      `insert into reference_data_loads (name, checksum) values ($1, $2)
       on conflict (name) do update set checksum = excluded.checksum, loaded_at = now()`,
      [LOAD_NAME, checksum],
    );
    return {
      skipped: false,
      sources: { created: sources.created, reused: data.sources.length - sources.created },
      components: data.nonstructuralComponents.length,
      mixtures: data.formulations.length,
    };
  });
}

export const formulationSeeder: ModuleSeeder = {
  name: 'formulations',
  async seed(runtime, options) {
    await seedFormulations(runtime.db, options?.force ? { force: true } : {});
  },
};
