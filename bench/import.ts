import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { importFile } from '../src/cli/commands/import.ts';
import { loadConfig } from '../src/config.ts';
import { openRuntime, prepareDatabase } from '../src/app/runtime.ts';
import { LOCAL_ADMIN } from '../src/modules/accounts/local-admin.ts';
import { createMoleculeService } from '../src/modules/molecules/service.ts';
import { BENCH_16K, BENCH_1M, machine } from './machine.ts';

/**
 * Bulk import into the database through the same path as `cryoprotect import` (streamed file, registration in the
 * chem pool, chunks of 500 rows per transaction), then "search ready": the first similarity search, which loads the
 * whole public scope from the database into the in-memory index. Into a fresh embedded database, or into
 * BENCH_DATABASE_URL (a PostgreSQL database that will be migrated and written to). BENCH_IMPORT_SET=1m imports the
 * 1M set (decompressed to a temporary file first) instead of the 16k set. One run: a second would only find
 * duplicates.
 */
export async function benchImport(): Promise<Record<string, unknown>> {
  const set = process.env.BENCH_IMPORT_SET === '1m' ? '1m' : '16k';
  const dataDir = mkdtempSync(join(os.tmpdir(), 'cryoprotect-bench-'));
  const env: Record<string, string> = { NODE_ENV: 'test', AUTH_MODE: 'local', DATA_DIR: dataDir, CHEM_WORKERS: String(os.availableParallelism()) };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  let file = BENCH_16K;
  if (set === '1m') {
    file = join(dataDir, 'molecules-1m.tsv');
    await pipeline(createReadStream(BENCH_1M), createGunzip(), createWriteStream(file));
  }
  const runtime = await openRuntime(loadConfig(env));
  try {
    await prepareDatabase(runtime);
    const service = createMoleculeService(runtime.db, runtime.chem);
    const started = performance.now();
    const cpu = process.cpuUsage();
    let rowsDone = 0;
    const counts = await importFile(service, file, {
      format: 'csv', smilesColumn: 'smiles', nameColumn: 'id', projectId: null, quiet: true,
      write: () => {
        rowsDone++; // one report line per row (plus the header)
        if (rowsDone % 50_000 === 0) {
          const s = (performance.now() - started) / 1000;
          process.stderr.write(`import: ${rowsDone} rows in ${s.toFixed(0)} s (${(rowsDone / s).toFixed(0)} rows/s)\n`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const rows = counts.registered + counts.duplicate + counts.invalid;
    // Search ready: the first search loads the scope the import wrote into the in-memory index.
    const loadStarted = performance.now();
    const hits = await service.similarity({ userId: LOCAL_ADMIN.id }, { smiles: 'OCC(O)CO', k: 10 });
    const indexLoadSeconds = (performance.now() - loadStarted) / 1000;
    global.gc?.();
    return {
      set, database: runtime.db.backend, rows, ...counts, seconds: +seconds.toFixed(1), rowsPerSecond: Math.round(rows / seconds),
      cpuSecondsAllThreads: +((used.user + used.system) / 1e6).toFixed(1), loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
      projected1MMinutes: +((1_000_000 / (rows / seconds)) / 60).toFixed(1),
      indexLoadSeconds: +indexLoadSeconds.toFixed(1), indexedMolecules: service.index.size, firstSearchHits: hits.items.length,
      searchReadyMinutes: +((seconds + indexLoadSeconds) / 60).toFixed(1),
      processRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ machine: machine(), import: await benchImport() }, null, 2));
}
