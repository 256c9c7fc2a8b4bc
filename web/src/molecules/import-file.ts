// Reading an import file in the browser, before it is sent: the format, the CSV header (so the user can pick the
// SMILES and name columns) or the SD file's data fields, and each row's input, to show beside the server's
// per-row report. The server parses the file again and is the authority; these rules mirror
// src/modules/molecules/import-rows.ts (delimiter, default columns) so the preview agrees with it.

export type ImportFormat = 'csv' | 'sdf';

/** Columns the server takes as SMILES when none is named, in its order of preference (case-insensitive). */
const SMILES_COLUMNS = ['smiles', 'canonical_smiles', 'structure'];

export function formatFromName(fileName: string): ImportFormat {
  return /\.(sdf|sd|mol)$/i.test(fileName) ? 'sdf' : 'csv';
}

/** Tab when the header has tabs and no commas (TSV), otherwise comma — as the server decides. */
export function detectDelimiter(text: string): string {
  const newline = text.indexOf('\n');
  const header = newline >= 0 ? text.slice(0, newline) : text;
  return header.includes('\t') && !header.includes(',') ? '\t' : ',';
}

export interface CsvRecord {
  /** 1-based line where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records (quoted fields may hold delimiters, quotes and newlines), at most `limit` of them.
 * Throws with the line for a stray or unterminated quote, which the server would reject too.
 */
export function parseCsv(text: string, delimiter: string, limit = Number.POSITIVE_INFINITY): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let pending = false;
  for (let i = 0; i < input.length && records.length < limit; i++) {
    const c = input[i] as string;
    pending = true;
    if (inQuotes) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== '') throw new Error(`line ${recordLine}: quote inside an unquoted field`);
      inQuotes = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      pending = false;
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (inQuotes && records.length < limit) throw new Error(`line ${recordLine}: unterminated quoted field`);
  if (pending && records.length < limit) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  // Blank lines are not rows (a trailing newline, or spacing between records).
  return records.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
}

export interface CsvPreview {
  delimiter: string;
  columns: string[];
  /** The first rows after the header, for display. */
  sample: CsvRecord[];
}

export function previewCsv(text: string, sampleRows = 5): CsvPreview {
  const delimiter = detectDelimiter(text);
  const records = parseCsv(text, delimiter, sampleRows + 1);
  const header = records[0];
  if (!header) throw new Error('the file is empty');
  return { delimiter, columns: header.fields.map((c) => c.trim()), sample: records.slice(1) };
}

/** The column the server would take for SMILES when none is named, or '' when it would find none. */
export function defaultSmilesColumn(columns: readonly string[]): string {
  const lower = columns.map((c) => c.toLowerCase());
  for (const name of SMILES_COLUMNS) {
    const i = lower.indexOf(name);
    if (i >= 0) return columns[i] as string;
  }
  return '';
}

export function defaultNameColumn(columns: readonly string[]): string {
  return columns.find((c) => c.toLowerCase() === 'name') ?? '';
}

export interface SdfPreview {
  records: number;
  /** Data-field names (`> <NAME>`) seen in the file, in order of first appearance. */
  fields: string[];
}

export function previewSdf(text: string): SdfPreview {
  const normalized = text.replace(/\r\n?/g, '\n');
  const records = normalized.split(/^\$\$\$\$[ \t]*$/m).filter((chunk) => chunk.trim() !== '').length;
  const fields: string[] = [];
  for (const match of normalized.matchAll(/^>.*?<([^>\n]+)>/gm)) {
    const name = match[1] as string;
    if (!fields.includes(name)) fields.push(name);
  }
  return { records, fields };
}

/** What a row of the file said, to show beside its result. */
export interface RowInput {
  smiles?: string;
  name?: string;
}

/** Inputs of a CSV file keyed by the line where each record starts (the report gives that line). */
export function csvInputsByLine(text: string, smilesColumn: string, nameColumn: string): Map<number, RowInput> {
  const records = parseCsv(text, detectDelimiter(text));
  const header = records.shift();
  const out = new Map<number, RowInput>();
  if (!header) return out;
  const columns = header.fields.map((c) => c.trim());
  const smilesAt = columns.indexOf(smilesColumn || defaultSmilesColumn(columns));
  const nameAt = columns.indexOf(nameColumn || defaultNameColumn(columns));
  for (const r of records) {
    out.set(r.line, {
      ...(smilesAt >= 0 ? { smiles: (r.fields[smilesAt] ?? '').trim() } : {}),
      ...(nameAt >= 0 ? { name: (r.fields[nameAt] ?? '').trim() } : {}),
    });
  }
  return out;
}

/** One cell of RFC 4180 CSV; text a spreadsheet would run as a formula is prefixed with ' (as the API's export). */
export function csvCell(value: string | number | undefined | null): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
