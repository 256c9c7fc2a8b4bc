import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import type { Db } from '../../db/db.ts';
import { EvaluateMixtureBody, MixtureEvaluationSchema } from './schemas.ts';
import { createMixtureService } from './service.ts';

/** Stateless formulation evaluation. Register inside the /api/v1 prefix. */
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
          '(componentId from the reference data). Numbers that need a missing cited parameter are null with a note; amounts that cannot be ' +
          'converted answer 422 naming components[i].<field>.',
        body: EvaluateMixtureBody,
        response: { 200: MixtureEvaluationSchema, ...ProblemResponses },
      },
    }, async (request) => service.evaluate(request.actor, request.body));
  };
}
