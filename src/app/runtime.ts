import { readFileSync } from 'node:fs';
import type { Config } from '../config.ts';
import { createChemPool, type ChemPool } from '../chem/pool.ts';
import { openDb, type Db } from '../db/db.ts';
import { migrateUp } from '../db/migrate.ts';
import { ensureLocalAdmin } from '../modules/accounts/local-admin.ts';
import { seedReferenceData, type SeedReport } from '../modules/reference/seed.ts';
import { MODULE_SEEDERS } from '../modules/reference/seeders.ts';
import { createMetrics, registerJobQueueMetrics, registerPoolMetrics, type AppMetrics } from './metrics.ts';

export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The long-lived resources of one process: database, RDKit workers, metrics. */
export interface Runtime {
  config: Config;
  db: Db;
  chem: ChemPool;
  metrics: AppMetrics;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, options: { chem?: boolean } = {}): Promise<Runtime> {
  const metrics = createMetrics();
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    migrationDatabaseUrl: config.migrationDatabaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    onQuery: (seconds, backend) => metrics.dbQueryDuration.observe({ backend }, seconds),
  });
  registerPoolMetrics(metrics, db);
  registerJobQueueMetrics(metrics, db);
  const chem = options.chem === false ? unavailableChem() : createChemPool({ size: config.chemWorkers });
  return {
    config, db, chem, metrics,
    async close() {
      await Promise.allSettled([chem.close(), db.close()]);
    },
  };
}

/** For commands that never touch structures: fails loudly instead of starting RDKit workers for nothing. */
function unavailableChem(): ChemPool {
  const refuse = () => Promise.reject(new Error('RDKit workers were not started for this command'));
  return { register: refuse, depict: refuse, substructureSearch: refuse, patternFingerprint: refuse, close: async () => {} };
}

/** Brings a database to a usable state: migrations, the built-in local admin, reference data. */
export async function prepareDatabase(runtime: Runtime): Promise<{ migrated: number[]; seed: SeedReport }> {
  const migrated = await migrateUp(runtime.db);
  await ensureLocalAdmin(runtime.db);
  const seed = await seedReferenceData(runtime.db, runtime.chem);
  // Module seeders run after the core set, which they may reference (molecules by InChIKey, sources by key).
  for (const seeder of MODULE_SEEDERS) await seeder.seed(runtime);
  return { migrated, seed };
}
