/**
 * Model versions and predictions: train from a CSV (in a worker thread), store immutable versions with their
 * evaluation, activate one per target, predict with intervals and a domain flag, and freeze every prediction in
 * the ledger. All reads and writes run as the acting user, so row-level security decides what they see.
 */
import type { ChemPool } from '../../chem/pool.ts';
import type { Actor, Db } from '../../db/db.ts';
import { Problem } from '../../app/problems.ts';
import {
  evaluateModel, MIN_TRAINING_ROWS, predictWithModel, restoreArtifact, type Algorithm, type ModelArtifact, type Prediction, type Task,
  type TrainingRow,
} from '../../ml/pipeline.ts';
import { resolveHyperparameters } from '../../ml/molecule-model.ts';
import { evaluateFixedToxicityModel, toxicityInterval } from '../../ml/toxicity-evaluation.ts';
import { predictSurvival, ToxicityModelError, type ToxicityKineticModel, type ToxicityObservation } from '../../science/toxicity-kinetics.ts';
import type { MixtureDetail } from '../mixtures/schemas.ts';
import type { MixtureService } from '../mixtures/service.ts';
import { experimentObservation, singleTemperature, type ExperimentObservation, type ExposureStepRecord } from './toxicity-experiments.ts';
import { DatasetError, featurize, parseDataset, rowsHash, trainingDataHash, type DatasetRow, type TrainingRecord } from './dataset.ts';
import * as repo from './repo.ts';
import { isMixtureViabilityArtifact } from '../../ml/mixture-model.ts';
import { trainViabilityFromExperiments, type ViabilityMeasurement } from './viability.ts';
import { observationsOf, parseExposures, type ExposureRow } from './toxicity-data.ts';
import { trainInWorker, TrainingError } from './train-runner.ts';

export const MOLECULE_ALGORITHMS = ['rf', 'gbt', 'gp', 'ridge', 'knn'] as const satisfies readonly Algorithm[];
/** Structure models plus 'kinetic': the multi-CPA toxicity model fitted to exposure data (no structures). */
export const ALGORITHMS = [...MOLECULE_ALGORITHMS, 'kinetic'] as const;
export type ModelAlgorithm = (typeof ALGORITHMS)[number];

/** What a stored kinetic version's artifact holds. */
export interface ToxicityArtifact {
  kind: 'toxicity-kinetic';
  formatVersion: 1;
  model: ToxicityKineticModel;
  trainingMeanSurvival: number;
  /** Sorted out-of-fold |ln s − ln ŝ| scores: a conformal interval at any level is served from them. */
  calibrationScores: number[];
}
export const TASKS = ['regression', 'classification'] as const satisfies readonly Task[];
export const MAX_PREDICT_ROWS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TrainInput {
  projectId: string | null;
  /** Model target name (e.g. "pure-tg"); defaults to the target column's name in lower case. */
  target?: string;
  data: string;
  fileName?: string;
  /** Structure column (structure models). */
  smilesColumn?: string;
  targetColumn: string;
  featureColumns?: string[];
  /** Kinetic toxicity model: molality columns (mol/kg water), exposure-time column (minutes), viability unit. */
  cpaColumns?: string[];
  timeColumn?: string;
  survivalUnit?: 'fraction' | 'percent' | 'auto';
  task: Task;
  algorithm: ModelAlgorithm;
  seed: number;
  level?: number;
  hyperparameters?: Record<string, unknown>;
  activeBelow?: number;
  scaledBaselineFeature?: string;
  notes?: string;
  activate?: boolean;
}

export interface RowIssue {
  index: number;
  line: number;
  error: string;
}

export interface TrainOutcome {
  version: VersionDetail;
  used: number;
  skipped: RowIssue[];
}

export interface VersionSummary {
  id: string;
  projectId: string | null;
  target: string;
  versionNumber: number;
  task: Task;
  algorithm: string;
  status: repo.ModelStatus;
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

export interface VersionDetail extends VersionSummary {
  hyperparameters: Record<string, unknown>;
  featureNames: string[];
  trainingSource: Record<string, unknown>;
  notes: string | null;
  evaluation: Record<string, unknown>;
}

export interface ExposureInput {
  /** Molality (mol/kg water) per CPA key of the model. */
  composition: Record<string, number>;
  minutes: number;
}

export interface PredictInput {
  smiles?: string[];
  moleculeIds?: string[];
  /** For kinetic toxicity versions. */
  exposures?: ExposureInput[];
  /** Internal: the stored mixture these exposures stand for, so the ledger links them to it. */
  mixture?: { id: string; projectId: string | null };
  level?: number;
  /** Store each prediction in the ledger (default true). */
  record?: boolean;
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

export interface PredictOutcome {
  version: { id: string; target: string; versionNumber: number; algorithm: string; task: Task };
  level: number;
  items: PredictedItem[];
}

function toIso(d: Date | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

function summary(row: repo.ModelVersionRow): VersionSummary {
  const evaluation = row.evaluation as { metrics?: Record<string, unknown>; baselines?: Record<string, unknown> };
  return {
    id: row.id,
    projectId: row.project_id,
    target: row.target,
    versionNumber: row.version_number,
    task: row.task,
    algorithm: row.algorithm,
    status: row.status,
    visibility: row.visibility,
    trainingRows: row.training_rows,
    trainingDataHash: row.training_data_hash,
    codeVersion: row.code_version,
    seed: Number(row.seed),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at)!,
    activatedAt: toIso(row.activated_at),
    metrics: evaluation.metrics ?? {},
    baselines: evaluation.baselines ?? {},
  };
}

function detail(row: repo.ModelVersionRow): VersionDetail {
  return {
    ...summary(row),
    hyperparameters: row.hyperparameters,
    featureNames: row.feature_names,
    trainingSource: row.training_source,
    notes: row.notes,
    evaluation: row.evaluation,
  };
}

function checkLevel(level: number | undefined, field = 'level'): number {
  const l = level ?? 0.9;
  if (!(l > 0 && l < 1)) throw new Problem('unprocessable', `${field} must be between 0 and 1 (exclusive), e.g. 0.9`, [{ field, message: 'out of range' }]);
  return l;
}

export function targetName(input: { target?: string; targetColumn: string }): string {
  const name = (input.target ?? input.targetColumn).trim().toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z]+/, '');
  if (!/^[a-z][a-z0-9_.-]{0,63}$/.test(name)) {
    throw new Problem('unprocessable', 'the model target name must start with a letter and use only a-z, 0-9, "_", "." or "-" (64 characters at most)', [
      { field: 'target', message: 'invalid name' },
    ]);
  }
  return name;
}

function datasetProblem(error: DatasetError): Problem {
  return new Problem('unprocessable', error.message, [{ field: error.field, message: error.message }]);
}

function parse(data: string, spec: Parameters<typeof parseDataset>[1]) {
  try {
    return parseDataset(data, spec);
  } catch (error) {
    if (error instanceof DatasetError) throw datasetProblem(error);
    throw error;
  }
}

function issues(rows: readonly (DatasetRow | ExposureRow)[]): RowIssue[] {
  return rows.filter((r) => r.error !== null).map((r) => ({ index: r.index, line: r.line, error: r.error! }));
}

function mixtureModelProblem(): Problem {
  return new Problem('unprocessable', 'this model predicts mixtures, not structures: predict it for a mixture: POST /mixtures/{id}/predictions', [
    { field: 'version', message: 'a mixture viability model' },
  ]);
}

function toxicityArtifact(json: unknown): ToxicityArtifact {
  const a = json as Partial<ToxicityArtifact> | null;
  if (!a || a.kind !== 'toxicity-kinetic' || a.formatVersion !== 1 || !a.model || !Array.isArray(a.calibrationScores)) throw new Error('stored artifact is not a kinetic toxicity model of format 1');
  return a as ToxicityArtifact;
}

export interface ModelService {
  /** Validates the file and options without training (for the API, before queueing a job). */
  checkTrainInput(input: TrainInput): void;
  /** 403 for instance-wide training by a non-administrator, 404 for a project the user cannot write to. */
  assertCanTrain(actor: Actor, projectId: string | null): Promise<void>;
  train(actor: Actor, input: TrainInput, onProgress?: (fraction: number, message: string) => void): Promise<TrainOutcome>;
  /** Fits the kinetic toxicity model to a project's verified exposure_viability experiments. */
  trainFromExperiments(actor: Actor, input: ExperimentsTrainInput, onProgress?: (fraction: number, message: string) => void): Promise<TrainOutcome>;
  /** Learns viability of mixtures from a project's verified viability experiments (see viability.ts). */
  trainViabilityFromExperiments(actor: Actor, input: ExperimentsTrainInput, onProgress?: (fraction: number, message: string) => void): Promise<TrainOutcome>;
  list(actor: Actor, filter: { target?: string; projectId?: string | null; status?: repo.ModelStatus; limit?: number }): Promise<VersionSummary[]>;
  get(actor: Actor, id: string): Promise<VersionDetail>;
  activate(actor: Actor, id: string): Promise<VersionDetail>;
  retire(actor: Actor, id: string): Promise<VersionDetail>;
  setVisibility(actor: Actor, id: string, visibility: 'project' | 'public'): Promise<VersionDetail>;
  resolveVersion(actor: Actor, ref: { versionId?: string; target?: string; projectId?: string | null }): Promise<VersionDetail>;
  predict(actor: Actor, versionId: string, input: PredictInput): Promise<PredictOutcome>;
  /** Predicts for a CSV and returns the rows with their predictions (CLI `model predict`). */
  predictDataset(actor: Actor, versionId: string, data: string, spec: { smilesColumn?: string; level?: number; record?: boolean }): Promise<{
    columns: string[]; rows: { fields: string[]; item: PredictedItem }[]; version: PredictOutcome['version']; level: number;
  }>;
  evaluate(actor: Actor, versionId: string, data: string, spec: { smilesColumn?: string; targetColumn: string; level?: number }): Promise<{
    version: PredictOutcome['version']; used: number; skipped: RowIssue[]; evaluation: unknown;
  }>;
  compare(actor: Actor, a: string, b: string): Promise<VersionComparison>;
  ledger(actor: Actor, filter: repo.LedgerFilter): Promise<LedgerItem[]>;
}

export interface VersionComparison {
  a: VersionSummary;
  b: VersionSummary;
  /** "stored": same training data, split and seed, so the stored out-of-fold evaluations are directly comparable;
   *  "retrained": a's configuration was cross-validated again on b's training data with b's split and seed. */
  basis: 'stored' | 'retrained';
  trainingDataHash: string;
  evaluationA: Record<string, unknown>;
  evaluationB: Record<string, unknown>;
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

export interface ExperimentsTrainInput {
  projectId: string;
  /** 'toxicity' (default): the kinetic model on exposure_viability; 'viability': the learned mixture model. */
  kind?: 'toxicity' | 'viability';
  /** For kind 'viability' (default post_thaw_viability). */
  measurement?: ViabilityMeasurement;
  /** For kind 'viability' (default rf). */
  algorithm?: 'rf' | 'ridge';
  target?: string;
  seed: number;
  level?: number;
  notes?: string;
  activate?: boolean;
}

export interface ModelServiceOptions {
  codeVersion: string;
  /** Needed to read mixtures when training from experiments. */
  mixtures?: MixtureService;
  onPrediction?: (target: string, versionId: string, count: number, seconds: number) => void;
}

export function createModelService(db: Db, chem: ChemPool, options: ModelServiceOptions): ModelService {
  const mixtures = options.mixtures;
  async function visible(actor: Actor, id: string): Promise<repo.ModelVersionRow> {
    if (!UUID.test(id)) throw new Problem('not-found', `Model version ${id} does not exist`, [{ field: 'id', message: 'not a UUID' }]);
    const row = await db.asUser(actor, (tx) => repo.getVersion(tx, id));
    if (!row) throw new Problem('not-found', `Model version ${id} does not exist or is not visible to you`);
    return row;
  }

  async function artifactOf(actor: Actor, id: string): Promise<ModelArtifact> {
    const json = await db.asUser(actor, (tx) => repo.getArtifact(tx, id));
    if (json === null) throw new Problem('not-found', `Model version ${id} does not exist or is not visible to you`);
    if (isMixtureViabilityArtifact(json)) throw mixtureModelProblem();
    return restoreArtifact(json);
  }

  /** Everything that can be checked without RDKit or the database, so the API answers 422 before queueing a job. */
  function validated(input: TrainInput):
    | { kind: 'molecules'; parsed: ReturnType<typeof parseDataset> }
    | { kind: 'toxicity'; parsed: ReturnType<typeof parseExposures> } {
    targetName(input);
    checkLevel(input.level);
    if (!(TASKS as readonly string[]).includes(input.task)) throw new Problem('unprocessable', `task must be one of ${TASKS.join(', ')}`, [{ field: 'task', message: 'unknown task' }]);
    if (!(ALGORITHMS as readonly string[]).includes(input.algorithm)) {
      throw new Problem('unprocessable', `algorithm must be one of ${ALGORITHMS.join(', ')}`, [{ field: 'algorithm', message: 'unknown algorithm' }]);
    }
    if (input.algorithm === 'gp' && input.task === 'classification') {
      throw new Problem('unprocessable', 'the Gaussian process is a regressor; choose rf, gbt, ridge or knn for classification', [{ field: 'algorithm', message: 'not a classifier' }]);
    }
    if (!Number.isSafeInteger(input.seed) || input.seed < 0) throw new Problem('unprocessable', 'seed must be a non-negative integer', [{ field: 'seed', message: 'not a non-negative integer' }]);
    if (input.algorithm === 'kinetic') {
      if (input.task !== 'regression') throw new Problem('unprocessable', 'the kinetic toxicity model predicts viability: use task regression', [{ field: 'task', message: 'must be regression' }]);
      if (!input.timeColumn) throw new Problem('unprocessable', 'the kinetic toxicity model needs timeColumn (exposure minutes)', [{ field: 'timeColumn', message: 'required' }]);
      return { kind: 'toxicity', parsed: exposures(input) };
    }
    try {
      resolveHyperparameters(input.algorithm, input.task, input.hyperparameters ?? {});
    } catch (error) {
      throw new Problem('unprocessable', (error as Error).message, [{ field: 'hyperparameters', message: (error as Error).message }]);
    }
    if (!input.smilesColumn) throw new Problem('unprocessable', 'name the structure column (smilesColumn)', [{ field: 'smilesColumn', message: 'required' }]);
    // A baseline column is read as an extra value but only becomes a model feature if listed in featureColumns.
    const extraColumns = [...new Set([...(input.featureColumns ?? []), ...(input.scaledBaselineFeature ? [input.scaledBaselineFeature] : [])])];
    let parsed: ReturnType<typeof parseDataset>;
    try {
      parsed = parseDataset(input.data, { smilesColumn: input.smilesColumn, targetColumn: input.targetColumn, featureColumns: extraColumns });
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error;
      const field = input.scaledBaselineFeature !== undefined && error.message.includes(`"${input.scaledBaselineFeature}"`) ? 'scaledBaselineFeature' : error.field;
      throw new Problem('unprocessable', error.message, [{ field, message: error.message }]);
    }
    const usable = parsed.rows.filter((r) => r.error === null && r.y !== null).length;
    if (usable < MIN_TRAINING_ROWS) {
      throw new Problem('unprocessable', `${usable} usable row(s); at least ${MIN_TRAINING_ROWS} are needed to train and cross-validate a model`, [{ field: 'data', message: 'too few rows' }]);
    }
    return { kind: 'molecules', parsed };
  }

  function checkTrainInput(input: TrainInput): void {
    validated(input);
  }

  function exposures(input: Pick<TrainInput, 'data' | 'cpaColumns' | 'timeColumn' | 'targetColumn' | 'survivalUnit'>) {
    try {
      return parseExposures(input.data, {
        cpaColumns: input.cpaColumns ?? [], timeColumn: input.timeColumn ?? '', survivalColumn: input.targetColumn,
        survivalUnit: input.survivalUnit ?? 'auto',
      });
    } catch (error) {
      if (error instanceof DatasetError) throw datasetProblem(error);
      throw error;
    }
  }

  async function assertCanTrain(actor: Actor, projectId: string | null): Promise<void> {
    await db.asUser(actor, async (tx) => {
      const { rows } = await tx.query<{ ok: boolean }>('select app.can_write($1::uuid) as ok', [projectId]);
      if (!rows[0]?.ok) {
        if (projectId === null) throw new Problem('forbidden', 'Only administrators may train instance-wide models; pass a projectId');
        throw new Problem('not-found', `Project ${projectId} does not exist or you cannot write to it`, [{ field: 'projectId', message: 'no such project' }]);
      }
    });
  }

  async function storeToxicity(
    actor: Actor,
    input: { projectId: string | null; target: string; seed: number; level: number; notes?: string; activate?: boolean; featureNames: string[] },
    observations: ToxicityObservation[],
    trainingSource: Record<string, unknown>,
    skipped: RowIssue[],
    onProgress?: (fraction: number, message: string) => void,
  ): Promise<TrainOutcome> {
    if (observations.length === 0) throw new Problem('unprocessable', 'no usable rows: every row had an error', [{ field: 'data', message: skipped[0]?.error ?? 'no rows' }]);
    let result;
    try {
      result = await trainInWorker({ kind: 'toxicity', observations, options: { seed: input.seed, level: input.level } }, onProgress);
    } catch (error) {
      if (error instanceof TrainingError) throw new Problem('unprocessable', `training refused: ${error.message}`, [{ field: 'data', message: error.message }]);
      throw error;
    }
    const artifact: ToxicityArtifact = {
      kind: 'toxicity-kinetic', formatVersion: 1, model: result.fit.model,
      trainingMeanSurvival: observations.reduce((a, o) => a + o.survival, 0) / observations.length,
      calibrationScores: result.calibrationScores,
    };
    const version = await db.asUser(actor, async (tx) => {
      const inserted = await repo.insertVersion(tx, {
        projectId: input.projectId, target: input.target, task: 'regression', algorithm: 'kinetic', hyperparameters: { form: result.fit.model.form },
        featureNames: input.featureNames, seed: input.seed, trainingDataHash: rowsHash(observations), trainingRows: observations.length,
        trainingSource: { ...trainingSource, rowsSkipped: skipped.length }, trainingData: observations, codeVersion: options.codeVersion,
        evaluation: result.evaluation, artifact, notes: input.notes ?? null, createdBy: actor.userId,
      });
      if (input.activate) await repo.activate(tx, inserted, actor.userId);
      return (await repo.getVersion(tx, inserted.id))!;
    });
    onProgress?.(1, 'done');
    return { version: detail(version), used: observations.length, skipped };
  }

  async function trainToxicity(
    actor: Actor,
    input: TrainInput,
    parsed: ReturnType<typeof parseExposures>,
    onProgress?: (fraction: number, message: string) => void,
  ): Promise<TrainOutcome> {
    const target = targetName({ target: input.target ?? 'toxicity', targetColumn: input.targetColumn });
    await assertCanTrain(actor, input.projectId);
    const { observations } = observationsOf(parsed.rows);
    return storeToxicity(actor, {
      projectId: input.projectId, target, seed: input.seed, level: checkLevel(input.level), featureNames: [...(input.cpaColumns ?? []), input.timeColumn!],
      ...(input.notes ? { notes: input.notes } : {}), ...(input.activate ? { activate: true } : {}),
    }, observations, {
      kind: 'csv', ...(input.fileName ? { fileName: input.fileName } : {}), cpaColumns: input.cpaColumns ?? [], timeColumn: input.timeColumn,
      targetColumn: input.targetColumn, survivalUnit: parsed.survivalUnit, rowsInFile: parsed.rows.length,
    }, issues(parsed.rows), onProgress);
  }

  async function trainToxicityFromExperiments(actor: Actor, input: ExperimentsTrainInput, onProgress?: (fraction: number, message: string) => void): Promise<TrainOutcome> {
    if (!mixtures) throw new Error('the model service was created without the mixture service');
    const target = targetName({ target: input.target ?? 'toxicity', targetColumn: 'toxicity' });
    const level = checkLevel(input.level);
    await assertCanTrain(actor, input.projectId);
    const found = await db.asUser(actor, async (tx) => (await tx.query<{ id: string; title: string; protocol: { loading?: ExposureStepRecord[] }; mixture_id: string; mean: number }>(
      `select e.id, e.title, e.protocol, e.mixture_id, r.mean from experiments e join experiment_results r on r.experiment_id = e.id
       where e.project_id = $1 and e.state = 'verified' and r.measurement = 'exposure_viability'
       order by e.performed_on nulls last, e.created_at, r.position`, [input.projectId])).rows);
    const details = new Map<string, MixtureDetail>();
    const rows: ExperimentObservation[] = [];
    for (const f of found) {
      if (!details.has(f.mixture_id)) details.set(f.mixture_id, await mixtures.get(actor, f.mixture_id));
      rows.push(experimentObservation({ experimentId: f.id, title: f.title, loading: f.protocol.loading ?? [], mixture: details.get(f.mixture_id)!, viabilityPercent: f.mean }));
    }
    const { kept, skipped, temperatureC } = singleTemperature(rows);
    const issuesOf = skipped.map((r, i) => ({ index: i, line: 0, error: `${r.title} (${r.experimentId}): ${r.error}` }));
    if (kept.length === 0) {
      throw new Problem('unprocessable', found.length === 0
        ? 'no verified experiment of this project records exposure_viability; record toxicity assays first'
        : `none of the ${found.length} verified exposure measurements can be used: ${issuesOf[0]?.error}`, [{ field: 'projectId', message: 'no usable experiments' }]);
    }
    const cpas = [...new Set(kept.flatMap((r) => Object.keys(r.observation!.composition)))].sort();
    return storeToxicity(actor, {
      projectId: input.projectId, target, seed: input.seed, level, featureNames: [...cpas, 'minutes'],
      ...(input.notes ? { notes: input.notes } : {}), ...(input.activate ? { activate: true } : {}),
    }, kept.map((r) => r.observation!), {
      kind: 'experiments', projectId: input.projectId, measurement: 'exposure_viability', temperatureC,
      experimentIds: kept.map((r) => r.experimentId), cpaColumns: cpas, timeColumn: 'minutes', survivalUnit: 'fraction',
      rowsInFile: rows.length,
    }, issuesOf, onProgress);
  }

  async function train(actor: Actor, input: TrainInput, onProgress?: (fraction: number, message: string) => void): Promise<TrainOutcome> {
    const checked = validated(input);
    if (checked.kind === 'toxicity') return trainToxicity(actor, input, checked.parsed, onProgress);
    const smilesColumn = input.smilesColumn!;
    const target = targetName(input);
    const parsed = checked.parsed;
    // Refuse early if the user cannot write to the scope, before minutes of work.
    await assertCanTrain(actor, input.projectId);
    onProgress?.(0, 'registering structures');
    const featurized = await featurize(chem, parsed.rows, (done, total) => onProgress?.(0.2 * (done / total), 'registering structures'));
    const rows: TrainingRow[] = [];
    const records: TrainingRecord[] = [];
    parsed.rows.forEach((row, i) => {
      const f = featurized[i];
      if (!f || row.error !== null || row.y === null) return;
      const descriptors = { ...f.descriptors };
      // Extra columns that are not model features stay out of the descriptor record except the baseline column.
      rows.push({ descriptors, fingerprint: f.fingerprint, group: f.inchikey, y: row.y });
      records.push({ smiles: f.canonicalSmiles, inchikey: f.inchikey, y: row.y, extras: row.extras });
    });
    const skipped = issues(parsed.rows);
    if (rows.length === 0) throw new Problem('unprocessable', 'no usable rows: every row had an error', [{ field: 'data', message: skipped[0]?.error ?? 'no rows' }]);
    const level = checkLevel(input.level);
    const trainOptions = {
      task: input.task,
      algorithm: input.algorithm as Algorithm, // not 'kinetic': validated() sent that to trainToxicity

      seed: input.seed,
      level,
      ...(input.hyperparameters ? { hyperparameters: input.hyperparameters } : {}),
      ...(input.featureColumns?.length ? { extraFeatures: input.featureColumns } : {}),
      ...(input.activeBelow !== undefined ? { activeBelow: input.activeBelow } : {}),
      ...(input.scaledBaselineFeature ? { scaledBaselineFeature: input.scaledBaselineFeature } : {}),
    };
    let trained;
    try {
      trained = (await trainInWorker({ kind: 'molecules', rows, options: trainOptions }, (fraction, message) => onProgress?.(0.2 + 0.75 * fraction, message))).trained;
    } catch (error) {
      if (error instanceof TrainingError) throw new Problem('unprocessable', `training refused: ${error.message}`, [{ field: 'data', message: error.message }]);
      throw error;
    }
    onProgress?.(0.97, 'storing the version');
    const artifact = trained.artifact as unknown as { featureNames?: string[]; hyperparameters?: Record<string, unknown> };
    const version = await db.asUser(actor, async (tx) => {
      const inserted = await repo.insertVersion(tx, {
        projectId: input.projectId,
        target,
        task: input.task,
        algorithm: input.algorithm,
        hyperparameters: artifact.hyperparameters ?? input.hyperparameters ?? {},
        featureNames: artifact.featureNames ?? [],
        seed: input.seed,
        trainingDataHash: trainingDataHash(records),
        trainingRows: records.length,
        trainingSource: {
          kind: 'csv',
          ...(input.fileName ? { fileName: input.fileName } : {}),
          smilesColumn,
          targetColumn: input.targetColumn,
          featureColumns: input.featureColumns ?? [],
          ...(input.activeBelow !== undefined ? { activeBelow: input.activeBelow } : {}),
          ...(input.scaledBaselineFeature ? { scaledBaselineFeature: input.scaledBaselineFeature } : {}),
          rowsInFile: parsed.rows.length,
          rowsSkipped: skipped.length,
        },
        trainingData: records,
        codeVersion: options.codeVersion,
        evaluation: trained.evaluation,
        artifact: trained.artifact,
        notes: input.notes ?? null,
        createdBy: actor.userId,
      });
      if (input.activate) await repo.activate(tx, inserted, actor.userId);
      return (await repo.getVersion(tx, inserted.id))!;
    });
    onProgress?.(1, 'done');
    return { version: detail(version), used: records.length, skipped };
  }

  async function changeLifecycle(actor: Actor, id: string, change: (tx: Parameters<Parameters<Db['asUser']>[1]>[0], row: repo.ModelVersionRow) => Promise<boolean>) {
    const row = await visible(actor, id);
    return db.asUser(actor, async (tx) => {
      const ok = await change(tx, row);
      if (!ok) {
        throw new Problem('forbidden', row.project_id === null
          ? 'Only administrators may change instance-wide models'
          : 'Only owners and editors of the project may change its models');
      }
      return detail((await repo.getVersion(tx, id))!);
    });
  }

  function versionRef(row: repo.ModelVersionRow): PredictOutcome['version'] {
    return { id: row.id, target: row.target, versionNumber: row.version_number, algorithm: row.algorithm, task: row.task };
  }

  function predictionItem(index: number, input: string, p: Prediction | null, extra: Partial<PredictedItem>): PredictedItem {
    return {
      index, input, canonicalSmiles: null, inchikey: null, moleculeId: null, predictionId: null, error: null,
      value: p?.value ?? null, lower: p?.lower ?? null, upper: p?.upper ?? null,
      probability: p?.probability ?? null, inDomain: p?.inDomain ?? null, domainScore: p?.domainScore ?? null,
      ...extra,
    };
  }

  async function predictRows(
    actor: Actor,
    row: repo.ModelVersionRow,
    inputs: { text: string; extras: Record<string, number>; error: string | null; molecule?: { id: string; projectId: string | null } }[],
    level: number,
    record: boolean,
  ): Promise<PredictedItem[]> {
    const started = process.hrtime.bigint();
    const artifact = await artifactOf(actor, row.id);
    const dataset: DatasetRow[] = inputs.map((x, index) => ({ index, line: index + 1, fields: [], smiles: x.text, y: null, extras: x.extras, error: x.error }));
    const featurized = await featurize(chem, dataset);
    const usable = featurized.map((f, i) => (f && dataset[i]!.error === null ? i : -1)).filter((i) => i >= 0);
    const predictions = predictWithModel(artifact, usable.map((i) => featurized[i]!), level);
    const items = inputs.map((x, i) => predictionItem(i, x.text, null, { error: dataset[i]!.error, moleculeId: x.molecule?.id ?? null }));
    usable.forEach((i, k) => {
      const f = featurized[i]!;
      items[i] = predictionItem(i, inputs[i]!.text, predictions[k]!, { canonicalSmiles: f.canonicalSmiles, inchikey: f.inchikey, moleculeId: inputs[i]!.molecule?.id ?? null });
    });
    if (record && usable.length > 0) {
      const entries: repo.LedgerEntry[] = usable.map((i) => {
        const it = items[i]!;
        const molecule = inputs[i]!.molecule;
        return {
          modelVersionId: row.id, method: 'model', target: row.target, projectId: molecule?.projectId ?? null,
          subjectKind: molecule ? 'molecule' : 'structure', moleculeId: molecule?.id ?? null, mixtureId: null,
          inputs: { smiles: it.canonicalSmiles, inchikey: it.inchikey, input: it.input, ...(Object.keys(inputs[i]!.extras).length ? { extras: inputs[i]!.extras } : {}) },
          value: it.value!, lower: it.lower, upper: it.upper, level: row.task === 'regression' ? level : null,
          inDomain: it.inDomain!, domainScore: it.domainScore, requestId: actor.requestId ?? null, createdBy: actor.userId,
        };
      });
      const ids = await db.asUser(actor, (tx) => repo.insertPredictions(tx, entries));
      usable.forEach((i, k) => (items[i]!.predictionId = ids[k] ?? null));
    }
    options.onPrediction?.(row.target, row.id, usable.length, Number(process.hrtime.bigint() - started) / 1e9);
    return items;
  }

  async function predictExposures(
    actor: Actor,
    row: repo.ModelVersionRow,
    inputs: readonly { composition: Record<string, number>; minutes: number | null; error: string | null }[],
    level: number,
    record: boolean,
    mixture?: { id: string; projectId: string | null },
  ): Promise<PredictedItem[]> {
    const started = process.hrtime.bigint();
    const artifact = toxicityArtifact(await db.asUser(actor, (tx) => repo.getArtifact(tx, row.id)));
    const items = inputs.map((x, index): PredictedItem => {
      const base = predictionItem(index, JSON.stringify({ composition: x.composition, minutes: x.minutes }), null, { error: x.error });
      if (x.error !== null || x.minutes === null) return base;
      try {
        const p = predictSurvival(artifact.model, x.composition, x.minutes, { level });
        const interval = toxicityInterval(p.survival, artifact.calibrationScores, level);
        return { ...base, value: p.survival * 100, lower: interval ? interval.lower * 100 : null, upper: interval ? interval.upper * 100 : null, inDomain: p.inDomain };
      } catch (error) {
        if (!(error instanceof ToxicityModelError)) throw error;
        return { ...base, error: error.message };
      }
    });
    const usable = items.filter((it) => it.value !== null);
    if (record && usable.length > 0) {
      const ids = await db.asUser(actor, (tx) => repo.insertPredictions(tx, usable.map((it) => ({
        modelVersionId: row.id, method: 'model', target: row.target, projectId: mixture?.projectId ?? null,
        subjectKind: mixture ? 'mixture' as const : 'structure' as const, moleculeId: null, mixtureId: mixture?.id ?? null, inputs: JSON.parse(it.input) as Record<string, unknown>, value: it.value!, lower: it.lower,
        upper: it.upper, level, inDomain: it.inDomain!, domainScore: null, requestId: actor.requestId ?? null, createdBy: actor.userId,
      }))));
      usable.forEach((it, k) => (it.predictionId = ids[k] ?? null));
    }
    options.onPrediction?.(row.target, row.id, usable.length, Number(process.hrtime.bigint() - started) / 1e9);
    return items;
  }

  function exposureSpecOf(row: repo.ModelVersionRow): { cpaColumns: string[]; timeColumn: string; survivalUnit: 'fraction' | 'percent' } {
    const source = row.training_source as { cpaColumns?: string[]; timeColumn?: string; survivalUnit?: 'fraction' | 'percent' };
    return { cpaColumns: source.cpaColumns ?? [], timeColumn: source.timeColumn ?? 'minutes', survivalUnit: source.survivalUnit ?? 'fraction' };
  }

  async function trainViability(actor: Actor, input: ExperimentsTrainInput, onProgress?: (fraction: number, message: string) => void): Promise<TrainOutcome> {
    if (!mixtures) throw new Error('the model service was created without the mixture service');
    const target = targetName({ target: input.target ?? 'viability', targetColumn: 'viability' });
    const level = checkLevel(input.level);
    const { used, skipped, ...row } = await trainViabilityFromExperiments(
      { db, mixtures, codeVersion: options.codeVersion, assertCanTrain }, actor,
      {
        projectId: input.projectId, target, seed: input.seed, level,
        ...(input.measurement ? { measurement: input.measurement } : {}), ...(input.algorithm ? { algorithm: input.algorithm } : {}),
        ...(input.notes ? { notes: input.notes } : {}), ...(input.activate ? { activate: true } : {}),
      }, onProgress);
    return { version: detail(row), used, skipped };
  }

  /** Mixture models predict through POST /mixtures/{id}/predictions; the structure and exposure paths cannot feed them. */
  async function assertNotMixtureModel(actor: Actor, row: repo.ModelVersionRow): Promise<void> {
    if (row.algorithm === 'kinetic') return;
    const kind = await db.asUser(actor, async (tx) => (await tx.query<{ kind: string | null }>(
      `select artifact->>'kind' as kind from model_versions where id = $1`, [row.id])).rows[0]?.kind ?? null);
    if (kind === 'mixture-viability') throw mixtureModelProblem();
  }

  return {
    checkTrainInput,
    assertCanTrain,
    train,
    trainFromExperiments: (actor, input, onProgress) => (input.kind === 'viability' ? trainViability(actor, input, onProgress) : trainToxicityFromExperiments(actor, input, onProgress)),
    trainViabilityFromExperiments: trainViability,

    async list(actor, filter) {
      const limit = filter.limit ?? 200;
      const rows = await db.asUser(actor, (tx) => repo.listVersions(tx, {
        limit, ...(filter.target ? { target: filter.target } : {}), ...(filter.projectId !== undefined ? { projectId: filter.projectId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      }));
      return rows.map(summary);
    },

    async get(actor, id) {
      return detail(await visible(actor, id));
    },

    activate: (actor, id) => changeLifecycle(actor, id, async (tx, row) => {
      if (row.status === 'active') return true;
      return repo.activate(tx, row, actor.userId);
    }),

    retire: (actor, id) => changeLifecycle(actor, id, async (tx, row) => {
      if (row.status === 'retired') return true;
      return repo.setStatus(tx, row.id, 'retired');
    }),

    setVisibility: (actor, id, visibility) => changeLifecycle(actor, id, (tx, row) => repo.setVisibility(tx, row.id, visibility)),

    async resolveVersion(actor, ref) {
      if (ref.versionId) return detail(await visible(actor, ref.versionId));
      if (!ref.target) throw new Problem('unprocessable', 'name a model version or a target', [{ field: 'version', message: 'missing' }]);
      const row = await db.asUser(actor, (tx) => repo.activeVersion(tx, ref.target!, ref.projectId ?? null));
      if (!row) throw new Problem('not-found', `No active model for target "${ref.target}"; train one and activate it`);
      return detail(row);
    },

    async predict(actor, versionId, input) {
      const row = await visible(actor, versionId);
      await assertNotMixtureModel(actor, row);
      const level = checkLevel(input.level);
      if (row.algorithm === 'kinetic') {
        const list = input.exposures ?? [];
        if (list.length === 0 || input.smiles?.length || input.moleculeIds?.length) {
          throw new Problem('unprocessable', 'a kinetic toxicity model predicts exposures: give exposures [{composition, minutes}]', [{ field: 'exposures', message: 'required for this model' }]);
        }
        if (list.length > MAX_PREDICT_ROWS) throw new Problem('unprocessable', `at most ${MAX_PREDICT_ROWS} inputs per request`, [{ field: 'exposures', message: 'too many inputs' }]);
        const items = await predictExposures(actor, row, list.map((e) => ({ composition: e.composition, minutes: e.minutes, error: null })), level, input.record ?? true, input.mixture);
        return { version: versionRef(row), level, items };
      }
      if (input.exposures?.length) throw new Problem('unprocessable', 'exposures are for kinetic toxicity models; this model predicts from structures', [{ field: 'exposures', message: 'not for this model' }]);
      const smiles = input.smiles ?? [];
      const moleculeIds = input.moleculeIds ?? [];
      if (smiles.length + moleculeIds.length === 0) {
        throw new Problem('unprocessable', 'give smiles or moleculeIds to predict for', [{ field: 'smiles', message: 'empty' }]);
      }
      if (smiles.length + moleculeIds.length > MAX_PREDICT_ROWS) {
        throw new Problem('unprocessable', `at most ${MAX_PREDICT_ROWS} inputs per request`, [{ field: 'smiles', message: 'too many inputs' }]);
      }
      const badId = moleculeIds.findIndex((id) => !UUID.test(id));
      if (badId >= 0) throw new Problem('unprocessable', `moleculeIds[${badId}] is not a UUID`, [{ field: `moleculeIds[${badId}]`, message: 'not a UUID' }]);
      const molecules = moleculeIds.length === 0 ? [] : await db.asUser(actor, async (tx) => {
        const { rows } = await tx.query<{ id: string; project_id: string | null; canonical_smiles: string }>(
          'select id, project_id, canonical_smiles from molecules where id = any($1::uuid[])', [moleculeIds]);
        return rows;
      });
      const byId = new Map(molecules.map((m) => [m.id, m]));
      const inputs = [
        ...smiles.map((s) => ({ text: s, extras: {}, error: s.trim() === '' ? 'empty SMILES' : null })),
        ...moleculeIds.map((id) => {
          const m = byId.get(id);
          return m
            ? { text: m.canonical_smiles, extras: {}, error: null, molecule: { id, projectId: m.project_id } }
            : { text: id, extras: {}, error: 'no such molecule, or it is not visible to you' };
        }),
      ];
      const items = await predictRows(actor, row, inputs, level, input.record ?? true);
      return { version: versionRef(row), level, items };
    },

    async predictDataset(actor, versionId, data, spec) {
      const row = await visible(actor, versionId);
      await assertNotMixtureModel(actor, row);
      const level = checkLevel(spec.level);
      if (row.algorithm === 'kinetic') {
        const { cpaColumns, timeColumn } = exposureSpecOf(row);
        let parsed;
        try {
          parsed = parseExposures(data, { cpaColumns, timeColumn });
        } catch (error) {
          if (error instanceof DatasetError) throw datasetProblem(error);
          throw error;
        }
        const items = await predictExposures(actor, row, parsed.rows, level, spec.record ?? true);
        return { columns: parsed.columns, rows: parsed.rows.map((r, i) => ({ fields: r.fields, item: items[i]! })), version: versionRef(row), level };
      }
      if (!spec.smilesColumn) throw new Problem('unprocessable', 'name the structure column (smilesColumn)', [{ field: 'smilesColumn', message: 'required' }]);
      const featureColumns = ((row.training_source.featureColumns as string[] | undefined) ?? []);
      const parsed = parse(data, { smilesColumn: spec.smilesColumn!, featureColumns });
      const items = await predictRows(actor, row, parsed.rows.map((r) => ({ text: r.smiles, extras: r.extras, error: r.error })), level, spec.record ?? true);
      return { columns: parsed.columns, rows: parsed.rows.map((r, i) => ({ fields: r.fields, item: items[i]! })), version: versionRef(row), level };
    },

    async evaluate(actor, versionId, data, spec) {
      const row = await visible(actor, versionId);
      const level = checkLevel(spec.level);
      if (row.algorithm === 'kinetic') {
        const { cpaColumns, timeColumn, survivalUnit } = exposureSpecOf(row);
        const parsed = exposures({ data, cpaColumns, timeColumn, targetColumn: spec.targetColumn, survivalUnit });
        const { observations } = observationsOf(parsed.rows);
        const artifact = toxicityArtifact(await db.asUser(actor, (tx) => repo.getArtifact(tx, row.id)));
        let evaluation;
        try {
          evaluation = evaluateFixedToxicityModel(artifact.model, artifact.trainingMeanSurvival, observations, level, artifact.calibrationScores);
        } catch (error) {
          if (!(error instanceof ToxicityModelError)) throw error;
          throw new Problem('unprocessable', `evaluation refused: ${error.message}`, [{ field: 'data', message: error.message }]);
        }
        return { version: versionRef(row), used: evaluation.predicted, skipped: issues(parsed.rows), evaluation };
      }
      if (!spec.smilesColumn) throw new Problem('unprocessable', 'name the structure column (smilesColumn)', [{ field: 'smilesColumn', message: 'required' }]);
      const featureColumns = ((row.training_source.featureColumns as string[] | undefined) ?? []);
      const parsed = parse(data, { smilesColumn: spec.smilesColumn, targetColumn: spec.targetColumn, featureColumns });
      const featurized = await featurize(chem, parsed.rows);
      const rows: TrainingRow[] = [];
      parsed.rows.forEach((r, i) => {
        const f = featurized[i];
        if (f && r.error === null && r.y !== null) rows.push({ descriptors: f.descriptors, fingerprint: f.fingerprint, group: f.inchikey, y: r.y });
      });
      const skipped = issues(parsed.rows);
      if (rows.length === 0) throw new Problem('unprocessable', 'no usable rows to evaluate on', [{ field: 'data', message: skipped[0]?.error ?? 'no rows' }]);
      const artifact = await artifactOf(actor, versionId);
      let evaluation: unknown;
      try {
        evaluation = evaluateModel(artifact, rows, level);
      } catch (error) {
        throw new Problem('unprocessable', `evaluation refused: ${error instanceof Error ? error.message : String(error)}`, [{ field: 'data', message: 'cannot evaluate' }]);
      }
      return { version: versionRef(row), used: rows.length, skipped, evaluation };
    },

    async compare(actor, a, b) {
      const [rowA, rowB] = [await visible(actor, a), await visible(actor, b)];
      if (rowA.task !== rowB.task) throw new Problem('unprocessable', `cannot compare a ${rowA.task} model with a ${rowB.task} model`, [{ field: 'b', message: 'different task' }]);
      const evalA = rowA.evaluation as { split?: unknown; seed?: unknown };
      const evalB = rowB.evaluation as { split?: unknown; seed?: unknown };
      const sameProtocol = rowA.training_data_hash === rowB.training_data_hash && rowA.seed === rowB.seed
        && JSON.stringify(evalA.split) === JSON.stringify(evalB.split);
      if (sameProtocol) {
        return { a: summary(rowA), b: summary(rowB), basis: 'stored', trainingDataHash: rowB.training_data_hash, evaluationA: rowA.evaluation, evaluationB: rowB.evaluation };
      }
      if (rowA.algorithm === 'kinetic' || rowB.algorithm === 'kinetic') {
        // The kinetic form has no configuration to re-run on other data; only a shared held-out file compares two fits fairly.
        throw new Problem('unprocessable', 'kinetic toxicity versions trained on different data cannot share one cross-validation; evaluate both on the same held-out file instead', [{ field: 'b', message: 'different training data' }]);
      }
      // Re-run a's configuration through b's protocol on b's rows, so both numbers come from the same folds.
      const records = (await db.asUser(actor, (tx) => repo.getTrainingData(tx, rowB.id))) as TrainingRecord[];
      const featurized = await featurize(chem, records.map((r, index) => ({ index, line: index + 2, fields: [], smiles: r.smiles, y: r.y, extras: r.extras, error: null })));
      const rows: TrainingRow[] = [];
      records.forEach((r, i) => {
        const f = featurized[i];
        if (f) rows.push({ descriptors: { ...f.descriptors, ...r.extras }, fingerprint: f.fingerprint, group: f.inchikey, y: r.y });
      });
      const sourceB = rowB.training_source as { activeBelow?: number; scaledBaselineFeature?: string };
      const artifactA = await artifactOf(actor, rowA.id);
      let retrained;
      try {
        retrained = await trainInWorker({
          kind: 'molecules',
          rows,
          options: {
            task: rowA.task,
            algorithm: rowA.algorithm as Algorithm,
            seed: Number(rowB.seed),
            hyperparameters: rowA.hyperparameters,
            ...(artifactA.requestedFeatureNames ? { featureNames: artifactA.requestedFeatureNames } : {}),
            ...(artifactA.extraFeatures.length ? { extraFeatures: artifactA.extraFeatures } : {}),
            ...((rowB.evaluation as { split?: { spec?: unknown } }).split?.spec ? { split: (rowB.evaluation as { split: { spec: never } }).split.spec } : {}),
            ...(sourceB.activeBelow !== undefined ? { activeBelow: sourceB.activeBelow } : {}),
            ...(sourceB.scaledBaselineFeature ? { scaledBaselineFeature: sourceB.scaledBaselineFeature } : {}),
            ...(rowB.evaluation as { conformal?: { level?: number } }).conformal?.level ? { level: (rowB.evaluation as { conformal: { level: number } }).conformal.level } : {},
          },
        });
      } catch (error) {
        if (error instanceof TrainingError) {
          throw new Problem('unprocessable', `version ${rowA.version_number}'s configuration cannot be trained on version ${rowB.version_number}'s data: ${error.message}`, [{ field: 'a', message: error.message }]);
        }
        throw error;
      }
      return {
        a: summary(rowA), b: summary(rowB), basis: 'retrained', trainingDataHash: rowB.training_data_hash,
        evaluationA: retrained.trained.evaluation as unknown as Record<string, unknown>, evaluationB: rowB.evaluation,
      };
    },

    async ledger(actor, filter) {
      const rows = await db.asUser(actor, (tx) => repo.listPredictions(tx, filter));
      return rows.map((r) => ({
        id: r.id, modelVersionId: r.model_version_id, method: r.method, versionNumber: r.version_number, target: r.target, subjectKind: r.subject_kind,
        moleculeId: r.molecule_id, mixtureId: r.mixture_id, inputs: r.inputs, value: r.value, lower: r.lower, upper: r.upper,
        level: r.level, inDomain: r.in_domain, domainScore: r.domain_score, createdBy: r.created_by, createdAt: toIso(r.created_at)!,
      }));
    },
  };
}
