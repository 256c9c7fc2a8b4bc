import type { Actor } from '../db/db.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobProgress {
  done: number;
  total: number | null;
}

export interface Job<Result = unknown> {
  id: string;
  kind: string;
  status: JobStatus;
  progress: JobProgress;
  result: Result | null;
  error: string | null;
  projectId: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What a handler gets: the job's input, who asked (its work runs as them, under RLS), and a progress reporter. */
export interface JobContext<Payload> {
  job: Job;
  payload: Payload;
  actor: Actor;
  /** Records progress (throttled by the runner); also the runner's heartbeat. */
  progress(done: number, total: number | null): Promise<void>;
}

export type JobHandler<Payload = unknown, Result = unknown> = (ctx: JobContext<Payload>) => Promise<Result>;

/**
 * Long-running work with a durable record. `submit` stores a queued job (as the actor, so RLS applies) and returns
 * at once; a runner claims it, runs the handler for its kind and stores the result or the error.
 */
export interface Jobs {
  submit<Payload>(actor: Actor, input: { kind: string; projectId: string | null; payload: Payload; total?: number | null }): Promise<Job>;
  get(actor: Actor, id: string): Promise<Job | null>;
  /** Waits until the job is finished (tests, CLI); resolves with its final state. */
  waitFor(actor: Actor, id: string, options?: { timeoutMs?: number }): Promise<Job>;
  close(): Promise<void>;
}
