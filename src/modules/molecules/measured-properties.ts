import type { ComponentPropertyRow, ReferenceData, SourceRow } from '../../science/index.ts';
import type { MeasuredProperty } from './schemas.ts';

/**
 * The cited property values the science reference data holds for one structure (by standard InChIKey), in file
 * order. The first row of a property is the one the formulation calculations use (reference-data.ts convention);
 * the rest are kept as provenance, e.g. the spread of literature Tg values.
 */
export function measuredProperties(data: Pick<ReferenceData, 'componentProperties' | 'sources'>, inchikey: string): MeasuredProperty[] {
  const sources = new Map<string, SourceRow>(data.sources.map((s) => [s.id, s]));
  const seen = new Set<string>();
  return data.componentProperties
    .filter((row: ComponentPropertyRow) => row.inchikey === inchikey)
    .map((row) => {
      const isDefault = !seen.has(row.property);
      seen.add(row.property);
      const source = sources.get(row.sourceId);
      return {
        property: row.property,
        value: row.value,
        unit: row.unit,
        conditions: row.conditions,
        evidence: row.evidence,
        usedInCalculations: isDefault,
        source: source
          ? { id: source.id, title: source.title, authors: source.authors, year: source.year, journal: source.journal, doi: source.doi, url: source.url }
          : { id: row.sourceId, title: row.sourceId, authors: '', year: null, journal: '', doi: null, url: null },
      };
    });
}
