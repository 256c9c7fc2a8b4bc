import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.ts';

/**
 * Numbered plain-SQL migrations (`NNNN_name.sql`), each applied once inside its own transaction together with
 * its record in `schema_migrations` (version, name, SHA-256 of the file). A file changed after it was applied
 * stops the app: migrations are history, and a silent divergence between databases is worse than a refusal.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationState {
  version: number;
  name: string;
  checksum: string;
  status: 'applied' | 'pending' | 'changed' | 'unknown';
  appliedAt: string | null;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
// Any fixed number works; it only has to be the same for every replica so concurrent starts migrate once.
const MIGRATION_LOCK_KEY = 727_001;

let shipped: Migration[] | null = null;

/**
 * Reads and checksums the migration files. The shipped set never changes while the process runs, so it is read
 * once: readiness probes call this every few seconds.
 */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (dir === MIGRATIONS_DIR) return (shipped ??= readMigrations(dir));
  return readMigrations(dir);
}

function readMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new MigrationError(`Migration file name "${file}" does not match NNNN_name.sql`);
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        version: Number(match[1]),
        name: match[2] as string,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && m.version === migrations[i - 1]!.version) {
      throw new MigrationError(`Two migration files share the number ${String(m.version).padStart(4, '0')}`);
    }
  });
  return migrations;
}

async function ensureLedger(tx: Queryable): Promise<void> {
  await tx.query(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`);
}

async function appliedRows(tx: Queryable): Promise<{ version: number; name: string; checksum: string; applied_at: Date }[]> {
  const exists = await tx.query<{ present: boolean }>("select to_regclass('public.schema_migrations') is not null as present");
  if (!exists.rows[0]?.present) return [];
  const result = await tx.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
    'select version, name, checksum, applied_at from schema_migrations order by version',
  );
  return result.rows;
}

export async function migrationStatus(db: Db, migrations = loadMigrations()): Promise<MigrationState[]> {
  const applied = await db.asMaintenance(appliedRows);
  const byVersion = new Map(applied.map((r) => [r.version, r]));
  const states: MigrationState[] = migrations.map((m) => {
    const row = byVersion.get(m.version);
    if (!row) return { version: m.version, name: m.name, checksum: m.checksum, status: 'pending', appliedAt: null };
    return {
      version: m.version,
      name: m.name,
      checksum: m.checksum,
      status: row.checksum === m.checksum ? 'applied' : 'changed',
      appliedAt: new Date(row.applied_at).toISOString(),
    };
  });
  for (const row of applied) {
    if (!migrations.some((m) => m.version === row.version)) {
      states.push({ version: row.version, name: row.name, checksum: row.checksum, status: 'unknown', appliedAt: new Date(row.applied_at).toISOString() });
    }
  }
  return states;
}

function describeProblems(states: MigrationState[]): string[] {
  // Numbers may have gaps (work merged from parallel branches), but history only moves forward: a pending file
  // numbered below an applied one would run out of order against a schema that already moved on.
  const newestApplied = Math.max(0, ...states.filter((s) => s.status !== 'pending').map((s) => s.version));
  const outOfOrder = states
    .filter((s) => s.status === 'pending' && s.version < newestApplied)
    .map((s) => `migration ${String(s.version).padStart(4, '0')}_${s.name}.sql is pending but older than applied migration ${newestApplied}; renumber it after ${newestApplied}`);
  return outOfOrder.concat(states
    .filter((s) => s.status === 'changed' || s.status === 'unknown')
    .map((s) =>
      s.status === 'changed'
        ? `migration ${String(s.version).padStart(4, '0')}_${s.name}.sql was changed after it was applied (checksum differs); restore the original file and add a new migration instead`
        : `the database has migration ${s.version} (${s.name}) that this version of the app does not know; run the newer app version`,
    ));
}

/** Applies every pending migration, each in its own transaction. Returns the versions applied. */
export async function migrateUp(db: Db, migrations = loadMigrations()): Promise<number[]> {
  const problems = describeProblems(await migrationStatus(db, migrations));
  if (problems.length > 0) throw new MigrationError(`Refusing to migrate:\n  - ${problems.join('\n  - ')}`);
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.asMaintenance(async (tx) => {
      // Serializes concurrent starts of several replicas; the loser sees the row and skips.
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await ensureLedger(tx);
      const existing = await tx.query('select 1 from schema_migrations where version = $1', [migration.version]);
      if (existing.rowCount > 0) return false;
      await tx.query(migration.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** Throws unless every known migration is applied unchanged (readiness and startup use it). */
export async function assertMigrationsCurrent(db: Db, migrations = loadMigrations()): Promise<void> {
  const states = await migrationStatus(db, migrations);
  const problems = describeProblems(states);
  const pending = states.filter((s) => s.status === 'pending');
  if (pending.length > 0) problems.push(`${pending.length} migration(s) pending: run \`cryoprotect migrate up\``);
  if (problems.length > 0) throw new MigrationError(problems.join('; '));
}
