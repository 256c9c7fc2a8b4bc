import { CsvError, parseCsv } from '../../lib/csv.ts';
import { validateResult, type ResultInput, type ValidatedResult } from './results.ts';

/**
 * Results from a CSV file (one row per measurement). Each row is validated on its own: good rows are kept,
 * bad rows are reported with their line and field, so a lab can fix only what is wrong.
 */
export const RESULT_COLUMNS = ['measurement', 'unit', 'replicates', 'mean', 'sd', 'n', 'method', 'dsc_convention', 'heating_rate_k_per_min'] as const;

export interface ImportRow {
  line: number;
  status: 'added' | 'invalid';
  errors?: { field: string; message: string }[];
}

export type ParsedImport =
  | { ok: true; rows: ImportRow[]; results: ValidatedResult[] }
  | { ok: false; problem: string; field: string };

function number(text: string | undefined): number | undefined | 'bad' {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : 'bad';
}

export function parseResultsCsv(text: string): ParsedImport {
  let table;
  try {
    table = parseCsv(text);
  } catch (error) {
    return { ok: false, problem: (error as CsvError).message, field: 'body' };
  }
  if (table.records.length === 0) return { ok: false, problem: 'The file has no data rows', field: 'body' };
  const unknown = table.columns.filter((c) => !(RESULT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) return { ok: false, problem: `Unknown column(s) ${unknown.join(', ')}; expected ${RESULT_COLUMNS.join(', ')}`, field: 'columns' };
  for (const required of ['measurement', 'unit']) {
    if (!table.columns.includes(required)) return { ok: false, problem: `The file needs a "${required}" column (found: ${table.columns.join(', ')})`, field: 'columns' };
  }
  const rows: ImportRow[] = [];
  const results: ValidatedResult[] = [];
  for (const { line, values } of table.records) {
    const errors: { field: string; message: string }[] = [];
    const numeric = (column: string) => {
      const v = number(values[column]);
      if (v === 'bad') {
        errors.push({ field: column, message: `"${values[column]}" is not a number` });
        return undefined;
      }
      return v;
    };
    const replicateText = values.replicates?.trim() ?? '';
    const replicates = replicateText === '' ? undefined : replicateText.split(/[;\s]+/).map((v, i) => {
      const n = Number(v);
      if (!Number.isFinite(n)) errors.push({ field: `replicates[${i}]`, message: `"${v}" is not a number` });
      return n;
    });
    const input: ResultInput = {
      measurement: values.measurement?.trim() ?? '',
      unit: values.unit?.trim() ?? '',
      ...(replicates ? { replicates } : {}),
      mean: numeric('mean'), sd: numeric('sd'), n: numeric('n'),
      heatingRateKPerMin: numeric('heating_rate_k_per_min'),
      ...(values.method?.trim() ? { method: values.method.trim() } : {}),
      ...(values.dsc_convention?.trim() ? { dscConvention: values.dsc_convention.trim() } : {}),
    };
    if (errors.length === 0) {
      const out = validateResult(input, 'row');
      if ('errors' in out) errors.push(...out.errors.map((e) => ({ field: e.field.replace(/^row\./, ''), message: e.message })));
      else results.push(out.result);
    }
    rows.push(errors.length === 0 ? { line, status: 'added' } : { line, status: 'invalid', errors });
  }
  return { ok: true, rows, results };
}
