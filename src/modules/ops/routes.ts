import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Actor } from '../../db/db.ts';
import { ProblemResponses } from '../../app/openapi.ts';
import { Problem } from '../../app/problems.ts';
import type { AppDeps } from '../../app/server.ts';
import { registerBackupMetrics } from '../../app/metrics.ts';
import { BackupError, createBackup, listBackups, newestBackup, type BackupFile } from './backup.ts';
import { healthReport } from './health.ts';
import { actorIsAdmin } from './health-repo.ts';
import { BackupListSchema, CreatedBackupSchema } from './schemas.ts';
import { startBackupSchedule } from './service.ts';

const toApi = (f: BackupFile) => ({ ...f, createdAt: f.createdAt.toISOString() });

/** Health report and backups for administrators; also runs the scheduled backups of `serve` (BACKUP_SCHEDULE). */
export function opsRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const requireAdmin = async (actor: Actor) => {
    if (!(await deps.db.asUser(actor, actorIsAdmin))) throw new Problem('forbidden', 'Only administrators may do this');
  };
  registerBackupMetrics(deps.metrics, () => newestBackup(deps.config.backupDir)?.createdAt ?? null);
  return async (app) => {
    if (deps.config.backupSchedule) {
      const schedule = startBackupSchedule(deps, deps.config.backupSchedule, app.log);
      app.addHook('onClose', async () => schedule.stop());
    }

    app.get('/health', {
      schema: {
        tags: ['ops'],
        summary: 'Detailed health report (administrators): database, schema, RLS, integrity, performance, backup age, disk',
        response: { 200: Type.Ref('HealthReport'), ...ProblemResponses },
      },
    }, async (request) => {
      await requireAdmin(request.actor);
      return healthReport({
        db: deps.db,
        version: deps.version,
        backupDir: deps.config.backupDir,
        dataDir: deps.config.databaseUrl ? null : deps.config.dataDir,
      });
    });

    app.get('/admin/backups', {
      schema: {
        tags: ['ops'],
        summary: 'Backups in BACKUP_DIR, newest first (administrators)',
        response: { 200: BackupListSchema, ...ProblemResponses },
      },
    }, async (request) => {
      await requireAdmin(request.actor);
      return { items: listBackups(deps.config.backupDir).map(toApi) };
    });

    app.post('/admin/backups', {
      schema: {
        tags: ['ops'],
        summary: 'Take a backup now, inside the server (administrators). The way to back up an embedded database while it is served.',
        description: 'Runs to completion before answering; on the embedded database other requests wait meanwhile (one connection).',
        response: { 201: CreatedBackupSchema, ...ProblemResponses },
      },
    }, async (request, reply) => {
      await requireAdmin(request.actor);
      const started = performance.now();
      try {
        const { file, manifest } = await createBackup(deps.db, { dir: deps.config.backupDir, appVersion: deps.version });
        request.log.info({ backup: file.path, sizeBytes: file.sizeBytes }, 'backup created');
        return reply.code(201).send({
          backup: toApi(file),
          tables: manifest.tables.map((t) => ({ name: t.name, rows: t.rows, sha256: t.sha256 })),
          seconds: (performance.now() - started) / 1000,
        });
      } catch (error) {
        if (error instanceof BackupError) throw new Problem('conflict', error.message);
        throw error;
      }
    });
  };
}
