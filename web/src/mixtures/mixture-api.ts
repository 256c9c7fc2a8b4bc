// The mixtures (formulations) slice of the API: types mirroring src/modules/mixtures/schemas.ts,
// requests, and react-query cache keys.
import { apiPath, csrfHeaders, getJson, postJson, problemFromResponse, type ApiResult } from '../api.ts';

export const CONCENTRATION_UNITS = [
  'mol/L',
  'mmol/L',
  'mol/kg',
  '%w/v',
  '%w/w',
  '%v/v',
  'mg/mL',
  'g/L',
  'massFraction',
  'moleFraction',
] as const;
export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];

export const COMPONENT_ROLES = ['penetrating', 'non-penetrating', 'ice_blocker', 'carrier', 'other'] as const;
export type ComponentRole = (typeof COMPONENT_ROLES)[number];

export function isConcentrationUnit(value: string): value is ConcentrationUnit {
  return (CONCENTRATION_UNITS as readonly string[]).includes(value);
}

export function isComponentRole(value: string): value is ComponentRole {
  return (COMPONENT_ROLES as readonly string[]).includes(value);
}

/** One recipe line as the API accepts it: exactly one of inchikey, moleculeId, componentId. */
export interface ComponentInput {
  inchikey?: string;
  moleculeId?: string;
  componentId?: string;
  amount: number;
  unit: ConcentrationUnit;
  role?: ComponentRole;
}

export interface EvaluateRequest {
  components: ComponentInput[];
  balance: 'water';
  solutionDensity?: number;
  /** Carrier key or free text; it counts as water, and an assumption says so. */
  carrier?: string;
}

export interface SourceRef {
  key: string;
  title: string;
  doi: string | null;
  year: number | null;
}

export interface DerivedComponent {
  key: string;
  name: string;
  inchikey: string | null;
  moleculeId: string | null;
  role: string | null;
  amount: number;
  unit: string;
  massFraction: number;
  moleFraction: number | null;
  molarity: number | null;
  molality: number | null;
}

export interface GlassTransitionParameter {
  component: string;
  name: string;
  tg: number | null;
  k: number | null;
  sourceKey: string | null;
  tgSourceKey: string | null;
}

export interface MixtureEvaluation {
  components: DerivedComponent[];
  water: { massFraction: number; moleFraction: number | null };
  volumeModel: 'measured-density' | 'ideal-volume-additivity' | 'unavailable';
  solutionDensity: number | null;
  glassTransition: {
    kelvin: number | null;
    celsius: number | null;
    method: string;
    missing: { component: string; name: string; missing: string[] }[];
    parameters: GlassTransitionParameter[];
    /** Fox and Couchman–Karasz over the same cited data; kelvin null where a parameter is missing. */
    alternatives?: { method: 'fox' | 'couchman-karasz'; kelvin: number | null; missing: { component: string; name: string; missing: string[] }[]; note: string }[];
  };
  qvStar: number | null;
  qvStarDetail: {
    convention: string;
    conventionVerified: boolean;
    description: string;
    penetrating: { component: string; molality: number | null; polarGroups: number | null }[];
    notes: string[];
  };
  osmolality: number | null;
  osmolalityKnownContribution: number;
  totalMolarity: number | null;
  totalMolality: number | null;
  assumptions: string[];
  notes: string[];
  sources: SourceRef[];
}

export interface MixtureSummary {
  id: string;
  name: string;
  description: string | null;
  projectId: string | null;
  verified: boolean;
  /** Non-structural component key or free text. */
  carrier: string | null;
  carrierName: string | null;
  componentCount: number;
  source: SourceRef | null;
}

export interface MixturePage {
  items: MixtureSummary[];
  nextCursor: string | null;
}

export interface MixtureComponent {
  /** 0-based index in the recipe, the i of components[i]. */
  position: number;
  moleculeId: string | null;
  componentId: string | null;
  name: string;
  inchikey: string | null;
  amount: number;
  unit: string;
  role: string | null;
}

export interface MixtureDetail {
  id: string;
  name: string;
  description: string | null;
  projectId: string | null;
  /** 'public': every signed-in account may read it (reference recipes always are). */
  visibility: 'project' | 'public';
  verified: boolean;
  carrier: string | null;
  carrierName: string | null;
  solutionDensity: number | null;
  source: SourceRef | null;
  createdAt: string;
  updatedAt: string;
  components: MixtureComponent[];
  derived: MixtureEvaluation | null;
  derivedError?: { detail: string; errors: { field: string; message: string }[] };
}

export interface MixtureInput {
  name: string;
  description?: string | null;
  projectId?: string;
  carrier?: string | null;
  solutionDensity?: number | null;
  components: ComponentInput[];
}

/** A non-structural component (polymer, ice blocker, carrier) that has no structure to register. */
export interface NonstructuralComponent {
  key: string;
  name: string;
  kind: string;
  averageMolarMass: number | null;
  density: number | null;
  grade: string | null;
  notes: string | null;
  projectId: string | null;
  source: SourceRef | null;
}

export interface TgCurve {
  component: string;
  name: string;
  method: string;
  parameters: { tg: number; k: number; water: { tg: number } };
  points: { massFraction: number; kelvin: number }[];
  sources: SourceRef[];
}

/** A seeded recipe from the literature (public and cited), as opposed to one somebody built here. */
export function isReferenceRecipe(m: Pick<MixtureSummary, 'projectId' | 'source'>): boolean {
  return m.projectId === null && m.source !== null;
}

export type MixtureScope = 'all' | 'reference' | 'mine';
export const PAGE_SIZE = 50;

export const mixtureKeys = {
  all: ['mixtures'] as const,
  list: (q: string, scope: MixtureScope, cursor: string | null) => ['mixtures', 'list', { q, scope, cursor }] as const,
  detail: (id: string) => ['mixtures', 'detail', id] as const,
  evaluate: (body: EvaluateRequest) => ['mixtures', 'evaluate', body] as const,
  compare: (ids: readonly string[]) => ['mixtures', 'compare', ids] as const,
  tgCurve: (id: string, component: string) => ['mixtures', 'tg-curve', id, component] as const,
  components: (q: string) => ['components', 'list', q] as const,
};

export function listMixtures(q: string, scope: MixtureScope, cursor: string | null, signal?: AbortSignal): Promise<MixturePage> {
  return getJson<MixturePage>(apiPath('/mixtures', { limit: PAGE_SIZE, cursor, q: q.trim(), scope }), signal);
}

export function getMixture(id: string, signal?: AbortSignal): Promise<MixtureDetail> {
  return getJson<MixtureDetail>(apiPath(`/mixtures/${encodeURIComponent(id)}`), signal);
}

export async function evaluateMixture(body: EvaluateRequest, signal?: AbortSignal): Promise<MixtureEvaluation> {
  // postJson has no abort signal; the builder cancels superseded evaluations, so this uses fetch directly.
  const response = await fetch(apiPath('/mixtures:evaluate'), {
    method: 'POST',
    headers: { accept: 'application/json, application/problem+json', 'content-type': 'application/json', ...csrfHeaders('POST') },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as MixtureEvaluation; // the server's schema is the contract
}

export async function createMixture(input: MixtureInput): Promise<MixtureDetail> {
  return (await postJson<MixtureDetail>(apiPath('/mixtures'), input)).data;
}

export async function updateMixture(id: string, input: MixtureInput): Promise<MixtureDetail> {
  const response = await fetch(apiPath(`/mixtures/${encodeURIComponent(id)}`), {
    method: 'PUT',
    headers: { accept: 'application/json, application/problem+json', 'content-type': 'application/json', ...csrfHeaders('PUT') },
    body: JSON.stringify(input),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as MixtureDetail;
}

export async function deleteMixture(id: string): Promise<void> {
  const response = await fetch(apiPath(`/mixtures/${encodeURIComponent(id)}`), { method: 'DELETE', credentials: 'same-origin', headers: csrfHeaders('DELETE') });
  if (!response.ok) throw await problemFromResponse(response);
}

export async function compareMixtures(ids: readonly string[]): Promise<MixtureDetail[]> {
  const result: ApiResult<{ items: MixtureDetail[] }> = await postJson(apiPath('/mixtures:compare'), { ids });
  return result.data.items;
}

export function getTgCurve(id: string, component: string, signal?: AbortSignal): Promise<TgCurve> {
  return getJson<TgCurve>(apiPath(`/mixtures/${encodeURIComponent(id)}/tg-curve`, { component, points: 61 }), signal);
}

export function exportUrl(id: string, format: 'json' | 'csv'): string {
  return apiPath(`/mixtures/${encodeURIComponent(id)}/export`, { format });
}

export async function listComponents(q: string, signal?: AbortSignal): Promise<NonstructuralComponent[]> {
  const page = await getJson<{ items: NonstructuralComponent[] }>(apiPath('/components', { q: q.trim() }), signal);
  return page.items;
}

/** A project you belong to, as GET /projects lists it. */
export interface ProjectSummary {
  id: string;
  name: string;
  myRole: 'owner' | 'editor' | 'reviewer' | 'viewer';
}

export const projectKeys = { list: ['projects', 'list'] as const };

export async function listProjects(signal?: AbortSignal): Promise<ProjectSummary[]> {
  return (await getJson<{ items: ProjectSummary[] }>(apiPath('/projects'), signal)).items;
}
