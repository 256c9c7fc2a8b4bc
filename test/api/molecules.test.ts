import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

describeEachBackend('molecules API', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: true });
    app = await buildServer({ ...db.runtime, version: APP_VERSION });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('registers a structure from SMILES with canonical identity and a Location header', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/molecules', payload: { smiles: 'OC(C)C', name: 'Isopropanol' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ canonicalSmiles: 'CC(C)O', inchikey: 'KFZMGEQAYNKOFK-UHFFFAOYSA-N', formula: 'C3H8O', name: 'Isopropanol' });
    expect(body.molecularWeight).toBeCloseTo(60.096, 2);
    expect(res.headers.location).toBe(`/api/v1/molecules/${body.id}`);
    const again = await app.inject({ method: 'POST', url: '/api/v1/molecules', payload: { smiles: 'CC(O)C' } });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(body.id);
    expect(again.headers.location).toBe(`/api/v1/molecules/${body.id}`);
  });

  it('answers invalid SMILES with a 422 problem naming the field and giving RDKit\'s reason', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/molecules', payload: { smiles: 'C1CC' } });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const problem = res.json();
    expect(problem).toMatchObject({ status: 422, code: 'invalid-structure', type: '/api/v1/problems/invalid-structure' });
    expect(problem.errors[0].field).toBe('smiles');
    expect(problem.detail).toMatch(/ring|parse/i);
  });

  it('answers schema violations with 400 and every offending field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/molecules', payload: { smile: 'CCO', name: '' } });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['name', 'smile']); // smiles or molblock: the service, not the schema, requires one (registry tests)
    const notJson = await app.inject({ method: 'POST', url: '/api/v1/molecules', headers: { 'content-type': 'application/json' }, payload: '{"smiles":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('invalid-request');
    const plain = await app.inject({ method: 'POST', url: '/api/v1/molecules', headers: { 'content-type': 'text/plain' }, payload: 'CCO' });
    expect(plain.statusCode).toBe(415);
    expect(plain.json().code).toBe('unsupported-media-type');
    const huge = await app.inject({ method: 'POST', url: '/api/v1/molecules', payload: { smiles: 'C'.repeat(100_001) } });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().errors[0].field).toBe('smiles');
  });

  it('lists the seeded reference molecules with stable cursor pagination', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await app.inject({ method: 'GET', url: `/api/v1/molecules?limit=7${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string; name: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(32);
    const search = await app.inject({ method: 'GET', url: '/api/v1/molecules?q=DMSO' });
    expect(search.json().items.map((m: { inchikey: string }) => m.inchikey)).toEqual(['IAZDPXIOMUYVGZ-UHFFFAOYSA-N']);
    const glycerol = (await app.inject({ method: 'GET', url: '/api/v1/molecules?q=PEDCQBHIVMGVHV-UHFFFAOYSA-N' })).json().items[0];
    expect(glycerol).toMatchObject({ name: 'Glycerol', canonicalSmiles: 'OCC(O)CO', source: { key: 'polge1949', doi: '10.1038/164666a0' } });
  });

  it('rejects a forged cursor and out-of-range limits with 400', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/molecules?cursor=abc' })).json().errors[0].field).toBe('cursor');
    expect((await app.inject({ method: 'GET', url: '/api/v1/molecules?limit=0' })).json().errors[0].field).toBe('limit');
  });

  it('returns one molecule, its SVG depiction, and 404 problems for unknown ids', async () => {
    const list = (await app.inject({ method: 'GET', url: '/api/v1/molecules?q=Glycerol' })).json();
    // The query also matches synonyms ("glycerol 1-methyl ether"), so pick the exact name.
    expect(list.items.length).toBeGreaterThan(1);
    const id = list.items.find((m: { name: string }) => m.name === 'Glycerol').id;
    const one = await app.inject({ method: 'GET', url: `/api/v1/molecules/${id}` });
    expect(one.json().descriptors.NumHBD).toBe(3);
    const svg = await app.inject({ method: 'GET', url: `/api/v1/molecules/${id}/depiction.svg?width=200&height=150` });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(svg.body).toMatch(/<svg[\s\S]*<\/svg>/);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/molecules/00000000-0000-4000-8000-00000000ffff' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('not-found');
    const badId = await app.inject({ method: 'GET', url: '/api/v1/molecules/not-a-uuid' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().errors[0]).toMatchObject({ field: 'id', in: 'params' });
  });

  it('serves health, readiness, metrics and an OpenAPI 3.1 document generated from the route schemas', async () => {
    expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toMatchObject({ status: 'ready', database: backend });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/molecules"/);
    expect(metrics.body).toMatch(/db_query_duration_seconds_count\{backend="/);
    expect(metrics.body).toMatch(/process_resident_memory_bytes/);
    const spec = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/molecules', '/api/v1/molecules/{id}', '/api/v1/molecules/{id}/depiction.svg']));
    // smiles or molblock (exactly one, checked by the service), so the schema itself requires neither.
    expect(Object.keys(spec.paths['/api/v1/molecules'].post.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['smiles', 'molblock']));
    const docs = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    const problemType = (await app.inject({ method: 'GET', url: '/api/v1/problems/invalid-structure' })).json();
    expect(problemType.status).toBe(422);
  });

  it('propagates a valid incoming request id and reports the acting user', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/meta', headers: { 'x-request-id': 'lab-trace-42' } });
    expect(res.headers['x-request-id']).toBe('lab-trace-42');
    expect(res.json()).toMatchObject({ name: 'CryoProtect', database: backend === 'pglite' ? 'embedded' : 'postgres', actor: { isAdmin: true } });
  });
});
