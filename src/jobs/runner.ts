import type { Actor, Db } from '../db/db.ts';
import type { Job, JobHandler, Jobs } from './jobs.ts';
import * as repo from './repo.ts';

/**
 * The slice of a pino logger the runner writes to (the app's `FastifyBaseLogger` fits). Structural, so the runner
 * does not depend on Fastify and a test can pass any pino instance.
 */
export interface JobLog {
  child(bindings: Record<string, unknown>): JobLog;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface JobRunnerOptions {
  /** Handlers by job kind; this runner claims only these kinds. */
  handlers: Record<string, JobHandler<never, unknown>>;
  /** How often an idle runner looks for jobs submitted by other processes; default 2 s. */
  pollMs?: number;
  /** A running job without a heartbeat for this long is taken over; default 300 s. */
  staleAfterSeconds?: number;
  /** Minimum interval between progress writes; default 250 ms. */
  progressEveryMs?: number;
  /** Start claiming jobs (false: submit/get only, e.g. a read-only API replica); default true. */
  run?: boolean;
  /**
   * Where the runner logs each job's start and end. Every line carries `jobId`, `jobKind`, `userId` and `reqId` —
   * the id of the request that submitted the job — so one search for a request id finds the HTTP request and the
   * work it started, in whichever process ran it.
   */
  log?: JobLog;
  onError?(error: Error, job: Job | null): void;
  /** Called when a job ends, with its run time (metrics). */
  onFinished?(job: Job, status: 'succeeded' | 'failed', seconds: number): void;
}

/**
 * Jobs backed by the `jobs` table, run in this process. Claiming uses `for update skip locked` (repo.claim), so
 * several processes can run this same runner against one PostgreSQL database, and a separate worker process
 * (`createDbJobs(db, { handlers })` without an HTTP server) can take the load off API replicas.
 */
export function createDbJobs(db: Db, options: JobRunnerOptions): Jobs {
  const kinds = Object.keys(options.handlers);
  const pollMs = options.pollMs ?? 2000;
  const staleAfter = options.staleAfterSeconds ?? 300;
  const progressEveryMs = options.progressEveryMs ?? 250;
  let closed = false;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let again = false;

  const runOne = async (): Promise<boolean> => {
    const claimed = await db.asMaintenance((tx) => repo.claim(tx, kinds, staleAfter));
    if (!claimed) return false;
    const { payload, requestId, attempt, ...job } = claimed;
    const handler = options.handlers[job.kind] as JobHandler<unknown, unknown>;
    // Acting with the submitting request's id makes the audit rows the job writes point back to that request.
    const actor: Actor = requestId ? { userId: job.createdBy, requestId } : { userId: job.createdBy };
    const log = options.log?.child({ jobId: job.id, jobKind: job.kind, userId: job.createdBy, ...(requestId ? { reqId: requestId } : {}) });
    log?.info({ attempt }, 'job started');
    let lastWrite = 0;
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    try {
      const result = await handler({
        job, payload, actor,
        async progress(done, total) {
          const now = Date.now();
          if (now - lastWrite < progressEveryMs && done !== total) return;
          lastWrite = now;
          await db.asMaintenance((tx) => repo.progress(tx, job.id, { done, total }));
        },
      });
      await db.asMaintenance((tx) => repo.finish(tx, job.id, { result }));
      log?.info({ status: 'succeeded', durationMs: elapsedMs() }, 'job finished');
      options.onFinished?.(job, 'succeeded', (performance.now() - started) / 1000);
    } catch (error) {
      // warn, not error: the job's record holds the failure for its user; the process itself is fine.
      log?.warn({ status: 'failed', durationMs: elapsedMs(), err: error }, 'job finished');
      options.onError?.(error as Error, job);
      await db.asMaintenance((tx) => repo.finish(tx, job.id, { error: (error as Error).message || String(error) }));
      options.onFinished?.(job, 'failed', (performance.now() - started) / 1000);
    }
    return true;
  };

  const drain = (): void => {
    if (closed || options.run === false) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    running = (async () => {
      try {
        do {
          again = false;
          while (!closed && (await runOne()));
        } while (again && !closed);
      } catch (error) {
        // The queue itself failed (e.g. the database went away while claiming); the next poll tries again.
        options.log?.error({ err: error }, 'job runner failed');
        options.onError?.(error as Error, null);
      } finally {
        running = null;
        if (!closed) {
          timer = setTimeout(drain, pollMs);
          timer.unref();
        }
      }
    })();
  };
  drain();

  return {
    async submit(actor, input) {
      const job = await db.asUser(actor, (tx) =>
        repo.insert(tx, { kind: input.kind, projectId: input.projectId, payload: input.payload, total: input.total ?? null }),
      );
      drain();
      return job;
    },
    get(actor, id) {
      return db.asUser(actor, (tx) => repo.find(tx, id));
    },
    async waitFor(actor, id, { timeoutMs = 120_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await db.asUser(actor, (tx) => repo.find(tx, id));
        if (!job) throw new Error(`job ${id} does not exist or is not visible`);
        if (job.status === 'succeeded' || job.status === 'failed') return job;
        if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** Read-only access for routes that only show jobs (no handlers, never claims). */
export function jobReader(db: Db): Pick<Jobs, 'get'> {
  return { get: (actor, id) => db.asUser(actor, (tx) => repo.find(tx, id)) };
}
