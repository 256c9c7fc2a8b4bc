// The experiments slice of the API: types mirroring src/modules/experiments/schemas.ts, requests,
// react-query cache keys, and the client's copy of the workflow edges (for showing buttons only;
// the server decides every transition and its 403/409 text is shown when it refuses).
import { apiPath, csrfHeaders, getJson, postJson, problemFromResponse } from '../api.ts';

export const STATES = ['draft', 'submitted', 'in_review', 'verified', 'changes_requested', 'rejected'] as const;
export type ExperimentState = (typeof STATES)[number];

export const STATE_LABELS: Record<ExperimentState, string> = {
  draft: 'draft',
  submitted: 'submitted',
  in_review: 'in review',
  verified: 'verified',
  changes_requested: 'changes requested',
  rejected: 'rejected',
};

export function isState(value: string): value is ExperimentState {
  return (STATES as readonly string[]).includes(value);
}

export const SAMPLE_KINDS = ['cell', 'tissue', 'organ', 'organism', 'solution', 'other'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export interface ProtocolStep {
  amount?: number;
  unit?: string;
  fractionOfFinal?: number;
  durationMin: number;
  temperatureC: number;
}

export interface Protocol {
  loading: ProtocolStep[];
  removal: ProtocolStep[];
  coolingRateKPerMin?: number;
  warmingRateKPerMin?: number;
  storageTemperatureC?: number;
  storageDurationDays?: number;
}

export interface ResultInput {
  measurement: string;
  unit: string;
  replicates?: number[];
  mean?: number;
  sd?: number;
  n?: number;
  method?: string;
  dscConvention?: string;
  heatingRateKPerMin?: number;
}

export interface ExperimentInput {
  projectId: string;
  mixtureId: string;
  title: string;
  sample: { name: string; kind: SampleKind; species?: string } | { sampleTypeId: string };
  protocol: Protocol;
  performedOn?: string;
  operator?: string;
  equipment?: string;
  notes?: string;
  results: ResultInput[];
}

export interface StoredResult {
  measurement: string;
  unit: string;
  replicates: number[];
  mean: number;
  sd: number | null;
  n: number;
  method: string | null;
  dscConvention: string | null;
  heatingRateKPerMin: number | null;
}

export interface Experiment {
  id: string;
  projectId: string;
  /** 'public': every signed-in account may read it. */
  visibility: 'project' | 'public';
  mixtureId: string;
  mixtureName: string;
  sampleType: { id: string; name: string; kind: string; species: string | null };
  title: string;
  /** Stored as sent; the schema above is what the server accepted. */
  protocol: Partial<Protocol> | null;
  performedOn: string | null;
  operator: string | null;
  equipment: string | null;
  notes: string | null;
  state: string;
  revision: number;
  previousRevisionId: string | null;
  createdBy: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  results: StoredResult[];
}

export interface ExperimentEvent {
  id: string;
  from: string;
  to: string;
  actorId: string | null;
  actorEmail: string | null;
  at: string;
  comment: string | null;
}

export interface ComparisonRow {
  measurement: string;
  measured: { mean: number; sd: number | null; n: number; unit: string };
  predicted: { value: number; unit: string; method: string; source: string } | null;
  difference: number | null;
  zScore: number | null;
  note: string;
}

export interface SampleType {
  id: string;
  name: string;
  kind: string;
  species: string | null;
  projectId: string | null;
}

export const experimentKeys = {
  all: ['experiments'] as const,
  list: (filter: { projectId?: string; state?: string; mine?: boolean }) => ['experiments', 'list', filter] as const,
  queue: ['experiments', 'review-queue'] as const,
  detail: (id: string) => ['experiments', 'detail', id] as const,
  events: (id: string) => ['experiments', 'events', id] as const,
  comparison: (id: string) => ['experiments', 'comparison', id] as const,
  sampleTypes: ['sample-types'] as const,
  attachments: (id: string) => ['experiments', 'attachments', id] as const,
  stats: (projectId: string) => ['experiments', 'stats', projectId] as const,
};

const path = (id: string, rest = '') => apiPath(`/experiments/${encodeURIComponent(id)}${rest}`);

export async function listExperiments(filter: { projectId?: string; state?: string; mine?: boolean }, signal?: AbortSignal): Promise<Experiment[]> {
  const query = { projectId: filter.projectId, state: filter.state, mine: filter.mine ? 'true' : undefined };
  return (await getJson<{ items: Experiment[] }>(apiPath('/experiments', query), signal)).items;
}

export async function reviewQueue(signal?: AbortSignal): Promise<Experiment[]> {
  return (await getJson<{ items: Experiment[] }>(apiPath('/experiments/review-queue'), signal)).items;
}

export function getExperiment(id: string, signal?: AbortSignal): Promise<Experiment> {
  return getJson<Experiment>(path(id), signal);
}

export async function getEvents(id: string, signal?: AbortSignal): Promise<ExperimentEvent[]> {
  return (await getJson<{ items: ExperimentEvent[] }>(path(id, '/events'), signal)).items;
}

export async function getComparison(id: string, signal?: AbortSignal): Promise<ComparisonRow[]> {
  return (await getJson<{ items: ComparisonRow[] }>(path(id, '/comparison'), signal)).items;
}

export async function createExperiment(input: ExperimentInput): Promise<Experiment> {
  return (await postJson<Experiment>(apiPath('/experiments'), input)).data;
}

/** `revised`: the experiment was verified, so the server opened a new revision (201) instead of editing it. */
export async function updateExperiment(id: string, input: ExperimentInput): Promise<{ experiment: Experiment; revised: boolean }> {
  // api.ts has no PUT helper; this carries the same headers it would (CSRF included).
  const response = await fetch(path(id), {
    method: 'PUT',
    headers: { accept: 'application/json, application/problem+json', 'content-type': 'application/json', ...csrfHeaders('PUT') },
    body: JSON.stringify(input),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemFromResponse(response);
  return { experiment: (await response.json()) as Experiment, revised: response.status === 201 };
}

export async function transition(id: string, to: ExperimentState, comment: string): Promise<Experiment> {
  const text = comment.trim();
  return (await postJson<Experiment>(path(id, '/transitions'), text ? { to, comment: text } : { to })).data;
}

export function exportUrl(format: 'csv' | 'json', filter: { projectId?: string; state?: string } = {}): string {
  return apiPath('/experiments/export', { format, projectId: filter.projectId, state: filter.state });
}

export type ProjectRole = 'owner' | 'editor' | 'reviewer' | 'viewer';

export interface TransitionChoice {
  to: ExperimentState;
  label: string;
}

/**
 * The transitions worth offering `role` (the current user's project role) on an experiment, mirroring
 * src/modules/experiments/verification.ts: authors, editors and owners submit; reviewers who are not the
 * author review. Offering is a courtesy; the server re-checks and answers 403/409 otherwise.
 */
export function offeredTransitions(state: string, role: ProjectRole | null, isAuthor: boolean): TransitionChoice[] {
  const mayAuthor = isAuthor || role === 'owner' || role === 'editor';
  const mayReview = role === 'reviewer' && !isAuthor;
  switch (state) {
    case 'draft':
      return mayAuthor ? [{ to: 'submitted', label: 'Submit for review' }] : [];
    case 'changes_requested':
      return mayAuthor ? [{ to: 'submitted', label: 'Re-submit for review' }] : [];
    case 'submitted':
      return mayReview ? [{ to: 'in_review', label: 'Start review' }] : [];
    case 'in_review':
      return mayReview
        ? [
            { to: 'verified', label: 'Verify' },
            { to: 'changes_requested', label: 'Request changes' },
            { to: 'rejected', label: 'Reject' },
          ]
        : [];
    default:
      return [];
  }
}

/** Edits are possible before submission and after changes were requested; a verified experiment gets a new revision. */
export function editMode(state: string): 'edit' | 'revise' | null {
  if (state === 'draft' || state === 'changes_requested') return 'edit';
  if (state === 'verified') return 'revise';
  return null;
}

/** Sample types you can pick: public ones and those of your projects. */
export async function listSampleTypes(signal?: AbortSignal): Promise<SampleType[]> {
  return (await getJson<{ items: SampleType[] }>(apiPath('/sample-types'), signal)).items;
}

export interface ImportReport {
  added: number;
  invalid: number;
  rows: { line: number; status: string; errors?: { field: string; message: string }[] }[];
}

/** Sends a results CSV as text/csv; good rows are appended, bad ones come back with their line and field. */
export async function importResults(id: string, csv: string): Promise<ImportReport> {
  const response = await fetch(path(id, '/results:import'), {
    method: 'POST',
    headers: { accept: 'application/json, application/problem+json', 'content-type': 'text/csv', ...csrfHeaders('POST') },
    body: csv,
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as ImportReport;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

/** Content types the server stores as such; anything else is kept as application/octet-stream. */
const ATTACHMENT_TYPES = ['text/csv', 'text/plain', 'application/json', 'application/pdf', 'image/png', 'image/jpeg', 'image/tiff'];

export async function listAttachments(id: string, signal?: AbortSignal): Promise<Attachment[]> {
  return (await getJson<{ items: Attachment[] }>(path(id, '/attachments'), signal)).items;
}

export async function uploadAttachment(id: string, file: File): Promise<Attachment> {
  const contentType = ATTACHMENT_TYPES.includes(file.type) ? file.type : 'application/octet-stream';
  const url = `${path(id, '/attachments')}?${new URLSearchParams({ filename: file.name, contentType }).toString()}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/json, application/problem+json', 'content-type': 'application/octet-stream', ...csrfHeaders('POST') },
    body: file,
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as Attachment;
}

export function attachmentUrl(id: string, attachmentId: string): string {
  return path(id, `/attachments/${encodeURIComponent(attachmentId)}`);
}

export interface ExperimentStats {
  projectId: string;
  counts: Record<string, number>;
  verificationRate: number | null;
  byEquipment: { equipment: string; total: number; verified: number }[];
  byReviewer: { reviewer: string; verified: number; rejected: number; changesRequested: number }[];
  tgPredictionError: {
    method: string;
    points: { experimentId: string; verifiedAt: string; measured: number; predicted: number; error: number }[];
    meanAbsoluteError: number | null;
  };
}

export function getProjectStats(projectId: string, signal?: AbortSignal): Promise<ExperimentStats> {
  return getJson<ExperimentStats>(apiPath(`/projects/${encodeURIComponent(projectId)}/experiment-stats`), signal);
}
