import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../app/runtime.ts';
import { migrateUp } from '../../db/migrate.ts';
import { ensureLocalAdmin, LOCAL_ADMIN } from '../../modules/accounts/local-admin.ts';
import { exportCsv, exportJson } from '../../modules/mixtures/export.ts';
import { createMixtureService } from '../../modules/mixtures/service.ts';
import { MIXTURE_SCOPES, type MixtureDetail, type MixtureScope } from '../../modules/mixtures/schemas.ts';
import { out, UsageError, type Command } from '../command.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fmt = (value: number | null | undefined, digits = 4): string => (value === null || value === undefined ? '—' : value.toPrecision(digits));

/** A human-readable recipe with its derived quantities (or why there are none). */
function describe(m: MixtureDetail): string[] {
  const lines = [
    `${m.name}  (${m.id})${m.verified ? '  [verified against source]' : ''}`,
    ...(m.description ? [m.description] : []),
    `scope: ${m.projectId ?? 'public reference'}   carrier: ${m.carrierName ?? '—'}   solution density: ${m.solutionDensity ?? 'ideal volume additivity'}`,
    ...(m.source ? [`source: ${m.source.key} — ${m.source.title}${m.source.doi ? ` (doi:${m.source.doi})` : ''}`] : []),
    '',
    'components:',
  ];
  m.components.forEach((c, i) => {
    const d = m.derived?.components[i];
    lines.push(`  ${String(c.position).padStart(2)}  ${c.name.padEnd(28)} ${String(c.amount).padStart(8)} ${c.unit.padEnd(12)} ${(c.role ?? '').padEnd(15)}`
      + (d ? ` w=${fmt(d.massFraction)} x=${fmt(d.moleFraction)} c=${fmt(d.molarity)} mol/L b=${fmt(d.molality)} mol/kg` : ''));
  });
  lines.push('');
  if (!m.derived) {
    lines.push(`derived quantities unavailable: ${m.derivedError?.detail ?? 'unknown reason'}`);
    return lines;
  }
  const d = m.derived;
  lines.push(
    `Tg (Gordon–Taylor): ${d.glassTransition.kelvin === null ? '— (no cited parameters for every component)' : `${fmt(d.glassTransition.kelvin)} K`}`,
    `q_v*: ${fmt(d.qvStar)}   ideal osmolality: ${fmt(d.osmolality)} osmol/kg   total molarity: ${fmt(d.totalMolarity)} mol/L`,
    `sources: ${d.sources.map((s) => s.key).join(', ') || '—'}`,
  );
  return lines;
}

export const mixturesCommand: Command = {
  summary: 'List, show or export formulations (mixtures)',
  usage: 'cryoprotect mixtures list [--query TEXT] [--scope all|reference|mine] [--limit N] [--json] | mixtures show ID [--json] | mixtures export ID [--format json|csv]',
  options: {
    query: { type: 'string' }, scope: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' },
  },
  async run({ values, positionals }) {
    const [action, id] = positionals;
    if (action !== 'list' && action !== 'show' && action !== 'export') throw new UsageError('mixtures needs an action: list, show or export');
    if (action !== 'list' && (!id || !UUID.test(id))) throw new UsageError(`mixtures ${action} needs a mixture id (a UUID from "mixtures list")`);
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be an integer from 1 to 500');
    const scope = (values.scope ?? 'all') as MixtureScope;
    if (!MIXTURE_SCOPES.includes(scope)) throw new UsageError(`--scope must be one of ${MIXTURE_SCOPES.join(', ')}`);
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new UsageError('--format must be json or csv');

    const runtime = await openRuntime(loadConfig(), { chem: false });
    try {
      await migrateUp(runtime.db);
      await ensureLocalAdmin(runtime.db);
      const service = createMixtureService(runtime.db);
      const actor = { userId: LOCAL_ADMIN.id };
      if (action === 'list') {
        const page = await service.list(actor, { limit, scope, ...(typeof values.query === 'string' ? { q: values.query } : {}) });
        if (values.json) out(JSON.stringify(page.items, null, 2));
        else {
          for (const m of page.items) {
            out(`${m.id}  ${m.name.padEnd(24)} ${String(m.componentCount).padStart(2)} components  ${m.projectId ? 'project' : 'reference'}${m.verified ? '  verified' : ''}  ${m.source?.key ?? ''}`);
          }
        }
        return 0;
      }
      const detail = await service.get(actor, id!);
      if (action === 'show') {
        if (values.json) out(JSON.stringify(detail, null, 2));
        else for (const line of describe(detail)) out(line);
        return 0;
      }
      if (format === 'csv') process.stdout.write(exportCsv(detail));
      else out(JSON.stringify(exportJson(detail, new Date()), null, 2));
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
