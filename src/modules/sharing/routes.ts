import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { OneOf } from '../../lib/schema.ts';
import type { ShareService } from './service.ts';
import { VISIBLE_RESOURCES } from './visibility.ts';
import { VisibilitySchema } from './visibility-schema.ts';

const ResourceType = OneOf(['mixture', 'experiment'] as const);
const LinkSchema = Type.Object({
  id: Type.String(), resourceType: Type.String(), resourceId: Type.String(), projectId: Type.String(), passwordProtected: Type.Boolean(),
  createdAt: Type.String(), expiresAt: Type.String(), revoked: Type.Boolean(), accessCount: Type.Integer(),
});

export function shareRoutes(service: ShareService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/share-links', {
      schema: {
        tags: ['sharing'], summary: 'Create a read-only link to a mixture or experiment (owners, editors); the token is shown once',
        body: Type.Object({
          resourceType: ResourceType, resourceId: Type.String({ format: 'uuid' }),
          expiresInDays: Type.Integer({ minimum: 1, maximum: 365, default: 30 }), password: Type.Optional(Type.String({ maxLength: 200 })),
        }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            ...LinkSchema.properties, token: Type.String(),
            url: Type.String({ description: 'The JSON view (GET, no account needed)' }),
            viewUrl: Type.String({ description: 'The read-only page of the web UI; give this one to people' }),
          }),
          ...ProblemResponses,
        },
      },
    }, async (request, reply) => reply.code(201).send(await service.create(request.actor, request.body)));
    app.get('/share-links', {
      schema: {
        tags: ['sharing'], summary: 'Share links of projects you own or edit',
        querystring: Type.Object({ resourceType: Type.Optional(ResourceType), resourceId: Type.Optional(Type.String({ format: 'uuid' })) }),
        response: { 200: Type.Object({ items: Type.Array(LinkSchema) }), ...ProblemResponses },
      },
    }, async (request) => ({ items: await service.list(request.actor, request.query) }));
    app.delete('/share-links/:id', {
      schema: { tags: ['sharing'], summary: 'Revoke a share link', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null(), ...ProblemResponses } },
    }, async (request, reply) => {
      await service.revoke(request.actor, request.params.id);
      return reply.code(204).send(null);
    });
    for (const resourceType of VISIBLE_RESOURCES) {
      app.put(`/${resourceType}s/:id/visibility`, {
        schema: {
          tags: ['sharing', `${resourceType}s`],
          summary: `Make a project ${resourceType} public (readable by every signed-in account) or private to the project again (owners, editors)`,
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          body: Type.Object({ visibility: VisibilitySchema }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              resourceType: Type.String(), id: Type.String(), projectId: Type.String(), visibility: VisibilitySchema,
              changed: Type.Boolean({ description: 'false when it already had this visibility' }), detail: Type.String(),
            }),
            ...ProblemResponses,
          },
        },
      }, async (request) => service.visibility.set(request.actor, resourceType, request.params.id, request.body.visibility));
    }
    app.get('/shared/:token', {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['sharing'], summary: 'Open a share link (no account needed); password-protected links need the X-Share-Password header',
        params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
        headers: Type.Object({ 'x-share-password': Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    }, async (request, reply) => {
      const shared = await service.open(request.params.token, request.headers['x-share-password'], { ip: request.ip ?? null });
      // The token is in the URL: keep it out of caches and referrers.
      return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(shared);
    });
  };
}
