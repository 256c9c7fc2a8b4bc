import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { Problem } from '../../src/app/problems.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import type { Actor } from '../../src/db/db.ts';
import { parseCsv } from '../../src/lib/csv.ts';
import { scienceReference } from '../../src/modules/mixtures/reference.ts';
import { readFormulationFiles, seedFormulations } from '../../src/modules/mixtures/seed.ts';
import { createMixtureService, type MixtureService } from '../../src/modules/mixtures/service.ts';
import type { MixtureDetail } from '../../src/modules/mixtures/schemas.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const KEY = {
  water: 'XLYOFNOQVPJJNP-UHFFFAOYSA-N',
  glycerol: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N',
  dmso: 'IAZDPXIOMUYVGZ-UHFFFAOYSA-N',
  formamide: 'ZHNUHDYFZUAESO-UHFFFAOYSA-N',
  propanediol: 'DNIAPMSPPWPWGF-UHFFFAOYSA-N',
  trehalose: 'HDTRYLNUVZCQOY-LIZSDCNHSA-N',
};

interface ProblemJson { status: number; code: string; detail: string; errors: { field: string; message: string }[] }
interface Summary { id: string; name: string; verified: boolean; carrier: string | null; componentCount: number; source: { key: string } | null; projectId: string | null }

const reference = scienceReference();
const formulations = readFormulationFiles().data;

const glycerolRecipe = (amount = 60) => [{ inchikey: KEY.glycerol, amount, unit: '%w/w' as const, role: 'penetrating' as const }];

describeEachBackend('mixtures API', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let service: MixtureService;
  let alice: Actor;
  let bob: Actor;
  let aliceProject: string;
  let bobProject: string;

  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const ok = async <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, status = 200): Promise<T> => {
    const res = await api(method, url, payload);
    expect(res.statusCode, res.body).toBe(status);
    return res.json() as T;
  };
  const refused = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload: unknown, status: number): Promise<ProblemJson> => {
    const res = await api(method, url, payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    return res.json() as ProblemJson;
  };
  const byName = async (name: string, scope = 'all'): Promise<Summary[]> =>
    (await ok<{ items: Summary[] }>('GET', `/api/v1/mixtures?scope=${scope}&q=${encodeURIComponent(name)}`)).items.filter((m) => m.name === name);
  const makeUser = async (email: string, isAdmin = false): Promise<Actor> => ({
    userId: await db.runtime.db.asMaintenance(async (tx) => (await tx.query<{ id: string }>(
      'insert into users (email, display_name, is_admin) values ($1, $2, $3) returning id', [email, email, isAdmin])).rows[0]!.id),
  });
  const makeProject = async (owner: Actor, name: string): Promise<string> =>
    db.runtime.db.asUser(owner, async (tx) => (await tx.query<{ id: string }>(
      'insert into projects (name, created_by) values ($1, $2) returning id', [name, owner.userId])).rows[0]!.id);

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: false });
    app = await buildServer({ ...db.runtime, version: APP_VERSION });
    service = createMixtureService(db.runtime.db);
    alice = await makeUser(`alice-mix-${backend}@lab.test`);
    bob = await makeUser(`bob-mix-${backend}@lab.test`);
    aliceProject = await makeProject(alice, 'Alice formulations');
    bobProject = await makeProject(bob, 'Bob formulations');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  describe('seeded reference formulations', () => {
    it('has every formulation of the data as a public row with its citation and verified flag', async () => {
      const items = (await ok<{ items: Summary[] }>('GET', '/api/v1/mixtures?scope=reference&limit=500')).items;
      for (const f of formulations.formulations) {
        const row = items.find((m) => m.name === f.name);
        expect(row, f.name).toBeDefined();
        const lines = formulations.formulationComponents.filter((c) => c.formulationKey === f.key);
        expect(row).toMatchObject({
          projectId: null, verified: f.verified && lines.every((c) => c.verified), componentCount: lines.length,
          carrier: f.carrierKey, source: expect.objectContaining({ key: f.sourceId }),
        });
      }
      for (const name of ['VS55', 'VS83', 'DP6', 'M22', 'VM3', 'VS1', 'EFS40', 'VSI', 'VSII (VS11)', 'VS14', 'PVS2', 'PVS3']) {
        expect(items.map((m) => m.name)).toContain(name);
      }
      // The flags follow the data, whatever they are: VSI was checked against the abstract, VS55 was not.
      expect(items.find((m) => m.name === 'VSI')!.verified).toBe(true);
      expect(items.find((m) => m.name === 'VS55')!.verified).toBe(false);
    });

    it('VS55: components, carrier, citation and a derived block whose sources have titles', async () => {
      const [vs55] = await byName('VS55', 'reference');
      const detail = await ok<MixtureDetail>('GET', `/api/v1/mixtures/${vs55!.id}`);
      expect(detail.source).toMatchObject({ key: 'mehl1993', title: expect.stringMatching(/vitrification solution/) });
      expect(detail.carrier).toBe('euro-collins');
      expect(detail.carrierName).toBe('EuroCollins solution');
      expect(detail.components.map((c) => [c.position, c.inchikey, c.amount, c.unit, c.role])).toEqual([
        [0, KEY.dmso, 3.1, 'mol/L', 'penetrating'],
        [1, KEY.formamide, 3.1, 'mol/L', 'penetrating'],
        [2, KEY.propanediol, 2.2, 'mol/L', 'penetrating'],
      ]);
      expect(detail.components.every((c) => c.moleculeId !== null && c.componentId === null)).toBe(true);
      expect(detail.derived).not.toBeNull();
      expect(detail.derived!.totalMolarity!).toBeCloseTo(8.4, 9);
      expect(detail.derived!.assumptions.join(' ')).toMatch(/EuroCollins solution\) is treated as water/);
      expect(detail.derived!.sources.length).toBeGreaterThan(0);
      expect(detail.derived!.sources.every((s) => s.title.length > 0)).toBe(true);
      expect(detail.derivedError).toBeUndefined();
    });

    it('a polymer recipe without solution density has derived null and the 422 reason, not a 500', async () => {
      const [m22] = await byName('M22', 'reference');
      const detail = await ok<MixtureDetail>('GET', `/api/v1/mixtures/${m22!.id}`);
      expect(detail.derived).toBeNull();
      expect(detail.derivedError!.detail).toMatch(/cannot be evaluated/);
      expect(detail.derivedError!.errors.length).toBeGreaterThan(0);
      expect(detail.derivedError!.errors.every((e) => /^components\[\d+\]/.test(e.field))).toBe(true);
      expect(detail.components.find((c) => c.componentId === 'pvp-k12')).toMatchObject({ moleculeId: null, inchikey: null, unit: '%w/v' });
    });

    it('reseeding is idempotent: unchanged files are skipped, a forced reload keeps ids', async () => {
      const before = (await ok<{ items: Summary[] }>('GET', '/api/v1/mixtures?scope=reference&limit=500')).items;
      expect((await seedFormulations(db.runtime.db)).skipped).toBe(true);
      const forced = await seedFormulations(db.runtime.db, { force: true });
      expect(forced).toMatchObject({ skipped: false, sources: { created: 0 }, mixtures: formulations.formulations.length });
      const after = (await ok<{ items: Summary[] }>('GET', '/api/v1/mixtures?scope=reference&limit=500')).items;
      expect(after.map((m) => [m.id, m.name, m.componentCount])).toEqual(before.map((m) => [m.id, m.name, m.componentCount]));
      // koop2011 exists in both source files: one public row, reused.
      const koop = await db.runtime.db.asMaintenance(async (tx) => (await tx.query("select 1 from sources where key = 'koop2011'")).rowCount);
      expect(koop).toBe(1);
    });

    it('lists non-structural components for the builder', async () => {
      const all = await ok<{ items: { key: string; kind: string; source: { key: string } | null }[] }>('GET', '/api/v1/components');
      expect(all.items.map((c) => c.key).sort()).toEqual(formulations.nonstructuralComponents.map((n) => n.key).sort());
      const ficoll = await ok<{ items: { key: string; kind: string; averageMolarMass: number | null }[] }>('GET', '/api/v1/components?q=ficoll');
      expect(ficoll.items).toEqual([expect.objectContaining({ key: 'ficoll-70', kind: 'polymer', averageMolarMass: null })]);
    });
  });

  it(':evaluate and GET give the same derived block for the same recipe', async () => {
    const [vs55] = await byName('VS55', 'reference');
    const stored = await ok<MixtureDetail>('GET', `/api/v1/mixtures/${vs55!.id}`);
    const body = {
      balance: 'water', carrier: 'euro-collins',
      components: stored.components.map((c) => ({ inchikey: c.inchikey!, amount: c.amount, unit: c.unit, role: c.role })),
    };
    const evaluated = await ok<MixtureDetail['derived']>('POST', '/api/v1/mixtures:evaluate', body);
    expect(stored.derived).toEqual(evaluated);
    // And a saved copy (by molecule id, with a measured density) matches its own evaluation too.
    const copy = await ok<MixtureDetail>('POST', '/api/v1/mixtures', {
      name: `VS55 copy ${backend}`, solutionDensity: 1.09,
      components: stored.components.map((c) => ({ moleculeId: c.moleculeId!, amount: c.amount, unit: c.unit })),
    }, 201);
    const again = await ok<MixtureDetail['derived']>('POST', '/api/v1/mixtures:evaluate', {
      solutionDensity: 1.09, components: stored.components.map((c) => ({ inchikey: c.inchikey!, amount: c.amount, unit: c.unit })),
    });
    expect(copy.derived).toEqual(again);
    expect(copy.derived!.volumeModel).toBe('measured-density');
  });

  describe('CRUD', () => {
    it('creates, reads, replaces and deletes a mixture', async () => {
      const created = await api('POST', '/api/v1/mixtures', {
        name: `Glycerol 60 ${backend}`, description: 'binary', carrier: 'PBS',
        components: [...glycerolRecipe(60), { componentId: 'ficoll-70', amount: 0.05, unit: 'massFraction', role: 'non-penetrating' }],
      });
      expect(created.statusCode, created.body).toBe(201);
      const detail = created.json() as MixtureDetail;
      expect(created.headers.location).toBe(`/api/v1/mixtures/${detail.id}`);
      expect(detail).toMatchObject({
        name: `Glycerol 60 ${backend}`, description: 'binary', carrier: 'PBS', carrierName: 'PBS', projectId: null, verified: false,
        solutionDensity: null, source: null,
      });
      expect(detail.components).toEqual([
        { position: 0, moleculeId: expect.any(String), componentId: null, name: 'Glycerol', inchikey: KEY.glycerol, amount: 60, unit: '%w/w', role: 'penetrating' },
        { position: 1, moleculeId: null, componentId: 'ficoll-70', name: 'Ficoll 70', inchikey: null, amount: 0.05, unit: 'massFraction', role: 'non-penetrating' },
      ]);
      expect(detail.derived!.components[0]!.massFraction).toBeCloseTo(0.6, 12);
      expect(detail.derived!.assumptions.join(' ')).toMatch(/carrier \(PBS\) is treated as water/);

      const read = await ok<MixtureDetail>('GET', `/api/v1/mixtures/${detail.id}`);
      expect(read).toEqual(detail);

      const replaced = await ok<MixtureDetail>('PUT', `/api/v1/mixtures/${detail.id}`, {
        name: `Glycerol 70 ${backend}`, carrier: 'euro-collins', components: glycerolRecipe(70),
      });
      expect(replaced).toMatchObject({ id: detail.id, name: `Glycerol 70 ${backend}`, description: null, carrier: 'euro-collins', carrierName: 'EuroCollins solution' });
      expect(replaced.components).toHaveLength(1);
      expect(replaced.derived!.components[0]!.massFraction).toBeCloseTo(0.7, 12);
      expect(replaced.derived!.glassTransition.kelvin!).toBeGreaterThan(detail.derived!.glassTransition.kelvin ?? 0);
      expect(Date.parse(replaced.updatedAt)).toBeGreaterThanOrEqual(Date.parse(detail.updatedAt));

      const del = await api('DELETE', `/api/v1/mixtures/${detail.id}`);
      expect(del.statusCode).toBe(204);
      expect(del.body).toBe('');
      await refused('GET', `/api/v1/mixtures/${detail.id}`, undefined, 404);
      await refused('DELETE', `/api/v1/mixtures/${detail.id}`, undefined, 404);
    });

    it('pages the list with a cursor and filters by scope and name', async () => {
      const first = await ok<{ items: Summary[]; nextCursor: string | null }>('GET', '/api/v1/mixtures?limit=3&scope=reference');
      expect(first.items).toHaveLength(3);
      const second = await ok<{ items: Summary[]; nextCursor: string | null }>('GET', `/api/v1/mixtures?limit=3&scope=reference&cursor=${first.nextCursor}`);
      expect(second.items.map((m) => m.id)).not.toContain(first.items[0]!.id);
      const names = [...first.items, ...second.items].map((m) => m.name.toLowerCase());
      expect(names).toEqual([...names].sort());
      const mine = await ok<{ items: Summary[] }>('GET', '/api/v1/mixtures?scope=mine');
      expect(mine.items.every((m) => m.projectId !== null)).toBe(true);
      expect((await refused('GET', '/api/v1/mixtures?cursor=nonsense', undefined, 400)).errors[0]!.field).toBe('cursor');
      expect((await refused('GET', '/api/v1/mixtures?scope=everything', undefined, 400)).errors[0]!.field).toBe('scope');
    });

    it('409 for a duplicate name in the scope, naming name; the same name in a project is fine', async () => {
      const payload = { name: `Dup ${backend}`, components: glycerolRecipe() };
      await ok('POST', '/api/v1/mixtures', payload, 201);
      const problem = await refused('POST', '/api/v1/mixtures', payload, 409);
      expect(problem.code).toBe('conflict');
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'name', in: 'body' })]);
      const inProject = await service.create(alice, { ...payload, projectId: aliceProject });
      expect(inProject.projectId).toBe(aliceProject);
      // Renaming onto a taken name is a 409 too.
      const other = await ok<MixtureDetail>('POST', '/api/v1/mixtures', { name: `Other ${backend}`, components: glycerolRecipe() }, 201);
      const rename = await refused('PUT', `/api/v1/mixtures/${other.id}`, { ...payload }, 409);
      expect(rename.errors[0]!.field).toBe('name');
    });

    it('422 exactly as :evaluate, and nothing is saved', async () => {
      const components = [{ inchikey: KEY.glycerol, amount: 70, unit: '%w/w' }, { inchikey: KEY.dmso, amount: 40, unit: '%w/w' }];
      const evaluated = await refused('POST', '/api/v1/mixtures:evaluate', { components }, 422);
      const created = await refused('POST', '/api/v1/mixtures', { name: `Impossible ${backend}`, components }, 422);
      expect(created.errors).toEqual(evaluated.errors);
      expect(created.detail).toBe(evaluated.detail);
      expect(created.errors.map((e) => e.field)).toEqual(['components[0].amount', 'components[1].amount']);
      expect(await byName(`Impossible ${backend}`)).toEqual([]);

      const polymer = await refused('POST', '/api/v1/mixtures', {
        name: `Polymer ${backend}`, components: [{ inchikey: KEY.dmso, amount: 3, unit: 'mol/L' }, { componentId: 'pvp-k12', amount: 5, unit: '%w/v' }],
      }, 422);
      expect(polymer.errors.map((e) => e.field)).toContain('components[0].amount');
      expect(polymer.errors[0]!.message).toMatch(/solutionDensity/);
      const unknown = await refused('POST', '/api/v1/mixtures', { name: `Unknown ${backend}`, components: [{ componentId: 'nope', amount: 1, unit: '%w/w' }] }, 422);
      expect(unknown.errors).toEqual([expect.objectContaining({ field: 'components[0].componentId' })]);
    });

    it('a failed PUT leaves the stored row unchanged', async () => {
      const m = await ok<MixtureDetail>('POST', '/api/v1/mixtures', { name: `Stable ${backend}`, components: glycerolRecipe(50) }, 201);
      const bad = await refused('PUT', `/api/v1/mixtures/${m.id}`, {
        name: `Changed ${backend}`, components: [{ inchikey: KEY.glycerol, amount: 120, unit: '%w/w' }],
      }, 422);
      expect(bad.errors[0]!.field).toBe('components[0].amount');
      expect(await ok<MixtureDetail>('GET', `/api/v1/mixtures/${m.id}`)).toEqual(m);
      const move = await refused('PUT', `/api/v1/mixtures/${m.id}`, { name: m.name, projectId: aliceProject, components: glycerolRecipe(50) }, 422);
      expect(move.errors[0]!.field).toBe('projectId');
      // Passing the same project (null) back, as a form that PUTs what it GOT would, is accepted.
      await ok('PUT', `/api/v1/mixtures/${m.id}`, { name: m.name, projectId: null, components: glycerolRecipe(50) });
    });

    it('400 for schema violations and 404 for unknown ids, naming fields', async () => {
      const cases: [unknown, string][] = [
        [{ components: glycerolRecipe() }, 'name'],
        [{ name: '', components: glycerolRecipe() }, 'name'],
        [{ name: 'x', components: [] }, 'components'],
        [{ name: 'x', components: glycerolRecipe(), colour: 'red' }, 'colour'],
        [{ name: 'x', components: [{ inchikey: KEY.glycerol, amount: -1, unit: '%w/w' }] }, 'components[0].amount'],
        [{ name: 'x', solutionDensity: 0, components: glycerolRecipe() }, 'solutionDensity'],
        [{ name: 'x', solutionDensity: 6, components: glycerolRecipe() }, 'solutionDensity'],
      ];
      for (const [payload, field] of cases) {
        const problem = await refused('POST', '/api/v1/mixtures', payload, 400);
        expect(problem.errors.map((e) => e.field), JSON.stringify(payload)).toContain(field);
      }
      expect((await refused('GET', '/api/v1/mixtures/not-a-uuid', undefined, 400)).errors[0]!.field).toBe('id');
      const missing = '00000000-0000-4000-8000-00000000dead';
      for (const [method, payload] of [['GET', undefined], ['PUT', { name: 'x', components: glycerolRecipe() }], ['DELETE', undefined]] as const) {
        expect((await refused(method, `/api/v1/mixtures/${missing}`, payload, 404)).code).toBe('not-found');
      }
      const project = await refused('POST', '/api/v1/mixtures', { name: 'x', projectId: bobProject, components: glycerolRecipe() }, 404);
      expect(project.errors[0]!.field).toBe('projectId');
    });
  });

  describe('tenancy', () => {
    it("another user's project mixture is invisible and cannot be changed; reference rows need an admin", async () => {
      const secret = await service.create(alice, { name: 'Secret', projectId: aliceProject, components: glycerolRecipe() });
      const hidden = async (work: Promise<unknown>) => {
        const error = await work.then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(Problem);
        expect((error as Problem).status).toBe(404);
      };
      await hidden(service.get(bob, secret.id));
      await hidden(service.update(bob, secret.id, { name: 'Stolen', components: glycerolRecipe(10) }));
      await hidden(service.remove(bob, secret.id));
      await hidden(service.compare(bob, [secret.id, secret.id]));
      await hidden(service.tgCurve(bob, secret.id, { component: KEY.glycerol, points: 3 }));
      expect((await service.list(bob, { limit: 500, scope: 'all' })).items.map((m) => m.id)).not.toContain(secret.id);
      // The admin of the instance is not a member either.
      await refused('GET', `/api/v1/mixtures/${secret.id}`, undefined, 404);
      // Raw SQL as the app role: RLS, not the service, is the guard.
      const changed = await db.runtime.db.asUser(bob, async (tx) => ({
        update: (await tx.query("update mixtures set name = 'stolen' where id = $1", [secret.id])).rowCount,
        components: (await tx.query('update mixture_components set amount = 1 where mixture_id = $1', [secret.id])).rowCount,
        seen: (await tx.query('select 1 from mixture_components where mixture_id = $1', [secret.id])).rowCount,
        del: (await tx.query('delete from mixtures where id = $1', [secret.id])).rowCount,
      }));
      expect(changed).toEqual({ update: 0, components: 0, seen: 0, del: 0 });
      await expect(db.runtime.db.asUser(bob, (tx) => tx.query(
        `insert into mixture_components (mixture_id, position, molecule_id, amount, unit)
         values ($1, 9, (select id from molecules where inchikey = $2 and project_id is null), 1, 'mol/L')`, [secret.id, KEY.dmso],
      ))).rejects.toThrow(/row-level security/);
      expect((await service.get(alice, secret.id)).name).toBe('Secret');

      // Reference rows: readable by Bob, but changing or deleting them is a 403 for non-admins.
      const [vs55] = await byName('VS55', 'reference');
      expect((await service.get(bob, vs55!.id)).name).toBe('VS55');
      for (const attempt of [
        () => service.update(bob, vs55!.id, { name: 'VS55', components: glycerolRecipe() }),
        () => service.remove(bob, vs55!.id),
        () => service.create(bob, { name: 'Public by Bob', components: glycerolRecipe() }),
      ]) {
        const error = await attempt().then(() => null, (e: unknown) => e);
        expect((error as Problem).status).toBe(403);
      }
      await expect(db.runtime.db.asUser(bob, async (tx) => (await tx.query("update mixtures set name = 'x' where id = $1", [vs55!.id])).rowCount)).resolves.toBe(0);
    });

    it('a project recipe may use public molecules and its own project\'s, not another project\'s', async () => {
      const bobMolecule = await db.runtime.db.asUser(bob, async (tx) => (await tx.query<{ id: string }>(
        `insert into molecules (project_id, name, canonical_smiles, inchi, inchikey, formula, molecular_weight, exact_mass, morgan_fp)
         values ($1, 'Bob secret', 'CCCCO', 'InChI=1S/C4H10O/c1-2-3-4-5/h5H,2-4H2,1H3', 'LRHPLDYGYMQRHN-UHFFFAOYSA-N', 'C4H10O', 74.12, 74.07, $2)
         returning id`, [bobProject, Buffer.alloc(256)])).rows[0]!.id);
      // Bob joins Alice's project as an editor, so he can see both projects.
      await db.runtime.db.asUser(alice, (tx) => tx.query("insert into project_members (project_id, user_id, role) values ($1, $2, 'editor')", [aliceProject, bob.userId]));
      const error = await service.create(bob, {
        name: 'Cross-project', projectId: aliceProject, components: [{ moleculeId: bobMolecule, amount: 1, unit: 'mol/kg' }],
      }).then(() => null, (e: unknown) => e as Problem);
      expect(error?.status).toBe(422);
      expect(error?.errors).toEqual([expect.objectContaining({ field: 'components[0].moleculeId', message: expect.stringMatching(/another project/) })]);
      const inOwn = await service.create(bob, { name: 'Own', projectId: bobProject, components: [{ moleculeId: bobMolecule, amount: 1, unit: 'mol/kg' }] });
      expect(inOwn.components[0]!.name).toBe('Bob secret');
      // Alice, not a member of Bob's project, never sees the recipe or the molecule it uses.
      await expect(service.get(alice, inOwn.id)).rejects.toThrow(/not visible/);
      // A viewer can read but not write.
      await db.runtime.db.asUser(alice, (tx) => tx.query("update project_members set role = 'viewer' where project_id = $1 and user_id = $2", [aliceProject, bob.userId]));
      const viewerError = await service.create(bob, { name: 'Viewer', projectId: aliceProject, components: glycerolRecipe() }).then(() => null, (e: unknown) => e as Problem);
      expect(viewerError?.status).toBe(403);
    });
  });

  describe('export', () => {
    it('JSON carries the recipe, derived block, assumptions and citations, as an attachment', async () => {
      const [vs55] = await byName('VS55', 'reference');
      const res = await api('GET', `/api/v1/mixtures/${vs55!.id}/export?format=json`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="vs55.json"');
      const doc = JSON.parse(res.body) as { format: string; version: number; mixture: MixtureDetail; citations: { key: string }[] };
      const detail = await ok<MixtureDetail>('GET', `/api/v1/mixtures/${vs55!.id}`);
      expect(doc).toMatchObject({ format: 'cryoprotect.mixture-export', version: 1 });
      expect(doc.mixture).toEqual(detail);
      expect(doc.citations.map((c) => c.key)).toEqual(['mehl1993', ...detail.derived!.sources.map((s) => s.key)]);
    });

    it('CSV parses back: one row per component with derived fractions, then labelled property, assumption and source rows', async () => {
      const [vs55] = await byName('VS55', 'reference');
      const detail = await ok<MixtureDetail>('GET', `/api/v1/mixtures/${vs55!.id}`);
      const res = await api('GET', `/api/v1/mixtures/${vs55!.id}/export?format=csv`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="vs55.csv"');
      const { columns, records } = parseCsv(res.body);
      expect(columns.slice(0, 3)).toEqual(['section', 'key', 'name']);
      const section = (s: string) => records.map((r) => r.values).filter((v) => v.section === s);
      const components = section('component');
      expect(components).toHaveLength(3);
      components.forEach((row, i) => {
        const c = detail.components[i]!;
        const d = detail.derived!.components[i]!;
        expect(row).toMatchObject({ key: String(i), name: c.name, inchikey: c.inchikey, amount: String(c.amount), unit: c.unit, role: c.role });
        expect(Number(row.mass_fraction)).toBe(d.massFraction);
        expect(Number(row.mole_fraction)).toBe(d.moleFraction);
        expect(Number(row.molarity_mol_per_l)).toBe(d.molarity);
        expect(Number(row.molality_mol_per_kg)).toBe(d.molality);
      });
      const property = (key: string) => section('property').find((p) => p.key === key);
      expect(Number(property('qv_star')!.value)).toBe(detail.derived!.qvStar);
      expect(Number(property('osmolality')!.value)).toBe(detail.derived!.osmolality);
      expect(property('glass_transition')).toMatchObject({ unit: 'K', value: detail.derived!.glassTransition.kelvin === null ? '' : String(detail.derived!.glassTransition.kelvin) });
      expect(section('assumption').map((a) => a.detail)).toEqual(detail.derived!.assumptions);
      expect(section('source').map((s) => s.key)).toEqual(['mehl1993', ...detail.derived!.sources.map((s) => s.key)]);
      expect(section('mixture').find((m) => m.key === 'verified')!.value).toBe('false');
    });

    it('an unevaluable recipe exports its reason; unknown format is a 400', async () => {
      const [m22] = await byName('M22', 'reference');
      const { records } = parseCsv((await api('GET', `/api/v1/mixtures/${m22!.id}/export?format=csv`)).body);
      expect(records.filter((r) => r.values.section === 'component')).toHaveLength(8);
      expect(records.some((r) => r.values.section === 'derived_error')).toBe(true);
      expect((await refused('GET', `/api/v1/mixtures/${m22!.id}/export?format=xml`, undefined, 400)).errors[0]!.field).toBe('format');
    });
  });

  describe('compare', () => {
    it('returns 2–4 details in the order asked; 400 outside that range; 404 naming invisible ids', async () => {
      const [vs55] = await byName('VS55', 'reference');
      const [dp6] = await byName('DP6', 'reference');
      const body = await ok<{ items: MixtureDetail[] }>('POST', '/api/v1/mixtures:compare', { ids: [dp6!.id, vs55!.id] });
      expect(body.items.map((m) => m.name)).toEqual(['DP6', 'VS55']);
      expect(body.items[1]).toEqual(await ok<MixtureDetail>('GET', `/api/v1/mixtures/${vs55!.id}`));
      expect((await refused('POST', '/api/v1/mixtures:compare', { ids: [vs55!.id] }, 400)).errors[0]!.field).toBe('ids');
      const five = Array.from({ length: 5 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
      expect((await refused('POST', '/api/v1/mixtures:compare', { ids: five }, 400)).errors[0]!.field).toBe('ids');
      expect((await refused('POST', '/api/v1/mixtures:compare', { ids: [vs55!.id, vs55!.id] }, 400)).errors[0]!.field).toBe('ids');
      const missing = await refused('POST', '/api/v1/mixtures:compare', { ids: [vs55!.id, '00000000-0000-4000-8000-00000000beef'] }, 404);
      expect(missing.errors).toEqual([expect.objectContaining({ field: 'ids[1]', message: expect.stringMatching(/00000000beef/) })]);
    });
  });

  describe('tg-curve', () => {
    it('matches Gordon–Taylor with the cited glycerol parameters (science.md §1.3 vector) within 0.1 K', async () => {
      const m = await ok<MixtureDetail>('POST', '/api/v1/mixtures', { name: `Glycerol curve ${backend}`, components: glycerolRecipe(60) }, 201);
      const curve = await ok<{
        component: string; name: string; parameters: { tg: number; k: number; water: { tg: number } };
        points: { massFraction: number; kelvin: number }[]; sources: { key: string }[];
      }>('GET', `/api/v1/mixtures/${m.id}/tg-curve?component=${KEY.glycerol.toLowerCase()}&points=51`);
      // Expected from the data actually used (the first-listed values), as :evaluate uses them.
      const tg = reference.property(KEY.glycerol, 'gt_tg')!.value;
      const k = reference.property(KEY.glycerol, 'gt_k')!.value;
      const tgW = reference.property(KEY.water, 'tg')!.value;
      expect(curve).toMatchObject({ component: KEY.glycerol, name: 'Glycerol', parameters: { tg, k, water: { tg: tgW } } });
      expect(curve.points).toHaveLength(51);
      expect(curve.points[0]).toEqual({ massFraction: 0, kelvin: tgW });
      expect(curve.points[50]).toEqual({ massFraction: 1, kelvin: tg });
      const gt = (w: number, waterTg: number) => (w * tg + k * (1 - w) * waterTg) / (w + k * (1 - w));
      for (const p of curve.points) expect(Math.abs(p.kelvin - gt(p.massFraction, tgW))).toBeLessThan(0.1);
      // The published vector uses Tg,w = 135 K; the same parameters reproduce it within 0.1 K.
      const vector: [number, number][] = [[0.55, 151.6], [0.6, 154.0], [0.7, 159.8], [0.76, 164.0], [0.8, 167.2], [0.9, 176.8], [1, 190.0]];
      for (const [w, expected] of vector) expect(Math.abs(gt(w, 135) - expected)).toBeLessThan(0.1);
      // The 60 % point of the curve is the Tg the mixture's derived block reports.
      expect(curve.points.find((p) => Math.abs(p.massFraction - 0.6) < 1e-12)!.kelvin).toBeCloseTo(m.derived!.glassTransition.kelvin!, 9);
      expect(curve.sources.map((s) => s.key).sort()).toEqual(
        [...new Set([reference.property(KEY.glycerol, 'gt_tg')!.sourceId, reference.property(KEY.glycerol, 'gt_k')!.sourceId, reference.property(KEY.water, 'tg')!.sourceId])].sort(),
      );
    });

    it('422 naming the component when its parameters are not cited or it is not in the mixture', async () => {
      const [vs55] = await byName('VS55', 'reference');
      const noParams = await refused('GET', `/api/v1/mixtures/${vs55!.id}/tg-curve?component=${KEY.dmso}`, undefined, 422);
      expect(noParams.errors).toEqual([{ field: 'component', in: 'querystring', message: expect.stringMatching(/Dimethyl sulfoxide has no cited Gordon–Taylor parameters/) }]);
      const absent = await refused('GET', `/api/v1/mixtures/${vs55!.id}/tg-curve?component=${KEY.glycerol}`, undefined, 422);
      expect(absent.errors[0]).toMatchObject({ field: 'component', message: expect.stringMatching(/not a molecule in mixture "VS55"/) });
      expect((await refused('GET', `/api/v1/mixtures/${vs55!.id}/tg-curve?component=glycerol`, undefined, 400)).errors[0]!.field).toBe('component');
    });
  });

  it('documents every route in OpenAPI', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/api/v1/mixtures', 'get'], ['/api/v1/mixtures', 'post'], ['/api/v1/mixtures/{id}', 'get'], ['/api/v1/mixtures/{id}', 'put'],
      ['/api/v1/mixtures/{id}', 'delete'], ['/api/v1/mixtures/{id}/export', 'get'], ['/api/v1/mixtures:compare', 'post'],
      ['/api/v1/mixtures/{id}/tg-curve', 'get'], ['/api/v1/components', 'get'],
    ] as const) {
      expect(spec.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});

describe('cryoprotect mixtures (CLI, embedded database)', () => {
  const run = promisify(execFile);
  let dataDir: string;
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['bin/cryoprotect.mjs', 'mixtures', ...args], {
        env: { ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir }, timeout: 120_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-mixtures-'));
    cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists, shows and exports the seeded VS55; misuse exits 2', async () => {
    const list = await cli('list', '--scope', 'reference', '--query', 'VS55', '--json');
    expect(list.code, list.stderr).toBe(0);
    const [vs55] = (JSON.parse(list.stdout) as Summary[]).filter((m) => m.name === 'VS55');
    const show = await cli('show', vs55!.id);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^VS55 {2}\(/);
    expect(show.stdout).toMatch(/Dimethyl sulfoxide\s+3\.1 mol\/L/);
    const csv = await cli('export', vs55!.id, '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    expect(parseCsv(csv.stdout).records.filter((r) => r.values.section === 'component')).toHaveLength(3);
    // JSON export shares exportJson with the API route (tested above); each CLI run starts PGlite, so it is left out here.
    expect((await cli('show', 'not-an-id')).code).toBe(2);
    expect((await cli('export', vs55!.id, '--format', 'xml')).code).toBe(2);
  });
});
