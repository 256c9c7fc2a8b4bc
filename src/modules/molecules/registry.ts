import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../app/server.ts';
import { createDbJobs } from '../../jobs/runner.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { startChangeFeed, type ChangeFeed } from './change-feed.ts';
import { IMPORT_JOB, importJobHandler } from './import-job.ts';
import { MoleculeSearchIndex } from './search-index.ts';
import { createMoleculeService, type MoleculeService } from './service.ts';

export interface MoleculeRegistry {
  service: MoleculeService;
  jobs: Jobs;
  /** Null in embedded mode: one process owns the database (lock file), so there is no other writer to hear. */
  feed: ChangeFeed | null;
  close(): Promise<void>;
}

/**
 * The molecules module's long-lived parts for one process: the service with its search index, the change feed
 * that keeps the index current with other replicas' writes (server mode), and the job runner for imports.
 */
export function createMoleculeRegistry(
  deps: Pick<AppDeps, 'db' | 'chem' | 'config'> & Partial<Pick<AppDeps, 'metrics' | 'log'>>,
  log: FastifyBaseLogger | undefined = deps.log,
): MoleculeRegistry {
  // Ids this process wrote and already put in its index; their notifications need no re-read.
  const localIds = new Set<string>();
  const databaseUrl = deps.config.databaseUrl;
  let index: MoleculeSearchIndex | null = null;
  const service = createMoleculeService(deps.db, deps.chem, {
    onLocalWrite: databaseUrl ? (ids) => ids.forEach((id) => localIds.add(id)) : undefined,
  });
  index = service.index;
  const feed = databaseUrl
    ? startChangeFeed(databaseUrl, {
        async onChanges(changes) {
          const upserted: string[] = [];
          const deleted: string[] = [];
          for (const c of changes) {
            if (c.op === 'delete') deleted.push(c.id);
            else if (c.op === 'insert' && localIds.delete(c.id)) continue;
            else upserted.push(c.id);
          }
          await index?.apply({ upserted: [...new Set(upserted)], deleted });
        },
        onGap() {
          localIds.clear();
          index?.invalidate();
        },
        onError(error) {
          log?.warn({ err: error }, 'molecule change feed');
        },
      })
    : null;
  const jobs = createDbJobs(deps.db, {
    handlers: { [IMPORT_JOB]: importJobHandler(service) as never },
    log, // the runner logs each job's start and end (failures included) with its id and the submitting request's id
    onFinished: (job, status, seconds) => deps.metrics?.jobDuration.observe({ queue: job.kind, status }, seconds),
  });
  return {
    service, jobs, feed,
    async close() {
      await jobs.close();
      await feed?.close();
    },
  };
}
