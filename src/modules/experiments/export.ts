import type { Experiment } from './schemas.ts';

/** Supplementary-data export: one CSV row per result, with the experiment and its protocol flattened beside it. */
const COLUMNS = [
  'experiment_id', 'revision', 'title', 'state', 'project_id', 'mixture', 'sample', 'sample_kind', 'species', 'performed_on', 'operator', 'equipment',
  'cooling_rate_k_per_min', 'warming_rate_k_per_min', 'storage_temperature_c', 'storage_duration_days', 'loading_steps', 'removal_steps',
  'measurement', 'unit', 'mean', 'sd', 'n', 'replicates', 'method', 'dsc_convention', 'heating_rate_k_per_min', 'verified_by', 'verified_at',
] as const;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface VerificationSummary {
  by: string | null;
  at: string | null;
}

export function experimentsCsv(rows: { experiment: Experiment; verification: VerificationSummary }[]): string {
  const lines = [COLUMNS.join(',')];
  for (const { experiment: e, verification } of rows) {
    const p = e.protocol as Record<string, unknown>;
    const base = [
      e.id, e.revision, e.title, e.state, e.projectId, e.mixtureName, e.sampleType.name, e.sampleType.kind, e.sampleType.species, e.performedOn,
      e.operator, e.equipment, p.coolingRateKPerMin, p.warmingRateKPerMin, p.storageTemperatureC, p.storageDurationDays, p.loading, p.removal,
    ];
    const results = e.results.length > 0 ? e.results : [null];
    for (const r of results) {
      const values = r
        ? [r.measurement, r.unit, r.mean, r.sd, r.n, r.replicates.join(';'), r.method, r.dscConvention, r.heatingRateKPerMin]
        : ['', '', '', '', '', '', '', '', ''];
      lines.push([...base, ...values, verification.by, verification.at].map(cell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
