import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { importFile } from '../src/cli/commands/import.ts';
import { loadConfig } from '../src/config.ts';
import { openRuntime, prepareDatabase } from '../src/app/runtime.ts';
import { createMoleculeService } from '../src/modules/molecules/service.ts';
import { BENCH_16K, machine } from './machine.ts';

/**
 * Bulk import into the database: the 16k set through the same path as `cryoprotect import` (streamed file,
 * registration in the chem pool, chunks of 500 rows per transaction) into a fresh embedded database, or into
 * BENCH_DATABASE_URL (a PostgreSQL database that will be migrated and written to). One run: a second run would
 * only find duplicates.
 */
export async function benchImport(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'cryoprotect-bench-'));
  const env: Record<string, string> = { NODE_ENV: 'test', AUTH_MODE: 'local', DATA_DIR: dataDir, CHEM_WORKERS: String(os.availableParallelism()) };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const runtime = await openRuntime(loadConfig(env));
  try {
    await prepareDatabase(runtime);
    const service = createMoleculeService(runtime.db, runtime.chem);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const counts = await importFile(service, BENCH_16K, {
      format: 'csv', smilesColumn: 'smiles', nameColumn: 'id', projectId: null, write: () => {}, quiet: true,
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const rows = counts.registered + counts.duplicate + counts.invalid;
    return {
      database: runtime.db.backend, rows, ...counts, seconds: +seconds.toFixed(1), rowsPerSecond: Math.round(rows / seconds),
      cpuSecondsAllThreads: +((used.user + used.system) / 1e6).toFixed(1), loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
      projected1MMinutes: +((1_000_000 / (rows / seconds)) / 60).toFixed(1),
    };
  } finally {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ machine: machine(), import: await benchImport() }, null, 2));
}
