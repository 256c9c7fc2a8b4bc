/**
 * Exposure data for the kinetic toxicity model: one CSV row per exposure, with a molality column (mol/kg water)
 * per CPA, the exposure time in minutes and the measured viability normalized to the untreated control (as a
 * fraction or in percent). Bad rows are reported with their line and kept out of the fit.
 */
import type { ToxicityObservation } from '../../science/toxicity-kinetics.ts';
import { columnIndex, DatasetError, readCsvTable } from './dataset.ts';

export interface ExposureSpec {
  cpaColumns: readonly string[];
  timeColumn: string;
  /** Absent when predicting. */
  survivalColumn?: string;
  /** 'auto' reads values above 1.5 anywhere in the column as percent. */
  survivalUnit?: 'fraction' | 'percent' | 'auto';
}

export interface ExposureRow {
  index: number;
  line: number;
  fields: string[];
  composition: Record<string, number>;
  minutes: number | null;
  survival: number | null;
  error: string | null;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseExposures(text: string, spec: ExposureSpec): { columns: string[]; rows: ExposureRow[]; survivalUnit: 'fraction' | 'percent' } {
  const { columns, records } = readCsvTable(text);
  const at = (name: string, field: string) => columnIndex(columns, name, field);
  if (spec.cpaColumns.length === 0) throw new DatasetError('name at least one CPA molality column', 'cpaColumns');
  const cpaAt = spec.cpaColumns.map((c) => [c, at(c, 'cpaColumns')] as const);
  const timeAt = at(spec.timeColumn, 'timeColumn');
  const survivalAt = spec.survivalColumn === undefined ? -1 : at(spec.survivalColumn, 'survivalColumn');
  if (records.length === 0) throw new DatasetError('the file has a header but no data rows', 'data');

  const rows = records.map((record, index): ExposureRow => {
    const row: ExposureRow = { index, line: record.line, fields: record.fields, composition: {}, minutes: null, survival: null, error: null };
    const fail = (message: string) => {
      row.error ??= message;
    };
    if (record.fields.length !== columns.length) fail(`expected ${columns.length} fields, found ${record.fields.length}`);
    const num = (i: number, name: string, blankIsZero: boolean): number | null => {
      const t = (record.fields[i] ?? '').trim();
      if (t === '') {
        if (blankIsZero) return 0;
        fail(`empty ${name}`);
        return null;
      }
      if (!NUMBER.test(t)) {
        fail(`${name} "${t}" is not a number`);
        return null;
      }
      return Number(t);
    };
    for (const [name, i] of cpaAt) {
      // A blank molality means the CPA is absent from this exposure.
      const v = num(i, name, true);
      if (v === null) continue;
      if (v < 0) fail(`${name} must be a molality ≥ 0 mol/kg`);
      else row.composition[name] = v;
    }
    const minutes = num(timeAt, spec.timeColumn, false);
    if (minutes !== null && !(minutes > 0)) fail(`${spec.timeColumn} must be a positive number of minutes`);
    else row.minutes = minutes;
    if (survivalAt >= 0) {
      const s = num(survivalAt, spec.survivalColumn!, false);
      if (s !== null && s < 0) fail(`${spec.survivalColumn} must be ≥ 0`);
      else row.survival = s;
    }
    return row;
  });
  const requested = spec.survivalUnit ?? 'auto';
  const survivalUnit = requested !== 'auto' ? requested : rows.some((r) => r.error === null && (r.survival ?? 0) > 1.5) ? 'percent' : 'fraction';
  if (survivalUnit === 'percent') for (const r of rows) if (r.survival !== null) r.survival /= 100;
  return { columns, rows, survivalUnit };
}

export function observationsOf(rows: readonly ExposureRow[]): { observations: ToxicityObservation[]; used: ExposureRow[] } {
  const used = rows.filter((r) => r.error === null && r.minutes !== null && r.survival !== null);
  return { observations: used.map((r) => ({ composition: r.composition, exposure: r.minutes!, survival: r.survival! })), used };
}
