import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { Problem } from '../../app/problems.ts';
import { EXPORT_CONTENT_TYPES, renderExport } from './export-stream.ts';
import { IMPORT_JOB, importRows } from './import-job.ts';
import { ImportFileError } from './import-rows.ts';
import { measuredProperties } from './measured-properties.ts';
import { scienceReference } from '../mixtures/reference.ts';
import type { MoleculeRegistry } from './registry.ts';
import {
  BatchBody, BatchResponse, CreateMoleculeBody, DepictionQuery, DepictSmilesQuery, ExportQuery, ImportBody, MeasuredPropertyList, MoleculeIdParams, MoleculeListQuery,
  MoleculeListSchema, SearchResponse, SimilarityBody, SubstructureBody, UpdateMoleculeBody,
} from './schemas.ts';

export function moleculeRoutes(registry: MoleculeRegistry): FastifyPluginAsyncTypebox {
  const { service, jobs } = registry;
  return async (app) => {
    app.addHook('onClose', async () => registry.close());

    app.get('/molecules', {
      schema: {
        tags: ['molecules'],
        summary: 'List molecules visible to you (public reference data and your projects), filtered and sorted',
        querystring: MoleculeListQuery,
        response: { 200: MoleculeListSchema, ...ProblemResponses },
      },
    }, async (request) => service.list(request.actor, request.query));

    app.post('/molecules', {
      schema: {
        tags: ['molecules'],
        summary: 'Register a structure from SMILES or a molblock / SD record; an existing structure in the same scope is returned with 200',
        body: CreateMoleculeBody,
        response: { 200: Type.Ref('MoleculeDetail'), 201: Type.Ref('MoleculeDetail'), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const { molecule, created } = await service.register(request.actor, request.body);
      return reply.code(created ? 201 : 200).header('location', `/api/v1/molecules/${molecule.id}`).send(molecule);
    });

    // "::" is an escaped colon in Fastify paths: the route is literally /molecules:batch.
    app.post('/molecules::batch', {
      schema: {
        tags: ['molecules'],
        summary: 'Register up to 10,000 structures; per-row results, good rows kept when others fail',
        body: BatchBody,
        response: { 200: BatchResponse, ...ProblemResponses },
      },
    }, async (request) => {
      const results = await service.registerMany(request.actor, request.body.projectId ?? null, request.body.molecules);
      return { results };
    });

    app.post('/molecules/search/similarity', {
      schema: {
        tags: ['molecules'],
        summary: 'Tanimoto similarity search (Morgan r=2, 2048 bits): top-k or threshold, optional descriptor filters',
        body: SimilarityBody,
        response: { 200: SearchResponse, ...ProblemResponses },
      },
    }, async (request) => service.similarity(request.actor, request.body));

    app.post('/molecules/search/substructure', {
      schema: {
        tags: ['molecules'],
        summary: 'Substructure search (SMARTS, or SMILES): pattern-fingerprint pre-screen, exact RDKit match; total is the exact count',
        body: SubstructureBody,
        response: { 200: SearchResponse, ...ProblemResponses },
      },
    }, async (request) => service.substructure(request.actor, request.body));

    app.post('/molecules/imports', {
      schema: {
        tags: ['molecules'],
        summary: 'Import a CSV or SD file as a job; poll GET /jobs/{id} for progress and the per-row report',
        body: ImportBody,
        response: { 202: Type.Ref('Job'), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const projectId = request.body.projectId ?? null;
      try {
        importRows(request.body); // whole-file problems are answered now, not discovered in the job
      } catch (error) {
        if (error instanceof ImportFileError) {
          throw new Problem('unprocessable', error.message, [{ field: error.field, in: 'body', message: error.message }]);
        }
        throw error;
      }
      await service.assertCanWrite(request.actor, projectId);
      const job = await jobs.submit(request.actor, { kind: IMPORT_JOB, projectId, payload: request.body });
      return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    });

    app.get('/molecules/export', {
      schema: {
        tags: ['molecules'],
        summary: 'Export the selected molecules (same filters as the list) as CSV, SD file or JSON, with descriptors, identifiers and sources',
        querystring: ExportQuery,
        produces: ['text/csv', 'chemical/x-mdl-sdfile', 'application/json'],
        response: { 200: Type.String(), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const { format, ...selection } = request.query;
      const { Readable } = await import('node:stream');
      const stream = Readable.from(renderExport(format, service.iterate(request.actor, selection)));
      return reply
        .type(EXPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="molecules.${format}"`)
        .send(stream);
    });

    app.get('/molecules/:id', {
      schema: {
        tags: ['molecules'],
        summary: 'One molecule with its descriptors, identifiers and standardization report',
        params: MoleculeIdParams,
        response: { 200: Type.Ref('MoleculeDetail'), ...ProblemResponses },
      },
    }, async (request) => service.get(request.actor, request.params.id));

    app.patch('/molecules/:id', {
      schema: {
        tags: ['molecules'],
        summary: 'Edit name, synonyms and identifiers (PubChem CID, ChEMBL id, CAS number); null clears a value',
        params: MoleculeIdParams,
        body: UpdateMoleculeBody,
        response: { 200: Type.Ref('MoleculeDetail'), ...ProblemResponses },
      },
    }, async (request) => service.update(request.actor, request.params.id, request.body));

    app.delete('/molecules/:id', {
      schema: {
        tags: ['molecules'],
        summary: 'Delete a molecule (owners and editors of its project; administrators for reference data)',
        params: MoleculeIdParams,
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    }, async (request, reply) => {
      await service.remove(request.actor, request.params.id);
      return reply.code(204).send(null);
    });

    app.get('/molecules/:id/properties', {
      schema: {
        tags: ['molecules'],
        summary: 'Cited property values (density, Tg, Gordon–Taylor parameters…) from the science reference data, by InChIKey',
        params: MoleculeIdParams,
        response: { 200: MeasuredPropertyList, ...ProblemResponses },
      },
    }, async (request) => {
      const molecule = await service.get(request.actor, request.params.id); // 404 unless visible to the caller
      return { items: measuredProperties(scienceReference().data, molecule.inchikey) };
    });

    app.get('/molecules/:id/depiction.svg', {
      schema: {
        tags: ['molecules'],
        summary: '2D depiction as SVG (RDKit); ?highlight=<SMARTS or SMILES> highlights every match',
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

    // For live previews of a structure being typed (structure search, forms): draws the SMILES as given, touches no
    // stored data. Signed-in callers only, like the rest of the API, because each call costs a chem worker.
    app.get('/depict', {
      schema: {
        tags: ['molecules'],
        summary: '2D depiction (SVG) of any SMILES as typed; ?highlight=<SMARTS or SMILES> highlights every match',
        querystring: DepictSmilesQuery,
        produces: ['image/svg+xml'],
        response: { 200: Type.String({ description: 'SVG document' }), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const { smiles, ...size } = request.query;
      const svg = await service.depictSmiles(smiles, size);
      // The picture depends only on the query string, so any cache may keep it.
      return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(svg);
    });
  };
}
