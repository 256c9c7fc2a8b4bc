import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { loadConfig } from '../../config.ts';
import { openRuntime } from '../../app/runtime.ts';
import { migrateUp } from '../../db/migrate.ts';
import { parseCsvRows, CsvError } from '../../lib/csv.ts';
import { ensureLocalAdmin, LOCAL_ADMIN } from '../../modules/accounts/local-admin.ts';
import { csvLayout, csvRecordToRow, detectDelimiter, ImportFileError, sdfRows, type CsvLayout, type ImportRow } from '../../modules/molecules/import-rows.ts';
import { renderExport, type ExportFormat } from '../../modules/molecules/export-stream.ts';
import { createMoleculeService, type MoleculeService } from '../../modules/molecules/service.ts';
import type { RowResult } from '../../modules/molecules/schemas.ts';
import { err, UsageError, type Command } from '../command.ts';

const CHUNK = 500;

/** Reads a CSV/TSV or SD file record by record without holding it in memory; yields rows in chunks. */
export async function* readImportFile(
  path: string,
  format: 'csv' | 'sdf',
  options: { smilesColumn?: string; nameColumn?: string },
  onBytes: (bytes: number) => void,
): AsyncGenerator<ImportRow[]> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  stream.on('data', (chunk) => onBytes(Buffer.byteLength(chunk as string)));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let rows: ImportRow[] = [];
  let index = 0;
  let lineNo = 0;
  if (format === 'csv') {
    let layout: CsvLayout | null = null;
    let delimiter = ',';
    let pending = '';
    let pendingLine = 0;
    let quotes = 0;
    for await (const line of lines) {
      lineNo++;
      if (!layout) {
        if (line.trim() === '') continue;
        delimiter = detectDelimiter(line);
        const header = parseCsvRows(line, delimiter)[0]?.fields.map((c) => c.trim()) ?? [];
        layout = csvLayout(header, options);
        continue;
      }
      if (pending === '') pendingLine = lineNo;
      pending = pending === '' ? line : `${pending}\n${line}`;
      quotes += (line.match(/"/g) ?? []).length;
      if (quotes % 2 === 1) continue; // a quoted field continues on the next line
      const text = pending;
      pending = '';
      quotes = 0;
      if (text.trim() === '') continue;
      try {
        const fields = parseCsvRows(text, delimiter)[0]?.fields ?? [];
        rows.push(csvRecordToRow(layout, fields, index, pendingLine));
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
        rows.push({ index, line: pendingLine, error: error.message });
      }
      index++;
      if (rows.length >= CHUNK) {
        yield rows;
        rows = [];
      }
    }
    if (!layout) throw new ImportFileError('the file is empty');
    if (pending.trim() !== '') rows.push({ index: index++, line: pendingLine, error: 'unterminated quoted field at the end of the file' });
    if (index === 0) throw new ImportFileError('the file has a header but no rows');
  } else {
    let record: string[] = [];
    let sawText = false;
    let recordLine = 1;
    const flush = () => {
      const text = record.join('\n');
      record = [];
      if (text.trim() === '') return;
      const parsed = sdfRows(`${text}\n$$$$\n`, options.nameColumn ? { nameField: options.nameColumn } : {}, index);
      for (const r of parsed) rows.push({ ...r, line: recordLine });
      index += parsed.length;
    };
    for await (const line of lines) {
      lineNo++;
      if (line.trim() !== '') sawText = true;
      if (line.startsWith('$$$$')) {
        flush();
        recordLine = lineNo + 1;
        if (rows.length >= CHUNK) {
          yield rows;
          rows = [];
        }
      } else {
        record.push(line);
      }
    }
    flush();
    if (!sawText) throw new ImportFileError('the file is empty');
  }
  if (rows.length > 0) yield rows;
}

/**
 * Whole-file checks that need no database: the file exists and is not empty, a CSV header names the columns asked
 * for, an SD file has at least one "M  END" in its first megabyte. Lets the command fail fast and clearly.
 */
export function precheckImportFile(path: string, format: 'csv' | 'sdf', options: { smilesColumn?: string; nameColumn?: string }): void {
  if (!existsSync(path)) throw new ImportFileError(`file not found: ${path}`);
  if (statSync(path).isDirectory()) throw new ImportFileError(`${path} is a directory, not a file`);
  const fd = openSync(path, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
  if (head.trim() === '') throw new ImportFileError(`the file is empty: ${path}`);
  if (format === 'csv') {
    const headerLine = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    const columns = parseCsvRows(headerLine, detectDelimiter(headerLine))[0]?.fields.map((c) => c.trim()) ?? [];
    csvLayout(columns, options);
  } else if (!/^M {2}END/m.test(head)) {
    throw new ImportFileError('not a readable SD file: no "M  END" line in the first megabyte (is it a CSV? use --format csv)');
  }
}

/** Progress on stderr: a redrawn bar on a terminal, a line every few seconds otherwise (logs, CI). */
function progressReporter(totalBytes: number) {
  const tty = process.stderr.isTTY === true;
  let bytes = 0;
  let rows = 0;
  let lastLine = 0;
  const render = (final = false) => {
    const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${rows} rows${final ? '\n' : ''}`);
    } else if (final || Date.now() - lastLine > 2000) {
      lastLine = Date.now();
      err(`progress: ${rows} rows, ${(fraction * 100).toFixed(0)}% of the file`);
    }
  };
  return {
    bytes(n: number) {
      bytes += n;
    },
    rows(n: number) {
      rows += n;
      render();
    },
    done() {
      render(true);
    },
  };
}

const REPORT_HEADER = 'row\tline\tstatus\tid\tinchikey\terror';
function reportLine(r: RowResult & { line?: number }): string {
  return [r.index + 1, r.line ?? '', r.status, r.id ?? '', r.inchikey ?? '', (r.error ?? '').replace(/[\t\r\n]+/g, ' ')].join('\t');
}

/** Imports a file through the molecule service; returns the counts. Exposed for tests. */
export async function importFile(
  service: MoleculeService,
  path: string,
  options: { format: 'csv' | 'sdf'; smilesColumn?: string; nameColumn?: string; projectId: string | null; write(line: string): void; quiet?: boolean },
): Promise<{ registered: number; duplicate: number; invalid: number }> {
  if (!existsSync(path)) throw new ImportFileError(`file not found: ${path}`);
  const size = statSync(path).size;
  if (size === 0) throw new ImportFileError(`the file is empty: ${path}`);
  const progress = options.quiet ? null : progressReporter(size);
  const counts = { registered: 0, duplicate: 0, invalid: 0 };
  const seen = new Map<string, string>();
  const actor = { userId: LOCAL_ADMIN.id };
  options.write(REPORT_HEADER);
  for await (const chunk of readImportFile(path, options.format, options, (n) => progress?.bytes(n))) {
    const results = await service.registerMany(actor, options.projectId, chunk.map((r) => r.row ?? { error: r.error ?? 'invalid row' }), {
      firstIndex: chunk[0]?.index ?? 0,
      seen,
    });
    const lines = new Map(chunk.map((r) => [r.index, r.line]));
    for (const r of results) {
      counts[r.status]++;
      options.write(reportLine({ ...r, ...(lines.get(r.index) !== undefined ? { line: lines.get(r.index) } : {}) }));
    }
    progress?.rows(chunk.length);
  }
  progress?.done();
  if (options.format === 'sdf' && counts.registered + counts.duplicate === 0 && counts.invalid > 0) {
    throw new ImportFileError('not a readable SD file: no record could be registered (see the report)');
  }
  return counts;
}

export const importCommand: Command = {
  summary: 'Import molecules from a CSV/TSV or SD file (per-row report on stdout)',
  usage: 'cryoprotect import FILE --format csv|sdf [--smiles-column NAME] [--name-column NAME] [--project ID] [--report FILE]',
  options: {
    format: { type: 'string' }, 'smiles-column': { type: 'string' }, 'name-column': { type: 'string' },
    project: { type: 'string' }, report: { type: 'string' },
  },
  async run({ values, positionals }) {
    const [path] = positionals;
    if (!path) throw new UsageError('import needs a FILE argument');
    const format = values.format;
    if (format !== 'csv' && format !== 'sdf') throw new UsageError('--format must be csv or sdf');
    const projectId = typeof values.project === 'string' ? values.project : null;
    if (projectId !== null && !/^[0-9a-f-]{36}$/i.test(projectId)) throw new UsageError('--project must be a project id (UUID)');
    const columnOptions = {
      ...(typeof values['smiles-column'] === 'string' ? { smilesColumn: values['smiles-column'] } : {}),
      ...(typeof values['name-column'] === 'string' ? { nameColumn: values['name-column'] } : {}),
    };
    try {
      precheckImportFile(path, format, columnOptions);
    } catch (error) {
      if (error instanceof ImportFileError) {
        err(`Error: ${error.message}`);
        return 1;
      }
      throw error;
    }
    const runtime = await openRuntime(loadConfig());
    const reportStream = typeof values.report === 'string' ? createWriteStream(values.report) : null;
    try {
      await migrateUp(runtime.db);
      await ensureLocalAdmin(runtime.db);
      const service = createMoleculeService(runtime.db, runtime.chem);
      const counts = await importFile(service, path, {
        format, projectId, ...columnOptions,
        write: (line) => (reportStream ? reportStream.write(`${line}\n`) : process.stdout.write(`${line}\n`)),
      });
      err(`Imported ${path}: ${counts.registered} registered, ${counts.duplicate} duplicate, ${counts.invalid} invalid.`);
      return 0;
    } catch (error) {
      if (error instanceof ImportFileError) {
        err(`Error: ${error.message}`);
        return 1;
      }
      throw error;
    } finally {
      if (reportStream) {
        reportStream.end();
        await once(reportStream, 'close');
      }
      await runtime.close();
    }
  },
};

export const exportCommand: Command = {
  summary: 'Export molecules as CSV, SD file or JSON (with descriptors, identifiers and sources)',
  usage: 'cryoprotect export --format csv|sdf|json [--query Q] [--project ID] [--out FILE]',
  options: { format: { type: 'string' }, query: { type: 'string' }, project: { type: 'string' }, out: { type: 'string' } },
  async run({ values }) {
    const format = values.format as ExportFormat;
    if (format !== 'csv' && format !== 'sdf' && format !== 'json') throw new UsageError('--format must be csv, sdf or json');
    const runtime = await openRuntime(loadConfig(), { chem: false });
    try {
      await migrateUp(runtime.db);
      await ensureLocalAdmin(runtime.db);
      const service = createMoleculeService(runtime.db, runtime.chem);
      const selection = {
        ...(typeof values.query === 'string' ? { q: values.query } : {}),
        ...(typeof values.project === 'string' ? { projectId: values.project } : {}),
      };
      const out = typeof values.out === 'string' ? createWriteStream(values.out) : process.stdout;
      let count = 0;
      for await (const text of renderExport(format, countPages(service.iterate({ userId: LOCAL_ADMIN.id }, selection), (n) => (count += n)))) {
        if (!out.write(text)) await once(out, 'drain');
      }
      if (out !== process.stdout) {
        out.end();
        await once(out, 'close');
      }
      err(`Exported ${count} molecules.`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};

async function* countPages<T>(pages: AsyncIterable<T[]>, add: (n: number) => void): AsyncGenerator<T[]> {
  for await (const page of pages) {
    add(page.length);
    yield page;
  }
}
