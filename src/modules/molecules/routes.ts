import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { CreateMoleculeBody, DepictionQuery, MoleculeIdParams, MoleculeListQuery, MoleculeListSchema } from './schemas.ts';
import type { MoleculeService } from './service.ts';

export function moleculeRoutes(service: MoleculeService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/molecules', {
      schema: {
        tags: ['molecules'],
        summary: 'List molecules visible to you (public reference data and your projects), sorted by name',
        querystring: MoleculeListQuery,
        response: { 200: MoleculeListSchema, ...ProblemResponses },
      },
    }, async (request) => service.list(request.actor, request.query));

    app.post('/molecules', {
      schema: {
        tags: ['molecules'],
        summary: 'Register a structure from SMILES; an existing structure in the same scope is returned with 200',
        body: CreateMoleculeBody,
        response: { 200: Type.Ref('MoleculeDetail'), 201: Type.Ref('MoleculeDetail'), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const { molecule, created } = await service.register(request.actor, request.body);
      return reply.code(created ? 201 : 200).header('location', `/api/v1/molecules/${molecule.id}`).send(molecule);
    });

    app.get('/molecules/:id', {
      schema: {
        tags: ['molecules'],
        summary: 'One molecule with its descriptors and standardization report',
        params: MoleculeIdParams,
        response: { 200: Type.Ref('MoleculeDetail'), ...ProblemResponses },
      },
    }, async (request) => service.get(request.actor, request.params.id));

    app.get('/molecules/:id/depiction.svg', {
      schema: {
        tags: ['molecules'],
        summary: '2D depiction as SVG (RDKit)',
        params: MoleculeIdParams,
        querystring: DepictionQuery,
        produces: ['image/svg+xml'],
        response: { 200: Type.String({ description: 'SVG document' }), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const svg = await service.depiction(request.actor, request.params.id, request.query);
      // Private: visibility depends on who asks.
      return reply.type('image/svg+xml').header('cache-control', 'private, max-age=3600').send(svg);
    });
  };
}
