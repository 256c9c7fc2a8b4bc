/**
 * Tabular data for training, evaluating and predicting: a CSV with a structure column, optionally a target
 * column and numeric extra-feature columns (e.g. a melting point). Parsing is pure; a bad row is reported with
 * its line and kept out, never silently dropped. `featurize` then registers each structure through RDKit.
 */
import { createHash } from 'node:crypto';
import { CsvError, parseCsvRows } from '../../lib/csv.ts';
import type { ChemPool } from '../../chem/pool.ts';
import { ChemInputError } from '../../chem/errors.ts';
import type { MoleculeRow } from '../../ml/pipeline.ts';

/** A whole-file problem (missing column, empty file): the caller answers 422 naming `field`. */
export class DatasetError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

export interface DatasetSpec {
  smilesColumn: string;
  /** Required for training and evaluation, absent for prediction. */
  targetColumn?: string;
  /** Numeric columns used as extra features (must also be present when predicting). */
  featureColumns?: readonly string[];
}

export interface DatasetRow {
  /** 0-based data row index (header excluded). */
  index: number;
  /** 1-based line where the record starts. */
  line: number;
  /** The record as read, for echoing back in prediction output. */
  fields: string[];
  smiles: string;
  y: number | null;
  extras: Record<string, number>;
  error: string | null;
}

export interface ParsedDataset {
  columns: string[];
  delimiter: string;
  rows: DatasetRow[];
}

export const MAX_DATASET_ROWS = 100_000;

function detectDelimiter(header: string): string {
  const counts = [',', '\t', ';'].map((d) => [d, header.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  // Number('') and Number(' ') are 0 and Number('0x10') is 16: accept plain decimal notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
}

/** Header and records of a CSV/TSV upload; whole-file problems (empty, malformed, duplicate header) throw DatasetError. */
export function readCsvTable(text: string): { columns: string[]; delimiter: string; records: { line: number; fields: string[] }[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new DatasetError('the file is empty', 'data');
  const delimiter = detectDelimiter(body.split(/\r?\n/, 1)[0] ?? '');
  let records: { line: number; fields: string[] }[];
  try {
    records = parseCsvRows(body, delimiter);
  } catch (error) {
    if (error instanceof CsvError) throw new DatasetError(`the file is not valid CSV: ${error.message}`, 'data');
    throw error;
  }
  const header = records.shift();
  if (!header) throw new DatasetError('the file is empty', 'data');
  const columns = header.fields.map((c) => c.trim());
  const duplicate = columns.find((c, i) => c !== '' && columns.indexOf(c) !== i);
  if (duplicate) throw new DatasetError(`column "${duplicate}" appears twice in the header`, 'data');
  return { columns, delimiter, records };
}

/** Index of a named column, or a DatasetError naming the request field that chose it. */
export function columnIndex(columns: readonly string[], name: string, field: string): number {
  const i = columns.indexOf(name);
  if (i < 0) throw new DatasetError(`no column "${name}"; the header has: ${columns.join(', ')}`, field);
  return i;
}

export function parseDataset(text: string, spec: DatasetSpec): ParsedDataset {
  const { columns, delimiter, records } = readCsvTable(text);
  const column = (name: string, field: string): number => columnIndex(columns, name, field);
  const smilesAt = column(spec.smilesColumn, 'smilesColumn');
  const targetAt = spec.targetColumn === undefined ? -1 : column(spec.targetColumn, 'targetColumn');
  const extraAt = (spec.featureColumns ?? []).map((name) => [name, column(name, 'featureColumns')] as const);
  if (records.length === 0) throw new DatasetError('the file has a header but no data rows', 'data');
  if (records.length > MAX_DATASET_ROWS) {
    throw new DatasetError(`the file has ${records.length} rows; at most ${MAX_DATASET_ROWS} are accepted per request`, 'data');
  }

  const rows = records.map((record, index): DatasetRow => {
    const fields = record.fields;
    const row: DatasetRow = { index, line: record.line, fields, smiles: (fields[smilesAt] ?? '').trim(), y: null, extras: {}, error: null };
    if (fields.length !== columns.length) {
      row.error = `expected ${columns.length} fields, found ${fields.length}`;
      return row;
    }
    if (row.smiles === '') {
      row.error = `empty ${spec.smilesColumn}`;
      return row;
    }
    if (targetAt >= 0) {
      const y = parseNumber(fields[targetAt] ?? '');
      if (y === null) row.error = `empty ${spec.targetColumn}`;
      else if (!Number.isFinite(y)) row.error = `${spec.targetColumn} "${fields[targetAt]}" is not a number`;
      else row.y = y;
    }
    for (const [name, at] of extraAt) {
      const v = parseNumber(fields[at] ?? '');
      // A blank extra is a missing value (the pipeline imputes it); text is an error.
      if (v === null) continue;
      if (!Number.isFinite(v)) {
        row.error ??= `${name} "${fields[at]}" is not a number`;
        continue;
      }
      row.extras[name] = v;
    }
    return row;
  });
  return { columns, delimiter, rows };
}

export interface FeaturizedRow extends MoleculeRow {
  canonicalSmiles: string;
  inchikey: string;
}

/** Registers each usable row through RDKit (standardized parent structure); RDKit's refusal becomes the row's error. */
export async function featurize(
  chem: ChemPool,
  rows: readonly DatasetRow[],
  onProgress?: (done: number, total: number) => void,
): Promise<(FeaturizedRow | null)[]> {
  const out: (FeaturizedRow | null)[] = new Array(rows.length).fill(null);
  const chunk = 64;
  let done = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    await Promise.all(rows.slice(start, start + chunk).map(async (row, offset) => {
      if (row.error !== null) return;
      try {
        const s = await chem.register({ smiles: row.smiles });
        out[start + offset] = {
          canonicalSmiles: s.canonicalSmiles,
          inchikey: s.inchikey,
          descriptors: { ...s.descriptors, ...row.extras },
          fingerprint: s.morganFingerprint,
        };
      } catch (error) {
        if (!(error instanceof ChemInputError)) throw error;
        row.error = `invalid structure: ${error.message}`;
      }
    }));
    done = Math.min(rows.length, start + chunk);
    onProgress?.(done, rows.length);
  }
  return out;
}

export interface TrainingRecord {
  smiles: string;
  inchikey: string;
  y: number;
  extras: Record<string, number>;
}

/** SHA-256 over the canonical rows in file order: the same data gives the same hash whatever its formatting. */
export function trainingDataHash(records: readonly TrainingRecord[]): string {
  const hash = createHash('sha256');
  for (const r of records) {
    const extras = Object.keys(r.extras).sort().map((k) => [k, r.extras[k]]);
    hash.update(JSON.stringify([r.inchikey, r.smiles, r.y, extras]));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** SHA-256 over JSON rows in order (for data that has no structure column, e.g. exposures). */
export function rowsHash(rows: readonly unknown[]): string {
  const hash = createHash('sha256');
  for (const r of rows) hash.update(`${JSON.stringify(r)}\n`);
  return hash.digest('hex');
}
