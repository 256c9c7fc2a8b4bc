import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { signUp, type AccountClient } from '../helpers/accounts.ts';

type Client = AccountClient;

describeEachBackend('experiments and the verification workflow (AUTH_MODE=accounts)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const tag = `${backend}-${Date.now()}`;
  let owner: Client;
  let author: Client;
  let reviewer: Client;
  let viewer: Client;
  let projectId: string;
  let glycerolMixture: string;
  let experimentId: string;
  let ip = 0;

  const account = (name: string): Promise<Client> => signUp(app, `${name}-${tag}@lab.test`, name, `10.9.0.${++ip}`);

  const headersOf = async (c: Client) => c.headers;
  const draft = (results: object[] = [{ measurement: 'post_thaw_viability', unit: '%', replicates: [78, 82, 86] }]) => ({
    projectId,
    mixtureId: glycerolMixture,
    title: 'Jurkat, 10 % glycerol, slow cooling',
    sample: { name: 'Jurkat', kind: 'cell', species: 'Homo sapiens' },
    protocol: { loading: [{ amount: 10, unit: '%w/w', durationMin: 10, temperatureC: 22 }], removal: [], coolingRateKPerMin: 1, warmingRateKPerMin: 100, storageTemperatureC: -196, storageDurationDays: 7 },
    performedOn: '2026-11-20',
    operator: 'A. Author',
    equipment: 'CoolCell + LN2 dewar',
    results,
  });

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: true, env: { AUTH_MODE: 'accounts' } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION, mailer: { send: async () => {} } });
    owner = await account('owner');
    author = await account('author');
    reviewer = await account('reviewer');
    viewer = await account('viewer');
    projectId = (await owner.call('POST', '/api/v1/projects', { name: 'Cell banking' })).body.id;
    for (const [c, role] of [[author, 'editor'], [reviewer, 'reviewer'], [viewer, 'viewer']] as const) {
      expect((await owner.call('POST', `/api/v1/projects/${projectId}/members`, { email: c.email, role })).status).toBe(201);
    }
    const mixture = await author.call('POST', '/api/v1/mixtures', {
      name: '10 % glycerol', projectId, components: [{ inchikey: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N', amount: 60, unit: '%w/w' }],
    });
    expect(mixture.status).toBe(201);
    glycerolMixture = mixture.body.id;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('records a draft with unit-checked results and replicate statistics', async () => {
    const res = await author.call('POST', '/api/v1/experiments', draft());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'draft', revision: 1, sampleType: { name: 'Jurkat', kind: 'cell' } });
    expect(res.body.results[0]).toMatchObject({ measurement: 'post_thaw_viability', mean: 82, sd: 4, n: 3 });
    experimentId = res.body.id;
  });

  it('answers invalid results with 422 naming each field, and viewers with 403', async () => {
    const bad = await author.call('POST', '/api/v1/experiments', draft([
      { measurement: 'post_thaw_viability', unit: '%', replicates: [50, 140] },
      { measurement: 'glass_transition', unit: 'K', mean: -4 },
    ]));
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['results[0].replicates[1]', 'results[1].mean', 'results[1].dscConvention', 'results[1].heatingRateKPerMin']);
    expect((await viewer.call('POST', '/api/v1/experiments', draft())).status).toBe(403);
    const schema = await author.call('POST', '/api/v1/experiments', { ...draft(), protocol: { loading: [{ durationMin: -1, temperatureC: 22 }] } });
    expect(schema.status).toBe(400);
    expect(schema.body.errors[0].field).toBe('protocol.loading[0].durationMin');
  });

  it('refuses every illegal transition with 409 and a reason', async () => {
    for (const to of ['in_review', 'verified', 'changes_requested', 'rejected', 'draft']) {
      const res = await reviewer.call('POST', `/api/v1/experiments/${experimentId}/transitions`, { to });
      expect(res.status, to).toBe(409);
      expect(res.body.detail).toMatch(/from draft/);
    }
  });

  it('runs submit → review → changes requested → re-submit → verified, and only a non-author reviewer may review', async () => {
    const move = (c: Client, to: string, comment?: string) => c.call('POST', `/api/v1/experiments/${experimentId}/transitions`, { to, comment });
    expect((await viewer.call('POST', `/api/v1/experiments/${experimentId}/transitions`, { to: 'submitted' })).status).toBe(403);
    expect((await move(author, 'submitted')).body.state).toBe('submitted');
    expect((await move(author, 'in_review')).status).toBe(403);
    expect((await move(owner, 'in_review')).status).toBe(403);
    expect((await move(reviewer, 'in_review')).body.state).toBe('in_review');
    // Results are locked while under review, in the service and in the database.
    expect((await author.call('PUT', `/api/v1/experiments/${experimentId}`, draft())).status).toBe(409);
    await expect(db.runtime.db.asUser({ userId: author.id }, (tx) => tx.query('update experiment_results set mean = 99 where experiment_id = $1', [experimentId])))
      .rejects.toThrow(/locked/);
    expect((await move(reviewer, 'changes_requested', 'Add the replicate from plate 2')).body.state).toBe('changes_requested');
    const edited = await author.call('PUT', `/api/v1/experiments/${experimentId}`, draft([{ measurement: 'post_thaw_viability', unit: '%', replicates: [78, 82, 86, 84] }]));
    expect(edited.status).toBe(200);
    expect(edited.body.results[0].n).toBe(4);
    expect((await move(author, 'submitted')).status).toBe(200);
    expect((await move(reviewer, 'in_review')).status).toBe(200);
    expect((await move(reviewer, 'verified', 'Checked against the plate-reader export')).body.state).toBe('verified');
    const events = (await viewer.call('GET', `/api/v1/experiments/${experimentId}/events`)).body.items;
    expect(events.map((e: { from: string; to: string }) => `${e.from}>${e.to}`)).toEqual([
      'draft>submitted', 'submitted>in_review', 'in_review>changes_requested', 'changes_requested>submitted', 'submitted>in_review', 'in_review>verified',
    ]);
    expect(events[5]).toMatchObject({ actorEmail: reviewer.email, comment: 'Checked against the plate-reader export' });
    expect(events[5].snapshot.results[0].n).toBe(4);
  });

  it('the database itself refuses a reviewer verifying their own experiment, even bypassing the service', async () => {
    const own = (await owner.call('POST', `/api/v1/projects/${projectId}/members`, { email: reviewer.email, role: 'editor' }));
    expect(own.status).toBe(201);
    const mine = (await reviewer.call('POST', '/api/v1/experiments', draft())).body.id as string;
    await owner.call('PATCH', `/api/v1/projects/${projectId}/members/${reviewer.id}`, { role: 'reviewer' });
    await reviewer.call('POST', `/api/v1/experiments/${mine}/transitions`, { to: 'submitted' });
    expect((await reviewer.call('POST', `/api/v1/experiments/${mine}/transitions`, { to: 'in_review' })).status).toBe(403);
    await expect(db.runtime.db.asUser({ userId: reviewer.id }, (tx) => tx.query("update experiments set state = 'in_review', version = version + 1 where id = $1", [mine])))
      .rejects.toThrow(/not the author/);
    await expect(db.runtime.db.asUser({ userId: author.id }, (tx) => tx.query("update experiments set state = 'verified', version = version + 1 where id = $1", [mine])))
      .rejects.toThrow(/illegal transition|reviewer/);
  });

  it('lets only one of two reviewers acting at once win', async () => {
    const second = await account('reviewer2');
    await owner.call('POST', `/api/v1/projects/${projectId}/members`, { email: second.email, role: 'reviewer' });
    const id = (await author.call('POST', '/api/v1/experiments', draft())).body.id as string;
    await author.call('POST', `/api/v1/experiments/${id}/transitions`, { to: 'submitted' });
    await reviewer.call('POST', `/api/v1/experiments/${id}/transitions`, { to: 'in_review' });
    const [a, b] = await Promise.all([
      reviewer.call('POST', `/api/v1/experiments/${id}/transitions`, { to: 'verified' }),
      second.call('POST', `/api/v1/experiments/${id}/transitions`, { to: 'rejected' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const events = (await author.call('GET', `/api/v1/experiments/${id}/events`)).body.items;
    expect(events.filter((e: { from: string }) => e.from === 'in_review')).toHaveLength(1);
  });

  it('editing a verified experiment opens a new revision that needs review', async () => {
    const res = await author.call('PUT', `/api/v1/experiments/${experimentId}`, draft([{ measurement: 'recovery', unit: '%', mean: 71, sd: 5, n: 3 }]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'draft', revision: 2, previousRevisionId: experimentId });
    expect((await author.call('GET', `/api/v1/experiments/${experimentId}`)).body).toMatchObject({ state: 'verified', revision: 1 });
  });

  it('compares a measured Tg with the formulation physics and lists the review queue', async () => {
    const tg = await author.call('POST', '/api/v1/experiments', draft([
      { measurement: 'glass_transition', unit: 'K', mean: 156, sd: 1.2, n: 3, dscConvention: 'midpoint', heatingRateKPerMin: 10 },
      { measurement: 'post_thaw_viability', unit: '%', mean: 70 },
    ]));
    const comparison = (await author.call('GET', `/api/v1/experiments/${tg.body.id}/comparison`)).body.items;
    const predicted = (await author.call('GET', `/api/v1/mixtures/${glycerolMixture}`)).body.derived.glassTransition.kelvin as number;
    expect(comparison[0]).toMatchObject({ measurement: 'glass_transition', predicted: { value: predicted, method: 'gordon-taylor' } });
    expect(comparison[0].difference).toBeCloseTo(156 - predicted, 9);
    expect(comparison[1]).toMatchObject({ predicted: null, note: 'no model predicts this measurement yet' });
    await author.call('POST', `/api/v1/experiments/${tg.body.id}/transitions`, { to: 'submitted' });
    const queue = (await reviewer.call('GET', '/api/v1/experiments/review-queue')).body.items.map((e: { id: string }) => e.id);
    expect(queue).toContain(tg.body.id);
    expect((await author.call('GET', '/api/v1/experiments/review-queue')).body.items).toEqual([]);
  });

  it('imports results from CSV keeping good rows, and stores attachments byte for byte until submission locks them', async () => {
    const id = (await author.call('POST', '/api/v1/experiments', draft([]))).body.id as string;
    const csv = 'measurement,unit,replicates,mean\npost_thaw_viability,%,70;75;80,\nrecovery,%,,250\n';
    const imported = await app.inject({ method: 'POST', url: `/api/v1/experiments/${id}/results:import`, payload: csv, headers: { ...(await headersOf(author)), 'content-type': 'text/csv' } });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ added: 1, invalid: 1, rows: [{ line: 2, status: 'added' }, { line: 3, status: 'invalid', errors: [{ field: 'mean' }] }] });
    expect((await author.call('GET', `/api/v1/experiments/${id}`)).body.results).toHaveLength(1);
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13, 44]);
    const up = await app.inject({ method: 'POST', url: `/api/v1/experiments/${id}/attachments?filename=plate.bin&contentType=application/octet-stream`, payload: bytes, headers: { ...(await headersOf(author)), 'content-type': 'application/octet-stream' } });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ filename: 'plate.bin', sizeBytes: 8 });
    const down = await app.inject({ method: 'GET', url: `/api/v1/experiments/${id}/attachments/${up.json().id}`, headers: await headersOf(viewer) });
    expect(down.rawPayload.equals(bytes)).toBe(true);
    expect(down.headers['content-disposition']).toBe('attachment; filename="plate.bin"');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    const badType = await app.inject({ method: 'POST', url: `/api/v1/experiments/${id}/attachments?filename=x.exe&contentType=application/x-msdownload`, payload: bytes, headers: { ...(await headersOf(author)), 'content-type': 'application/octet-stream' } });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().errors[0].field).toBe('contentType');
    const tooBig = await app.inject({ method: 'POST', url: `/api/v1/experiments/${id}/attachments?filename=big.bin&contentType=application/octet-stream`, payload: Buffer.alloc(10 * 1024 * 1024 + 2), headers: { ...(await headersOf(author)), 'content-type': 'application/octet-stream' } });
    expect(tooBig.statusCode).toBe(413);
    await author.call('POST', `/api/v1/experiments/${id}/transitions`, { to: 'submitted' });
    const locked = await app.inject({ method: 'POST', url: `/api/v1/experiments/${id}/attachments?filename=late.csv&contentType=text/csv`, payload: Buffer.from('a,b\n'), headers: { ...(await headersOf(author)), 'content-type': 'application/octet-stream' } });
    expect(locked.statusCode).toBe(409);
    expect((await author.call('GET', `/api/v1/experiments/${id}/attachments`)).body.items).toHaveLength(1);
  });

  it('reports project statistics: verification rate, by equipment and reviewer, Tg error over time', async () => {
    const id = (await author.call('POST', '/api/v1/experiments', draft([{ measurement: 'glass_transition', unit: 'K', mean: 158, sd: 1, n: 3, dscConvention: 'midpoint', heatingRateKPerMin: 10 }]))).body.id as string;
    for (const [c, to] of [[author, 'submitted'], [reviewer, 'in_review'], [reviewer, 'verified']] as const) {
      expect((await c.call('POST', `/api/v1/experiments/${id}/transitions`, { to })).status).toBe(200);
    }
    const stats = (await viewer.call('GET', `/api/v1/projects/${projectId}/experiment-stats`)).body;
    expect(stats.counts.verified).toBeGreaterThanOrEqual(2);
    expect(stats.verificationRate).toBeGreaterThan(0);
    expect(stats.byEquipment[0]).toMatchObject({ equipment: 'CoolCell + LN2 dewar' });
    expect(stats.byReviewer.find((r: { reviewer: string }) => r.reviewer === reviewer.email).verified).toBeGreaterThanOrEqual(2);
    const point = stats.tgPredictionError.points.find((p: { experimentId: string }) => p.experimentId === id);
    expect(point.error).toBeCloseTo(158 - point.predicted, 9);
    expect((await viewer.call('GET', '/api/v1/sample-types?q=jurk')).body.items.map((s: { name: string }) => s.name)).toContain('Jurkat');
    const outsider = await account('stats-outsider');
    expect((await outsider.call('GET', `/api/v1/projects/${projectId}/experiment-stats`)).status).toBe(404);
    expect((await outsider.call('GET', '/api/v1/sample-types?q=jurk')).body.items).toEqual([]);
  });

  it('exports experiments with protocol, results and verification as CSV and JSON, and hides them from outsiders', async () => {
    const csv = await viewer.call('GET', `/api/v1/experiments/export?projectId=${projectId}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="experiments-/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^experiment_id,revision,title,state/);
    const verifiedRow = lines.find((l) => l.startsWith(experimentId));
    expect(verifiedRow).toContain(reviewer.email);
    expect(verifiedRow).toContain('78;82;86;84');
    const json = await viewer.call('GET', `/api/v1/experiments/export?projectId=${projectId}&format=json`);
    expect(json.body.items.find((e: { id: string }) => e.id === experimentId).verificationHistory).toHaveLength(6);
    const outsider = await account('outsider');
    expect((await outsider.call('GET', `/api/v1/experiments/${experimentId}`)).status).toBe(404);
    expect((await outsider.call('POST', `/api/v1/experiments/${experimentId}/transitions`, { to: 'rejected' })).status).toBe(404);
    expect((await outsider.call('GET', `/api/v1/experiments/export?projectId=${projectId}&format=json`)).body.items).toEqual([]);
  });
});
