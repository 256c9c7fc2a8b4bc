import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { migrateUp } from '../../src/db/migrate.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { LOCAL_ADMIN } from '../../src/modules/accounts/local-admin.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const promtool = spawnSync('promtool', ['--version']).status === 0;

interface Report {
  status: string;
  checks: { name: string; status: string; detail: string; skipped?: boolean }[];
}

describeEachBackend('health report, admin backups and metrics', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let backupDir: string;

  beforeAll(async () => {
    backupDir = join(mkdtempSync(join(tmpdir(), 'cryoprotect-health-')), 'backups');
    db = await openTestDatabase(backend, { env: { BACKUP_DIR: backupDir } });
    // The shared template may predate a migration added since the run started; the report would rightly say "pending".
    await migrateUp(db.runtime.db);
    app = await buildServer({ ...db.runtime, version: APP_VERSION });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    rmSync(join(backupDir, '..'), { recursive: true, force: true });
  });

  const health = async (): Promise<Report> => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    return res.json() as Report;
  };
  const check = (report: Report, name: string) => report.checks.find((c) => c.name === name);
  const metrics = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

  it('reports every check on a healthy database; no backup yet is a warning and no metric sample', async () => {
    const report = await health();
    expect(report.checks.map((c) => c.name)).toEqual([
      'database', 'migrations', 'schema', 'row-level-security', 'foreign-key-indexes', 'integrity.orphans',
      'integrity.duplicate-inchikeys', 'integrity.physical-ranges', 'integrity.unverified', 'performance.statements',
      'performance.table-sizes', 'performance.unused-indexes', 'performance.connections', 'backup', 'disk',
    ]);
    for (const name of ['database', 'migrations', 'schema', 'row-level-security', 'integrity.orphans', 'integrity.duplicate-inchikeys', 'integrity.physical-ranges', 'disk']) {
      expect(check(report, name), name).toMatchObject({ status: 'ok' });
    }
    expect(check(report, 'schema')!.detail).toMatch(/\d+ tables, their columns and \d+ named indexes match the migrations/);
    expect(check(report, 'backup')).toMatchObject({ status: 'warning', detail: expect.stringMatching(/^no backup in /) });
    expect(report.status).toBe('warning');
    expect(check(report, 'performance.connections')!.skipped === true).toBe(backend === 'pglite');
    const text = await metrics();
    expect(text).toMatch(/# TYPE backup_age_seconds gauge/);
    expect(text).not.toMatch(/^backup_age_seconds /m);
    expect(text).not.toMatch(/^backup_last_success_timestamp_seconds /m);
  });

  it('takes a backup inside the server; the backup check, list and metrics see it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/admin/backups' });
    expect(res.statusCode).toBe(201);
    const body = res.json() as { backup: { path: string; backend: string }; tables: { name: string; rows: number }[] };
    expect(existsSync(body.backup.path)).toBe(true);
    expect(body.backup.backend).toBe(backend);
    expect(body.tables.find((t) => t.name === 'molecules')!.rows).toBeGreaterThan(0);
    const list = (await app.inject({ method: 'GET', url: '/api/v1/admin/backups' })).json() as { items: { path: string }[] };
    expect(list.items.map((i) => i.path)).toEqual([body.backup.path]);
    expect(check(await health(), 'backup')).toMatchObject({ status: 'ok' });
    const text = await metrics();
    const age = Number(/^backup_age_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
    const last = Number(/^backup_last_success_timestamp_seconds (\S+)$/m.exec(text)?.[1]);
    expect(Math.abs(last - Date.now() / 1000)).toBeLessThan(60);
  });

  it('finds a table without row-level security, an unindexed foreign key and a negative temperature', async () => {
    await db.runtime.db.asMaintenance((tx) => tx.query(`
      create table ops_probe (id integer primary key, molecule_id uuid references molecules (id) on delete cascade, tg_k double precision);
      insert into ops_probe values (1, null, -5), (2, null, 150)`));
    try {
      const report = await health();
      expect(report.status).toBe('failed');
      expect(check(report, 'schema')).toMatchObject({ status: 'warning', detail: expect.stringMatching(/tables no migration creates: ops_probe/) });
      expect(check(report, 'row-level-security')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/ops_probe \(disabled\)/) });
      expect(check(report, 'foreign-key-indexes')).toMatchObject({ status: 'warning', detail: expect.stringMatching(/ops_probe\(molecule_id\)/) });
      expect(check(report, 'integrity.physical-ranges')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/ops_probe\.tg_k \(1 rows\)/) });
    } finally {
      await db.runtime.db.asMaintenance((tx) => tx.query('drop table ops_probe'));
    }
  });

  it('answers 403 to a user who is not an administrator', async () => {
    await db.runtime.db.asMaintenance((tx) => tx.query('update users set is_admin = false where id = $1', [LOCAL_ADMIN.id]));
    try {
      for (const [method, url] of [['GET', '/api/v1/health'], ['GET', '/api/v1/admin/backups'], ['POST', '/api/v1/admin/backups']] as const) {
        const res = await app.inject({ method, url });
        expect(res.statusCode, url).toBe(403);
        expect(res.json().code).toBe('forbidden');
      }
    } finally {
      await db.runtime.db.asMaintenance((tx) => tx.query('update users set is_admin = true where id = $1', [LOCAL_ADMIN.id]));
    }
  });

  it.skipIf(!promtool)(`serves a /metrics exposition that passes promtool check metrics${promtool ? '' : ' [skipped: promtool not installed]'}`, async () => {
    await app.inject({ method: 'GET', url: '/api/v1/meta' });
    const text = await metrics();
    expect(text).toMatch(/^http_requests_total\{/m);
    // promtool exits non-zero on format errors; lint findings (e.g. naming advice) also fail the check.
    const output = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(output.trim()).toBe('');
  });
});
