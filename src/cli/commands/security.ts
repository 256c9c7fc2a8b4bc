import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../app/runtime.ts';
import { migrateUp } from '../../db/migrate.ts';
import { formatSecurityReport, securityCheck } from '../../db/security-check.ts';
import { out, UsageError, type Command } from '../command.ts';

export const securityCommand: Command = {
  summary: 'Audit row-level security, policies and privileged functions; exits 1 if anything is unguarded',
  usage: 'cryoprotect security check [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }) {
    if (positionals[0] !== 'check') throw new UsageError('security needs an action: check');
    const runtime = await openRuntime(loadConfig(), { chem: false });
    try {
      await migrateUp(runtime.db);
      const report = await securityCheck(runtime.db);
      out(values.json ? JSON.stringify(report, null, 2) : formatSecurityReport(report));
      return report.ok ? 0 : 1;
    } finally {
      await runtime.close();
    }
  },
};
