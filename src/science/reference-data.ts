/**
 * Parsing and validation of the cited science reference data in data/reference/science/*.csv.
 * Pure: callers read the files and pass their text in.
 *
 * Convention: when several rows give the same property of the same compound, the FIRST row in the file
 * is the default used in calculations; the others are kept as provenance (e.g. the spread of
 * literature Tg values).
 */
import { parseCsvRows } from '../lib/csv.ts';
import type { ComponentAmount } from './composition.ts';
import { type ConcentrationUnit, isConcentrationUnit } from './units.ts';

/** CSV syntax errors come from the shared RFC 4180 parser (src/lib/csv.ts). */
export { CsvError as CsvSyntaxError } from '../lib/csv.ts';

/** Rows of raw fields, header first. */
export function parseCsv(text: string): string[][] {
  return parseCsvRows(text).map((row) => row.fields);
}

export interface ReferenceDataIssue {
  readonly file: ReferenceFile;
  /** 1-based line of the CSV row (header = 1). */
  readonly line: number;
  readonly message: string;
}

export type ReferenceFile = 'sources' | 'componentProperties' | 'formulations' | 'formulationComponents' | 'nonstructuralComponents';

export type ReferenceDataFiles = Readonly<Record<ReferenceFile, string>>;

export const EXPECTED_HEADERS: Readonly<Record<ReferenceFile, readonly string[]>> = {
  sources: ['id', 'doi', 'title', 'authors', 'year', 'journal', 'url', 'note'],
  componentProperties: ['inchikey', 'name', 'property', 'value', 'unit', 'conditions', 'source_id', 'evidence'],
  formulations: ['key', 'name', 'carrier_key', 'total_as_published', 'source_id', 'verified', 'note'],
  formulationComponents: ['formulation_key', 'component_name', 'inchikey', 'nonstructural_key', 'amount', 'unit', 'role', 'source_id', 'verified'],
  nonstructuralComponents: ['key', 'name', 'kind', 'average_molar_mass', 'density', 'notes', 'source_id'],
};

/** Property → the one unit it is stored in. */
export const PROPERTY_UNITS = {
  density: 'g/mL',
  molar_mass: 'g/mol',
  tg: 'K',
  gt_tg: 'K',
  gt_k: '1',
} as const;
export type ComponentProperty = keyof typeof PROPERTY_UNITS;

export type Evidence = 'V' | 'L' | 'C';
export const COMPONENT_ROLES = ['penetrating', 'non-penetrating', 'ice_blocker', 'carrier', 'other'] as const;
export type ComponentRole = (typeof COMPONENT_ROLES)[number];
export const NONSTRUCTURAL_KINDS = ['polymer', 'ice_blocker', 'carrier', 'other'] as const;
export type NonstructuralKind = (typeof NONSTRUCTURAL_KINDS)[number];

export interface SourceRow {
  readonly id: string;
  readonly doi: string | null;
  readonly title: string;
  readonly authors: string;
  readonly year: number | null;
  readonly journal: string;
  readonly url: string | null;
  readonly note: string;
}

export interface ComponentPropertyRow {
  readonly inchikey: string;
  readonly name: string;
  readonly property: ComponentProperty;
  readonly value: number;
  readonly unit: string;
  readonly conditions: string;
  readonly sourceId: string;
  readonly evidence: Evidence;
}

export interface FormulationRow {
  readonly key: string;
  readonly name: string;
  readonly carrierKey: string | null;
  readonly totalAsPublished: string;
  readonly sourceId: string;
  readonly verified: boolean;
  readonly note: string;
}

export interface FormulationComponentRow {
  readonly formulationKey: string;
  readonly componentName: string;
  readonly inchikey: string | null;
  readonly nonstructuralKey: string | null;
  readonly amount: number;
  readonly unit: ConcentrationUnit;
  readonly role: ComponentRole;
  readonly sourceId: string;
  readonly verified: boolean;
}

export interface NonstructuralComponentRow {
  readonly key: string;
  readonly name: string;
  readonly kind: NonstructuralKind;
  readonly averageMolarMass: number | null;
  readonly density: number | null;
  readonly notes: string;
  readonly sourceId: string;
}

export interface ReferenceData {
  readonly sources: readonly SourceRow[];
  readonly componentProperties: readonly ComponentPropertyRow[];
  readonly formulations: readonly FormulationRow[];
  readonly formulationComponents: readonly FormulationComponentRow[];
  readonly nonstructuralComponents: readonly NonstructuralComponentRow[];
}

const INCHIKEY = /^[A-Z]{14}-[A-Z]{10}-[A-Z]$/;
const DOI = /^10\.\d{4,9}\/\S+$/;

type Row = Readonly<Record<string, string>>;

function records(file: ReferenceFile, text: string, issues: ReferenceDataIssue[]): { row: Row; line: number }[] {
  let table: { line: number; fields: string[] }[];
  try {
    table = parseCsvRows(text);
  } catch (e) {
    issues.push({ file, line: 0, message: e instanceof Error ? e.message : String(e) });
    return [];
  }
  const header = table[0]?.fields ?? [];
  const expected = EXPECTED_HEADERS[file];
  if (header.join(',') !== expected.join(',')) {
    issues.push({ file, line: 1, message: `Header must be "${expected.join(',')}", got "${header.join(',')}"` });
    return [];
  }
  const out: { row: Row; line: number }[] = [];
  table.slice(1).forEach(({ fields: cells, line }) => {
    if (cells.length !== header.length) {
      issues.push({ file, line, message: `Expected ${header.length} fields, got ${cells.length}` });
      return;
    }
    out.push({ row: Object.fromEntries(header.map((h, j) => [h, cells[j]!.trim()])), line });
  });
  return out;
}

/** Parses all reference files; rows with errors are reported in `issues` and left out of `data`. */
export function parseReferenceData(files: ReferenceDataFiles): { data: ReferenceData; issues: ReferenceDataIssue[] } {
  const issues: ReferenceDataIssue[] = [];
  const problem = (file: ReferenceFile, line: number, message: string): void => {
    issues.push({ file, line, message });
  };
  const num = (file: ReferenceFile, line: number, field: string, raw: string, opts: { optional?: boolean; positive?: boolean } = {}): number | null | undefined => {
    if (raw === '') {
      if (opts.optional) return null;
      problem(file, line, `${field} is required`);
      return undefined;
    }
    const v = Number(raw);
    if (!Number.isFinite(v) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) {
      problem(file, line, `${field} "${raw}" is not a number`);
      return undefined;
    }
    if (opts.positive && !(v > 0)) {
      problem(file, line, `${field} must be > 0, got ${raw}`);
      return undefined;
    }
    return v;
  };
  const bool = (file: ReferenceFile, line: number, raw: string): boolean | undefined => {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problem(file, line, `verified must be "true" or "false", got "${raw}"`);
    return undefined;
  };
  const required = (file: ReferenceFile, line: number, row: Row, fields: readonly string[]): boolean => {
    const empty = fields.filter((f) => row[f] === '');
    for (const f of empty) problem(file, line, `${f} is required`);
    return empty.length === 0;
  };

  // sources
  const sources: SourceRow[] = [];
  const sourceIds = new Set<string>();
  for (const { row, line } of records('sources', files.sources, issues)) {
    if (!required('sources', line, row, ['id', 'title'])) continue;
    if (sourceIds.has(row.id!)) problem('sources', line, `Duplicate source id "${row.id}"`);
    sourceIds.add(row.id!);
    if (row.doi !== '' && !DOI.test(row.doi!)) problem('sources', line, `DOI "${row.doi}" is malformed`);
    if (row.url !== '' && !/^https?:\/\//.test(row.url!)) problem('sources', line, `URL "${row.url}" must be http(s)`);
    const year = num('sources', line, 'year', row.year!, { optional: true, positive: true });
    if (year === undefined) continue;
    sources.push({
      id: row.id!, doi: row.doi || null, title: row.title!, authors: row.authors!, year, journal: row.journal!, url: row.url || null, note: row.note!,
    });
  }
  const checkSource = (file: ReferenceFile, line: number, id: string): boolean => {
    if (sourceIds.has(id)) return true;
    problem(file, line, `Unknown source_id "${id}"`);
    return false;
  };

  // non-structural components
  const nonstructural: NonstructuralComponentRow[] = [];
  for (const { row, line } of records('nonstructuralComponents', files.nonstructuralComponents, issues)) {
    const f = 'nonstructuralComponents';
    if (!required(f, line, row, ['key', 'name', 'kind', 'source_id'])) continue;
    const okSource = checkSource(f, line, row.source_id!);
    const kind = row.kind as NonstructuralKind;
    if (!(NONSTRUCTURAL_KINDS as readonly string[]).includes(kind)) problem(f, line, `Unknown kind "${row.kind}"`);
    const mm = num(f, line, 'average_molar_mass', row.average_molar_mass!, { optional: true, positive: true });
    const density = num(f, line, 'density', row.density!, { optional: true, positive: true });
    if (!okSource || mm === undefined || density === undefined || !(NONSTRUCTURAL_KINDS as readonly string[]).includes(kind)) continue;
    if (nonstructural.some((n) => n.key === row.key)) problem(f, line, `Duplicate key "${row.key}"`);
    nonstructural.push({ key: row.key!, name: row.name!, kind, averageMolarMass: mm, density, notes: row.notes!, sourceId: row.source_id! });
  }
  const nonstructuralKeys = new Map(nonstructural.map((n) => [n.key, n]));

  // component properties
  const componentProperties: ComponentPropertyRow[] = [];
  for (const { row, line } of records('componentProperties', files.componentProperties, issues)) {
    const f = 'componentProperties';
    if (!required(f, line, row, ['inchikey', 'name', 'property', 'value', 'unit', 'source_id', 'evidence'])) continue;
    let ok = checkSource(f, line, row.source_id!);
    if (!INCHIKEY.test(row.inchikey!)) {
      problem(f, line, `Malformed InChIKey "${row.inchikey}"`);
      ok = false;
    }
    const property = row.property as ComponentProperty;
    if (!(property in PROPERTY_UNITS)) {
      problem(f, line, `Unknown property "${row.property}"`);
      ok = false;
    } else if (PROPERTY_UNITS[property] !== row.unit) {
      problem(f, line, `Unit of ${property} must be "${PROPERTY_UNITS[property]}", got "${row.unit}"`);
      ok = false;
    }
    if (!['V', 'L', 'C'].includes(row.evidence!)) {
      problem(f, line, `Evidence must be V, L or C, got "${row.evidence}"`);
      ok = false;
    }
    const value = num(f, line, 'value', row.value!, { positive: true });
    if (!ok || value === undefined || value === null) continue;
    componentProperties.push({
      inchikey: row.inchikey!, name: row.name!, property, value, unit: row.unit!, conditions: row.conditions!, sourceId: row.source_id!, evidence: row.evidence as Evidence,
    });
  }
  for (const gk of componentProperties.filter((p) => p.property === 'gt_k')) {
    if (!componentProperties.some((p) => p.inchikey === gk.inchikey && p.property === 'gt_tg')) {
      problem('componentProperties', 0, `gt_k of ${gk.name} has no paired gt_tg`);
    }
  }

  // formulations
  const formulations: FormulationRow[] = [];
  for (const { row, line } of records('formulations', files.formulations, issues)) {
    const f = 'formulations';
    if (!required(f, line, row, ['key', 'name', 'source_id', 'verified'])) continue;
    let ok = checkSource(f, line, row.source_id!);
    if (row.carrier_key !== '' && nonstructuralKeys.get(row.carrier_key!)?.kind !== 'carrier') {
      problem(f, line, `carrier_key "${row.carrier_key}" is not a carrier in nonstructural-components.csv`);
      ok = false;
    }
    if (formulations.some((x) => x.key === row.key)) problem(f, line, `Duplicate formulation key "${row.key}"`);
    const verified = bool(f, line, row.verified!);
    if (!ok || verified === undefined) continue;
    formulations.push({
      key: row.key!, name: row.name!, carrierKey: row.carrier_key || null, totalAsPublished: row.total_as_published!, sourceId: row.source_id!, verified, note: row.note!,
    });
  }
  const formulationByKey = new Map(formulations.map((x) => [x.key, x]));

  // formulation components
  const formulationComponents: FormulationComponentRow[] = [];
  for (const { row, line } of records('formulationComponents', files.formulationComponents, issues)) {
    const f = 'formulationComponents';
    if (!required(f, line, row, ['formulation_key', 'component_name', 'amount', 'unit', 'role', 'source_id', 'verified'])) continue;
    let ok = checkSource(f, line, row.source_id!);
    const parent = formulationByKey.get(row.formulation_key!);
    if (!parent) {
      problem(f, line, `Unknown formulation_key "${row.formulation_key}"`);
      ok = false;
    }
    const hasInchikey = row.inchikey !== '';
    const hasNonstructural = row.nonstructural_key !== '';
    if (hasInchikey === hasNonstructural) {
      problem(f, line, 'Exactly one of inchikey and nonstructural_key must be given');
      ok = false;
    } else if (hasInchikey && !INCHIKEY.test(row.inchikey!)) {
      problem(f, line, `Malformed InChIKey "${row.inchikey}"`);
      ok = false;
    } else if (hasNonstructural && !nonstructuralKeys.has(row.nonstructural_key!)) {
      problem(f, line, `Unknown nonstructural_key "${row.nonstructural_key}"`);
      ok = false;
    }
    if (!isConcentrationUnit(row.unit!)) {
      problem(f, line, `Unknown unit "${row.unit}"`);
      ok = false;
    }
    if (!(COMPONENT_ROLES as readonly string[]).includes(row.role!)) {
      problem(f, line, `Unknown role "${row.role}"`);
      ok = false;
    }
    const amount = num(f, line, 'amount', row.amount!);
    const verified = bool(f, line, row.verified!);
    if (amount !== undefined && amount !== null && amount < 0) {
      problem(f, line, 'amount must be >= 0');
      ok = false;
    }
    if (parent && verified === true && !parent.verified) {
      problem(f, line, `Component marked verified in an unverified formulation "${parent.key}"`);
    }
    if (!ok || amount === undefined || amount === null || verified === undefined) continue;
    formulationComponents.push({
      formulationKey: row.formulation_key!,
      componentName: row.component_name!,
      inchikey: row.inchikey || null,
      nonstructuralKey: row.nonstructural_key || null,
      amount,
      unit: row.unit as ConcentrationUnit,
      role: row.role as ComponentRole,
      sourceId: row.source_id!,
      verified,
    });
  }
  for (const fm of formulations) {
    if (!formulationComponents.some((c) => c.formulationKey === fm.key)) problem('formulations', 0, `Formulation "${fm.key}" has no components`);
  }

  return { data: { sources, componentProperties, formulations, formulationComponents, nonstructuralComponents: nonstructural }, issues };
}

/** The default (first-listed) value of a property for a compound, or null if none is recorded. */
export function defaultPropertyValue(data: ReferenceData, inchikey: string, property: ComponentProperty): ComponentPropertyRow | null {
  return data.componentProperties.find((p) => p.inchikey === inchikey && p.property === property) ?? null;
}

/**
 * A formulation as a composition-solver recipe: component keys are InChIKeys or non-structural keys,
 * with the default molar mass and density where the reference data has them (and nothing invented
 * where it does not — the solver then names what is missing).
 */
export function formulationRecipe(data: ReferenceData, formulationKey: string): ComponentAmount[] {
  return data.formulationComponents
    .filter((c) => c.formulationKey === formulationKey)
    .map((c) => {
      if (c.inchikey !== null) {
        const molarMass = defaultPropertyValue(data, c.inchikey, 'molar_mass')?.value;
        const density = defaultPropertyValue(data, c.inchikey, 'density')?.value;
        return { key: c.inchikey, amount: c.amount, unit: c.unit, ...(molarMass !== undefined ? { molarMass } : {}), ...(density !== undefined ? { density } : {}) };
      }
      const ns = data.nonstructuralComponents.find((n) => n.key === c.nonstructuralKey);
      return {
        key: c.nonstructuralKey!,
        amount: c.amount,
        unit: c.unit,
        ...(ns?.averageMolarMass != null ? { molarMass: ns.averageMolarMass } : {}),
        ...(ns?.density != null ? { density: ns.density } : {}),
      };
    });
}
