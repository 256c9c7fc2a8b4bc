import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from '../../db/db.ts';
import type { ChemPool } from '../../chem/pool.ts';
import { parseCsv } from '../../lib/csv.ts';
import { insertOrFind } from '../molecules/repo.ts';

/**
 * Loads the shipped reference data (data/reference) as public rows (project_id null). Idempotent: rows are
 * matched on citation key / InChIKey, and an unchanged set of files is skipped entirely (checksum).
 */
export const REFERENCE_DIR = fileURLToPath(new URL('../../../data/reference/', import.meta.url));

export interface SourceRecord {
  key: string;
  doi: string | null;
  title: string;
  authors: string | null;
  year: number | null;
  journal: string | null;
  url: string | null;
  note: string | null;
}

export interface ReferenceMoleculeRecord {
  name: string;
  smiles: string;
  inchikey: string;
  synonyms: string[];
  sourceKey: string;
}

export class ReferenceDataError extends Error {
  constructor(readonly problems: string[]) {
    super(`Reference data is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ReferenceDataError';
  }
}

const nullable = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());

export function readReferenceFiles(dir = REFERENCE_DIR): { sources: SourceRecord[]; molecules: ReferenceMoleculeRecord[]; checksum: string } {
  const sourcesText = readFileSync(`${dir}/sources.csv`, 'utf8');
  const moleculesText = readFileSync(`${dir}/molecules.csv`, 'utf8');
  const problems: string[] = [];
  const sources = parseCsv(sourcesText).records.map(({ line, values }) => {
    const year = nullable(values.year);
    if (!values.key || !values.title) problems.push(`sources.csv line ${line}: key and title are required`);
    if (year !== null && !/^\d{4}$/.test(year)) problems.push(`sources.csv line ${line}: year "${year}" is not a year`);
    return {
      key: values.key ?? '', doi: nullable(values.doi), title: values.title ?? '', authors: nullable(values.authors),
      year: year === null ? null : Number(year), journal: nullable(values.journal), url: nullable(values.url), note: nullable(values.note),
    };
  });
  const keys = new Set(sources.map((s) => s.key));
  const molecules = parseCsv(moleculesText).records.map(({ line, values }) => {
    const sourceKey = values.source_key ?? '';
    if (!keys.has(sourceKey)) problems.push(`molecules.csv line ${line}: source_key "${sourceKey}" is not in sources.csv`);
    if (!values.name || !values.smiles || !values.inchikey) problems.push(`molecules.csv line ${line}: name, smiles and inchikey are required`);
    return {
      name: values.name ?? '', smiles: values.smiles ?? '', inchikey: values.inchikey ?? '',
      synonyms: (values.synonyms ?? '').split('|').map((s) => s.trim()).filter((s) => s !== ''),
      sourceKey,
    };
  });
  if (problems.length > 0) throw new ReferenceDataError(problems);
  const checksum = createHash('sha256').update(sourcesText).update('\0').update(moleculesText).digest('hex');
  return { sources, molecules, checksum };
}

async function upsertSources(tx: Queryable, sources: SourceRecord[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const s of sources) {
    const result = await tx.query<{ id: string }>(
      `insert into sources (project_id, key, doi, title, authors, year, journal, url, note)
       values (null, $1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (project_id, key) do update set doi = excluded.doi, title = excluded.title, authors = excluded.authors,
         year = excluded.year, journal = excluded.journal, url = excluded.url, note = excluded.note
       returning id`,
      [s.key, s.doi, s.title, s.authors, s.year, s.journal, s.url, s.note],
    );
    ids.set(s.key, result.rows[0]!.id);
  }
  return ids;
}

export interface SeedReport {
  skipped: boolean;
  sources: number;
  molecules: { created: number; existing: number };
}

/** Seeds public reference data. `force` reloads even when the files are unchanged. */
export async function seedReferenceData(db: Db, chem: ChemPool, options: { force?: boolean; dir?: string } = {}): Promise<SeedReport> {
  const files = readReferenceFiles(options.dir);
  const loaded = await db.asMaintenance(async (tx) => {
    const r = await tx.query<{ checksum: string }>("select checksum from reference_data_loads where name = 'core'");
    return r.rows[0]?.checksum ?? null;
  });
  if (!options.force && loaded === files.checksum) {
    return { skipped: true, sources: 0, molecules: { created: 0, existing: 0 } };
  }
  // Structures are computed before the transaction so RDKit work never holds a database transaction open.
  const structures = await Promise.all(
    files.molecules.map(async (m) => {
      const structure = await chem.register({ smiles: m.smiles });
      if (structure.inchikey !== m.inchikey) {
        throw new ReferenceDataError([`${m.name}: RDKit gives InChIKey ${structure.inchikey}, the file says ${m.inchikey}`]);
      }
      return structure;
    }),
  );
  return db.asMaintenance(async (tx) => {
    const sourceIds = await upsertSources(tx, files.sources);
    let created = 0;
    for (const [i, m] of files.molecules.entries()) {
      const result = await insertOrFind(tx, {
        projectId: null, name: m.name, synonyms: m.synonyms, structure: structures[i]!,
        sourceId: sourceIds.get(m.sourceKey) ?? null, createdBy: null,
      });
      if (result.created) created++;
      else {
        await tx.query('update molecules set name = $2, synonyms = $3, source_id = $4 where id = $1', [
          result.molecule.id, m.name, m.synonyms, sourceIds.get(m.sourceKey) ?? null,
        ]);
      }
    }
    await tx.query(
      `insert into reference_data_loads (name, checksum) values ('core', $1)
       on conflict (name) do update set checksum = excluded.checksum, loaded_at = now()`,
      [files.checksum],
    );
    return { skipped: false, sources: files.sources.length, molecules: { created, existing: files.molecules.length - created } };
  });
}
