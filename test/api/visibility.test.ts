import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { signUp, type AccountClient } from '../helpers/accounts.ts';

/**
 * Visibility (issue 7): a project's molecule, mixture or experiment marked public is readable by every signed-in
 * account and writable by nobody outside the project; everything else of the project stays a 404 for outsiders.
 */
describeEachBackend('visibility of project rows (AUTH_MODE=accounts)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const tag = `${backend}-${Date.now()}`;
  let ip = 0;
  let owner: AccountClient;
  let reviewer: AccountClient;
  let outsider: AccountClient;
  let projectId: string;
  const ids = { molecule: '', privateMolecule: '', mixture: '', privateMixture: '', experiment: '' };

  const account = (name: string) => signUp(app, `${name}-${tag}@lab.test`, name, `10.9.0.${++ip}`);
  const visibility = (client: AccountClient, type: string, id: string, value: string) =>
    client.call('PUT', `/api/v1/${type}s/${id}/visibility`, { visibility: value });
  const experimentBody = (mixtureId: string, title: string) => ({
    projectId, mixtureId, title, sample: { name: `Fibroblasts ${tag}`, kind: 'cell' },
    protocol: { loading: [], removal: [] }, results: [{ measurement: 'post_thaw_viability', unit: '%', replicates: [61, 64, 58] }],
  });

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: true, env: { AUTH_MODE: 'accounts' } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION, mailer: { send: async () => {} } });
    await account('admin');
    owner = await account('owner');
    reviewer = await account('reviewer');
    outsider = await account('outsider');
    projectId = (await owner.call('POST', '/api/v1/projects', { name: `Cryo lab ${tag}` })).body.id;
    await owner.call('POST', `/api/v1/projects/${projectId}/members`, { email: reviewer.email, role: 'reviewer' });
    ids.molecule = (await owner.call('POST', '/api/v1/molecules', { smiles: 'OCC(O)CCO', name: `Butanetriol ${tag}`, projectId })).body.id;
    ids.privateMolecule = (await owner.call('POST', '/api/v1/molecules', { smiles: 'OCCCCCO', name: `Pentanediol ${tag}`, projectId })).body.id;
    ids.mixture = (await owner.call('POST', '/api/v1/mixtures', {
      name: `Triol mix ${tag}`, projectId, components: [{ moleculeId: ids.molecule, amount: 2, unit: 'mol/kg' }],
    })).body.id;
    ids.privateMixture = (await owner.call('POST', '/api/v1/mixtures', {
      name: `Diol mix ${tag}`, projectId, components: [{ moleculeId: ids.privateMolecule, amount: 1, unit: 'mol/kg' }],
    })).body.id;
    ids.experiment = (await owner.call('POST', '/api/v1/experiments', experimentBody(ids.mixture, `Triol viability ${tag}`))).body.id;
    for (const [key, value] of Object.entries(ids)) if (!value) throw new Error(`setup failed to create ${key}`);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('starts private: new rows say visibility "project" and outsiders get 404', async () => {
    const molecule = await owner.call('GET', `/api/v1/molecules/${ids.molecule}`);
    expect(molecule.body.visibility).toBe('project');
    expect((await owner.call('GET', `/api/v1/mixtures/${ids.mixture}`)).body.visibility).toBe('project');
    expect((await owner.call('GET', `/api/v1/experiments/${ids.experiment}`)).body.visibility).toBe('project');
    for (const path of [`molecules/${ids.molecule}`, `mixtures/${ids.mixture}`, `experiments/${ids.experiment}`, `experiments/${ids.experiment}/events`]) {
      expect((await outsider.call('GET', `/api/v1/${path}`)).status, path).toBe(404);
    }
  });

  it('reference rows report "public" and cannot be made private', async () => {
    const glycerol = (await outsider.call('GET', '/api/v1/molecules?q=glycerol&public=true')).body.items[0];
    expect(glycerol).toMatchObject({ projectId: null, visibility: 'public' });
    const refused = await visibility(owner, 'molecule', glycerol.id, 'project');
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('visibility');
  });

  it('only owners and editors change it; outsiders cannot even find private rows', async () => {
    const byReviewer = await visibility(reviewer, 'experiment', ids.experiment, 'public');
    expect(byReviewer.status).toBe(403);
    expect((await visibility(outsider, 'experiment', ids.experiment, 'public')).status).toBe(404);
    expect((await visibility(outsider, 'mixture', ids.mixture, 'public')).status).toBe(404);
    const bad = await owner.call('PUT', `/api/v1/experiments/${ids.experiment}/visibility`, { visibility: 'everyone' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('visibility');
    expect((await owner.call('GET', `/api/v1/experiments/${ids.experiment}`)).body.visibility).toBe('project');
  });

  it('publishing an experiment publishes its formulation and molecules: outsiders read all of it', async () => {
    const res = await visibility(owner, 'experiment', ids.experiment, 'public');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resourceType: 'experiment', id: ids.experiment, projectId, visibility: 'public', changed: true });
    expect((await visibility(owner, 'experiment', ids.experiment, 'public')).body.changed).toBe(false);

    const experiment = await outsider.call('GET', `/api/v1/experiments/${ids.experiment}`);
    expect(experiment.status).toBe(200);
    expect(experiment.body).toMatchObject({ visibility: 'public', mixtureName: `Triol mix ${tag}`, sampleType: { name: `Fibroblasts ${tag}` } });
    expect(experiment.body.results[0].mean).toBeCloseTo(61, 10);
    expect((await outsider.call('GET', `/api/v1/experiments/${ids.experiment}/events`)).status).toBe(200);

    const mixture = await outsider.call('GET', `/api/v1/mixtures/${ids.mixture}`);
    expect(mixture.status).toBe(200);
    expect(mixture.body.visibility).toBe('public');
    expect(mixture.body.components[0]).toMatchObject({ moleculeId: ids.molecule, name: `Butanetriol ${tag}` });
    expect(mixture.body.derived).not.toBeNull();
    expect((await outsider.call('GET', `/api/v1/molecules/${ids.molecule}`)).body).toMatchObject({ visibility: 'public', projectId });

    // Lists show public rows of other projects; "mine" does not.
    const all = (await outsider.call('GET', `/api/v1/mixtures?scope=all&q=${encodeURIComponent(tag)}`)).body.items.map((m: { id: string }) => m.id);
    expect(all).toEqual([ids.mixture]);
    expect((await outsider.call('GET', `/api/v1/mixtures?scope=mine&q=${encodeURIComponent(tag)}`)).body.items).toEqual([]);
    const molecules = (await outsider.call('GET', `/api/v1/molecules?q=${encodeURIComponent(tag)}`)).body.items.map((m: { id: string }) => m.id);
    expect(molecules).toEqual([ids.molecule]);
  });

  it('the rest of the project stays a 404 for outsiders', async () => {
    expect((await outsider.call('GET', `/api/v1/mixtures/${ids.privateMixture}`)).status).toBe(404);
    expect((await outsider.call('GET', `/api/v1/molecules/${ids.privateMolecule}`)).status).toBe(404);
    expect((await outsider.call('GET', `/api/v1/projects/${projectId}`)).status).toBe(404);
    const compare = await outsider.call('POST', '/api/v1/mixtures:compare', { ids: [ids.mixture, ids.privateMixture] });
    expect(compare.status).toBe(404);
    expect(compare.body.errors.map((e: { field: string }) => e.field)).toEqual(['ids[1]']);
  });

  it('a public row is read-only for outsiders', async () => {
    const attempts = [
      await outsider.call('PATCH', `/api/v1/molecules/${ids.molecule}`, { name: 'stolen' }),
      await outsider.call('DELETE', `/api/v1/molecules/${ids.molecule}`),
      await outsider.call('PUT', `/api/v1/mixtures/${ids.mixture}`, { name: 'stolen', components: [{ moleculeId: ids.molecule, amount: 1, unit: 'mol/kg' }] }),
      await outsider.call('DELETE', `/api/v1/mixtures/${ids.mixture}`),
      await outsider.call('PUT', `/api/v1/experiments/${ids.experiment}`, { ...experimentBody(ids.mixture, 'stolen'), projectId: undefined }),
      await outsider.call('POST', `/api/v1/experiments/${ids.experiment}/transitions`, { to: 'submitted' }),
      await outsider.call('DELETE', `/api/v1/experiments/${ids.experiment}`),
      await visibility(outsider, 'experiment', ids.experiment, 'project'),
      await visibility(outsider, 'molecule', ids.molecule, 'project'),
      await outsider.call('POST', '/api/v1/share-links', { resourceType: 'mixture', resourceId: ids.mixture, expiresInDays: 1 }),
      await outsider.call('POST', '/api/v1/experiments', { ...experimentBody(ids.mixture, 'piggyback'), projectId }),
    ];
    expect(attempts.map((a) => a.status).filter((s) => s < 400)).toEqual([]);
    const after = await owner.call('GET', `/api/v1/experiments/${ids.experiment}`);
    expect(after.body).toMatchObject({ title: `Triol viability ${tag}`, state: 'draft', visibility: 'public' });
    expect((await owner.call('GET', `/api/v1/molecules/${ids.molecule}`)).body.name).toBe(`Butanetriol ${tag}`);
    expect((await owner.call('GET', `/api/v1/mixtures/${ids.mixture}`)).body.name).toBe(`Triol mix ${tag}`);
  });

  it('the change is audited for the project owner', async () => {
    const entries = (await owner.call('GET', `/api/v1/audit?projectId=${projectId}&limit=200`)).body.items as { action: string; kind: string; detail: unknown; tableName?: string }[];
    expect(entries.find((e) => e.action === 'visibility_changed')?.detail).toMatchObject({ table: 'experiments', rowId: ids.experiment, from: 'project', to: 'public' });
    // The cascade shows as data changes of the published rows.
    expect(entries.filter((e) => e.kind === 'data' && e.action === 'update').length).toBeGreaterThanOrEqual(3);
  });

  it('a row a public row needs cannot be made private first; in the right order it can', async () => {
    const molecule = await visibility(owner, 'molecule', ids.molecule, 'project');
    expect(molecule.status).toBe(409);
    expect(molecule.body.detail).toContain(`Triol mix ${tag}`);
    expect((await visibility(owner, 'mixture', ids.mixture, 'project')).status).toBe(409);
    expect((await visibility(owner, 'experiment', ids.experiment, 'project')).status).toBe(200);
    expect((await visibility(owner, 'mixture', ids.mixture, 'project')).status).toBe(200);
    expect((await visibility(owner, 'molecule', ids.molecule, 'project')).status).toBe(200);
    for (const path of [`molecules/${ids.molecule}`, `mixtures/${ids.mixture}`, `experiments/${ids.experiment}`]) {
      expect((await outsider.call('GET', `/api/v1/${path}`)).status, path).toBe(404);
    }
  });

  it('rows can be created public; a public mixture publishes molecules added to it later', async () => {
    const mixture = await owner.call('POST', '/api/v1/mixtures', {
      name: `Open mix ${tag}`, projectId, visibility: 'public', components: [{ moleculeId: ids.molecule, amount: 1, unit: 'mol/kg' }],
    });
    expect(mixture.status).toBe(201);
    expect(mixture.body.visibility).toBe('public');
    expect((await outsider.call('GET', `/api/v1/molecules/${ids.molecule}`)).status).toBe(200);
    const edited = await owner.call('PUT', `/api/v1/mixtures/${mixture.body.id}`, {
      name: `Open mix ${tag}`, components: [{ moleculeId: ids.molecule, amount: 1, unit: 'mol/kg' }, { moleculeId: ids.privateMolecule, amount: 1, unit: 'mol/kg' }],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.visibility).toBe('public');
    const seen = await outsider.call('GET', `/api/v1/mixtures/${mixture.body.id}`);
    expect(seen.body.components.map((c: { name: string }) => c.name)).toEqual([`Butanetriol ${tag}`, `Pentanediol ${tag}`]);
    expect(seen.body.derived).not.toBeNull();
    // Visibility is changed through its own route, not the recipe update.
    const sneaky = await owner.call('PUT', `/api/v1/mixtures/${mixture.body.id}`, { name: `Open mix ${tag}`, visibility: 'project', components: [{ moleculeId: ids.molecule, amount: 1, unit: 'mol/kg' }] });
    expect(sneaky.status).toBe(400);
    const molecule = await owner.call('POST', '/api/v1/molecules', { smiles: 'OCCCCCCO', name: `Hexanediol ${tag}`, projectId, visibility: 'public' });
    expect(molecule.body.visibility).toBe('public');
    expect((await outsider.call('GET', `/api/v1/molecules/${molecule.body.id}`)).status).toBe(200);
  });
});
