// The models slice of the API: types mirroring src/modules/models/schemas.ts, requests, and react-query
// cache keys. A version's `evaluation` stays `unknown`-typed here; evaluation.ts reads it defensively.
import { apiPath, getJson, postJson } from '../api.ts';

export const TASKS = ['regression', 'classification'] as const;
export type Task = (typeof TASKS)[number];

/**
 * Mirrors ALGORITHMS in src/modules/models/service.ts, with the words a person reads. `kinetic` is the
 * multi-CPA toxicity model: it learns viability from exposure rows (molalities and minutes), not from structures.
 */
export const ALGORITHMS = [
  { value: 'rf', label: 'Random forest', classifier: true },
  { value: 'gbt', label: 'Gradient-boosted trees', classifier: true },
  { value: 'gp', label: 'Gaussian process', classifier: false },
  { value: 'ridge', label: 'Ridge regression (logistic ridge for classification)', classifier: true },
  { value: 'knn', label: 'k nearest neighbours on Tanimoto similarity', classifier: true },
  { value: 'kinetic', label: 'Kinetic toxicity model (exposure data, no structures)', classifier: false },
] as const;

export const SURVIVAL_UNITS = ['auto', 'fraction', 'percent'] as const;
export type SurvivalUnit = (typeof SURVIVAL_UNITS)[number];
export type Algorithm = (typeof ALGORITHMS)[number]['value'];

export function algorithmLabel(value: string): string {
  return ALGORITHMS.find((a) => a.value === value)?.label ?? value;
}

export type ModelStatus = 'candidate' | 'active' | 'retired';

export interface ModelVersionSummary {
  id: string;
  projectId: string | null;
  target: string;
  versionNumber: number;
  task: Task;
  algorithm: string;
  status: ModelStatus;
  visibility: 'project' | 'public';
  trainingRows: number;
  trainingDataHash: string;
  codeVersion: string;
  seed: number;
  createdBy: string;
  createdAt: string;
  activatedAt: string | null;
  metrics: Record<string, unknown>;
  baselines: Record<string, unknown>;
}

export interface ModelVersion extends ModelVersionSummary {
  hyperparameters: Record<string, unknown>;
  featureNames: string[];
  trainingSource: Record<string, unknown>;
  notes: string | null;
  evaluation: Record<string, unknown>;
}

export interface TrainRequest {
  projectId?: string | null;
  target?: string;
  content: string;
  fileName?: string;
  smilesColumn?: string;
  targetColumn: string;
  /** Kinetic toxicity model: molality columns (mol/kg water), one per CPA, and the exposure-time column. */
  cpaColumns?: string[];
  timeColumn?: string;
  survivalUnit?: SurvivalUnit;
  task?: Task;
  algorithm?: Algorithm;
  seed?: number;
  level?: number;
  activeBelow?: number;
  notes?: string;
  activate?: boolean;
}

export interface RowIssue {
  index: number;
  line: number;
  error: string;
}

/** The result of a finished models.train job (src/modules/models/train-job.ts). */
export interface TrainJobResult {
  versionId: string;
  target: string;
  versionNumber: number;
  used: number;
  skipped: RowIssue[];
  metrics: Record<string, unknown>;
}

export interface Job {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: { done: number; total: number | null };
  result: unknown;
  error: string | null;
  projectId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function isTrainJobResult(value: unknown): value is TrainJobResult {
  return typeof value === 'object' && value !== null && typeof (value as { versionId?: unknown }).versionId === 'string'
    && Array.isArray((value as { skipped?: unknown }).skipped);
}

export interface VersionRef {
  id: string;
  target: string;
  versionNumber: number;
  algorithm: string;
  task: string;
}

export interface PredictedItem {
  index: number;
  input: string;
  canonicalSmiles: string | null;
  inchikey: string | null;
  moleculeId: string | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
  probability: number | null;
  inDomain: boolean | null;
  domainScore: number | null;
  predictionId: string | null;
  error: string | null;
}

export interface PredictResponse {
  version: VersionRef;
  level: number;
  items: PredictedItem[];
}

export interface VersionComparison {
  a: ModelVersionSummary;
  b: ModelVersionSummary;
  /** "stored": same data, split and seed; "retrained": a's configuration cross-validated again on b's data. */
  basis: 'stored' | 'retrained';
  trainingDataHash: string;
  evaluationA: Record<string, unknown>;
  evaluationB: Record<string, unknown>;
}

export interface MixturePrediction {
  target: string;
  unit: string;
  available: boolean;
  value: number | null;
  lower: number | null;
  upper: number | null;
  level: number;
  method: string | null;
  physics: number | null;
  residual: { applied: boolean; offset: number; n: number; halfWidth: number | null } | null;
  components: unknown[];
  modelVersions: { id: string; target: string; versionNumber: number }[];
  notes: string[];
  reason: string | null;
  predictionId: string | null;
}

export interface MixturePredictionsResponse {
  mixtureId: string;
  predictions: MixturePrediction[];
}

export interface LedgerItem {
  id: string;
  modelVersionId: string | null;
  method: string;
  versionNumber: number | null;
  target: string;
  subjectKind: 'structure' | 'molecule' | 'mixture';
  moleculeId: string | null;
  mixtureId: string | null;
  inputs: Record<string, unknown>;
  value: number;
  lower: number | null;
  upper: number | null;
  level: number | null;
  inDomain: boolean;
  domainScore: number | null;
  createdBy: string;
  createdAt: string;
}

export const modelKeys = {
  all: ['models'] as const,
  versions: ['models', 'versions'] as const,
  version: (id: string) => ['models', 'version', id] as const,
  compare: (a: string, b: string) => ['models', 'compare', a, b] as const,
  job: (id: string) => ['models', 'job', id] as const,
  mixtureLedger: (mixtureId: string) => ['models', 'ledger', 'mixture', mixtureId] as const,
};

export async function listVersions(signal?: AbortSignal): Promise<ModelVersionSummary[]> {
  return (await getJson<{ items: ModelVersionSummary[] }>(apiPath('/model-versions', { limit: 500 }), signal)).items;
}

export function getVersion(id: string, signal?: AbortSignal): Promise<ModelVersion> {
  return getJson<ModelVersion>(apiPath(`/model-versions/${encodeURIComponent(id)}`), signal);
}

export async function startTraining(request: TrainRequest): Promise<Job> {
  return (await postJson<Job>(apiPath('/model-versions'), request)).data;
}

export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return getJson<Job>(apiPath(`/jobs/${encodeURIComponent(id)}`), signal);
}

export async function changeStatus(id: string, action: 'activate' | 'retire'): Promise<ModelVersion> {
  return (await postJson<ModelVersion>(apiPath(`/model-versions/${encodeURIComponent(id)}/${action}`), {})).data;
}

export function compareVersions(a: string, b: string, signal?: AbortSignal): Promise<VersionComparison> {
  return getJson<VersionComparison>(apiPath('/model-versions/compare', { a, b }), signal);
}

/** One exposure for a kinetic toxicity model: molality (mol/kg water) per CPA key of the model, for `minutes`. */
export interface Exposure {
  composition: Record<string, number>;
  minutes: number;
}

export type PredictInput = { smiles: string[]; level: number } | { exposures: Exposure[]; level: number };

export async function predict(id: string, input: PredictInput): Promise<PredictResponse> {
  return (await postJson<PredictResponse>(apiPath(`/model-versions/${encodeURIComponent(id)}/predict`), input)).data;
}

export async function predictMixture(mixtureId: string, level: number, exposureMinutes?: number): Promise<MixturePredictionsResponse> {
  const body = { level, ...(exposureMinutes !== undefined ? { exposureMinutes } : {}) };
  return (await postJson<MixturePredictionsResponse>(apiPath(`/mixtures/${encodeURIComponent(mixtureId)}/predictions`), body)).data;
}

/** The CPA keys a kinetic version was fitted on: its features are the CPA columns, then the time column. */
export function kineticCpas(version: Pick<ModelVersion, 'algorithm' | 'featureNames'>): string[] {
  return version.algorithm === 'kinetic' ? version.featureNames.slice(0, -1) : [];
}

export async function mixtureLedger(mixtureId: string, signal?: AbortSignal): Promise<LedgerItem[]> {
  return (await getJson<{ items: LedgerItem[] }>(apiPath('/predictions', { mixtureId, limit: 50 }), signal)).items;
}

export function versionLabel(v: { target: string; versionNumber: number }): string {
  return `${v.target} v${v.versionNumber}`;
}
