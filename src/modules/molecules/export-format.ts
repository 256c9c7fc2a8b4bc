import type { MoleculeDetail } from './schemas.ts';

/** Columns of a CSV export, in order: identity, identifiers, key descriptors, source, then every other descriptor. */
const FIXED_COLUMNS = [
  'id', 'name', 'synonyms', 'canonical_smiles', 'inchi', 'inchikey', 'formula', 'molecular_weight', 'exact_mass',
  'clogp', 'tpsa', 'hbd', 'hba', 'rotatable_bonds', 'heavy_atoms', 'polar_group_total',
  'pubchem_cid', 'chembl_id', 'cas', 'project_id', 'source_key', 'source_doi',
] as const;

function fixedValues(m: MoleculeDetail): (string | number | null)[] {
  return [
    m.id, m.name, m.synonyms.join('|'), m.canonicalSmiles, m.inchi, m.inchikey, m.formula, m.molecularWeight, m.exactMass,
    m.clogp, m.tpsa, m.hbd, m.hba, m.rotatableBonds, m.heavyAtoms, m.polarGroupTotal,
    m.identifiers.pubchemCid, m.identifiers.chemblId, m.identifiers.cas, m.projectId, m.source?.key ?? null, m.source?.doi ?? null,
  ];
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; a leading =+-@ is prefixed so spreadsheets do not run it. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(descriptorNames: readonly string[]): string {
  return [...FIXED_COLUMNS, ...descriptorNames.map((d) => `descriptor_${d}`)].map(csvField).join(',') + '\n';
}

export function csvLine(m: MoleculeDetail, descriptorNames: readonly string[]): string {
  return [...fixedValues(m), ...descriptorNames.map((d) => m.descriptors[d] ?? null)].map(csvField).join(',') + '\n';
}

/** One SD-file record: the molblock, then every field as a data item. */
export function sdfRecord(m: MoleculeDetail, molblock: string): string {
  const body = molblock.replace(/\s+$/, '').split('\n');
  body[0] = (m.name ?? '').replace(/[\r\n]/g, ' ').slice(0, 80); // the title line
  const lines: string[] = [body.join('\n')];
  const item = (name: string, value: string | number | null | undefined) => {
    if (value === null || value === undefined || value === '') return;
    // A blank line ends a data item, so values must not contain one.
    lines.push(`>  <${name}>`, String(value).replace(/\n\s*\n/g, '\n'), '');
  };
  FIXED_COLUMNS.forEach((c, i) => item(c, fixedValues(m)[i]));
  for (const [k, v] of Object.entries(m.descriptors)) item(k, v);
  lines.push('$$$$');
  return lines.join('\n') + '\n';
}

/** A plain JSON-friendly record; JSON export writes these as one array. */
export function jsonRecord(m: MoleculeDetail): MoleculeDetail {
  return m;
}
