import type { Queryable } from '../db/db.ts';
import type { Job, JobProgress, JobStatus } from './jobs.ts';

/** All jobs SQL. */
interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  progress: JobProgress;
  result: unknown;
  error: string | null;
  project_id: string | null;
  created_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  payload?: unknown;
  request_id?: string | null;
  attempts?: number;
}

const COLUMNS = 'id, kind, status, progress, result, error, project_id, created_by, created_at, started_at, finished_at';
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toJob(row: JobRow): Job {
  return {
    id: row.id, kind: row.kind, status: row.status, progress: row.progress, result: row.result ?? null, error: row.error,
    projectId: row.project_id, createdBy: row.created_by, createdAt: iso(row.created_at) as string,
    startedAt: iso(row.started_at), finishedAt: iso(row.finished_at),
  };
}

export async function insert(tx: Queryable, job: { kind: string; projectId: string | null; payload: unknown; total: number | null }): Promise<Job> {
  const result = await tx.query<JobRow>(
    `insert into jobs (kind, project_id, created_by, payload, progress, request_id)
     values ($1, $2, app.current_user_id(), $3, jsonb_build_object('done', 0, 'total', $4::integer),
             nullif(current_setting('app.request_id', true), '')) returning ${COLUMNS}`,
    [job.kind, job.projectId, JSON.stringify(job.payload), job.total],
  );
  return toJob(result.rows[0] as JobRow);
}

export async function find(tx: Queryable, id: string): Promise<Job | null> {
  const result = await tx.query<JobRow>(`select ${COLUMNS} from jobs where id = $1`, [id]);
  const row = result.rows[0];
  return row ? toJob(row) : null;
}

/**
 * Claims the oldest runnable job of the given kinds. `for update skip locked` lets any number of runners (threads,
 * processes, replicas) poll the same table without blocking on, or double-claiming, a job another runner holds.
 * A running job whose heartbeat is older than `staleAfterSeconds` belonged to a runner that died; it is taken over
 * (handlers are idempotent: imports identify molecules by InChIKey).
 */
export async function claim(
  tx: Queryable, kinds: readonly string[], staleAfterSeconds: number,
): Promise<(Job & { payload: unknown; requestId: string | null; attempt: number }) | null> {
  const result = await tx.query<JobRow>(
    `update jobs set status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), heartbeat_at = now()
     where id = (
       select id from jobs
       where kind = any($1::text[])
         and (status = 'queued' or (status = 'running' and heartbeat_at < now() - make_interval(secs => $2)))
       order by created_at
       for update skip locked
       limit 1)
     returning ${COLUMNS}, payload, request_id, attempts`,
    [kinds, staleAfterSeconds],
  );
  const row = result.rows[0];
  return row ? { ...toJob(row), payload: row.payload, requestId: row.request_id ?? null, attempt: row.attempts ?? 1 } : null;
}

export async function progress(tx: Queryable, id: string, p: JobProgress): Promise<void> {
  await tx.query(
    `update jobs set progress = jsonb_build_object('done', $2::integer, 'total', $3::integer), heartbeat_at = now()
     where id = $1 and status = 'running'`,
    [id, p.done, p.total],
  );
}

export async function finish(tx: Queryable, id: string, outcome: { result: unknown } | { error: string }): Promise<void> {
  if ('error' in outcome) {
    await tx.query(`update jobs set status = 'failed', error = $2, finished_at = now() where id = $1`, [id, outcome.error.slice(0, 10_000)]);
  } else {
    await tx.query(
      `update jobs set status = 'succeeded', result = $2, finished_at = now(),
         progress = jsonb_set(progress, '{done}', case when jsonb_typeof(progress -> 'total') = 'number' then progress -> 'total' else progress -> 'done' end)
       where id = $1`,
      [id, JSON.stringify(outcome.result)],
    );
  }
}
