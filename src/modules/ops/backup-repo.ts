import type { Queryable } from '../../db/db.ts';
import type { ManifestMigration } from './archive.ts';

/**
 * All SQL of backup and restore. Runs on the maintenance connection, which must bypass row-level security
 * (superuser or BYPASSRLS): every session sets `row_security = off`, so a role that does not bypass RLS gets an
 * error instead of a silently incomplete backup.
 */
export interface TableInfo {
  name: string;
  /** All columns in order; `generated` ones are recomputed by the database and never inserted. */
  columns: { name: string; generated: boolean }[];
  /** Has a foreign key to itself (e.g. a session pointing at the session that replaced it). */
  selfReferencing: boolean;
}

/** Not data: the migration ledger is recorded in the manifest and rebuilt by migrating the target. */
export const LEDGER_TABLE = 'schema_migrations';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Fixes every setting that changes how values print, so two dumps of equal data are byte-identical whatever the
 * server's defaults: UTC offsets, ISO dates, hex bytea, shortest exact floats.
 */
export async function prepareDumpSession(tx: Queryable, options: { readOnlySnapshot: boolean }): Promise<void> {
  // Must come first in the transaction: one snapshot for every table makes the backup consistent.
  if (options.readOnlySnapshot) await tx.query('set transaction isolation level repeatable read, read only');
  await tx.query(`select set_config('row_security', 'off', true), set_config('timezone', 'UTC', true),
    set_config('datestyle', 'ISO, YMD', true), set_config('intervalstyle', 'postgres', true),
    set_config('bytea_output', 'hex', true), set_config('extra_float_digits', '1', true)`);
}

/** Application tables in public (not the ledger, not extension-owned), parents before children. */
export async function listDataTables(tx: Queryable): Promise<TableInfo[]> {
  const tables = await tx.query<{ name: string; columns: { name: string; generated: boolean }[] }>(
    `select c.relname as name,
            (select coalesce(json_agg(json_build_object('name', a.attname, 'generated', a.attgenerated <> '') order by a.attnum), '[]'::json)
               from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> $1
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by c.relname`,
    [LEDGER_TABLE],
  );
  const edges = await tx.query<{ child: string; parent: string }>(
    `select ch.relname as child, pa.relname as parent
       from pg_constraint k
       join pg_class ch on ch.oid = k.conrelid
       join pg_class pa on pa.oid = k.confrelid
       join pg_namespace n on n.oid = ch.relnamespace
      where k.contype = 'f' and n.nspname = 'public'`,
  );
  const self = new Set(edges.rows.filter((e) => e.child === e.parent).map((e) => e.child));
  return orderByDependencies(tables.rows.map((t) => ({ ...t, selfReferencing: self.has(t.name) })), edges.rows);
}

/** Kahn's algorithm with alphabetical tie-breaks, so the order is stable. Self-references do not constrain it. */
export function orderByDependencies<T extends { name: string }>(tables: T[], edges: { child: string; parent: string }[]): T[] {
  const names = new Set(tables.map((t) => t.name));
  const parents = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set<string>()]));
  for (const e of edges) {
    if (e.child !== e.parent && names.has(e.child) && names.has(e.parent)) parents.get(e.child)?.add(e.parent);
  }
  const ordered: T[] = [];
  const remaining = [...tables].sort((a, b) => (a.name < b.name ? -1 : 1));
  while (remaining.length > 0) {
    const index = remaining.findIndex((t) => [...(parents.get(t.name) ?? [])].every((p) => ordered.some((o) => o.name === p)));
    if (index < 0) throw new Error(`Foreign keys form a cycle among: ${remaining.map((t) => t.name).join(', ')}`);
    ordered.push(...remaining.splice(index, 1));
  }
  return ordered;
}

export async function appliedMigrations(tx: Queryable): Promise<ManifestMigration[]> {
  const exists = await tx.query<{ present: boolean }>(`select to_regclass('public.${LEDGER_TABLE}') is not null as present`);
  if (!exists.rows[0]?.present) return [];
  const result = await tx.query<ManifestMigration>(`select version, name, checksum from ${LEDGER_TABLE} order by version`);
  return result.rows.map((r) => ({ version: Number(r.version), name: r.name, checksum: r.checksum }));
}

export async function countRows(tx: Queryable, table: string): Promise<number> {
  const result = await tx.query<{ n: string }>(`select count(*)::text as n from public.${quoteIdent(table)}`);
  return Number(result.rows[0]?.n ?? 0);
}

export async function serverVersion(tx: Queryable): Promise<string> {
  const result = await tx.query<{ v: string }>("select current_setting('server_version') as v");
  return result.rows[0]?.v ?? 'unknown';
}

/**
 * Streams a table's rows as jsonb text, sorted byte-wise by that text, through a cursor so that a large table is
 * never held in memory at once.
 */
export async function dumpRows(tx: Queryable, table: string, onBatch: (lines: string[]) => Promise<void>, batchSize = 1000): Promise<void> {
  const t = `public.${quoteIdent(table)}`;
  await tx.query(`declare backup_rows no scroll cursor for
    select to_jsonb(r)::text as j from ${t} r order by (to_jsonb(r)::text) collate "C"`);
  try {
    for (;;) {
      const batch = await tx.query<{ j: string }>(`fetch forward ${batchSize} from backup_rows`);
      if (batch.rows.length === 0) break;
      await onBatch(batch.rows.map((r) => r.j));
      if (batch.rows.length < batchSize) break;
    }
  } finally {
    await tx.query('close backup_rows');
  }
}

/** Starts a restore transaction: RLS off (error rather than filter), deferrable constraints deferred. */
export async function prepareRestoreSession(tx: Queryable): Promise<void> {
  await prepareDumpSession(tx, { readOnlySnapshot: false });
  await tx.query('set constraints all deferred');
}

export async function truncateAll(tx: Queryable, tables: string[]): Promise<void> {
  if (tables.length === 0) return;
  await tx.query(`truncate table ${tables.map((t) => `public.${quoteIdent(t)}`).join(', ')} restart identity`);
}

/**
 * User triggers (e.g. "the creator of a project becomes its owner", updated_at stamps) would add or alter rows
 * while restoring; they are switched off inside the restore transaction, so they come back on at COMMIT or
 * ROLLBACK alike. Foreign keys stay enforced.
 */
export async function setUserTriggers(tx: Queryable, table: string, enabled: boolean): Promise<void> {
  await tx.query(`alter table public.${quoteIdent(table)} ${enabled ? 'enable' : 'disable'} trigger user`);
}

export async function insertRows(tx: Queryable, table: string, columns: string[], lines: string[]): Promise<number> {
  if (lines.length === 0) return 0;
  const t = `public.${quoteIdent(table)}`;
  const list = columns.map(quoteIdent).join(', ');
  const result = await tx.query(
    `insert into ${t} (${list}) overriding system value
     select ${list} from jsonb_populate_recordset(null::${t}, $1::jsonb)`,
    [`[${lines.join(',')}]`],
  );
  return result.rowCount;
}

/** Moves every sequence owned by a column of the table past the restored maximum. */
export async function resetSequences(tx: Queryable, table: string): Promise<void> {
  const owned = await tx.query<{ column: string; sequence: string }>(
    `select a.attname as column, pg_get_serial_sequence(format('public.%I', c.relname), a.attname) as sequence
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = 'public' and c.relname = $1
        and pg_get_serial_sequence(format('public.%I', c.relname), a.attname) is not null`,
    [table],
  );
  for (const { column, sequence } of owned.rows) {
    await tx.query(
      `select setval($1::regclass, coalesce((select max(${quoteIdent(column)}) from public.${quoteIdent(table)}), 0) + 1, false)`,
      [sequence],
    );
  }
}
