import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { signUp, type AccountClient } from '../helpers/accounts.ts';

describeEachBackend('share links (AUTH_MODE=accounts)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const tag = `${backend}-${Date.now()}`;
  let ip = 0;
  let owner: AccountClient;
  let viewer: AccountClient;
  let projectId: string;
  let mixtureId: string;

  const account = (name: string) => signUp(app, `${name}-${tag}@lab.test`, name, `10.7.0.${++ip}`);
  const open = (url: string, password?: string, remoteAddress = '10.8.0.1') =>
    app.inject({ method: 'GET', url: new URL(url).pathname, headers: password ? { 'x-share-password': password } : {}, remoteAddress });

  beforeAll(async () => {
    db = await openTestDatabase(backend, { env: { AUTH_MODE: 'accounts' } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION, mailer: { send: async () => {} } });
    owner = await account('owner');
    viewer = await account('viewer');
    projectId = (await owner.call('POST', '/api/v1/projects', { name: 'Shared lab' })).body.id;
    await owner.call('POST', `/api/v1/projects/${projectId}/members`, { email: viewer.email, role: 'viewer' });
    mixtureId = (await owner.call('POST', '/api/v1/mixtures', { name: 'Our 40 % glycerol', projectId, components: [{ inchikey: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N', amount: 40, unit: '%w/w' }] })).body.id;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('opens a shared mixture without an account, read-only, and counts the visits', async () => {
    const link = await owner.call('POST', '/api/v1/share-links', { resourceType: 'mixture', resourceId: mixtureId, expiresInDays: 7 });
    expect(link.status).toBe(201);
    expect(link.body.token).toMatch(/^cpl_/);
    const res = await open(link.body.url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({ resourceType: 'mixture', resource: { id: mixtureId, name: 'Our 40 % glycerol' } });
    expect(res.json().resource.derived.components[0].massFraction).toBeCloseTo(0.4, 12);
    const write = await app.inject({ method: 'DELETE', url: `/api/v1/mixtures/${mixtureId}` });
    expect(write.statusCode).toBe(401);
    expect((await owner.call('GET', `/api/v1/share-links?resourceId=${mixtureId}`)).body.items[0].accessCount).toBe(1);
  });

  it('requires the password of a protected link, throttles guessing, and hides unknown tokens', async () => {
    const link = (await owner.call('POST', '/api/v1/share-links', { resourceType: 'mixture', resourceId: mixtureId, expiresInDays: 1, password: 'lab-secret-42' })).body;
    expect((await open(link.url)).statusCode).toBe(401);
    expect((await open(link.url, 'wrong')).statusCode).toBe(401);
    expect((await open(link.url, 'lab-secret-42')).statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await open(link.url, 'guess', '10.8.0.2')).statusCode);
    expect(statuses.at(-1)).toBe(429);
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/shared/cpl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/shared/nonsense' })).statusCode).toBe(404);
  });

  it('shares an experiment with its results and review history, but not who reviewed it', async () => {
    const experiment = (await owner.call('POST', '/api/v1/experiments', {
      projectId, mixtureId, title: 'Shared viability run', sample: { name: 'Shared cells', kind: 'cell' },
      protocol: { loading: [], removal: [] }, results: [{ measurement: 'post_thaw_viability', unit: '%', replicates: [70, 74] }],
    })).body;
    expect((await owner.call('POST', `/api/v1/experiments/${experiment.id}/transitions`, { to: 'submitted' })).status).toBe(200);
    const link = (await owner.call('POST', '/api/v1/share-links', { resourceType: 'experiment', resourceId: experiment.id, expiresInDays: 2 })).body;
    const res = await open(link.url);
    expect(res.statusCode).toBe(200);
    const shared = res.json().resource;
    expect(shared).toMatchObject({ id: experiment.id, title: 'Shared viability run', state: 'submitted' });
    expect(shared.results[0].mean).toBeCloseTo(72, 10);
    expect(shared.events).toHaveLength(1);
    expect(shared.events[0]).toMatchObject({ from: 'draft', to: 'submitted' });
    expect(shared.events[0]).not.toHaveProperty('actorEmail');
    expect(shared.events[0]).not.toHaveProperty('actorId');
    expect(res.body).not.toContain(owner.email);
  });

  it('stops working when revoked, expired, or when the creator loses access; viewers cannot share', async () => {
    expect((await viewer.call('POST', '/api/v1/share-links', { resourceType: 'mixture', resourceId: mixtureId, expiresInDays: 7 })).status).toBe(403);
    const a = (await owner.call('POST', '/api/v1/share-links', { resourceType: 'mixture', resourceId: mixtureId, expiresInDays: 7 })).body;
    expect((await owner.call('DELETE', `/api/v1/share-links/${a.id}`)).status).toBe(204);
    expect((await open(a.url)).statusCode).toBe(404);
    const b = (await owner.call('POST', '/api/v1/share-links', { resourceType: 'mixture', resourceId: mixtureId, expiresInDays: 7 })).body;
    await db.runtime.db.asMaintenance((tx) => tx.query("update share_links set created_at = now() - interval '10 days', expires_at = now() - interval '1 second' where id = $1", [b.id]));
    expect((await open(b.url)).statusCode).toBe(404);
    const c = (await owner.call('POST', '/api/v1/share-links', { resourceType: 'mixture', resourceId: mixtureId, expiresInDays: 7 })).body;
    expect((await viewer.call('GET', '/api/v1/share-links')).body.items).toEqual([]);
    await owner.call('POST', `/api/v1/projects/${projectId}/members`, { email: viewer.email, role: 'owner' });
    await viewer.call('DELETE', `/api/v1/projects/${projectId}/members/${owner.id}`);
    expect((await open(c.url)).statusCode).toBe(404);
  });
});
