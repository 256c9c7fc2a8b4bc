/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Returns rows of raw strings;
 * callers validate and convert, so a bad row can be reported by line without losing the others.
 */
export interface CsvRecord {
  /** 1-based line number where the record starts (header is line 1). */
  line: number;
  values: Record<string, string>;
}

export class CsvError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

export function parseCsvRows(text: string, delimiter = ','): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let sawAny = false;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    sawAny = true;
    if (inQuotes) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      // RFC 4180: a quote may only open a field; a stray one means the file is not what it claims to be.
      if (field !== '') throw new CsvError('quote inside an unquoted field', rowLine);
      inQuotes = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      sawAny = false;
      line++;
      rowLine = line;
    } else field += c;
  }
  if (inQuotes) throw new CsvError('unterminated quoted field', rowLine);
  if (sawAny) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows.filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
}

/** Parses CSV with a header row into records keyed by column name. */
export function parseCsv(text: string, delimiter = ','): { columns: string[]; records: CsvRecord[] } {
  const rows = parseCsvRows(text, delimiter);
  const header = rows.shift();
  if (!header) return { columns: [], records: [] };
  const columns = header.fields.map((c) => c.trim());
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate) throw new CsvError(`duplicate column "${duplicate}"`, 1);
  const records = rows.map((row) => {
    if (row.fields.length !== columns.length) {
      throw new CsvError(`expected ${columns.length} fields, found ${row.fields.length}`, row.line);
    }
    const values: Record<string, string> = {};
    columns.forEach((c, i) => (values[c] = row.fields[i] as string));
    return { line: row.line, values };
  });
  return { columns, records };
}

/** One RFC 4180 field: quoted when it holds a delimiter, quote or line break. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
