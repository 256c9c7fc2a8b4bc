import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { AddMemberBody, CreateProjectBody, MemberParams, ProjectParams, Role, UpdateProjectBody } from './schemas.ts';
import type { ProjectService } from './service.ts';

export function projectRoutes(service: ProjectService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const project = Type.Ref('Project');
    app.post('/projects', {
      schema: { tags: ['projects'], summary: 'Create a project; you become its owner', body: CreateProjectBody, response: { 201: project, ...ProblemResponses } },
    }, async (request, reply) => {
      const created = await service.create(request.actor, request.body);
      return reply.code(201).header('location', `/api/v1/projects/${created.id}`).send(created);
    });
    app.get('/projects', {
      schema: { tags: ['projects'], summary: 'Projects you are a member of, with your role', response: { 200: Type.Object({ items: Type.Array(project) }), ...ProblemResponses } },
    }, async (request) => ({ items: await service.list(request.actor) }));
    app.get('/projects/:id', {
      schema: { tags: ['projects'], summary: 'A project with its members (and pending invitations for owners)', params: ProjectParams, response: { 200: project, ...ProblemResponses } },
    }, async (request) => service.get(request.actor, request.params.id));
    app.patch('/projects/:id', {
      schema: { tags: ['projects'], summary: 'Rename or describe a project (owners)', params: ProjectParams, body: UpdateProjectBody, response: { 200: project, ...ProblemResponses } },
    }, async (request) => service.update(request.actor, request.params.id, request.body));
    app.delete('/projects/:id', {
      schema: {
        tags: ['projects'], summary: 'Delete a project and ALL its data (owners; confirm with the name)', params: ProjectParams,
        querystring: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 200 })) }), response: { 204: Type.Null(), ...ProblemResponses },
      },
    }, async (request, reply) => {
      await service.remove(request.actor, request.params.id, request.query.confirm);
      return reply.code(204).send(null);
    });
    app.post('/projects/:id/members', {
      schema: {
        tags: ['projects'], summary: 'Add a member by email (owners); unknown emails get an invitation accepted at sign-up',
        params: ProjectParams, body: AddMemberBody,
        response: { 201: Type.Object({ status: Type.Literal('added'), email: Type.String(), role: Role }), 202: Type.Object({ status: Type.Literal('invited'), email: Type.String(), role: Role }), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const result = await service.addMember(request.actor, request.params.id, request.body);
      return reply.code(result.status === 'added' ? 201 : 202).send(result);
    });
    app.patch('/projects/:id/members/:userId', {
      schema: { tags: ['projects'], summary: "Change a member's role (owners)", params: MemberParams, body: Type.Object({ role: Role }, { additionalProperties: false }), response: { 204: Type.Null(), ...ProblemResponses } },
    }, async (request, reply) => {
      await service.changeRole(request.actor, request.params.id, request.params.userId, request.body.role);
      return reply.code(204).send(null);
    });
    app.delete('/projects/:id/members/:userId', {
      schema: { tags: ['projects'], summary: 'Remove a member (owners) or leave (yourself)', params: MemberParams, response: { 204: Type.Null(), ...ProblemResponses } },
    }, async (request, reply) => {
      await service.removeMember(request.actor, request.params.id, request.params.userId);
      return reply.code(204).send(null);
    });
    app.post('/projects/:id/transfer', {
      schema: { tags: ['projects'], summary: 'Make another member the owner; you become an editor', params: ProjectParams, body: Type.Object({ userId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: { 200: project, ...ProblemResponses } },
    }, async (request) => service.transfer(request.actor, request.params.id, request.body.userId));
  };
}
