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
  modelPredictions: Counter<'target' | 'model_version'>;
  modelPredictionDuration: Histogram<'target'>;
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
