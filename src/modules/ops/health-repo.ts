import type { Queryable } from '../../db/db.ts';
import { quoteIdent } from './backup-repo.ts';

/** All SQL of the health report: catalog facts and data checks, read on the maintenance connection. */

export interface LiveTable {
  name: string;
  columns: string[];
  rlsEnabled: boolean;
  rlsForced: boolean;
}

export async function liveTables(tx: Queryable): Promise<LiveTable[]> {
  const result = await tx.query<{ name: string; columns: string[]; rls_enabled: boolean; rls_forced: boolean }>(
    `select c.relname as name, c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced,
            array(select a.attname::text from pg_attribute a
                   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by c.relname`,
  );
  return result.rows.map((r) => ({ name: r.name, columns: r.columns, rlsEnabled: r.rls_enabled, rlsForced: r.rls_forced }));
}

export async function liveIndexes(tx: Queryable): Promise<string[]> {
  const result = await tx.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('i', 'I')`,
  );
  return result.rows.map((r) => r.name);
}

/** Foreign keys whose leading columns no index starts with: deletes on the parent scan the child table. */
export async function foreignKeysWithoutIndex(tx: Queryable): Promise<{ table: string; constraint: string; columns: string[] }[]> {
  const result = await tx.query<{ table: string; constraint: string; columns: string[] }>(
    `select ch.relname as table, k.conname as constraint,
            array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, i)
                   join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.i) as columns
       from pg_constraint k
       join pg_class ch on ch.oid = k.conrelid
       join pg_namespace n on n.oid = ch.relnamespace
      where k.contype = 'f' and n.nspname = 'public'
        and not exists (
          select 1 from pg_index i
           where i.indrelid = k.conrelid
             and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] @> k.conkey
             and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] <@ k.conkey)
      order by 1, 2`,
  );
  return result.rows;
}

/** Foreign keys added NOT VALID and never validated: the only way rows can reference a missing parent. */
export async function unvalidatedForeignKeys(tx: Queryable): Promise<{ table: string; constraint: string }[]> {
  const result = await tx.query<{ table: string; constraint: string }>(
    `select ch.relname as table, k.conname as constraint from pg_constraint k
       join pg_class ch on ch.oid = k.conrelid join pg_namespace n on n.oid = ch.relnamespace
      where k.contype = 'f' and not k.convalidated and n.nspname = 'public' order by 1, 2`,
  );
  return result.rows;
}

/** Rows of a table referencing a missing parent through a given foreign key (checked for unvalidated keys). */
export async function orphanCount(tx: Queryable, constraint: string, table: string): Promise<number> {
  const def = await tx.query<{ child_cols: string[]; parent: string; parent_cols: string[] }>(
    `select array(select a.attname::text from unnest(k.conkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as child_cols,
            p.relname as parent,
            array(select a.attname::text from unnest(k.confkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i) as parent_cols
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
      where k.conname = $1 and c.relname = $2`,
    [constraint, table],
  );
  const d = def.rows[0];
  if (!d) return 0;
  const notNull = d.child_cols.map((c) => `c.${quoteIdent(c)} is not null`).join(' and ');
  const join = d.child_cols.map((c, i) => `p.${quoteIdent(d.parent_cols[i] as string)} = c.${quoteIdent(c)}`).join(' and ');
  const result = await tx.query<{ n: string }>(
    `select count(*)::text as n from public.${quoteIdent(table)} c
      where ${notNull} and not exists (select 1 from public.${quoteIdent(d.parent)} p where ${join})`,
  );
  return Number(result.rows[0]?.n ?? 0);
}

export async function duplicateInchikeys(tx: Queryable): Promise<{ projectId: string | null; inchikey: string; count: number }[]> {
  const result = await tx.query<{ project_id: string | null; inchikey: string; n: string }>(
    `select project_id, inchikey, count(*)::text as n from molecules group by project_id, inchikey having count(*) > 1 order by 3 desc limit 20`,
  );
  return result.rows.map((r) => ({ projectId: r.project_id, inchikey: r.inchikey, count: Number(r.n) }));
}

/**
 * Numeric columns whose values must be physically positive: masses and molar masses, densities, and absolute
 * temperatures in kelvin (a column named tg…, …_k or …_kelvin). Found by name so tables added later are covered.
 */
export async function positiveQuantityColumns(tx: Queryable): Promise<{ table: string; column: string }[]> {
  const result = await tx.query<{ table: string; column: string }>(
    `select c.table_name as table, c.column_name as column from information_schema.columns c
      where c.table_schema = 'public'
        and c.data_type in ('double precision', 'real', 'numeric', 'integer', 'bigint', 'smallint')
        and (c.column_name ~ '(^|_)(molecular_weight|exact_mass|molar_mass|density)$'
             or c.column_name ~ '^tg($|_)' or c.column_name ~ '_(k|kelvin)$')
      order by 1, 2`,
  );
  return result.rows;
}

export async function nonPositiveCount(tx: Queryable, table: string, column: string): Promise<number> {
  const result = await tx.query<{ n: string }>(
    `select count(*)::text as n from public.${quoteIdent(table)} where ${quoteIdent(column)} <= 0 or ${quoteIdent(column)} = 'NaN'`,
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** Tables carrying a `verified` flag and a creation time: rows still unverified after `days` days. */
export async function unverifiedOlderThan(tx: Queryable, days: number): Promise<{ table: string; count: number }[]> {
  const tables = await tx.query<{ table: string }>(
    `select table_name as table from information_schema.columns where table_schema = 'public' and column_name in ('verified', 'created_at')
      group by table_name having count(*) = 2 order by 1`,
  );
  const counts: { table: string; count: number }[] = [];
  for (const { table } of tables.rows) {
    const result = await tx.query<{ n: string }>(
      `select count(*)::text as n from public.${quoteIdent(table)} where not verified and created_at < now() - make_interval(days => $1)`,
      [days],
    );
    counts.push({ table, count: Number(result.rows[0]?.n ?? 0) });
  }
  return counts;
}

export async function extensionInstalled(tx: Queryable, name: string): Promise<boolean> {
  const result = await tx.query('select 1 from pg_extension where extname = $1', [name]);
  return result.rowCount > 0;
}

export async function slowestStatements(tx: Queryable, limit = 5): Promise<{ query: string; calls: number; meanMs: number; totalMs: number }[]> {
  const result = await tx.query<{ query: string; calls: string; mean_ms: number; total_ms: number }>(
    `select left(query, 300) as query, calls::text as calls, mean_exec_time as mean_ms, total_exec_time as total_ms
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by mean_exec_time desc limit $1`,
    [limit],
  );
  return result.rows.map((r) => ({ query: r.query, calls: Number(r.calls), meanMs: Number(r.mean_ms), totalMs: Number(r.total_ms) }));
}

export async function tableSizes(tx: Queryable): Promise<{ table: string; bytes: number; rowsEstimate: number }[]> {
  const result = await tx.query<{ table: string; bytes: string; rows: string }>(
    `select c.relname as table, pg_total_relation_size(c.oid)::text as bytes, greatest(c.reltuples, 0)::bigint::text as rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by pg_total_relation_size(c.oid) desc`,
  );
  return result.rows.map((r) => ({ table: r.table, bytes: Number(r.bytes), rowsEstimate: Number(r.rows) }));
}

export async function unusedIndexes(tx: Queryable): Promise<{ index: string; table: string }[]> {
  const result = await tx.query<{ index: string; table: string }>(
    `select s.indexrelname as index, s.relname as table from pg_stat_user_indexes s
       join pg_index i on i.indexrelid = s.indexrelid
      where s.schemaname = 'public' and s.idx_scan = 0 and not i.indisunique and not i.indisprimary order by 2, 1`,
  );
  return result.rows;
}

export async function connectionUsage(tx: Queryable): Promise<{ used: number; max: number; reserved: number }> {
  const result = await tx.query<{ used: string; max: string; reserved: string }>(
    `select (select count(*) from pg_stat_activity)::text as used, current_setting('max_connections') as max,
            current_setting('superuser_reserved_connections') as reserved`,
  );
  const r = result.rows[0];
  return { used: Number(r?.used ?? 0), max: Number(r?.max ?? 0), reserved: Number(r?.reserved ?? 0) };
}

/** Whether the acting user (app.user_id of an asUser transaction) is an administrator. */
export async function actorIsAdmin(tx: Queryable): Promise<boolean> {
  const result = await tx.query<{ admin: boolean }>('select app.is_admin() as admin');
  return result.rows[0]?.admin === true;
}
