import type { Config } from '../../config.ts';
import type { Db } from '../../db/db.ts';
import { createBackup, pruneBackups } from './backup.ts';
import { startSchedule, type Schedule } from './scheduler.ts';

/** The slice of a pino logger the schedule writes to (Fastify's logger and a worker's pino both fit). */
export interface ScheduleLog {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface BackupScheduleDeps {
  db: Db;
  config: Pick<Config, 'backupDir' | 'backupKeep'>;
  version: string;
}

/**
 * Scheduled backups: at each time of BACKUP_SCHEDULE, take a backup into BACKUP_DIR and then apply the retention
 * policy. `serve` starts it when BACKUP_SCHEDULE is set; a worker process may start it instead. Every process
 * with a schedule runs it, so set BACKUP_SCHEDULE on one process only.
 */
export function startBackupSchedule(deps: BackupScheduleDeps, expression: string, log: ScheduleLog): Schedule {
  const schedule = startSchedule(expression, async () => {
    const started = performance.now();
    const { file } = await createBackup(deps.db, { dir: deps.config.backupDir, appVersion: deps.version });
    const pruned = pruneBackups(deps.config.backupDir, deps.config.backupKeep);
    log.info({
      backup: file.path, sizeBytes: file.sizeBytes, seconds: (performance.now() - started) / 1000,
      pruned: pruned.removed.map((r) => r.fileName), next: schedule.next?.toISOString() ?? null,
    }, 'scheduled backup created');
  }, {
    onError: (error) => log.error({ err: error }, 'scheduled backup failed'),
  });
  log.info({ schedule: expression, next: schedule.next?.toISOString() ?? null }, 'backup schedule started');
  return schedule;
}
