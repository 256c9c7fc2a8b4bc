// The molecules slice of the API: types, requests and react-query cache keys.
import { apiPath, getJson, postJson } from '../api.ts';

export interface Molecule {
  id: string;
  name: string | null;
  canonicalSmiles: string;
  inchi: string;
  inchikey: string;
  formula: string;
  molecularWeight: number;
  exactMass: number;
  projectId: string | null;
  createdAt: string;
  synonyms?: string[];
  /** The reference the structure was taken from; null for user-added molecules. */
  source?: MoleculeSource | null;
  /** Present on single-molecule answers only. */
  descriptors?: Record<string, number>;
  standardization?: Standardization;
}

export interface MoleculeSource {
  key: string;
  title: string;
  doi: string | null;
  year: number | null;
}

/** What the server did to the submitted SMILES before storing it. */
export interface Standardization {
  input: string;
  changed: boolean;
  steps: string[];
  strippedFragments: string[];
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

export const moleculeKeys = {
  all: ['molecules'] as const,
  list: (q: string, cursor: string | null) => ['molecules', 'list', { q, cursor }] as const,
  detail: (id: string) => ['molecules', 'detail', id] as const,
};

export function listMolecules(q: string, cursor: string | null, signal?: AbortSignal): Promise<MoleculePage> {
  return getJson<MoleculePage>(apiPath('/molecules', { limit: PAGE_SIZE, cursor, q: q.trim() }), signal);
}

export function getMolecule(id: string, signal?: AbortSignal): Promise<Molecule> {
  return getJson<Molecule>(apiPath(`/molecules/${encodeURIComponent(id)}`), signal);
}

export async function addMolecule(input: NewMolecule): Promise<AddedMolecule> {
  const result = await postJson<Molecule>(apiPath('/molecules'), input);
  return { molecule: result.data, created: result.status === 201 };
}

export interface DepictionSize {
  width: number;
  height: number;
}

/** Table thumbnails; the SVG is laid out a little larger than shown so labels stay legible. */
export const THUMBNAIL: DepictionSize = { width: 180, height: 120 };
export const LARGE_DEPICTION: DepictionSize = { width: 450, height: 300 };

export function depictionUrl(id: string, size: DepictionSize = LARGE_DEPICTION): string {
  return apiPath(`/molecules/${encodeURIComponent(id)}/depiction.svg`, { width: size.width, height: size.height });
}

/** What to call a molecule on screen: its name, or its SMILES when it has none. */
export function displayName(molecule: Pick<Molecule, 'name' | 'canonicalSmiles'>): string {
  return molecule.name && molecule.name.trim().length > 0 ? molecule.name : molecule.canonicalSmiles;
}

export function formatMass(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '—';
}
