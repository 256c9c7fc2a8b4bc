import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../config.ts';
import { APP_VERSION, openRuntime } from '../../app/runtime.ts';
import { ArchiveError } from '../../modules/ops/archive.ts';
import {
  BackupError, createBackup, describeBackup, listBackups, pruneBackups, restoreBackup, verifyBackup,
} from '../../modules/ops/backup.ts';
import { err, out, UsageError, type Command } from '../command.ts';

// Continuation lines line up under the first action, after "Usage: cryoprotect backup ".
const INDENT = ' '.repeat('Usage: cryoprotect backup '.length);
const USAGE = [
  'cryoprotect backup create [--out DIR]        take a backup; the archive path is the last line printed',
  `${INDENT}list [--json]             backups in BACKUP_DIR, newest first`,
  `${INDENT}verify FILE               restore into a scratch embedded database and compare checksums`,
  `${INDENT}restore FILE [--force]    load into DATA_DIR / DATABASE_URL (refuses a non-empty target without --force)`,
  `${INDENT}prune [--dry-run]         apply BACKUP_KEEP_DAILY/WEEKLY/MONTHLY to BACKUP_DIR`,
].join('\n');

async function withErrors(work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BackupError || error instanceof ArchiveError) {
      err(`Error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function existingFile(path: string | undefined, action: string): string {
  if (!path) throw new UsageError(`backup ${action} needs the archive FILE`);
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  return file;
}

export const backupCommand: Command = {
  summary: 'Create, list, verify, restore and prune backups (one compressed archive each)',
  usage: USAGE,
  options: { out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  async run({ values, positionals }) {
    const [action, fileArg] = positionals;
    const config = loadConfig();
    switch (action) {
      case 'create':
        return withErrors(async () => {
          const dir = typeof values.out === 'string' ? resolve(values.out) : config.backupDir;
          const runtime = await openRuntime(config, { chem: false });
          try {
            const started = performance.now();
            const { file, manifest } = await createBackup(runtime.db, { dir, appVersion: APP_VERSION });
            for (const t of manifest.tables) out(`${t.name.padEnd(32)} ${String(t.rows).padStart(9)} rows  sha256 ${t.sha256.slice(0, 16)}…`);
            out(`Backup of ${manifest.tables.length} tables (${(file.sizeBytes / 1024).toFixed(1)} KiB) in ${((performance.now() - started) / 1000).toFixed(1)} s:`);
            out(file.path);
            return 0;
          } finally {
            await runtime.close();
          }
        });
      case 'list': {
        const files = listBackups(config.backupDir);
        if (values.json) out(JSON.stringify(files.map((f) => ({ ...f, createdAt: f.createdAt.toISOString() })), null, 2));
        else if (files.length === 0) err(`No backups in ${config.backupDir}`);
        else for (const f of files) out(describeBackup(f));
        return 0;
      }
      case 'verify':
        return withErrors(async () => {
          const file = existingFile(fileArg, 'verify');
          const report = await verifyBackup(file);
          for (const t of report.tables) out(`${t.ok ? 'ok      ' : 'MISMATCH'} ${t.name.padEnd(32)} ${String(t.rows).padStart(9)} rows`);
          if (!report.ok) {
            for (const p of report.problems) err(`Error: ${p}`);
            err(`Verification FAILED: ${file}`);
            return 1;
          }
          out(`Verified: ${file} restores into a scratch embedded database with identical checksums (${report.tables.length} tables, ${report.seconds.toFixed(1)} s)`);
          return 0;
        });
      case 'restore':
        return withErrors(async () => {
          const file = existingFile(fileArg, 'restore');
          const runtime = await openRuntime(config, { chem: false });
          try {
            const report = await restoreBackup(runtime.db, file, {
              force: values.force === true,
              safetyBackup: async () => {
                const { file: safety } = await createBackup(runtime.db, { dir: config.backupDir, appVersion: APP_VERSION, label: 'pre-restore' });
                err(`Safety backup of the replaced contents: ${safety.path}`);
                return safety;
              },
            });
            for (const t of report.tables) out(`${t.name.padEnd(32)} ${String(t.rows).padStart(9)} rows`);
            if (report.migratedAfter.length > 0) out(`Migrated forward after loading: ${report.migratedAfter.join(', ')}`);
            out(`Restored ${file} (taken ${report.manifest.createdAt} from ${report.manifest.backend}, app ${report.manifest.appVersion}) into ${runtime.db.backend === 'pglite' ? `the embedded database in ${config.dataDir}` : 'the PostgreSQL server'}`);
            return 0;
          } finally {
            await runtime.close();
          }
        });
      case 'prune': {
        const report = pruneBackups(config.backupDir, config.backupKeep, { dryRun: values['dry-run'] === true });
        for (const k of report.kept) out(`keep    ${k.file.fileName}  (${k.reasons.join(', ')})`);
        for (const r of report.removed) out(`${values['dry-run'] ? 'would remove' : 'removed'} ${r.fileName}`);
        out(`${report.kept.length} kept, ${report.removed.length} ${values['dry-run'] ? 'to remove' : 'removed'} (daily ${config.backupKeep.daily}, weekly ${config.backupKeep.weekly}, monthly ${config.backupKeep.monthly})`);
        return 0;
      }
      default:
        throw new UsageError('backup needs an action: create, list, verify, restore or prune');
    }
  },
};
