import type { JobHandler } from '../../jobs/jobs.ts';
import type { TrainBody } from './schemas.ts';
import type { ExperimentsTrainInput, ModelService, RowIssue, TrainInput, TrainOutcome } from './service.ts';

export const TRAIN_JOB = 'models.train';
export const TRAIN_FROM_EXPERIMENTS_JOB = 'models.train-experiments';

export interface TrainJobResult {
  versionId: string;
  target: string;
  versionNumber: number;
  used: number;
  skipped: RowIssue[];
  metrics: Record<string, unknown>;
}

/** Defaults shared by the API and the CLI: a random forest regressor with seed 0. */
export function trainInputOf(body: TrainBody): TrainInput {
  return {
    projectId: body.projectId ?? null,
    data: body.content,
    targetColumn: body.targetColumn,
    ...(body.smilesColumn !== undefined ? { smilesColumn: body.smilesColumn } : {}),
    ...(body.cpaColumns !== undefined ? { cpaColumns: body.cpaColumns } : {}),
    ...(body.timeColumn !== undefined ? { timeColumn: body.timeColumn } : {}),
    ...(body.survivalUnit !== undefined ? { survivalUnit: body.survivalUnit } : {}),
    task: body.task ?? 'regression',
    algorithm: body.algorithm ?? 'rf',
    seed: body.seed ?? 0,
    ...(body.target !== undefined ? { target: body.target } : {}),
    ...(body.fileName !== undefined ? { fileName: body.fileName } : {}),
    ...(body.featureColumns !== undefined ? { featureColumns: body.featureColumns } : {}),
    ...(body.level !== undefined ? { level: body.level } : {}),
    ...(body.hyperparameters !== undefined ? { hyperparameters: body.hyperparameters } : {}),
    ...(body.activeBelow !== undefined ? { activeBelow: body.activeBelow } : {}),
    ...(body.scaledBaselineFeature !== undefined ? { scaledBaselineFeature: body.scaledBaselineFeature } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.activate !== undefined ? { activate: body.activate } : {}),
  };
}

function throttled(progress: (done: number, total: number) => Promise<void>): (fraction: number) => void {
  let last = 0;
  return (fraction) => {
    const done = Math.floor(fraction * 1000);
    if (done > last) {
      last = done;
      void progress(done, 1000);
    }
  };
}

function resultOf(outcome: TrainOutcome): TrainJobResult {
  return {
    versionId: outcome.version.id,
    target: outcome.version.target,
    versionNumber: outcome.version.versionNumber,
    used: outcome.used,
    skipped: outcome.skipped,
    metrics: outcome.version.metrics,
  };
}

export function trainFromExperimentsJobHandler(service: ModelService): JobHandler<ExperimentsTrainInput, TrainJobResult> {
  return async ({ payload, actor, progress }) => resultOf(await service.trainFromExperiments(actor, payload, throttled(progress)));
}

export function trainJobHandler(service: ModelService): JobHandler<TrainBody, TrainJobResult> {
  return async ({ payload, actor, progress }) => resultOf(await service.train(actor, trainInputOf(payload), throttled(progress)));
}
