import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { experimentsCsv } from './export.ts';
import { CreateExperimentBody, EventSchema, StateSchema, TransitionBody, UpdateExperimentBody } from './schemas.ts';
import type { ExperimentService } from './service.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function experimentRoutes(service: ExperimentService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const experiment = Type.Ref('Experiment');
    app.post('/experiments', {
      schema: { tags: ['experiments'], summary: 'Record an experiment (starts as a draft)', body: CreateExperimentBody, response: { 201: experiment, ...ProblemResponses } },
    }, async (request, reply) => {
      const created = await service.create(request.actor, request.body);
      return reply.code(201).header('location', `/api/v1/experiments/${created.id}`).send(created);
    });
    app.get('/experiments', {
      schema: {
        tags: ['experiments'], summary: 'Experiments visible to you, most recently changed first',
        querystring: Type.Object({ projectId: Type.Optional(Type.String({ format: 'uuid' })), state: Type.Optional(StateSchema), mine: Type.Optional(Type.Boolean()), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: { 200: Type.Object({ items: Type.Array(experiment) }), ...ProblemResponses },
      },
    }, async (request) => ({ items: await service.list(request.actor, request.query) }));
    app.get('/experiments/review-queue', {
      schema: {
        tags: ['experiments'], summary: 'Submitted or in-review experiments you may review (reviewer role, not your own)',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: { 200: Type.Object({ items: Type.Array(experiment) }), ...ProblemResponses },
      },
    }, async (request) => ({ items: await service.reviewQueue(request.actor, request.query.limit) }));
    app.get('/experiments/export', {
      schema: {
        tags: ['experiments'], summary: 'Export experiments with protocol, results and verification (supplementary data)',
        querystring: Type.Object({ projectId: Type.Optional(Type.String({ format: 'uuid' })), state: Type.Optional(StateSchema), format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }) }),
        produces: ['application/json', 'text/csv'],
      },
    }, async (request, reply) => {
      const items = await service.list(request.actor, { projectId: request.query.projectId, state: request.query.state, limit: 500 });
      const rows = await Promise.all(items.map(async (e) => {
        const events = await service.events(request.actor, e.id);
        const verified = events.findLast((v) => v.to === 'verified');
        return { experiment: e, events, verification: { by: verified?.actorEmail ?? null, at: verified?.at ?? null } };
      }));
      const stamp = new Date().toISOString().slice(0, 10);
      if (request.query.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="experiments-${stamp}.csv"`).send(experimentsCsv(rows));
      }
      return reply.header('content-disposition', `attachment; filename="experiments-${stamp}.json"`)
        .send({ exportedAt: new Date().toISOString(), items: rows.map((r) => ({ ...r.experiment, verificationHistory: r.events.map(({ snapshot: _s, ...rest }) => rest) })) });
    });
    app.get('/experiments/:id', {
      schema: { tags: ['experiments'], summary: 'One experiment with its results', params: IdParams, response: { 200: experiment, ...ProblemResponses } },
    }, async (request) => service.get(request.actor, request.params.id));
    app.put('/experiments/:id', {
      schema: {
        tags: ['experiments'], summary: 'Edit a draft (or one sent back for changes); editing a verified experiment creates a new revision (201)',
        params: IdParams, body: UpdateExperimentBody, response: { 200: experiment, 201: experiment, ...ProblemResponses },
      },
    }, async (request, reply) => {
      const { experiment: e, revised } = await service.update(request.actor, request.params.id, request.body);
      if (revised) return reply.code(201).header('location', `/api/v1/experiments/${e.id}`).send(e);
      return e;
    });
    app.post('/experiments/:id/transitions', {
      schema: {
        tags: ['experiments'], summary: 'Move through the verification workflow; 409 for an illegal transition, 403 when you may not make it',
        params: IdParams, body: TransitionBody, response: { 200: experiment, ...ProblemResponses },
      },
    }, async (request) => service.transition(request.actor, request.params.id, request.body.to, request.body.comment));
    app.get('/experiments/:id/events', {
      schema: { tags: ['experiments'], summary: 'The ordered verification history', params: IdParams, response: { 200: Type.Object({ items: Type.Array(EventSchema) }), ...ProblemResponses } },
    }, async (request) => ({ items: await service.events(request.actor, request.params.id) }));
    app.get('/experiments/:id/comparison', {
      schema: { tags: ['experiments'], summary: 'Each result next to what was predicted for the formulation', params: IdParams },
    }, async (request) => ({ items: await service.comparison(request.actor, request.params.id) }));
  };
}
