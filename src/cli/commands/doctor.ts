import { loadConfig } from '../../config.ts';
import { APP_VERSION, openRuntime } from '../../app/runtime.ts';
import { healthReport, renderMarkdown } from '../../modules/ops/health.ts';
import { out, UsageError, type Command } from '../command.ts';

export const doctorCommand: Command = {
  summary: 'Check database, schema, security, data integrity, performance, backups and disk; exit 1 if any check failed',
  usage: 'cryoprotect doctor [--format json|markdown]',
  options: { format: { type: 'string' } },
  async run({ values }) {
    const format = values.format ?? 'markdown';
    if (format !== 'json' && format !== 'markdown') throw new UsageError('--format must be json or markdown');
    const config = loadConfig();
    const runtime = await openRuntime(config, { chem: false });
    try {
      const report = await healthReport({
        db: runtime.db,
        version: APP_VERSION,
        backupDir: config.backupDir,
        dataDir: config.databaseUrl ? null : config.dataDir,
      });
      out(format === 'json' ? JSON.stringify(report, null, 2) : renderMarkdown(report));
      return report.status === 'failed' ? 1 : 0;
    } finally {
      await runtime.close();
    }
  },
};
