import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION, openRuntime, type Runtime } from '../../src/app/runtime.ts';
import { loadConfig } from '../../src/config.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

/**
 * Two app instances (replicas) on one PostgreSQL database: each keeps its own in-memory search index, and a write
 * through one must become searchable through the other (LISTEN/NOTIFY on molecules_changed).
 */
describeEachBackend('molecule search across replicas', (backend) => {
  let db: TestDatabase;
  let second: Runtime;
  let a: FastifyInstance;
  let b: FastifyInstance;

  beforeAll(async () => {
    if (backend !== 'postgres') return;
    db = await openTestDatabase(backend, { chem: true });
    second = await openRuntime(loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'local', DATABASE_URL: db.databaseUrl as string, CHEM_WORKERS: '1' }));
    a = await buildServer({ ...db.runtime, version: APP_VERSION });
    b = await buildServer({ ...second, version: APP_VERSION });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.close();
    await db?.close();
  });

  async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await probe();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it.runIf(backend === 'postgres')('a molecule registered on A is found by searches on B, and a delete on A removes it on B', async () => {
    const search = (app: FastifyInstance, smiles: string) =>
      app.inject({ method: 'POST', url: '/api/v1/molecules/search/similarity', payload: { smiles, k: 1 } }).then((r) => r.json() as { items: { id: string; similarity: number }[] });
    const substructure = (app: FastifyInstance, query: string) =>
      app.inject({ method: 'POST', url: '/api/v1/molecules/search/substructure', payload: { query, limit: 10 } }).then((r) => r.json() as { total: number; items: { id: string }[] });
    // B builds its index first, so only the change feed can tell it about the new row.
    const before = await search(b, 'OC1CCCCC1CO');
    expect(before.items[0]?.similarity ?? 0).toBeLessThan(1);
    expect((await substructure(b, 'OC1CCCCC1CO')).total).toBe(0);

    const created = await a.inject({ method: 'POST', url: '/api/v1/molecules', payload: { smiles: 'OC1CCCCC1CO', name: '2-(Hydroxymethyl)cyclohexanol' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const seen = await eventually(() => search(b, 'OC1CCCCC1CO'), (r) => r.items[0]?.id === id);
    expect(seen.items[0]).toMatchObject({ id, similarity: 1 });
    expect((await substructure(b, 'OC1CCCCC1CO')).items.map((i) => i.id)).toEqual([id]);

    // A batch on A (many notifications in one transaction) reaches B as well.
    const batch = await a.inject({ method: 'POST', url: '/api/v1/molecules:batch', payload: { molecules: [{ smiles: 'OC1CCCC1CO' }, { smiles: 'OC1CCC1CO' }] } });
    const ids = (batch.json().results as { id: string }[]).map((r) => r.id);
    const ring5 = await eventually(() => substructure(b, 'OC1CCCC1CO'), (r) => r.items.some((i) => i.id === ids[0]));
    expect(ring5.items.map((i) => i.id)).toContain(ids[0]);
    const ring4 = await eventually(() => search(b, 'OC1CCC1CO'), (r) => r.items[0]?.id === ids[1]);
    expect(ring4.items[0]?.id).toBe(ids[1]);

    expect((await a.inject({ method: 'DELETE', url: `/api/v1/molecules/${id}` })).statusCode).toBe(204);
    const gone = await eventually(() => substructure(b, 'OC1CCCCC1CO'), (r) => r.total === 0);
    expect(gone.total).toBe(0);
  });
});
