import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/db.ts';

export type ModelStatus = 'candidate' | 'active' | 'retired';

export interface ModelVersionRow {
  id: string;
  project_id: string | null;
  target: string;
  version_number: number;
  task: 'regression' | 'classification';
  algorithm: string;
  hyperparameters: Record<string, unknown>;
  feature_names: string[];
  seed: string;
  training_data_hash: string;
  training_rows: number;
  training_source: Record<string, unknown>;
  code_version: string;
  evaluation: Record<string, unknown>;
  notes: string | null;
  status: ModelStatus;
  visibility: 'project' | 'public';
  created_by: string;
  created_at: Date;
  activated_at: Date | null;
}

/** Columns for listing and showing a version; the artifact and training rows are fetched only when needed. */
const VERSION_COLUMNS = `id, project_id, target, version_number, task, algorithm, hyperparameters, feature_names, seed::text as seed,
  training_data_hash, training_rows, training_source, code_version, evaluation, notes, status, visibility, created_by,
  created_at, activated_at`;

export interface NewModelVersion {
  projectId: string | null;
  target: string;
  task: 'regression' | 'classification';
  algorithm: string;
  hyperparameters: Record<string, unknown>;
  featureNames: string[];
  seed: number;
  trainingDataHash: string;
  trainingRows: number;
  trainingSource: Record<string, unknown>;
  trainingData: unknown[];
  codeVersion: string;
  evaluation: unknown;
  artifact: unknown;
  notes: string | null;
  createdBy: string;
}

export async function insertVersion(tx: Queryable, v: NewModelVersion): Promise<ModelVersionRow> {
  // Serialize numbering per scope and target; the unique index is the backstop.
  await tx.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`model_versions:${v.projectId ?? 'instance'}:${v.target}`]);
  const { rows } = await tx.query<ModelVersionRow>(
    `insert into model_versions (project_id, target, version_number, task, algorithm, hyperparameters, feature_names, seed,
       training_data_hash, training_rows, training_source, training_data, code_version, evaluation, artifact, notes, created_by)
     values ($1, $2, (select coalesce(max(version_number), 0) + 1 from model_versions
                      where project_id is not distinct from $1 and target = $2),
             $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     returning ${VERSION_COLUMNS}`,
    [v.projectId, v.target, v.task, v.algorithm, JSON.stringify(v.hyperparameters), JSON.stringify(v.featureNames), v.seed,
      v.trainingDataHash, v.trainingRows, JSON.stringify(v.trainingSource), JSON.stringify(v.trainingData), v.codeVersion,
      JSON.stringify(v.evaluation), JSON.stringify(v.artifact), v.notes, v.createdBy],
  );
  return rows[0]!;
}

export async function getVersion(tx: Queryable, id: string): Promise<ModelVersionRow | null> {
  const { rows } = await tx.query<ModelVersionRow>(`select ${VERSION_COLUMNS} from model_versions where id = $1`, [id]);
  return rows[0] ?? null;
}

export async function getArtifact(tx: Queryable, id: string): Promise<unknown | null> {
  const { rows } = await tx.query<{ artifact: unknown }>(`select artifact from model_versions where id = $1`, [id]);
  return rows[0]?.artifact ?? null;
}

export async function getTrainingData(tx: Queryable, id: string): Promise<unknown[] | null> {
  const { rows } = await tx.query<{ training_data: unknown[] }>(`select training_data from model_versions where id = $1`, [id]);
  return rows[0]?.training_data ?? null;
}

export interface VersionFilter {
  target?: string;
  projectId?: string | null;
  status?: ModelStatus;
  limit: number;
}

export async function listVersions(tx: Queryable, f: VersionFilter): Promise<ModelVersionRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.target !== undefined) {
    params.push(f.target);
    where.push(`target = $${params.length}`);
  }
  if (f.projectId !== undefined) {
    params.push(f.projectId);
    where.push(`project_id is not distinct from $${params.length}::uuid`);
  }
  if (f.status !== undefined) {
    params.push(f.status);
    where.push(`status = $${params.length}`);
  }
  params.push(f.limit);
  const { rows } = await tx.query<ModelVersionRow>(
    `select ${VERSION_COLUMNS} from model_versions ${where.length ? `where ${where.join(' and ')}` : ''}
     order by target, project_id nulls first, version_number desc limit $${params.length}`,
    params,
  );
  return rows;
}

/** The active version for a target: the caller's project first, then the instance-wide one. */
export async function activeVersion(tx: Queryable, target: string, projectId: string | null): Promise<ModelVersionRow | null> {
  const { rows } = await tx.query<ModelVersionRow>(
    `select ${VERSION_COLUMNS} from model_versions
     where target = $1 and status = 'active' and (project_id is null or project_id = $2::uuid)
     order by project_id nulls last limit 1`,
    [target, projectId],
  );
  return rows[0] ?? null;
}

/** Makes `id` the active version of its target in its scope, retiring the previous one. Returns false if RLS hid the row. */
export async function activate(tx: Queryable, version: ModelVersionRow, userId: string): Promise<boolean> {
  await tx.query(
    `update model_versions set status = 'retired'
     where project_id is not distinct from $1::uuid and target = $2 and status = 'active' and id <> $3`,
    [version.project_id, version.target, version.id],
  );
  const { rowCount } = await tx.query(
    `update model_versions set status = 'active', activated_at = now(), activated_by = $2 where id = $1`,
    [version.id, userId],
  );
  return rowCount === 1;
}

export async function setStatus(tx: Queryable, id: string, status: 'retired'): Promise<boolean> {
  const { rowCount } = await tx.query(`update model_versions set status = $2 where id = $1`, [id, status]);
  return rowCount === 1;
}

export async function setVisibility(tx: Queryable, id: string, visibility: 'project' | 'public'): Promise<boolean> {
  const { rowCount } = await tx.query(`update model_versions set visibility = $2 where id = $1`, [id, visibility]);
  return rowCount === 1;
}

export interface LedgerEntry {
  modelVersionId: string | null;
  /** 'model' for a trained version's prediction; otherwise the physics (e.g. 'gordon-taylor+residual'). */
  method: string;
  target: string;
  projectId: string | null;
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
  requestId: string | null;
  createdBy: string;
}

/** Appends predictions in one statement per 1,000 rows; returns their ids in input order (ids are made here). */
export async function insertPredictions(tx: Queryable, entries: readonly LedgerEntry[]): Promise<string[]> {
  const ids = entries.map(() => randomUUID());
  for (let start = 0; start < entries.length; start += 1000) {
    const chunk = entries.slice(start, start + 1000);
    await tx.query(
      `insert into predictions (id, model_version_id, method, target, project_id, subject_kind, molecule_id, mixture_id, inputs,
         value, lower, upper, level, in_domain, domain_score, request_id, created_by)
       select e.id, e.model_version_id, e.method, e.target, e.project_id, e.subject_kind, e.molecule_id, e.mixture_id, e.inputs,
         e.value, e.lower, e.upper, e.level, e.in_domain, e.domain_score, e.request_id, e.created_by
       from jsonb_to_recordset($1::jsonb) as e(id uuid, model_version_id uuid, method text, target text, project_id uuid,
         subject_kind text, molecule_id uuid, mixture_id uuid, inputs jsonb, value double precision, lower double precision,
         upper double precision, level double precision, in_domain boolean, domain_score double precision, request_id text,
         created_by uuid)`,
      [JSON.stringify(chunk.map((e, i) => ({
        id: ids[start + i], model_version_id: e.modelVersionId, method: e.method, target: e.target, project_id: e.projectId,
        subject_kind: e.subjectKind, molecule_id: e.moleculeId, mixture_id: e.mixtureId, inputs: e.inputs, value: e.value,
        lower: e.lower, upper: e.upper, level: e.level, in_domain: e.inDomain, domain_score: e.domainScore,
        request_id: e.requestId, created_by: e.createdBy,
      })))],
    );
  }
  return ids;
}

export interface PredictionRow {
  id: string;
  model_version_id: string | null;
  method: string;
  target: string;
  project_id: string | null;
  subject_kind: 'structure' | 'molecule' | 'mixture';
  molecule_id: string | null;
  mixture_id: string | null;
  inputs: Record<string, unknown>;
  value: number;
  lower: number | null;
  upper: number | null;
  level: number | null;
  in_domain: boolean;
  domain_score: number | null;
  created_by: string;
  created_at: Date;
  version_number: number | null;
}

export interface LedgerFilter {
  versionId?: string;
  moleculeId?: string;
  mixtureId?: string;
  target?: string;
  limit: number;
}

export async function listPredictions(tx: Queryable, f: LedgerFilter): Promise<PredictionRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.versionId) add('p.model_version_id = ?', f.versionId);
  if (f.moleculeId) add('p.molecule_id = ?', f.moleculeId);
  if (f.mixtureId) add('p.mixture_id = ?', f.mixtureId);
  if (f.target) add('p.target = ?', f.target);
  params.push(f.limit);
  const { rows } = await tx.query<PredictionRow>(
    `select p.id, p.model_version_id, p.method, p.target, p.project_id, p.subject_kind, p.molecule_id, p.mixture_id, p.inputs, p.value,
       p.lower, p.upper, p.level, p.in_domain, p.domain_score, p.created_by, p.created_at, v.version_number
     from predictions p left join model_versions v on v.id = p.model_version_id
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by p.created_at desc, p.id limit $${params.length}`,
    params,
  );
  return rows;
}
