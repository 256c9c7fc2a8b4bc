// The two read endpoints the registry UI needs besides the registry itself: a depiction of any SMILES as typed
// (live preview in structure search) and the cited property values of a stored molecule.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const GLYCEROL_INCHIKEY = 'PEDCQBHIVMGVHV-UHFFFAOYSA-N';

describeEachBackend('molecule previews API', (backend) => {
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

  const depict = (query: string) => app.inject({ method: 'GET', url: `/api/v1/depict?${query}` });

  it('draws any SMILES as an SVG, and highlights matches of a query', async () => {
    const plain = await depict(`smiles=${encodeURIComponent('OCC(O)CO')}&width=240&height=160`);
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(plain.body).toMatch(/^[\s\S]*<svg[\s\S]*width='240px'[\s\S]*<\/svg>\s*$/);
    const highlighted = await depict(`smiles=${encodeURIComponent('OCC(O)CO')}&width=240&height=160&highlight=${encodeURIComponent('[OX2H]')}`);
    expect(highlighted.statusCode).toBe(200);
    expect(highlighted.body).not.toEqual(plain.body);
    // Nothing was registered: a preview is not a write.
    const list = (await app.inject({ method: 'GET', url: '/api/v1/molecules?q=OCC(O)CO' })).json() as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('answers unusable input with a 4xx problem naming the field', async () => {
    const garbage = await depict(`smiles=${encodeURIComponent('C1CC')}`);
    expect(garbage.statusCode).toBe(422);
    expect(garbage.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(garbage.json()).toMatchObject({ code: 'invalid-structure', errors: [{ field: 'smiles', in: 'querystring' }] });
    expect(garbage.json().detail).toMatch(/ring|parse/i);

    const badHighlight = await depict(`smiles=CCO&highlight=${encodeURIComponent('[C')}`);
    expect(badHighlight.statusCode).toBe(422);
    expect(badHighlight.json().errors[0].field).toBe('highlight');

    const missing = await depict('width=100');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('smiles');

    const tooLong = await depict(`smiles=${'C'.repeat(2001)}`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('smiles');

    const tooSmall = await depict('smiles=CCO&width=10');
    expect(tooSmall.statusCode).toBe(400);
    expect(tooSmall.json().errors[0].field).toBe('width');

    const unknown = await depict('smiles=CCO&colour=red');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('colour');
  });

  it('lists the cited property values of a molecule, the calculation default first', async () => {
    const glycerol = (await app.inject({ method: 'GET', url: `/api/v1/molecules?q=${GLYCEROL_INCHIKEY}` })).json().items[0] as { id: string };
    const res = await app.inject({ method: 'GET', url: `/api/v1/molecules/${glycerol.id}/properties` });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { property: string; value: number; unit: string; evidence: string; usedInCalculations: boolean; source: { id: string; doi: string | null } }[];
    const tg = items.filter((p) => p.property === 'tg');
    expect(tg.length).toBeGreaterThan(1);
    expect(tg[0]).toMatchObject({ value: 190, unit: 'K', usedInCalculations: true, source: { id: 'koop2011' } });
    expect(tg[0]!.source.doi).toMatch(/^10\./);
    expect(tg.slice(1).every((p) => !p.usedInCalculations)).toBe(true);
    expect(items.find((p) => p.property === 'density')).toMatchObject({ value: 1.2613, unit: 'g/mL', evidence: 'L' });

    // A structure the reference data does not know has no values; an unknown id is a 404.
    const created = await app.inject({ method: 'POST', url: '/api/v1/molecules', payload: { smiles: 'OCCCCCCCCO' } });
    const none = await app.inject({ method: 'GET', url: `/api/v1/molecules/${created.json().id}/properties` });
    expect(none.json()).toEqual({ items: [] });
    const missing = await app.inject({ method: 'GET', url: '/api/v1/molecules/00000000-0000-4000-8000-000000000000/properties' });
    expect(missing.statusCode).toBe(404);
  });
});
