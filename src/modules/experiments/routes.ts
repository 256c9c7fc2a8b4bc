import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { Problem } from '../../app/problems.ts';
import { OneOf } from '../../lib/schema.ts';
import { experimentsCsv } from './export.ts';
import { CreateExperimentBody, EventSchema, StateSchema, TransitionBody, UpdateExperimentBody } from './schemas.ts';
import type { ExperimentService } from './service.ts';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, type ExperimentExtras } from './extras.ts';
import { RESULT_COLUMNS } from './results-import.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function experimentRoutes(service: ExperimentService, extras: ExperimentExtras): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Scoped to this plugin: raw uploads arrive as bytes, results files as text; JSON stays the default elsewhere.
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES + 1 }, (_req, body, done) => done(null, body));
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    const AttachmentSchema = Type.Object({ id: Type.String(), filename: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer(), sha256: Type.String(), createdAt: Type.String() });
    app.get('/sample-types', {
      schema: {
        tags: ['experiments'], summary: 'Reusable sample types (cell lines, tissues, organisms) visible to you',
        querystring: Type.Object({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), projectId: Type.Union([Type.String(), Type.Null()]), name: Type.String(), kind: Type.String(), species: Type.Union([Type.String(), Type.Null()]) })) }), ...ProblemResponses },
      },
    }, async (request) => ({ items: await extras.sampleTypes(request.actor, request.query.q) }));
    app.get('/projects/:id/experiment-stats', {
      schema: { tags: ['experiments'], summary: 'Verification rate, by equipment, by reviewer, and Tg prediction error over time', params: IdParams },
    }, async (request) => extras.stats(request.actor, request.params.id));
    app.post('/experiments/:id/results::import', {
      schema: {
        tags: ['experiments'], summary: `Append results from CSV (text/csv; columns ${RESULT_COLUMNS.join(', ')}); good rows are kept, bad rows reported by line`,
        params: IdParams, consumes: ['text/csv'],
        response: { 200: Type.Object({ added: Type.Integer(), invalid: Type.Integer(), rows: Type.Array(Type.Object({ line: Type.Integer(), status: Type.String(), errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))) })) }), ...ProblemResponses },
      },
    }, async (request) => {
      if (typeof request.body !== 'string') throw new Problem('unsupported-media-type', 'Send the file as text/csv');
      return extras.importResults(request.actor, request.params.id, request.body);
    });
    app.post('/experiments/:id/attachments', {
      bodyLimit: ATTACHMENT_MAX_BYTES + 1,
      schema: {
        tags: ['experiments'], summary: `Attach a raw file (body: application/octet-stream, at most ${ATTACHMENT_MAX_BYTES / 1048576} MiB)`,
        params: IdParams, consumes: ['application/octet-stream'],
        querystring: Type.Object({ filename: Type.String({ minLength: 1, maxLength: 255 }), contentType: OneOf(ATTACHMENT_TYPES) }),
        response: { 201: AttachmentSchema, ...ProblemResponses },
      },
    }, async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) throw new Problem('unsupported-media-type', 'Send the file bytes as application/octet-stream');
      const saved = await extras.addAttachment(request.actor, request.params.id, { filename: request.query.filename, contentType: request.query.contentType, data: request.body });
      return reply.code(201).header('location', `/api/v1/experiments/${request.params.id}/attachments/${saved.id}`).send(saved);
    });
    app.get('/experiments/:id/attachments', {
      schema: { tags: ['experiments'], summary: 'Files attached to an experiment', params: IdParams, response: { 200: Type.Object({ items: Type.Array(AttachmentSchema) }), ...ProblemResponses } },
    }, async (request) => ({ items: await extras.listAttachments(request.actor, request.params.id) }));
    const AttachmentParams = Type.Object({ id: Type.String({ format: 'uuid' }), attachmentId: Type.String({ format: 'uuid' }) });
    app.get('/experiments/:id/attachments/:attachmentId', {
      schema: { tags: ['experiments'], summary: 'Download an attachment', params: AttachmentParams },
    }, async (request, reply) => {
      const file = await extras.getAttachment(request.actor, request.params.id, request.params.attachmentId);
      // Always a download, never rendered inline: uploaded content must not run in our origin.
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename.replace(/["\r\n]/g, '_')}"`)
        .header('x-content-type-options', 'nosniff').send(file.data);
    });
    app.delete('/experiments/:id/attachments/:attachmentId', {
      schema: { tags: ['experiments'], summary: 'Remove an attachment (while the experiment is editable)', params: AttachmentParams, response: { 204: Type.Null(), ...ProblemResponses } },
    }, async (request, reply) => {
      await extras.removeAttachment(request.actor, request.params.id, request.params.attachmentId);
      return reply.code(204).send(null);
    });
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
