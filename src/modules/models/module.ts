import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../../app/server.ts';
import { createDbJobs } from '../../jobs/runner.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { createMixtureService } from '../mixtures/service.ts';
import { createMixturePredictor, type MixturePredictor } from './mixture-predictions.ts';
import { createModelService, type ModelService } from './service.ts';
import { TRAIN_FROM_EXPERIMENTS_JOB, TRAIN_JOB, trainFromExperimentsJobHandler, trainJobHandler } from './train-job.ts';

export interface ModelsModule {
  service: ModelService;
  mixtures: MixturePredictor;
  jobs: Jobs;
  close(): Promise<void>;
}

/** The models module's long-lived parts for one process: the service and the runner for training jobs. */
export function createModelsModule(
  deps: Pick<AppDeps, 'db' | 'chem' | 'version'> & Partial<Pick<AppDeps, 'metrics' | 'log'>>,
  log: FastifyBaseLogger | undefined = deps.log,
): ModelsModule {
  const mixtureService = createMixtureService(deps.db);
  const service = createModelService(deps.db, deps.chem, {
    codeVersion: deps.version,
    mixtures: mixtureService,
    onPrediction: (target, versionId, count, seconds) => {
      deps.metrics?.modelPredictions.inc({ target, model_version: versionId }, count);
      deps.metrics?.modelPredictionDuration.observe({ target }, seconds);
    },
  });
  const jobs = createDbJobs(deps.db, {
    handlers: { [TRAIN_JOB]: trainJobHandler(service) as never, [TRAIN_FROM_EXPERIMENTS_JOB]: trainFromExperimentsJobHandler(service) as never },
    log, // the runner logs each job's start and end (failures included) with its id and the submitting request's id
    onFinished: (job, status, seconds) => deps.metrics?.jobDuration.observe({ queue: job.kind, status }, seconds),
  });
  return {
    service,
    mixtures: createMixturePredictor(deps.db, service, mixtureService),
    jobs,
    async close() {
      await jobs.close();
    },
  };
}
