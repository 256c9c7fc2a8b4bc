import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import type { Db } from '../../db/db.ts';
import { exportCsv, exportFilename, exportJson } from './export.ts';
import {
  CompareBody,
  CompareResponse,
  ComponentListQuery,
  ComponentListSchema,
  CreateMixtureBody,
  EvaluateMixtureBody,
  ExportQuery,
  MixtureDetailSchema,
  MixtureEvaluationSchema,
  MixtureIdParams,
  MixtureListQuery,
  MixtureListSchema,
  TgCurveQuery,
  TgCurveSchema,
  UpdateMixtureBody,
} from './schemas.ts';
import { createMixtureService } from './service.ts';

const DETAIL = Type.Ref('MixtureDetail');

/** Shared schemas routes $ref; registered once at the root (src/app/modules.ts) so OpenAPI names them. */
export const MIXTURE_SCHEMAS = [MixtureDetailSchema];

/** Formulations: stateless evaluation, stored mixtures, comparison, export, Tg curves. Register inside /api/v1. */
export function mixtureRoutes(db: Db): FastifyPluginAsyncTypebox {
  const service = createMixtureService(db);
  return async (app) => {
    // "::" escapes the colon: the path is the literal /mixtures:evaluate (a custom method, AIP-136 style), not a parameter.
    app.post('/mixtures::evaluate', {
      schema: {
        tags: ['mixtures'],
        summary: 'Evaluate a formulation without saving it: composition in every unit, Gordon–Taylor Tg, q_v*, ideal osmolality',
        description:
          'Water is the balance. Each component is a molecule (inchikey or moleculeId, visible to you) or a non-structural component ' +
          '(componentId, a key from GET /components). Numbers that need a missing cited parameter are null with a note; amounts that cannot be ' +
          'converted answer 422 naming components[i].<field>.',
        body: EvaluateMixtureBody,
        response: { 200: MixtureEvaluationSchema, ...ProblemResponses },
      },
    }, async (request) => service.evaluate(request.actor, request.body));

    app.get('/mixtures', {
      schema: {
        tags: ['mixtures'],
        summary: 'List mixtures visible to you (public reference recipes and your projects), sorted by name',
        querystring: MixtureListQuery,
        response: { 200: MixtureListSchema, ...ProblemResponses },
      },
    }, async (request) => service.list(request.actor, request.query));

    app.post('/mixtures', {
      schema: {
        tags: ['mixtures'],
        summary: 'Save a formulation; it must evaluate (422 exactly as :evaluate otherwise) and its name must be free in its scope (409)',
        body: CreateMixtureBody,
        response: { 201: DETAIL, ...ProblemResponses },
      },
    }, async (request, reply) => {
      const detail = await service.create(request.actor, request.body);
      return reply.code(201).header('location', `/api/v1/mixtures/${detail.id}`).send(detail);
    });

    app.post('/mixtures::compare', {
      schema: {
        tags: ['mixtures'],
        summary: 'Two to four mixtures side by side, each with its derived block, in the order asked',
        body: CompareBody,
        response: { 200: CompareResponse, ...ProblemResponses },
      },
    }, async (request) => ({ items: await service.compare(request.actor, request.body.ids) }));

    app.get('/mixtures/:id', {
      schema: {
        tags: ['mixtures'],
        summary: 'One mixture with its components and derived quantities, recomputed now',
        description: 'When the stored recipe cannot be evaluated, derived is null and derivedError carries the reason (the 422 :evaluate would give).',
        params: MixtureIdParams,
        response: { 200: DETAIL, ...ProblemResponses },
      },
    }, async (request) => service.get(request.actor, request.params.id));

    app.put('/mixtures/:id', {
      schema: {
        tags: ['mixtures'],
        summary: 'Replace name, description, carrier, solution density and components in one transaction; a 422 changes nothing',
        params: MixtureIdParams,
        body: UpdateMixtureBody,
        response: { 200: DETAIL, ...ProblemResponses },
      },
    }, async (request) => service.update(request.actor, request.params.id, request.body));

    app.delete('/mixtures/:id', {
      schema: {
        tags: ['mixtures'],
        summary: 'Delete a mixture (public reference mixtures: administrators only)',
        params: MixtureIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...ProblemResponses },
      },
    }, async (request, reply) => {
      await service.remove(request.actor, request.params.id);
      return reply.code(204).send(null);
    });

    app.get('/mixtures/:id/export', {
      schema: {
        tags: ['mixtures'],
        summary: 'Download the full recipe, derived quantities, assumptions and citations as JSON or CSV (layout in docs/formulations.md)',
        params: MixtureIdParams,
        querystring: ExportQuery,
        produces: ['application/json', 'text/csv'],
        response: {
          200: Type.String({ description: 'The export document (a JSON object for format=json, CSV text for format=csv)' }),
          ...ProblemResponses,
        },
      },
    }, async (request, reply) => {
      const detail = await service.get(request.actor, request.params.id);
      const format = request.query.format;
      reply.header('content-disposition', `attachment; filename="${exportFilename(detail, format)}"`).header('cache-control', 'private, no-store');
      // Serialized here, not by the response schema: the body is a document, not an API object.
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').serializer((p) => p as string).send(exportCsv(detail));
      return reply.type('application/json; charset=utf-8').serializer((p) => p as string).send(`${JSON.stringify(exportJson(detail, new Date()), null, 2)}\n`);
    });

    app.get('/mixtures/:id/tg-curve', {
      schema: {
        tags: ['mixtures'],
        summary: 'Tg versus mass fraction for one molecule of the mixture in a binary with water (Gordon–Taylor, cited parameters only)',
        params: MixtureIdParams,
        querystring: TgCurveQuery,
        response: { 200: TgCurveSchema, ...ProblemResponses },
      },
    }, async (request) => service.tgCurve(request.actor, request.params.id, request.query));

    app.get('/components', {
      schema: {
        tags: ['mixtures'],
        summary: 'Non-structural components (polymers, ice blockers, carriers) visible to you, for recipe builders',
        querystring: ComponentListQuery,
        response: { 200: ComponentListSchema, ...ProblemResponses },
      },
    }, async (request) => ({ items: await service.components(request.actor, request.query.q) }));
  };
}
