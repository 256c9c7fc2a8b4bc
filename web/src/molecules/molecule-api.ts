// The molecules slice of the API: types, requests and react-query cache keys.
import { apiPath, getJson, postJson, problemFromResponse } from '../api.ts';

export interface MoleculeSource {
  key: string;
  title: string;
  doi: string | null;
  year: number | null;
}

/** What the server did to the submitted structure before storing it. */
export interface Standardization {
  input: string;
  changed: boolean;
  steps: string[];
  strippedFragments: string[];
}

export interface MoleculeIdentifiers {
  pubchemCid: number | null;
  chemblId: string | null;
  cas: string | null;
}

export interface Molecule {
  id: string;
  name: string | null;
  canonicalSmiles: string;
  inchi: string;
  inchikey: string;
  formula: string;
  molecularWeight: number;
  exactMass: number;
  clogp?: number | null;
  tpsa?: number | null;
  hbd?: number | null;
  hba?: number | null;
  rotatableBonds?: number | null;
  heavyAtoms?: number | null;
  polarGroupTotal?: number | null;
  identifiers?: MoleculeIdentifiers;
  links?: { label: string; url: string }[];
  projectId: string | null;
  /** Project molecules: visible to members only, or to every signed-in account ("public"); reference data is public. */
  visibility: 'project' | 'public';
  createdAt: string;
  synonyms?: string[];
  /** The reference the structure was taken from; null for user-added molecules. */
  source?: MoleculeSource | null;
  /** Present on single-molecule answers only. */
  descriptors?: Record<string, number>;
  standardization?: Standardization;
}

export interface MoleculePage {
  items: Molecule[];
  nextCursor: string | null;
}

export interface NewMolecule {
  smiles: string;
  name?: string;
}

export interface AddedMolecule {
  molecule: Molecule;
  /** False when the server already held this structure (200) rather than creating it (201). */
  created: boolean;
}

export const PAGE_SIZE = 50;

export const SORT_FIELDS = ['name', 'molecularWeight', 'clogp', 'tpsa'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';

/** The list's descriptor range filters, as the API names them (min<Key>/max<Key>). */
export const RANGE_FILTERS = [
  { key: 'Mw', label: 'Molecular weight', unit: 'g/mol', integer: false },
  { key: 'Clogp', label: 'cLogP (Crippen)', unit: null, integer: false },
  { key: 'Tpsa', label: 'TPSA', unit: 'Å²', integer: false },
  { key: 'Hbd', label: 'H-bond donors', unit: null, integer: true },
  { key: 'Hba', label: 'H-bond acceptors', unit: null, integer: true },
  { key: 'PolarGroups', label: 'Polar groups (OH + amide + sulfoxide)', unit: null, integer: true },
] as const;
export type RangeKey = (typeof RANGE_FILTERS)[number]['key'];
export type RangeParam = `min${RangeKey}` | `max${RangeKey}`;
export const RANGE_PARAMS: readonly RangeParam[] = RANGE_FILTERS.flatMap((f) => [`min${f.key}`, `max${f.key}`] as const);

/** Which molecules a list shows; every value is the text the API receives (empty = not set). */
export interface MoleculeSelection {
  q: string;
  ranges: Partial<Record<RangeParam, string>>;
  /** '' all visible, 'true' public reference data only, 'false' project molecules only. */
  public: '' | 'true' | 'false';
  sort: SortField;
  order: SortOrder;
}

export function selectionQuery(s: MoleculeSelection): Record<string, string> {
  const out: Record<string, string> = {};
  if (s.q) out.q = s.q;
  for (const [key, value] of Object.entries(s.ranges)) if (value) out[key] = value;
  if (s.public) out.public = s.public;
  out.sort = s.sort;
  out.order = s.order;
  return out;
}

/** A plain text search (e.g. a picker) is a selection with only `q`. */
function asSelection(selection: MoleculeSelection | string): MoleculeSelection {
  return typeof selection === 'string' ? { q: selection.trim(), ranges: {}, public: '', sort: 'name', order: 'asc' } : selection;
}

export const moleculeKeys = {
  all: ['molecules'] as const,
  list: (selection: MoleculeSelection | string, cursor: string | null) => ['molecules', 'list', selectionQuery(asSelection(selection)), cursor] as const,
  detail: (id: string) => ['molecules', 'detail', id] as const,
  properties: (id: string) => ['molecules', 'properties', id] as const,
  similar: (id: string) => ['molecules', 'similar', id] as const,
  search: (request: StructureSearchRequest) => ['molecules', 'search', request] as const,
  job: (id: string) => ['jobs', id] as const,
};

export function listMolecules(selection: MoleculeSelection | string, cursor: string | null, signal?: AbortSignal): Promise<MoleculePage> {
  return getJson<MoleculePage>(apiPath('/molecules', { limit: PAGE_SIZE, cursor, ...selectionQuery(asSelection(selection)) }), signal);
}

export function getMolecule(id: string, signal?: AbortSignal): Promise<Molecule> {
  return getJson<Molecule>(apiPath(`/molecules/${encodeURIComponent(id)}`), signal);
}

export async function addMolecule(input: NewMolecule): Promise<AddedMolecule> {
  const result = await postJson<Molecule>(apiPath('/molecules'), input);
  return { molecule: result.data, created: result.status === 201 };
}

export const EXPORT_FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'sdf', label: 'SDF' },
  { format: 'json', label: 'JSON' },
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number]['format'];

/** Every molecule of the selection (not just the page shown), as a download. */
export function exportUrl(format: ExportFormat, selection: MoleculeSelection): string {
  return apiPath('/molecules/export', { format, ...selectionQuery(selection) });
}

// Cited property values from the science reference data.
export interface MeasuredProperty {
  property: string;
  value: number;
  unit: string;
  conditions: string;
  evidence: 'V' | 'L' | 'C';
  usedInCalculations: boolean;
  source: { id: string; title: string; authors: string; year: number | null; journal: string; doi: string | null; url: string | null };
}

export async function getMeasuredProperties(id: string, signal?: AbortSignal): Promise<MeasuredProperty[]> {
  return (await getJson<{ items: MeasuredProperty[] }>(apiPath(`/molecules/${encodeURIComponent(id)}/properties`), signal)).items;
}

// Structure search.
export interface SearchHit {
  id: string;
  inchikey: string;
  name: string | null;
  canonicalSmiles: string;
  molecularWeight: number;
  projectId: string | null;
  similarity?: number;
}

export interface SearchResult {
  items: SearchHit[];
  /** Every match visible to the caller; items may be fewer. */
  total: number;
}

export type StructureSearchRequest =
  | { mode: 'similarity'; smiles: string; threshold: number; limit: number }
  | { mode: 'substructure'; query: string; limit: number };

/** Runs a search. The endpoints are POSTs because a query may be long; they change nothing. */
export async function searchStructures(request: StructureSearchRequest): Promise<SearchResult> {
  if (request.mode === 'similarity') {
    const { smiles, threshold, limit } = request;
    return (await postJson<SearchResult>(apiPath('/molecules/search/similarity'), { smiles, threshold, limit })).data;
  }
  const { query, limit } = request;
  return (await postJson<SearchResult>(apiPath('/molecules/search/substructure'), { query, limit })).data;
}

/** The k molecules most similar to a stored one, without itself. */
export async function similarMolecules(molecule: Pick<Molecule, 'id' | 'canonicalSmiles'>, k: number): Promise<SearchHit[]> {
  const result = await postJson<SearchResult>(apiPath('/molecules/search/similarity'), { smiles: molecule.canonicalSmiles, k: k + 1 });
  return result.data.items.filter((hit) => hit.id !== molecule.id).slice(0, k);
}

// Depictions.
export interface DepictionSize {
  width: number;
  height: number;
}

/** Table thumbnails; the SVG is laid out a little larger than shown so labels stay legible. */
export const THUMBNAIL: DepictionSize = { width: 180, height: 120 };
export const LARGE_DEPICTION: DepictionSize = { width: 450, height: 300 };
export const SMALL_DEPICTION: DepictionSize = { width: 300, height: 200 };

export function depictionUrl(id: string, size: DepictionSize = LARGE_DEPICTION, highlight?: string): string {
  return apiPath(`/molecules/${encodeURIComponent(id)}/depiction.svg`, { width: size.width, height: size.height, highlight });
}

/**
 * A drawing of any SMILES as typed, as a data: URL for an <img> (so the SVG cannot run script). Fetched rather
 * than put in <img src> directly because an invalid structure answers a problem whose detail the page shows.
 */
export async function depictSmiles(smiles: string, size: DepictionSize, signal?: AbortSignal): Promise<string> {
  const response = await fetch(apiPath('/depict', { smiles, width: size.width, height: size.height }), {
    headers: { accept: 'image/svg+xml, application/problem+json' },
    credentials: 'same-origin',
    signal,
  });
  if (!response.ok) throw await problemFromResponse(response);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await response.text())}`;
}

// Imports (jobs).
export type RowStatus = 'registered' | 'duplicate' | 'invalid';

export interface ImportRowResult {
  index: number;
  status: RowStatus;
  id?: string;
  inchikey?: string;
  error?: string;
  line?: number;
}

export interface ImportResult {
  format: 'csv' | 'sdf';
  counts: Record<RowStatus, number>;
  rows: ImportRowResult[];
}

export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: { done: number; total: number | null };
  /** For imports, an ImportResult once the job has succeeded. */
  result: unknown;
  error: string | null;
  projectId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ImportRequest {
  format: 'csv' | 'sdf';
  content: string;
  smilesColumn?: string;
  nameColumn?: string;
  projectId?: string | null;
}

/** The largest file text the import endpoint takes (ImportBody.content in the server schema). */
export const MAX_IMPORT_CHARS = 11_000_000;

export async function startImport(request: ImportRequest): Promise<Job> {
  return (await postJson<Job>(apiPath('/molecules/imports'), request)).data;
}

export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return getJson<Job>(apiPath(`/jobs/${encodeURIComponent(id)}`), signal);
}

export function isImportResult(value: unknown): value is ImportResult {
  return typeof value === 'object' && value !== null && Array.isArray((value as { rows?: unknown }).rows)
    && typeof (value as { counts?: unknown }).counts === 'object';
}

/** What to call a molecule on screen: its name, or its SMILES when it has none. */
export function displayName(molecule: Pick<Molecule, 'name' | 'canonicalSmiles'>): string {
  return molecule.name && molecule.name.trim().length > 0 ? molecule.name : molecule.canonicalSmiles;
}

export function formatMass(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '—';
}

/** A descriptor for a table cell: fixed decimals, or a dash when the molecule has none. */
export function formatOptional(value: number | null | undefined, decimals: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(decimals);
}
