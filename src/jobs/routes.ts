import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../app/openapi.ts';
import { Problem } from '../app/problems.ts';
import type { Jobs } from './jobs.ts';
import { JobIdParams } from './schemas.ts';

export function jobRoutes(jobs: Pick<Jobs, 'get'>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/jobs/:id', {
      schema: {
        tags: ['jobs'],
        summary: 'Status, progress and result (e.g. an import\'s per-row report) of a job you started',
        params: JobIdParams,
        response: { 200: Type.Ref('Job'), ...ProblemResponses },
      },
    }, async (request) => {
      const job = await jobs.get(request.actor, request.params.id);
      if (!job) throw new Problem('not-found', `Job ${request.params.id} does not exist or is not yours`);
      return job;
    });
  };
}
