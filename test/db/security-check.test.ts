import { afterAll, beforeAll, expect, it } from 'vitest';
import { securityCheck } from '../../src/db/security-check.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

describeEachBackend('security check', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => db?.close());

  it('passes on the migrated schema', async () => {
    const report = await securityCheck(db.runtime.db);
    expect(report.problems).toEqual([]);
    expect(report.tables.map((t) => t.table)).toEqual(expect.arrayContaining(['molecules', 'projects', 'project_members', 'sources', 'users', 'audit_log']));
  });

  it('fails on an unforced table, a grant without a policy, an always-true policy and a dynamic-SQL function', async () => {
    await db.runtime.db.asMaintenance(async (tx) => {
      await tx.query('create table leaky (id int, project_id uuid)');
      await tx.query('alter table leaky enable row level security');
      await tx.query('grant select, delete on leaky to cryoprotect_app');
      await tx.query('create policy leaky_select on leaky for select to cryoprotect_app using (true)');
      await tx.query(`create function app.run_sql(q text) returns void language plpgsql as $$ begin execute q; end $$`);
    });
    const report = await securityCheck(db.runtime.db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([
      'table leaky: row-level security is not forced (the table owner would bypass it)',
      'table leaky: cryoprotect_app may DELETE but no DELETE policy exists',
      'table leaky: policy leaky_select is unconditionally true on a table holding project data',
      'function app.run_sql: builds and runs SQL dynamically (EXECUTE)',
    ]));
  });
});
