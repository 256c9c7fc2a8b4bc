import os from 'node:os';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/app/runtime.ts';
import { LOCAL_ADMIN } from '../src/modules/accounts/local-admin.ts';
import { createMoleculeService } from '../src/modules/molecules/service.ts';
import { machine } from './machine.ts';

/**
 * "Search ready" in a fresh server-like process: opens the runtime as `serve` does (database pool, chem pool with one
 * worker per core) against BENCH_DATABASE_URL (a database filled by `BENCH_IMPORT_SET=1m bench/import.ts`), runs
 * the first similarity search — which loads the public scope into the in-memory index — and reports the time and the
 * process's resident memory (main thread, index and chem workers). Run with --expose-gc for a settled heap.
 */
export async function benchIndexLoad(): Promise<Record<string, unknown>> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('set BENCH_DATABASE_URL to a database with imported molecules');
  const runtime = await openRuntime(loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'local', DATABASE_URL: url, CHEM_WORKERS: String(os.availableParallelism()) }));
  try {
    const service = createMoleculeService(runtime.db, runtime.chem);
    const actor = { userId: LOCAL_ADMIN.id };
    await service.similarity(actor, { smiles: 'CCO', k: 1, filters: { projectId: '00000000-0000-4000-8000-000000000000' } }); // warm the pool
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const first = await service.similarity(actor, { smiles: 'OCC(O)CO', k: 10 });
    const loadSeconds = (performance.now() - started) / 1000;
    global.gc?.();
    const memory = process.memoryUsage();
    const timed: number[] = [];
    for (const smiles of ['OCC(O)CO', 'CS(C)=O', 'c1ccccc1C(=O)N', 'CC(=O)Nc1ccc(O)cc1', 'OCCO']) {
      const t = performance.now();
      await service.similarity(actor, { smiles, k: 10 });
      timed.push(performance.now() - t);
    }
    return {
      indexedMolecules: service.index.size, loadSeconds: +loadSeconds.toFixed(1), firstSearchHits: first.items.length,
      processRssMiB: Math.round(memory.rss / 2 ** 20), rssAddedByIndexMiB: Math.round((memory.rss - rssBefore) / 2 ** 20),
      heapUsedMiB: Math.round(memory.heapUsed / 2 ** 20), indexReservedMiB: Math.round(service.index.reservedBytes / 2 ** 20),
      // End to end through the service: register the query (chem pool), scan, read the 10 hits back through RLS.
      top10ApiMs: timed.map((ms) => +ms.toFixed(1)),
      loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
    };
  } finally {
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ machine: machine(), indexLoad: await benchIndexLoad() }, null, 2));
}
