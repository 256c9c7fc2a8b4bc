export interface SdfRecord {
  /** 0-based position of the record in the file. */
  index: number;
  /** Lines up to and including "M  END" (empty when the record is broken). */
  molblock: string;
  /** Data items ("> <NAME>" blocks); multi-line values are joined with "\n". */
  properties: Record<string, string>;
  /** Why this record cannot be used; other records are unaffected. */
  error?: string;
}

/**
 * Splits SD-file text into records. Pure and tolerant: a broken record becomes an entry with `error`, never an
 * exception, so one bad record does not lose the rest of an import. The molblocks are not chemically checked here;
 * registering them does that.
 */
export function parseSdf(text: string): SdfRecord[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const records: SdfRecord[] = [];
  let current: string[] = [];
  const flush = (terminated: boolean) => {
    // Whitespace after the last "$$$$" (or an empty file) is not a record.
    if (!terminated && current.every((l) => l.trim() === '')) return;
    records.push(parseRecord(current, records.length));
    current = [];
  };
  for (const line of lines) {
    if (line.startsWith('$$$$')) flush(true);
    else current.push(line);
  }
  flush(false);
  return records;
}

function parseRecord(lines: string[], index: number): SdfRecord {
  if (lines.every((l) => l.trim() === '')) return { index, molblock: '', properties: {}, error: 'empty record' };
  const end = lines.findIndex((l) => l.startsWith('M  END'));
  if (end < 0) return { index, molblock: '', properties: {}, error: 'record has no "M  END" line' };
  const molblock = lines.slice(0, end + 1).join('\n');
  const { properties, problem } = parseDataItems(lines.slice(end + 1));
  const counts = lines[3] ?? '';
  let error: string | undefined;
  if (end < 3) error = 'molblock is shorter than its 3 header lines and counts line';
  else if (!/V[23]000/.test(counts)) error = 'counts line (line 4) declares neither V2000 nor V3000';
  else if (problem) error = problem;
  return error ? { index, molblock, properties, error } : { index, molblock, properties };
}

function parseDataItems(lines: string[]): { properties: Record<string, string>; problem?: string } {
  const properties: Record<string, string> = {};
  let name: string | null = null;
  let value: string[] = [];
  const finish = () => {
    if (name !== null) properties[name] = value.join('\n');
    name = null;
    value = [];
  };
  for (const line of lines) {
    if (name === null) {
      if (line.trim() === '') continue;
      if (!line.startsWith('>')) return { properties, problem: `unexpected line after "M  END": ${line.slice(0, 80)}` };
      const bracketed = /<([^>]*)>/.exec(line);
      name = (bracketed?.[1] ?? line.slice(1)).trim();
    } else if (line.trim() === '') {
      finish();
    } else {
      value.push(line);
    }
  }
  finish();
  return { properties };
}
