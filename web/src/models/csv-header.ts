// The header of a training file, read in the browser so the user can pick the structure and target columns.
// The server parses the whole file again and is the authority; the delimiter rule mirrors detectDelimiter in
// src/modules/models/dataset.ts (the most frequent of comma, tab and semicolon in the first line).

export interface CsvHeader {
  delimiter: string;
  columns: string[];
  /** Data lines after the header (an estimate: a quoted field spanning lines counts more than once). */
  dataLines: number;
}

function detectDelimiter(firstLine: string): string {
  const counts = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  const best = counts[0];
  return best && best[1] > 0 ? best[0] : ',';
}

/** Splits one header line on `delimiter`, honouring RFC 4180 quotes ("a,b" and doubled "" inside). */
function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

export function readCsvHeader(text: string): CsvHeader | null {
  const body = text.replace(/^\uFEFF/, '');
  const lines = body.split(/\r?\n/);
  const first = lines[0] ?? '';
  if (first.trim() === '') return null;
  const delimiter = detectDelimiter(first);
  return {
    delimiter,
    columns: splitLine(first, delimiter).filter((c) => c !== ''),
    dataLines: lines.slice(1).filter((l) => l.trim() !== '').length,
  };
}

/** The column a person most likely means, by name (case-insensitive), or ''. */
export function guessColumn(columns: readonly string[], preferred: readonly string[]): string {
  for (const name of preferred) {
    const hit = columns.find((c) => c.toLowerCase() === name);
    if (hit) return hit;
  }
  return '';
}
