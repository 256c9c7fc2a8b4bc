import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Db, Queryable } from '../../db/db.ts';
import { loadMigrations, migrationStatus } from '../../db/migrate.ts';
import { newestBackup } from './backup.ts';
import { LEDGER_TABLE } from './backup-repo.ts';
import { expectedSchema } from './expected-schema.ts';
import * as repo from './health-repo.ts';

/**
 * The detailed health report behind `cryoprotect doctor` and `GET /api/v1/health`. Every check yields ok,
 * warning or failed with a one-line detail; the overall status is the worst. A check that cannot apply here
 * (an extension that is not installed, a server-only statistic in embedded mode) is ok with `skipped: true` and
 * says why, so a green report never hides what was not looked at.
 */
export type CheckStatus = 'ok' | 'warning' | 'failed';

export interface HealthCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  skipped?: boolean;
  data?: Record<string, unknown>;
  durationMs: number;
}

export interface HealthReport {
  status: CheckStatus;
  generatedAt: string;
  version: string;
  database: 'embedded' | 'postgres';
  checks: HealthCheck[];
}

export interface HealthOptions {
  db: Db;
  version: string;
  backupDir: string;
  /** The embedded database directory; null on a server. */
  dataDir: string | null;
  now?: Date;
  /** A newest backup older than this is a warning (daily schedule plus grace). */
  backupMaxAgeHours?: number;
  /** Rows still unverified after this many days are listed. */
  unverifiedDays?: number;
  /** Database round trip above this is a warning. */
  slowPingMs?: number;
}

/** Tables that hold no project or user data and so need no row-level security. */
export const RLS_EXEMPT = new Set([LEDGER_TABLE, 'reference_data_loads']);

const RANK: Record<CheckStatus, number> = { ok: 0, warning: 1, failed: 2 };

export function worst(statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((w, s) => (RANK[s] > RANK[w] ? s : w), 'ok');
}

type CheckResult = Omit<HealthCheck, 'name' | 'durationMs'>;

async function timed(name: string, run: () => Promise<CheckResult>): Promise<HealthCheck> {
  const started = performance.now();
  let result: CheckResult;
  try {
    result = await run();
  } catch (error) {
    result = { status: 'failed', detail: `check failed: ${(error as Error).message}` };
  }
  return { name, ...result, durationMs: Math.round((performance.now() - started) * 100) / 100 };
}

const list = (items: string[], max = 8): string => (items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`);

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function existingAncestor(path: string): string {
  let p = resolve(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

export function diskCheck(paths: { label: string; path: string }[]): CheckResult {
  const volumes = paths.map(({ label, path }) => {
    const at = existingAncestor(path);
    const s = statfsSync(at);
    const total = s.blocks * s.bsize;
    const free = s.bavail * s.bsize;
    return { label, path, freeBytes: free, totalBytes: total, freeRatio: total > 0 ? free / total : 0 };
  });
  const status = worst(volumes.map((v) => (v.freeRatio < 0.05 ? 'failed' : v.freeRatio < 0.1 ? 'warning' : 'ok')));
  return {
    status,
    detail: volumes.map((v) => `${v.label} ${bytes(v.freeBytes)} free of ${bytes(v.totalBytes)} (${(v.freeRatio * 100).toFixed(1)} %)`).join('; '),
    data: { volumes },
  };
}

function humanAge(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

export function backupAgeCheck(backupDir: string, now: Date, maxAgeHours: number): CheckResult {
  const newest = newestBackup(backupDir);
  if (!newest) return { status: 'warning', detail: `no backup in ${backupDir}: run \`cryoprotect backup create\` or set BACKUP_SCHEDULE` };
  const ageHours = (now.getTime() - newest.createdAt.getTime()) / 3_600_000;
  return {
    status: ageHours > maxAgeHours ? 'warning' : 'ok',
    detail: `newest backup ${newest.fileName} is ${humanAge(ageHours)} old${ageHours > maxAgeHours ? ` (more than ${maxAgeHours} h)` : ''}`,
    data: { file: newest.path, createdAt: newest.createdAt.toISOString(), ageSeconds: Math.round(ageHours * 3600), sizeBytes: newest.sizeBytes },
  };
}

function maintenance<T>(db: Db, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.asMaintenance(async (tx) => {
    await tx.query("select set_config('row_security', 'off', true)");
    return work(tx);
  });
}

export async function healthReport(options: HealthOptions): Promise<HealthReport> {
  const { db } = options;
  const now = options.now ?? new Date();
  const checks: HealthCheck[] = [];
  const add = async (name: string, run: () => Promise<CheckResult>) => {
    checks.push(await timed(name, run));
  };

  let reachable = true;
  await add('database', async () => {
    try {
      const ms = await db.ping();
      const slow = options.slowPingMs ?? 250;
      return { status: ms > slow ? 'warning' : 'ok', detail: `${db.backend === 'pglite' ? 'embedded' : 'PostgreSQL'} answered in ${ms.toFixed(1)} ms`, data: { latencyMs: ms } };
    } catch (error) {
      reachable = false;
      return { status: 'failed', detail: `unreachable: ${(error as Error).message}` };
    }
  });

  if (reachable) {
    let appliedSql: string[] = [];
    await add('migrations', async () => {
      const states = await migrationStatus(db);
      const shipped = loadMigrations();
      appliedSql = shipped.filter((m) => states.some((s) => s.version === m.version && s.status === 'applied')).map((m) => m.sql);
      const bad = states.filter((s) => s.status === 'changed' || s.status === 'unknown');
      const pending = states.filter((s) => s.status === 'pending');
      if (bad.length > 0) return { status: 'failed', detail: `${bad.map((s) => `${s.version} ${s.status}`).join(', ')}: the database and the shipped migrations disagree`, data: { states } };
      if (pending.length > 0) return { status: 'warning', detail: `${pending.length} pending: run \`cryoprotect migrate up\``, data: { states } };
      return { status: 'ok', detail: `${states.length} applied, unchanged (newest ${Math.max(...states.map((s) => s.version))})`, data: { states } };
    });

    await add('schema', () => maintenance(db, async (tx) => {
      const expected = expectedSchema(appliedSql);
      expected.tables.set(LEDGER_TABLE, new Set(['version', 'name', 'checksum', 'applied_at']));
      const live = await repo.liveTables(tx);
      const liveNames = new Set(live.map((t) => t.name));
      const missingTables = [...expected.tables.keys()].filter((t) => !liveNames.has(t));
      const extraTables = live.filter((t) => !expected.tables.has(t.name)).map((t) => t.name);
      const missingColumns: string[] = [];
      const extraColumns: string[] = [];
      for (const t of live) {
        const want = expected.tables.get(t.name);
        if (!want) continue;
        for (const c of want) if (!t.columns.includes(c)) missingColumns.push(`${t.name}.${c}`);
        for (const c of t.columns) if (!want.has(c)) extraColumns.push(`${t.name}.${c}`);
      }
      const liveIndexes = new Set(await repo.liveIndexes(tx));
      const missingIndexes = [...expected.indexes].filter((i) => !liveIndexes.has(i));
      const problems = [
        missingTables.length ? `missing tables: ${list(missingTables)}` : '',
        missingColumns.length ? `missing columns: ${list(missingColumns)}` : '',
        missingIndexes.length ? `missing indexes: ${list(missingIndexes)}` : '',
      ].filter(Boolean);
      const oddities = [
        extraTables.length ? `tables no migration creates: ${list(extraTables)}` : '',
        extraColumns.length ? `columns no migration creates: ${list(extraColumns)}` : '',
      ].filter(Boolean);
      const data = { missingTables, extraTables, missingColumns, extraColumns, missingIndexes, expectedTables: expected.tables.size, expectedIndexes: expected.indexes.size };
      if (problems.length > 0) return { status: 'failed', detail: [...problems, ...oddities].join('; '), data };
      if (oddities.length > 0) return { status: 'warning', detail: oddities.join('; '), data };
      return { status: 'ok', detail: `${expected.tables.size} tables, their columns and ${expected.indexes.size} named indexes match the migrations`, data };
    }));

    await add('row-level-security', () => maintenance(db, async (tx) => {
      const live = await repo.liveTables(tx);
      const unprotected = live.filter((t) => !RLS_EXEMPT.has(t.name) && !(t.rlsEnabled && t.rlsForced)).map((t) => `${t.name} (${t.rlsEnabled ? 'not forced' : 'disabled'})`);
      const covered = live.filter((t) => !RLS_EXEMPT.has(t.name)).length;
      if (unprotected.length > 0) return { status: 'failed', detail: `row-level security not enabled and forced on: ${list(unprotected)}`, data: { unprotected } };
      return { status: 'ok', detail: `enabled and forced on all ${covered} tables (exempt: ${[...RLS_EXEMPT].join(', ')})` };
    }));

    await add('foreign-key-indexes', () => maintenance(db, async (tx) => {
      const missing = await repo.foreignKeysWithoutIndex(tx);
      if (missing.length > 0) {
        return { status: 'warning', detail: `foreign keys without a leading index: ${list(missing.map((m) => `${m.table}(${m.columns.join(', ')})`))}`, data: { missing } };
      }
      return { status: 'ok', detail: 'every foreign key has an index starting with its columns' };
    }));

    await add('integrity.orphans', () => maintenance(db, async (tx) => {
      const unvalidated = await repo.unvalidatedForeignKeys(tx);
      const orphans: { table: string; constraint: string; rows: number }[] = [];
      for (const fk of unvalidated) {
        const rows = await repo.orphanCount(tx, fk.constraint, fk.table);
        if (rows > 0) orphans.push({ ...fk, rows });
      }
      if (orphans.length > 0) return { status: 'failed', detail: `rows referencing missing parents: ${list(orphans.map((o) => `${o.table} ${o.rows} via ${o.constraint}`))}`, data: { orphans } };
      return {
        status: unvalidated.length > 0 ? 'warning' : 'ok',
        detail: unvalidated.length > 0
          ? `no orphans, but ${unvalidated.length} foreign key(s) are NOT VALID: ${list(unvalidated.map((u) => u.constraint))}`
          : 'every foreign key is validated, so no row references a missing parent',
      };
    }));

    await add('integrity.duplicate-inchikeys', () => maintenance(db, async (tx) => {
      const dups = await repo.duplicateInchikeys(tx);
      if (dups.length > 0) return { status: 'failed', detail: `InChIKeys registered twice in one scope: ${list(dups.map((d) => `${d.inchikey} ×${d.count} in ${d.projectId ?? 'reference data'}`))}`, data: { duplicates: dups } };
      return { status: 'ok', detail: 'each InChIKey appears at most once per project and once in the reference data' };
    }));

    await add('integrity.physical-ranges', () => maintenance(db, async (tx) => {
      const columns = await repo.positiveQuantityColumns(tx);
      const bad: { table: string; column: string; rows: number }[] = [];
      for (const c of columns) {
        const rows = await repo.nonPositiveCount(tx, c.table, c.column);
        if (rows > 0) bad.push({ ...c, rows });
      }
      if (bad.length > 0) return { status: 'failed', detail: `non-positive masses, densities or absolute temperatures: ${list(bad.map((b) => `${b.table}.${b.column} (${b.rows} rows)`))}`, data: { bad } };
      return { status: 'ok', detail: `${columns.length} mass, density and kelvin columns hold only positive values`, data: { columns } };
    }));

    const unverifiedDays = options.unverifiedDays ?? 30;
    await add('integrity.unverified', () => maintenance(db, async (tx) => {
      const counts = await repo.unverifiedOlderThan(tx, unverifiedDays);
      if (counts.length === 0) return { status: 'ok', skipped: true, detail: 'skipped: no table has a verified flag yet' };
      const pending = counts.filter((c) => c.count > 0);
      return {
        status: 'ok',
        detail: pending.length > 0
          ? `unverified for more than ${unverifiedDays} days: ${list(pending.map((p) => `${p.table} ${p.count}`))} (informational)`
          : `no row has waited more than ${unverifiedDays} days for verification`,
        data: { counts, days: unverifiedDays },
      };
    }));

    await add('performance.statements', () => maintenance(db, async (tx) => {
      if (!(await repo.extensionInstalled(tx, 'pg_stat_statements'))) {
        return { status: 'ok', skipped: true, detail: 'skipped: extension pg_stat_statements not installed' };
      }
      const slowest = await repo.slowestStatements(tx);
      const top = slowest[0];
      return {
        status: top && top.meanMs > 1000 ? 'warning' : 'ok',
        detail: top ? `slowest mean ${top.meanMs.toFixed(1)} ms over ${top.calls} calls: ${top.query.slice(0, 120)}` : 'no statements recorded yet',
        data: { slowest },
      };
    }));

    await add('performance.table-sizes', () => maintenance(db, async (tx) => {
      const sizes = await repo.tableSizes(tx);
      const total = sizes.reduce((s, t) => s + t.bytes, 0);
      return { status: 'ok', detail: `${bytes(total)} in ${sizes.length} tables; largest ${list(sizes.slice(0, 3).map((s) => `${s.table} ${bytes(s.bytes)}`))}`, data: { tables: sizes } };
    }));

    await add('performance.unused-indexes', () => maintenance(db, async (tx) => {
      const unused = await repo.unusedIndexes(tx);
      return {
        status: 'ok',
        detail: unused.length > 0 ? `${unused.length} non-unique indexes never scanned since statistics were reset (informational; young databases show many)` : 'every non-unique index has been used',
        data: { unused },
      };
    }));

    await add('performance.connections', async () => {
      if (db.backend === 'pglite') return { status: 'ok', skipped: true, detail: 'skipped: the embedded database has a single connection' };
      const usage = await maintenance(db, repo.connectionUsage);
      const available = usage.max - usage.reserved;
      const ratio = available > 0 ? usage.used / available : 1;
      const pool = db.poolStats();
      return {
        status: ratio > 0.9 ? 'failed' : ratio > 0.8 ? 'warning' : 'ok',
        detail: `${usage.used} of ${available} server connections in use (${(ratio * 100).toFixed(0)} %); this process's pool ${pool.total}/${pool.max}, ${pool.waiting} waiting`,
        data: { ...usage, pool },
      };
    });
  }

  await add('backup', async () => backupAgeCheck(options.backupDir, now, options.backupMaxAgeHours ?? 26));
  await add('disk', async () => diskCheck([
    ...(options.dataDir ? [{ label: 'DATA_DIR', path: options.dataDir }] : []),
    { label: 'BACKUP_DIR', path: options.backupDir },
  ]));

  return {
    status: worst(checks.map((c) => c.status)),
    generatedAt: now.toISOString(),
    version: options.version,
    database: db.backend === 'pglite' ? 'embedded' : 'postgres',
    checks,
  };
}

const ICON: Record<CheckStatus, string> = { ok: 'ok', warning: 'WARNING', failed: 'FAILED' };

export function renderMarkdown(report: HealthReport): string {
  const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `# CryoProtect health: ${ICON[report.status]}`,
    '',
    `Version ${report.version}, ${report.database} database, ${report.generatedAt}.`,
    '',
    '| check | status | detail |',
    '| --- | --- | --- |',
    ...report.checks.map((c) => `| ${c.name} | ${c.skipped ? 'skipped' : ICON[c.status]} | ${escape(c.detail)} |`),
    '',
  ].join('\n');
}
