import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/db.ts';

/**
 * Prometheus metrics. Names are a contract with deploy/prometheus/alerts.yml and the Grafana dashboard:
 * change them there too. One registry per app instance, so tests can build many apps in one process.
 */
export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  httpRequests: Counter<'method' | 'route' | 'status_code'>;
  dbQueryDuration: Histogram<'backend'>;
  dbUp: Gauge;
  jobDuration: Histogram<'queue' | 'status'>;
  modelPredictions: Counter<'target' | 'model_version'>;
  modelPredictionDuration: Histogram<'target'>;
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client exports these sums of nodejs_active_{handles,requests,resources} as gauges ending in _total, which
  // `promtool check metrics` rejects (only counters may end in _total). The per-type gauges carry the same data.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route template and status',
      labelNames: ['method', 'route', 'status_code'],
      registers: [registry],
    }),
    dbQueryDuration: new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Database query duration',
      labelNames: ['backend'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    dbUp: new Gauge({ name: 'db_up', help: 'Whether the last database probe succeeded (1) or not (0)', registers: [registry] }),
    jobDuration: new Histogram({
      name: 'job_duration_seconds',
      help: 'Run time of background jobs by queue (job kind) and outcome',
      labelNames: ['queue', 'status'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [registry],
    }),
    modelPredictions: new Counter({
      name: 'model_predictions_total',
      help: 'Predictions served by target and model version',
      labelNames: ['target', 'model_version'],
      registers: [registry],
    }),
    modelPredictionDuration: new Histogram({
      name: 'model_prediction_duration_seconds',
      help: 'Prediction latency by target',
      labelNames: ['target'],
      registers: [registry],
    }),
  };
}

/** Pool gauges read the pool at scrape time rather than being pushed on every checkout. */
export function registerPoolMetrics(metrics: AppMetrics, db: Db): void {
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      const stats = db.poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'db_pool_max_connections',
    help: 'Maximum size of the database pool',
    registers: [metrics.registry],
    collect() {
      this.set(db.poolStats().max);
    },
  });
}

/**
 * Age of the newest completed backup in `backupDir`, read at scrape time. With no backup there is no sample at
 * all (not 0, which would read as "just backed up"), so `absent(backup_age_seconds)` can alert on it.
 * Idempotent per registry: building several servers over one runtime registers the gauges once.
 */
export function registerBackupMetrics(metrics: AppMetrics, newestBackupTime: () => Date | null): void {
  if (metrics.registry.getSingleMetric('backup_age_seconds')) return;
  new Gauge({
    name: 'backup_age_seconds',
    help: 'Seconds since the newest completed backup in BACKUP_DIR was taken (no sample when there is none)',
    registers: [metrics.registry],
    collect() {
      const newest = newestBackupTime();
      if (newest) this.set(Math.max(0, (Date.now() - newest.getTime()) / 1000));
      else this.remove();
    },
  });
  new Gauge({
    name: 'backup_last_success_timestamp_seconds',
    help: 'Unix time at which the newest completed backup in BACKUP_DIR was taken (no sample when there is none)',
    registers: [metrics.registry],
    collect() {
      const newest = newestBackupTime();
      if (newest) this.set(newest.getTime() / 1000);
      else this.remove();
    },
  });
}

/** Queued jobs by kind, read from the jobs table when Prometheus scrapes (every replica sees the same queue). */
export function registerJobQueueMetrics(metrics: AppMetrics, db: Db): void {
  new Gauge({
    name: 'jobs_queue_depth',
    help: 'Jobs waiting to run, by queue (job kind)',
    labelNames: ['queue'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const rows = await db.asMaintenance(async (tx) => {
        const present = await tx.query<{ ok: boolean }>("select to_regclass('public.jobs') is not null as ok");
        if (!present.rows[0]?.ok) return [];
        return (await tx.query<{ kind: string; n: number }>("select kind, count(*)::int as n from jobs where status = 'queued' group by kind")).rows;
      });
      for (const r of rows) this.set({ queue: r.kind }, r.n);
    },
  });
}
