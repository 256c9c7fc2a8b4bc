import { createMolblockConverter } from './molblocks.ts';
import { csvHeader, csvLine, sdfRecord } from './export-format.ts';
import type { MoleculeDetail } from './schemas.ts';

export type ExportFormat = 'csv' | 'sdf' | 'json';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  sdf: 'chemical/x-mdl-sdfile; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/**
 * Renders pages of molecules as one export document, text chunk by chunk, so an export of any size streams.
 * CSV columns are fixed from the first page's descriptor names (every registered molecule has the same set).
 */
export async function* renderExport(format: ExportFormat, pages: AsyncIterable<MoleculeDetail[]>): AsyncGenerator<string> {
  const converter = format === 'sdf' ? createMolblockConverter() : null;
  try {
    let descriptorNames: string[] | null = null;
    let first = true;
    if (format === 'json') yield '[';
    for await (const page of pages) {
      if (format === 'csv') {
        if (!descriptorNames) {
          descriptorNames = Object.keys(page[0]?.descriptors ?? {}).sort();
          yield csvHeader(descriptorNames);
        }
        yield page.map((m) => csvLine(m, descriptorNames as string[])).join('');
      } else if (format === 'json') {
        let text = '';
        for (const m of page) {
          text += `${first ? '\n' : ',\n'}${JSON.stringify(m)}`;
          first = false;
        }
        yield text;
      } else if (converter) {
        const molblocks = await converter.convert(page.map((m) => m.canonicalSmiles));
        yield page.map((m, i) => sdfRecord(m, molblocks[i] || '\n     RDKit          2D\n\n  0  0  0  0  0  0  0  0  0  0999 V2000\nM  END')).join('');
      }
    }
    if (format === 'csv' && !descriptorNames) yield csvHeader([]);
    if (format === 'json') yield first ? ']\n' : '\n]\n';
  } finally {
    await converter?.close();
  }
}
