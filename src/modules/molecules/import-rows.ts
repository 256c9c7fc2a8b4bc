import { CsvError, parseCsvRows } from '../../lib/csv.ts';
import { parseSdf } from '../../chem/sdf.ts';
import type { BatchRow } from './schemas.ts';

/** A whole-file problem (no rows can be read); the CLI exits non-zero and the API answers 422 with it. */
export class ImportFileError extends Error {
  constructor(message: string, readonly field: string = 'content') {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** One row of an import: the structure and names to register, or why the row cannot be used. */
export interface ImportRow {
  index: number;
  line?: number;
  row?: BatchRow;
  error?: string;
}

export interface CsvOptions {
  smilesColumn?: string;
  nameColumn?: string;
}

/** Recognised optional columns (case-insensitive) besides SMILES and name. */
const SYNONYM_COLUMNS = ['synonyms'];
const CAS_COLUMNS = ['cas', 'cas_rn', 'cas number'];
const CID_COLUMNS = ['pubchem_cid', 'cid', 'pubchem cid'];
const CHEMBL_COLUMNS = ['chembl_id', 'chembl'];

/** Tab when the header has tabs and no commas (TSV), otherwise comma. */
export function detectDelimiter(headerLine: string): string {
  return headerLine.includes('\t') && !headerLine.includes(',') ? '\t' : ',';
}

export interface CsvLayout {
  columns: string[];
  smiles: number;
  name: number | null;
  synonyms: number | null;
  cas: number | null;
  cid: number | null;
  chembl: number | null;
}

/** Resolves the columns to use from a header; a wrong or absent column names the columns that were found. */
export function csvLayout(columns: string[], options: CsvOptions): CsvLayout {
  const lower = columns.map((c) => c.trim().toLowerCase());
  const found = `columns found: ${columns.map((c) => `"${c}"`).join(', ')}`;
  const find = (names: string[]) => {
    const i = lower.findIndex((c) => names.includes(c));
    return i < 0 ? null : i;
  };
  let smiles: number | null;
  if (options.smilesColumn !== undefined) {
    smiles = columns.indexOf(options.smilesColumn);
    if (smiles < 0) throw new ImportFileError(`SMILES column "${options.smilesColumn}" not found; ${found}`, 'smilesColumn');
  } else {
    smiles = find(['smiles', 'canonical_smiles', 'structure']);
    if (smiles === null) throw new ImportFileError(`no SMILES column (name one with the SMILES column option); ${found}`, 'smilesColumn');
  }
  let name: number | null = null;
  if (options.nameColumn !== undefined) {
    name = columns.indexOf(options.nameColumn);
    if (name < 0) throw new ImportFileError(`name column "${options.nameColumn}" not found; ${found}`, 'nameColumn');
  } else {
    name = find(['name']);
  }
  return { columns, smiles, name, synonyms: find(SYNONYM_COLUMNS), cas: find(CAS_COLUMNS), cid: find(CID_COLUMNS), chembl: find(CHEMBL_COLUMNS) };
}

/** Turns one CSV record into a row to register (a field-count mismatch makes the row invalid, not the file). */
export function csvRecordToRow(layout: CsvLayout, fields: string[], index: number, line: number): ImportRow {
  if (fields.length !== layout.columns.length) {
    return { index, line, error: `expected ${layout.columns.length} fields, found ${fields.length}` };
  }
  const get = (i: number | null) => (i === null ? '' : (fields[i] ?? '').trim());
  const smiles = get(layout.smiles);
  if (!smiles) return { index, line, error: 'SMILES is empty' };
  const row: BatchRow = { smiles };
  const name = get(layout.name);
  if (name) row.name = name.slice(0, 500);
  const synonyms = get(layout.synonyms).split('|').map((s) => s.trim()).filter((s) => s !== '');
  if (synonyms.length) row.synonyms = synonyms.slice(0, 200).map((s) => s.slice(0, 500));
  if (get(layout.cas)) row.cas = get(layout.cas);
  if (get(layout.cid)) row.pubchemCid = get(layout.cid);
  if (get(layout.chembl)) row.chemblId = get(layout.chembl);
  return { index, line, row };
}

/** Parses a whole CSV/TSV text (the API's import body). */
export function csvRows(text: string, options: CsvOptions = {}): { columns: string[]; rows: ImportRow[] } {
  if (text.trim() === '') throw new ImportFileError('the file is empty');
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  let records: { line: number; fields: string[] }[];
  try {
    records = parseCsvRows(text, detectDelimiter(firstLine));
  } catch (error) {
    if (error instanceof CsvError) throw new ImportFileError(`not readable as CSV: ${error.message}`);
    throw error;
  }
  const header = records.shift();
  if (!header) throw new ImportFileError('the file is empty');
  const columns = header.fields.map((c) => c.trim());
  const layout = csvLayout(columns, options);
  if (records.length === 0) throw new ImportFileError('the file has a header but no rows');
  return { columns, rows: records.map((r, i) => csvRecordToRow(layout, r.fields, i, r.line)) };
}

/** Turns SD-file text into rows; the name comes from `nameField` or the molblock's title line. */
export function sdfRows(text: string, options: { nameField?: string } = {}, firstIndex = 0): ImportRow[] {
  const records = parseSdf(text);
  return records.map((r) => {
    const index = firstIndex + r.index;
    if (r.error) return { index, error: `SDF record ${index + 1}: ${r.error}` };
    const row: BatchRow = { molblock: r.molblock };
    const title = r.molblock.split('\n')[0]?.trim() ?? '';
    const name = (options.nameField ? r.properties[options.nameField] : undefined)?.trim() || title;
    if (name) row.name = name.slice(0, 500);
    const prop = (names: string[]) => {
      const key = Object.keys(r.properties).find((k) => names.includes(k.toLowerCase()));
      return key ? r.properties[key]?.trim() : undefined;
    };
    const cas = prop(CAS_COLUMNS);
    if (cas) row.cas = cas;
    const cid = prop([...CID_COLUMNS, 'pubchem_compound_cid']);
    if (cid) row.pubchemCid = cid;
    const chembl = prop(CHEMBL_COLUMNS);
    if (chembl) row.chemblId = chembl;
    const synonyms = prop(SYNONYM_COLUMNS);
    if (synonyms) row.synonyms = synonyms.split(/[|\n]/).map((s) => s.trim()).filter((s) => s !== '').slice(0, 200);
    return { index, row };
  });
}

/** Whole SD-file check: an empty file, or one where no record is usable, is not an SD file worth importing. */
export function checkSdf(rows: ImportRow[], text: string): void {
  if (text.trim() === '') throw new ImportFileError('the file is empty');
  if (rows.length > 0 && rows.every((r) => r.error)) {
    throw new ImportFileError(`not a readable SD file: ${rows[0]?.error ?? 'no records'}`);
  }
}
