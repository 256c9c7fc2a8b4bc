import type { JobHandler } from '../../jobs/jobs.ts';
import { checkSdf, csvRows, sdfRows, type ImportRow } from './import-rows.ts';
import type { ImportBody, RowResult } from './schemas.ts';
import type { MoleculeService } from './service.ts';

export const IMPORT_JOB = 'molecules.import';

export interface ImportSummary {
  registered: number;
  duplicate: number;
  invalid: number;
}

export interface ImportResult {
  format: 'csv' | 'sdf';
  counts: ImportSummary;
  rows: RowResult[];
}

/** Parses an import file into rows; throws ImportFileError for whole-file problems (checked before the job is queued). */
export function importRows(body: Pick<ImportBody, 'format' | 'content' | 'smilesColumn' | 'nameColumn'>): ImportRow[] {
  if (body.format === 'csv') {
    return csvRows(body.content, {
      ...(body.smilesColumn ? { smilesColumn: body.smilesColumn } : {}),
      ...(body.nameColumn ? { nameColumn: body.nameColumn } : {}),
    }).rows;
  }
  const rows = sdfRows(body.content, body.nameColumn ? { nameField: body.nameColumn } : {});
  checkSdf(rows, body.content);
  return rows;
}

export function summarize(rows: readonly RowResult[]): ImportSummary {
  const counts = { registered: 0, duplicate: 0, invalid: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

/** Merges the file's line numbers into the registration results. */
export function withLines(results: RowResult[], rows: readonly ImportRow[]): RowResult[] {
  return results.map((r) => {
    const line = rows[r.index]?.line;
    return line === undefined ? r : { ...r, line };
  });
}

export function importJobHandler(service: MoleculeService): JobHandler<ImportBody, ImportResult> {
  return async ({ payload, actor, progress }) => {
    const rows = importRows(payload);
    await progress(0, rows.length);
    const results = await service.registerMany(
      actor,
      payload.projectId ?? null,
      rows.map((r) => r.row ?? { error: r.error ?? 'invalid row' }),
      { chunkSize: 250, onProgress: (done) => progress(done, rows.length) },
    );
    const report = withLines(results, rows);
    return { format: payload.format, counts: summarize(report), rows: report };
  };
}
