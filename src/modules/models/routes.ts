import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { OneOf } from '../../lib/schema.ts';
import type { ModelsModule } from './module.ts';
import {
  CompareQuery, CompareResponse, MixturePredictionsResponse, EvaluateBody, EvaluateResponse, LedgerItemSchema, LedgerQuery, PredictBody, PredictResponse,
  PredictTargetBody, TrainBody, VersionListQuery, VisibilitySchema,
} from './schemas.ts';
import { TRAIN_FROM_EXPERIMENTS_JOB, TRAIN_JOB, trainInputOf } from './train-job.ts';
import { VIABILITY_MEASUREMENTS } from './viability.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TargetParams = Type.Object({ target: Type.String({ pattern: '^[a-z][a-z0-9_.-]{0,63}$' }) });

export function modelRoutes(models: ModelsModule): FastifyPluginAsyncTypebox {
  const { service, jobs } = models;
  return async (app) => {
    app.addHook('onClose', async () => models.close());

    app.post('/model-versions', {
      schema: {
        tags: ['models'],
        summary: 'Train a new model version from a CSV as a job (poll GET /jobs/{id}); the file and options are checked before queueing',
        body: TrainBody,
        response: { 202: Type.Ref('Job'), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const input = trainInputOf(request.body);
      service.checkTrainInput(input);
      await service.assertCanTrain(request.actor, input.projectId);
      const job = await jobs.submit(request.actor, { kind: TRAIN_JOB, projectId: input.projectId, payload: request.body, total: 1000 });
      return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    });

    app.post('/model-versions:from-experiments', {
      schema: {
        tags: ['models'],
        summary: 'Fit the kinetic toxicity model (kind toxicity, default) or the learned mixture viability model (kind viability) to a project\'s verified experiments, as a job',
        body: Type.Object({
          projectId: Type.String({ format: 'uuid' }),
          kind: Type.Optional(OneOf(['toxicity', 'viability'] as const, { description: 'toxicity: kinetic model on exposure_viability; viability: learned from composition and protocol' })),
          measurement: Type.Optional(OneOf(VIABILITY_MEASUREMENTS, { description: 'For kind viability (default post_thaw_viability)' })),
          algorithm: Type.Optional(OneOf(['rf', 'ridge'] as const, { description: 'For kind viability (default rf)' })),
          target: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
          level: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
          notes: Type.Optional(Type.String({ maxLength: 10000 })),
          activate: Type.Optional(Type.Boolean()),
        }, { additionalProperties: false }),
        response: { 202: Type.Ref('Job'), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const body = { ...request.body, seed: request.body.seed ?? 0 };
      await service.assertCanTrain(request.actor, body.projectId);
      const job = await jobs.submit(request.actor, { kind: TRAIN_FROM_EXPERIMENTS_JOB, projectId: body.projectId, payload: body, total: 1000 });
      return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    });

    app.get('/model-versions', {
      schema: {
        tags: ['models'], summary: 'Model versions you can see, newest first per target',
        querystring: VersionListQuery,
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('ModelVersionSummary')) }), ...ProblemResponses },
      },
    }, async (request) => ({ items: await service.list(request.actor, request.query) }));

    app.get('/model-versions/compare', {
      schema: {
        tags: ['models'],
        summary: 'Compare two versions on the same evaluation (stored when trained on the same data and folds, otherwise a is cross-validated again on b\'s data)',
        querystring: CompareQuery,
        response: { 200: CompareResponse, ...ProblemResponses },
      },
    }, async (request) => service.compare(request.actor, request.query.a, request.query.b));

    app.get('/model-versions/:id', {
      schema: { tags: ['models'], summary: 'One version with its full evaluation', params: IdParams, response: { 200: Type.Ref('ModelVersion'), ...ProblemResponses } },
    }, async (request) => service.get(request.actor, request.params.id));

    app.post('/model-versions/:id/activate', {
      schema: { tags: ['models'], summary: 'Make this the active version of its target (the previous one is retired)', params: IdParams, response: { 200: Type.Ref('ModelVersion'), ...ProblemResponses } },
    }, async (request) => service.activate(request.actor, request.params.id));

    app.post('/model-versions/:id/retire', {
      schema: { tags: ['models'], summary: 'Retire a version (it stays readable, and its ledger entries stay explainable)', params: IdParams, response: { 200: Type.Ref('ModelVersion'), ...ProblemResponses } },
    }, async (request) => service.retire(request.actor, request.params.id));

    app.patch('/model-versions/:id', {
      schema: {
        tags: ['models'], summary: 'Change who can see a version (the version itself is immutable)', params: IdParams,
        body: Type.Object({ visibility: VisibilitySchema }, { additionalProperties: false }),
        response: { 200: Type.Ref('ModelVersion'), ...ProblemResponses },
      },
    }, async (request) => service.setVisibility(request.actor, request.params.id, request.body.visibility));

    app.post('/model-versions/:id/predict', {
      schema: {
        tags: ['models'], summary: `Predict for up to 10,000 structures or registered molecules: value, interval, applicability domain; recorded in the ledger`,
        params: IdParams, body: PredictBody, response: { 200: PredictResponse, ...ProblemResponses },
      },
    }, async (request) => service.predict(request.actor, request.params.id, request.body));

    app.post('/models/:target/predict', {
      schema: {
        tags: ['models'], summary: 'Predict with the active version of a target (the project\'s own, else the instance-wide one)',
        params: TargetParams, body: PredictTargetBody, response: { 200: PredictResponse, ...ProblemResponses },
      },
    }, async (request) => {
      const { projectId, ...body } = request.body;
      const version = await service.resolveVersion(request.actor, { target: request.params.target, projectId: projectId ?? null });
      return service.predict(request.actor, version.id, body);
    });

    app.post('/model-versions/:id/evaluate', {
      schema: {
        tags: ['models'], summary: 'Metrics of this fixed version on new labelled data (with coverage and naive baselines)',
        params: IdParams, body: EvaluateBody, response: { 200: EvaluateResponse, ...ProblemResponses },
      },
    }, async (request) => service.evaluate(request.actor, request.params.id, request.body.content, request.body));

    app.post('/mixtures/:id/predictions', {
      schema: {
        tags: ['models'],
        summary: 'Predict a stored mixture\'s properties (solution Tg: Gordon–Taylor + learned residual, with the models used); recorded in the ledger',
        params: IdParams,
        body: Type.Object({
          level: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
          record: Type.Optional(Type.Boolean()),
          exposureMinutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100000, description: 'Exposure time for the viability (toxicity) prediction' })),
          protocol: Type.Optional(Type.Object({
            coolingRateKPerMin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e9 })),
            warmingRateKPerMin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e9 })),
            loading: Type.Optional(Type.Array(Type.Object({
              durationMin: Type.Number({ exclusiveMinimum: 0, maximum: 100000 }),
              temperatureC: Type.Number({ minimum: -273.15, maximum: 100 }),
            }, { additionalProperties: false }), { maxItems: 30 })),
          }, { additionalProperties: false, description: 'Protocol numbers for the learned viability model; training medians stand in for those not given' })),
        }, { additionalProperties: false }),
        response: { 200: MixturePredictionsResponse, ...ProblemResponses },
      },
    }, async (request) => models.mixtures.predict(request.actor, request.params.id, request.body ?? {}));

    app.get('/predictions', {
      schema: {
        tags: ['models'], summary: 'The prediction ledger: frozen predictions you can see, newest first',
        querystring: LedgerQuery, response: { 200: Type.Object({ items: Type.Array(LedgerItemSchema) }), ...ProblemResponses },
      },
    }, async (request) => ({ items: await service.ledger(request.actor, { ...request.query, limit: request.query.limit ?? 100 }) }));
  };
}
