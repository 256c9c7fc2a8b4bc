import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  defaultPropertyValue,
  parseReferenceData,
  type ComponentProperty,
  type ComponentPropertyRow,
  type NonstructuralComponentRow,
  type ReferenceData,
  type SourceRow,
} from '../../science/index.ts';

/**
 * The cited science reference data (data/reference/science), read from disk once per process. Reading lives here,
 * at the edge; src/science only parses text it is handed.
 */
export const SCIENCE_REFERENCE_DIR = fileURLToPath(new URL('../../../data/reference/science/', import.meta.url));

export const WATER_INCHIKEY = 'XLYOFNOQVPJJNP-UHFFFAOYSA-N';

export interface ScienceReference {
  readonly data: ReferenceData;
  /** The default (first-listed) row of a property for a compound, or null. */
  property(inchikey: string, property: ComponentProperty): ComponentPropertyRow | null;
  nonstructural(key: string): NonstructuralComponentRow | null;
  source(id: string): SourceRow | null;
  /** A display name for a compound from the property table, when it has rows there. */
  nameOf(inchikey: string): string | null;
}

let cached: ScienceReference | null = null;

function read(name: string): string {
  return readFileSync(`${SCIENCE_REFERENCE_DIR}/${name}`, 'utf8');
}

/** Loads and indexes the reference files on first use. Shipped data with errors is a bug, so it fails loudly. */
export function scienceReference(): ScienceReference {
  if (cached) return cached;
  const { data, issues } = parseReferenceData({
    sources: read('sources.csv'),
    componentProperties: read('component-properties.csv'),
    formulations: read('formulations.csv'),
    formulationComponents: read('formulation-components.csv'),
    nonstructuralComponents: read('nonstructural-components.csv'),
  });
  if (issues.length > 0) {
    const first = issues.slice(0, 5).map((i) => `${i.file}:${i.line} ${i.message}`).join('; ');
    throw new Error(`Science reference data is invalid (${issues.length} issues): ${first}`);
  }
  const nonstructural = new Map(data.nonstructuralComponents.map((n) => [n.key, n]));
  const sources = new Map(data.sources.map((s) => [s.id, s]));
  const names = new Map<string, string>();
  for (const p of data.componentProperties) if (!names.has(p.inchikey)) names.set(p.inchikey, p.name);
  cached = {
    data,
    property: (inchikey, property) => defaultPropertyValue(data, inchikey, property),
    nonstructural: (key) => nonstructural.get(key) ?? null,
    source: (id) => sources.get(id) ?? null,
    nameOf: (inchikey) => names.get(inchikey) ?? null,
  };
  return cached;
}
