import { Worker, type WorkerOptions } from 'node:worker_threads';

const bootstrap = new URL('./ts-worker-bootstrap.mjs', import.meta.url);

/** Starts a worker thread running a TypeScript module; `workerData.__entry` is reserved. */
export function startTsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const data = (options.workerData ?? {}) as Record<string, unknown>;
  return new Worker(bootstrap, { ...options, workerData: { ...data, __entry: entry.href } });
}
