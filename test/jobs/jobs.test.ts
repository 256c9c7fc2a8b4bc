import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/db/db.ts';
import { createDbJobs } from '../../src/jobs/runner.ts';
import type { JobHandler } from '../../src/jobs/jobs.ts';
import { LOCAL_ADMIN } from '../../src/modules/accounts/local-admin.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

describeEachBackend('jobs (DB-backed queue)', (backend) => {
  let db: TestDatabase;
  const admin: Actor = { userId: LOCAL_ADMIN.id };

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('runs every job exactly once across two runners, with progress and results', async () => {
    const ranBy: Record<string, string[]> = {};
    const handler = (name: string): JobHandler<{ n: number }, { doubled: number }> => async ({ job, payload, progress }) => {
      (ranBy[job.id] ??= []).push(name);
      await progress(1, 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { doubled: payload.n * 2 };
    };
    const one = createDbJobs(db.runtime.db, { handlers: { 'test.double': handler('one') as never }, pollMs: 20 });
    const two = createDbJobs(db.runtime.db, { handlers: { 'test.double': handler('two') as never }, pollMs: 20 });
    try {
      const submitted = await Promise.all(Array.from({ length: 8 }, (_, n) => one.submit(admin, { kind: 'test.double', projectId: null, payload: { n }, total: 2 })));
      expect(submitted[0]).toMatchObject({ status: 'queued', progress: { done: 0, total: 2 }, createdBy: LOCAL_ADMIN.id });
      const finished = await Promise.all(submitted.map((j) => two.waitFor(admin, j.id, { timeoutMs: 30_000 })));
      expect(finished.map((j) => j.status)).toEqual(Array(8).fill('succeeded'));
      expect(finished.map((j) => (j.result as { doubled: number }).doubled)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
      expect(finished.every((j) => j.progress.done === 2 && j.finishedAt !== null)).toBe(true);
      expect(Object.values(ranBy).every((runners) => runners.length === 1)).toBe(true);
      expect(Object.keys(ranBy)).toHaveLength(8);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('records a failing handler\'s error, ignores kinds it has no handler for, and takes over a stale running job', async () => {
    const jobs = createDbJobs(db.runtime.db, {
      handlers: { 'test.fail': (async () => { throw new Error('boom'); }) as never, 'test.ok': (async () => 'ok') as never },
      pollMs: 20, staleAfterSeconds: 1,
    });
    try {
      const failed = await jobs.waitFor(admin, (await jobs.submit(admin, { kind: 'test.fail', projectId: null, payload: {} })).id);
      expect(failed).toMatchObject({ status: 'failed', error: 'boom' });
      const other = await jobs.submit(admin, { kind: 'test.unknown', projectId: null, payload: {} });
      // A job some dead runner claimed long ago (heartbeat in the past) is run again.
      const stale = await jobs.submit(admin, { kind: 'test.ok', projectId: null, payload: {} });
      await db.runtime.db.asMaintenance((tx) => tx.query(
        "update jobs set status = 'running', started_at = now() - interval '1 hour', heartbeat_at = now() - interval '1 hour' where id = $1", [stale.id]));
      expect(await jobs.waitFor(admin, stale.id)).toMatchObject({ status: 'succeeded', result: 'ok' });
      expect((await jobs.get(admin, other.id))?.status).toBe('queued');
    } finally {
      await jobs.close();
    }
  });

  it('shows a job only to the user who started it (RLS), and refuses to create jobs as someone else', async () => {
    const bob = await db.runtime.db.asMaintenance(async (tx) =>
      ({ userId: (await tx.query<{ id: string }>("insert into users (email, display_name) values ('bob.jobs@lab.test', 'Bob') returning id")).rows[0]!.id }));
    const jobs = createDbJobs(db.runtime.db, { handlers: {}, run: false });
    try {
      const mine = await jobs.submit(admin, { kind: 'test.private', projectId: null, payload: { secret: 1 } });
      expect(await jobs.get(bob, mine.id)).toBeNull();
      expect((await jobs.get(admin, mine.id))?.id).toBe(mine.id);
      const seen = await db.runtime.db.asUser(bob, async (tx) => (await tx.query('select 1 from jobs')).rowCount);
      expect(seen).toBe(0);
      await expect(db.runtime.db.asUser(bob, (tx) => tx.query(
        "insert into jobs (kind, created_by) values ('test.forged', $1)", [LOCAL_ADMIN.id]))).rejects.toThrow(/row-level security/);
      const changed = await db.runtime.db.asUser(bob, async (tx) => (await tx.query("update jobs set status = 'failed', finished_at = now() where id = $1", [mine.id])).rowCount);
      expect(changed).toBe(0);
    } finally {
      await jobs.close();
    }
  });
});
