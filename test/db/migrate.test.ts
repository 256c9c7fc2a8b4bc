import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assertMigrationsCurrent, loadMigrations, MIGRATIONS_DIR, migrateUp, migrationStatus } from '../../src/db/migrate.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

describeEachBackend('migrations', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => db?.close());

  it('records every applied migration with its checksum and applies nothing twice', async () => {
    const states = await migrationStatus(db.runtime.db);
    expect(states.length).toBe(loadMigrations().length);
    expect(states.every((s) => s.status === 'applied' && /^[0-9a-f]{64}$/.test(s.checksum))).toBe(true);
    expect(await migrateUp(db.runtime.db)).toEqual([]);
    await expect(assertMigrationsCurrent(db.runtime.db)).resolves.toBeUndefined();
  });

  it('refuses to run when an applied migration file was changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const first = loadMigrations(dir)[0]!;
    writeFileSync(join(dir, `${String(first.version).padStart(4, '0')}_${first.name}.sql`), `${first.sql}\n-- edited\n`);
    const changed = loadMigrations(dir);
    await expect(migrateUp(db.runtime.db, changed)).rejects.toThrow(/was changed after it was applied/);
    await expect(assertMigrationsCurrent(db.runtime.db, changed)).rejects.toThrow(/changed/);
  });

  it('applies a new migration once, in a transaction that rolls back on error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const next = String(loadMigrations(dir).at(-1)!.version + 1).padStart(4, '0');
    writeFileSync(join(dir, `${next}_broken.sql`), 'create table half_done (id int);\nselect no_such_function();\n');
    await expect(migrateUp(db.runtime.db, loadMigrations(dir))).rejects.toThrow(/no_such_function/);
    const exists = await db.runtime.db.asMaintenance(async (tx) => (await tx.query<{ t: string | null }>("select to_regclass('public.half_done')::text as t")).rows[0]?.t);
    expect(exists).toBeNull();
    writeFileSync(join(dir, `${next}_broken.sql`), 'create table half_done (id int);\n');
    expect(await migrateUp(db.runtime.db, loadMigrations(dir))).toEqual([Number(next)]);
    expect(await migrateUp(db.runtime.db, loadMigrations(dir))).toEqual([]);
    await expect(assertMigrationsCurrent(db.runtime.db)).rejects.toThrow(/does not know/);
  });

  it('accepts gaps in numbering but refuses to apply a pending migration older than an applied one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const last = loadMigrations(dir).at(-1)!.version;
    const fresh = await openTestDatabase(backend);
    try {
      writeFileSync(join(dir, `${String(last + 20).padStart(4, '0')}_later.sql`), 'create table later_one (id int);\n');
      expect(await migrateUp(fresh.runtime.db, loadMigrations(dir))).toEqual([last + 20]);
      writeFileSync(join(dir, `${String(last + 10).padStart(4, '0')}_earlier.sql`), 'create table earlier_one (id int);\n');
      await expect(migrateUp(fresh.runtime.db, loadMigrations(dir))).rejects.toThrow(/older than applied migration/);
    } finally {
      await fresh.close();
    }
  });

  it('declares an ON DELETE rule on every foreign key and forces RLS on every tenant table', async () => {
    const rows = await db.runtime.db.asMaintenance(async (tx) => (await tx.query<{ name: string; rule: string }>(
      `select conname as name, confdeltype as rule from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where contype = 'f' and n.nspname = 'public'`)).rows);
    expect(rows.length).toBeGreaterThan(0);
    // 'a' = NO ACTION, the implicit default; every key must say what it means instead.
    expect(rows.filter((r) => r.rule === 'a').map((r) => r.name)).toEqual([]);
    // Every table holds tenant or account data except the migration bookkeeping; none may be left unguarded.
    const unguarded = await db.runtime.db.asMaintenance(async (tx) => (await tx.query<{ relname: string }>(
      `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'
       and relname not in ('schema_migrations', 'reference_data_loads', 'half_done' /* this file's scratch migration */)
       and not (relrowsecurity and relforcerowsecurity) order by relname`)).rows.map((r) => r.relname));
    expect(unguarded).toEqual([]);
  });
});
