import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { openDb, type Db } from '../../db/db.ts';
import { loadMigrations, migrateUp, type Migration } from '../../db/migrate.ts';
import {
  ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, BodyWriter, readArchive, readManifest, TableDigest, writeArchive,
  type BackupManifest, type ManifestTable,
} from './archive.ts';
import {
  appliedMigrations, countRows, dumpRows, insertRows, listDataTables, prepareDumpSession, prepareRestoreSession,
  resetSequences, serverVersion, setUserTriggers, truncateAll,
} from './backup-repo.ts';
import { applyRetention, type RetentionPolicy } from './retention.ts';

/** A refusal or mismatch the operator can act on (the CLI prints it; the API answers 409). */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupFile {
  path: string;
  fileName: string;
  createdAt: Date;
  backend: 'pglite' | 'postgres';
  /** e.g. "pre-restore" for the safety copy a restore takes; null for ordinary backups. */
  label: string | null;
  sizeBytes: number;
}

const FILE_NAME = /^cryoprotect-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-(pglite|postgres)(?:-([a-z0-9-]+))?\.ndjson\.gz$/;

export function backupFileName(createdAt: Date, backend: 'pglite' | 'postgres', label?: string): string {
  const stamp = createdAt.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `cryoprotect-${stamp}-${backend}${label ? `-${label}` : ''}.ndjson.gz`;
}

export function parseBackupFileName(fileName: string): Omit<BackupFile, 'path' | 'sizeBytes'> | null {
  const m = FILE_NAME.exec(fileName);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, backend, label] = m;
  const createdAt = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  if (Number.isNaN(createdAt.getTime())) return null;
  return { fileName, createdAt, backend: backend as 'pglite' | 'postgres', label: label ?? null };
}

/** Completed backups in a directory, newest first. Partial files of a running backup are never listed. */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  const files: BackupFile[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseBackupFileName(name);
    if (!parsed) continue;
    const path = join(dir, name);
    try {
      files.push({ ...parsed, path, sizeBytes: statSync(path).size });
    } catch {
      // Removed between listing and stat (a concurrent prune): not a backup any more.
    }
  }
  return files.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

export function newestBackup(dir: string): BackupFile | null {
  return listBackups(dir)[0] ?? null;
}

export interface CreateBackupOptions {
  dir: string;
  appVersion: string;
  label?: string;
  now?: Date;
}

/** Dumps every application table from one consistent snapshot into a new archive in `dir`. */
export async function createBackup(db: Db, options: CreateBackupOptions): Promise<{ file: BackupFile; manifest: BackupManifest }> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const createdAt = options.now ?? new Date();
  const fileName = backupFileName(createdAt, db.backend, options.label);
  const path = join(dir, fileName);
  if (existsSync(path)) throw new BackupError(`${path} already exists`);
  const bodyPath = join(dir, `.${fileName}.body`);
  const partialPath = join(dir, `.${fileName}.partial`);
  try {
    const body = new BodyWriter(bodyPath);
    let manifest: BackupManifest;
    try {
      manifest = await db.asMaintenance(async (tx) => {
        await prepareDumpSession(tx, { readOnlySnapshot: true });
        const migrations = await appliedMigrations(tx);
        if (migrations.length === 0) throw new BackupError('The database has no schema yet (no migrations applied): nothing to back up');
        const tables: ManifestTable[] = [];
        for (const table of await listDataTables(tx)) {
          const rows = await countRows(tx, table.name);
          await body.section(table.name, rows);
          const digest = new TableDigest();
          await dumpRows(tx, table.name, async (lines) => {
            for (const line of lines) {
              digest.add(line);
              await body.line(line);
            }
          });
          if (digest.rows !== rows) throw new BackupError(`Table ${table.name} changed while it was dumped (${rows} counted, ${digest.rows} read)`);
          tables.push({ name: table.name, columns: table.columns.map((c) => c.name), rows, sha256: digest.hex() });
        }
        return {
          format: ARCHIVE_FORMAT,
          formatVersion: ARCHIVE_FORMAT_VERSION,
          createdAt: createdAt.toISOString(),
          appVersion: options.appVersion,
          backend: db.backend,
          serverVersion: await serverVersion(tx),
          migrations,
          tables,
        } satisfies BackupManifest;
      });
    } finally {
      await body.close();
    }
    await writeArchive(partialPath, manifest, bodyPath);
    // Only a complete archive ever carries the final name: listing, metrics and pruning never see a partial one.
    renameSync(partialPath, path);
    return { file: { fileName, path, createdAt, backend: db.backend, label: options.label ?? null, sizeBytes: statSync(path).size }, manifest };
  } finally {
    rmSync(bodyPath, { force: true });
    rmSync(partialPath, { force: true });
  }
}

export interface RestoreOptions {
  force?: boolean;
  /** Called before a non-empty target is overwritten; returns the safety backup it took. */
  safetyBackup?: () => Promise<BackupFile>;
  /** Apply this app's newer migrations after loading (default true; verify keeps the backup's schema). */
  migrateAfter?: boolean;
}

export interface RestoreReport {
  manifest: BackupManifest;
  tables: { name: string; rows: number }[];
  safetyBackup: BackupFile | null;
  migratedBefore: number[];
  migratedAfter: number[];
}

function checkMigrationsKnown(manifest: BackupManifest, known: Migration[]): void {
  for (const m of manifest.migrations) {
    const ours = known.find((k) => k.version === m.version);
    if (!ours) {
      throw new BackupError(`The backup has migration ${m.version} (${m.name}) that this app version does not know; restore it with app version ${manifest.appVersion} or newer`);
    }
    if (ours.checksum !== m.checksum) {
      throw new BackupError(`Migration ${m.version} (${m.name}) of the backup differs from this app's file (checksum); restore it with app version ${manifest.appVersion}`);
    }
  }
}

/**
 * Loads an archive into `db`. The target's schema is first brought to the backup's migrations (an empty database
 * is migrated; one at a newer schema is refused), then every table is emptied and loaded in one transaction, and
 * finally this app's newer migrations are applied, so an old backup arrives in the current schema.
 */
export async function restoreBackup(db: Db, path: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const manifest = await readManifest(path);
  const known = loadMigrations();
  checkMigrationsKnown(manifest, known);
  const backupVersions = new Set(manifest.migrations.map((m) => m.version));

  const target = await db.asMaintenance(async (tx) => {
    await prepareDumpSession(tx, { readOnlySnapshot: true });
    const applied = await appliedMigrations(tx);
    let rows = 0;
    for (const table of await listDataTables(tx)) rows += await countRows(tx, table.name);
    return { applied, rows };
  });
  const newer = target.applied.filter((m) => !backupVersions.has(m.version));
  if (newer.length > 0) {
    throw new BackupError(
      `The target database has migration(s) ${newer.map((m) => m.version).join(', ')} that the backup predates. ` +
        'Restore into an empty database (a new DATA_DIR or a new PostgreSQL database); the app migrates it forward afterwards.',
    );
  }
  if (target.rows > 0 && !options.force) {
    throw new BackupError(`The target database is not empty (${target.rows} rows). Use --force to replace its contents; a safety backup is taken first.`);
  }
  const safetyBackup = target.rows > 0 && options.safetyBackup ? await options.safetyBackup() : null;

  const migratedBefore = await migrateUp(db, known.filter((m) => backupVersions.has(m.version)));
  const tables = await db.asMaintenance(async (tx) => {
    await prepareRestoreSession(tx);
    const present = await listDataTables(tx);
    const byName = new Map(present.map((t) => [t.name, t]));
    const insertable = new Map<string, string[]>();
    for (const table of manifest.tables) {
      const ours = byName.get(table.name);
      if (!ours) throw new BackupError(`The backup has table ${table.name}, which the target schema lacks`);
      const missing = table.columns.filter((c) => !ours.columns.some((o) => o.name === c));
      if (missing.length > 0) throw new BackupError(`Table ${table.name} of the target lacks column(s) ${missing.join(', ')}`);
      insertable.set(table.name, ours.columns.filter((c) => !c.generated && table.columns.includes(c.name)).map((c) => c.name));
    }
    await truncateAll(tx, present.map((t) => t.name));
    for (const t of present) await setUserTriggers(tx, t.name, false);
    const loaded = new Map<string, number>();
    const load = async (table: string, lines: string[]) => {
      const n = await insertRows(tx, table, insertable.get(table) ?? [], lines);
      loaded.set(table, (loaded.get(table) ?? 0) + n);
    };
    // A foreign key to the same table is checked at the end of each statement, so a self-referencing table is
    // inserted in one statement: a row may then point at a row that sorts after it.
    let held: string[] = [];
    for await (const event of readArchive(path)) {
      const selfReferencing = byName.get(event.table.name)?.selfReferencing === true;
      if (event.kind === 'rows' && selfReferencing) held.push(...event.lines);
      else if (event.kind === 'rows') await load(event.table.name, event.lines);
      else if (event.kind === 'end' && held.length > 0) {
        await load(event.table.name, held);
        held = [];
      }
    }
    for (const t of present) {
      await resetSequences(tx, t.name);
      await setUserTriggers(tx, t.name, true);
    }
    const result = manifest.tables.map((t) => ({ name: t.name, rows: loaded.get(t.name) ?? 0 }));
    for (const t of manifest.tables) {
      const n = await countRows(tx, t.name);
      if (n !== t.rows) throw new BackupError(`Table ${t.name} has ${n} rows after loading, the backup ${t.rows}`);
    }
    return result;
  });
  const migratedAfter = options.migrateAfter === false ? [] : await migrateUp(db, known);
  return { manifest, tables, safetyBackup, migratedBefore, migratedAfter };
}

/** Per-table row counts and SHA-256 of a live database, computed exactly as a backup computes them. */
export async function tableDigests(db: Db): Promise<ManifestTable[]> {
  return db.asMaintenance(async (tx) => {
    await prepareDumpSession(tx, { readOnlySnapshot: true });
    const result: ManifestTable[] = [];
    for (const table of await listDataTables(tx)) {
      const digest = new TableDigest();
      await dumpRows(tx, table.name, async (lines) => {
        for (const line of lines) digest.add(line);
      });
      result.push({ name: table.name, columns: table.columns.map((c) => c.name), rows: digest.rows, sha256: digest.hex() });
    }
    return result;
  });
}

export interface VerifyReport {
  ok: boolean;
  manifest: BackupManifest | null;
  tables: { name: string; rows: number; expectedSha256: string; restoredSha256: string | null; ok: boolean }[];
  problems: string[];
  seconds: number;
}

/**
 * Restores the archive into a scratch embedded database in a temporary directory and compares each table's
 * checksum there with the manifest. Never touches the configured database.
 */
export async function verifyBackup(path: string, options: { scratchParent?: string } = {}): Promise<VerifyReport> {
  const started = performance.now();
  const problems: string[] = [];
  let manifest: BackupManifest | null = null;
  const tables: VerifyReport['tables'] = [];
  const scratch = mkdtempSync(join(options.scratchParent ?? tmpdir(), 'cryoprotect-verify-'));
  try {
    manifest = await readManifest(path);
    // Checksums of the archive itself first: a damaged file fails in a second, before a scratch database starts.
    for await (const event of readArchive(path)) void event;
    const db = await openDb({ databaseUrl: null, dataDir: scratch });
    try {
      await restoreBackup(db, path, { migrateAfter: false });
      const restored = new Map((await tableDigests(db)).map((t) => [t.name, t]));
      for (const t of manifest.tables) {
        const r = restored.get(t.name);
        const ok = r !== undefined && r.sha256 === t.sha256 && r.rows === t.rows;
        if (!ok) problems.push(`table ${t.name}: restored ${r ? `${r.rows} rows, sha256 ${r.sha256}` : 'nothing'}; manifest ${t.rows} rows, sha256 ${t.sha256}`);
        tables.push({ name: t.name, rows: t.rows, expectedSha256: t.sha256, restoredSha256: r?.sha256 ?? null, ok });
      }
    } finally {
      await db.close();
    }
  } catch (error) {
    problems.push((error as Error).message);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { ok: problems.length === 0, manifest, tables, problems, seconds: (performance.now() - started) / 1000 };
}

export interface PruneReport {
  kept: { file: BackupFile; reasons: string[] }[];
  removed: BackupFile[];
}

export function pruneBackups(dir: string, policy: RetentionPolicy, options: { dryRun?: boolean } = {}): PruneReport {
  const decision = applyRetention(listBackups(dir), policy);
  if (!options.dryRun) for (const file of decision.remove) rmSync(file.path, { force: true });
  return { kept: decision.keep.map((k) => ({ file: k.item, reasons: k.reasons })), removed: decision.remove };
}

export function describeBackup(file: BackupFile): string {
  return `${file.createdAt.toISOString()}  ${file.backend.padEnd(8)} ${(file.sizeBytes / 1024).toFixed(1).padStart(10)} KiB  ${basename(file.path)}`;
}
