import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../app/runtime.ts';
import { migrateUp } from '../../db/migrate.ts';
import { experimentsCsv } from '../../modules/experiments/export.ts';
import { createExperimentService } from '../../modules/experiments/service.ts';
import { isVerificationState } from '../../modules/experiments/verification.ts';
import { cliActor } from '../actor.ts';
import { out, UsageError, type Command } from '../command.ts';

export const experimentsCommand: Command = {
  summary: 'List or export experiments with their verification history (as an account: --as EMAIL)',
  usage: 'cryoprotect experiments list [--project ID] [--state STATE] [--json] [--as EMAIL] | experiments export --format csv|json [--project ID] [--out FILE] [--as EMAIL]',
  options: { project: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string' }, as: { type: 'string' } },
  async run({ values, positionals }) {
    const action = positionals[0];
    if (action !== 'list' && action !== 'export') throw new UsageError('experiments needs an action: list or export');
    if (typeof values.state === 'string' && !isVerificationState(values.state)) throw new UsageError(`--state must be one of draft, submitted, in_review, verified, changes_requested, rejected`);
    if (action === 'export' && values.format !== 'csv' && values.format !== 'json') throw new UsageError('export needs --format csv or --format json');
    const runtime = await openRuntime(loadConfig(), { chem: false });
    try {
      await migrateUp(runtime.db);
      const actor = await cliActor(runtime.db, values.as);
      const service = createExperimentService(runtime.db);
      const items = await service.list(actor, {
        ...(typeof values.project === 'string' ? { projectId: values.project } : {}),
        ...(typeof values.state === 'string' ? { state: values.state } : {}),
        limit: 500,
      });
      if (action === 'list') {
        if (values.json) out(JSON.stringify(items, null, 2));
        else for (const e of items) out(`${e.id}  r${e.revision}  ${e.state.padEnd(17)} ${e.performedOn ?? '          '}  ${e.title}`);
        return 0;
      }
      const rows = await Promise.all(items.map(async (e) => {
        const events = await service.events(actor, e.id);
        const verified = events.findLast((v) => v.to === 'verified');
        return { experiment: e, events, verification: { by: verified?.actorEmail ?? null, at: verified?.at ?? null } };
      }));
      const text = values.format === 'csv'
        ? experimentsCsv(rows)
        : `${JSON.stringify({ exportedAt: new Date().toISOString(), items: rows.map((r) => ({ ...r.experiment, verificationHistory: r.events })) }, null, 2)}\n`;
      if (typeof values.out === 'string') {
        writeFileSync(values.out, text);
        out(`Wrote ${rows.length} experiment(s) to ${values.out}`);
      } else process.stdout.write(text);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
