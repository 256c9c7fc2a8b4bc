import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { signUp, type Method } from '../helpers/accounts.ts';

/**
 * Every route of the API, attacked by a signed-in outsider who knows the ids of another project's rows:
 * nothing may succeed, and no response body may contain those ids or the project's private names. The route
 * list comes from the OpenAPI document, so a route added later is attacked without editing this file.
 */

describeEachBackend('API attack surface (AUTH_MODE=accounts)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const tag = `${backend}-${Date.now()}`;
  let ip = 0;
  const secrets: string[] = [];
  const ids: Record<string, string> = {};

  const account = (name: string) => signUp(app, `${name}-${tag}@lab.test`, name, `10.6.0.${++ip}`);

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: true, env: { AUTH_MODE: 'accounts' } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION, mailer: { send: async () => {} } });
    await account('admin'); // the first account is the administrator; the victim below is an ordinary user
    const victim = await account('victim');
    const project = (await victim.call('POST', '/api/v1/projects', { name: `Secret project ${tag}` })).body;
    ids.project = project.id;
    const molecule = (await victim.call('POST', '/api/v1/molecules', { smiles: 'CCCCCCCCCCCCO', name: `Secretol ${tag}`, projectId: project.id })).body;
    ids.molecule = molecule.id;
    const mixture = (await victim.call('POST', '/api/v1/mixtures', { name: `Secret mix ${tag}`, projectId: project.id, components: [{ moleculeId: molecule.id, amount: 1, unit: 'mol/kg' }] })).body;
    ids.mixture = mixture.id;
    const experiment = (await victim.call('POST', '/api/v1/experiments', {
      projectId: project.id, mixtureId: mixture.id, title: `Secret experiment ${tag}`, sample: { name: `Secret cells ${tag}`, kind: 'cell' },
      protocol: { loading: [], removal: [] }, results: [{ measurement: 'post_thaw_viability', unit: '%', mean: 50 }],
    })).body;
    ids.experiment = experiment.id;
    const attachment = await app.inject({ method: 'POST', url: `/api/v1/experiments/${experiment.id}/attachments?filename=raw.csv&contentType=text/csv`, payload: Buffer.from('a,b\n1,2\n'), headers: { ...victim.headers, 'content-type': 'application/octet-stream' } });
    ids.attachment = attachment.json().id;
    ids.shareLink = (await victim.call('POST', '/api/v1/share-links', { resourceType: 'mixture', resourceId: mixture.id, expiresInDays: 1 })).body.id;
    // A model version of the project (trained as a job, then activated) and a prediction it made, in the ledger.
    const csv = ['smiles,y', ...['CO', 'CCO', 'CCCO', 'CCCCO', 'OCCO', 'OCC(O)CO', 'CC(O)CO', 'OCCCO', 'CCCCCO', 'OCCCCO', 'CC(C)O', 'OC1CCCCC1']
      .map((smi, i) => `${smi},${150 + 10 * i}`)].join('\n');
    const submitted = (await victim.call('POST', '/api/v1/model-versions', { content: csv, smilesColumn: 'smiles', targetColumn: 'y', target: `secret-${tag}`, algorithm: 'knn', projectId: project.id, activate: true })).body;
    for (let i = 0; i < 600; i++) {
      const job = (await victim.call('GET', `/api/v1/jobs/${submitted.id}`)).body;
      if (job.status === 'failed') throw new Error(`victim model training failed: ${job.error}`);
      if (job.status === 'succeeded') {
        ids.modelVersion = job.result.versionId;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    ids.prediction = (await victim.call('POST', `/api/v1/model-versions/${ids.modelVersion}/predict`, { moleculeIds: [molecule.id] })).body.items[0].predictionId;
    ids.user = victim.id;
    for (const [key, value] of Object.entries(ids)) {
      if (!value) throw new Error(`setup failed to create ${key}`);
      secrets.push(value);
    }
    secrets.push(`Secretol ${tag}`, `Secret mix ${tag}`, `Secret experiment ${tag}`, `Secret project ${tag}`, `Secret cells ${tag}`, `secret-${tag}`);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  /** Which of the victim's ids to put into a path parameter. */
  function fill(path: string): string {
    return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (name === 'attachmentId') return ids.attachment!;
      if (name === 'userId') return ids.user!;
      if (name === 'token') return 'cpl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      if (name === 'code') return 'not-found';
      if (name === 'target') return `secret-${tag}`;
      const prefix = path.split('/')[3] ?? '';
      const byPrefix: Record<string, string | undefined> = {
        projects: ids.project, molecules: ids.molecule, mixtures: ids.mixture, experiments: ids.experiment, 'share-links': ids.shareLink,
        'model-versions': ids.modelVersion,
      };
      return byPrefix[prefix] ?? '00000000-0000-4000-8000-0000000000aa';
    });
  }

  it('no route lets an outsider read, change or delete another project’s rows, or leaks them', async () => {
    const outsider = await account('outsider');
    const spec = (await outsider.call('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const attempts: string[] = [];
    const failures: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const method of Object.keys(operations).map((m) => m.toUpperCase()) as Method[]) {
        if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
        const url = fill(path);
        // Sign-up/in and password routes act on the caller's own account; the public share route is attacked above with a forged token.
        if (/^\/api\/v1\/auth\//.test(path) && method !== 'GET') continue;
        const probes = [url];
        // Filter tricks: list endpoints searched for the victim's names and filtered by the victim's project.
        if (method === 'GET' && !path.includes('{')) {
          probes.push(`${url}?q=${encodeURIComponent(`Secret`)}`, `${url}?projectId=${ids.project}`, `${url}?q=Secretol&scope=all`);
        }
        for (const probe of probes) {
          const body = method === 'GET' || method === 'DELETE' ? undefined : { projectId: ids.project, ids: [ids.mixture, ids.mixture], mixtureId: ids.mixture, resourceId: ids.mixture, resourceType: 'mixture', name: 'pwned', smiles: 'CCO', email: 'x@y.z', role: 'owner', userId: ids.user, to: 'submitted', components: [{ moleculeId: ids.molecule, amount: 1, unit: 'mol/kg' }], molecules: [{ smiles: 'CCO' }], query: 'CO', k: 5, visibility: 'public' };
          const res = await outsider.call(method, probe, body);
          attempts.push(`${method} ${probe} → ${res.status}`);
          // Echoing an id the attacker sent (e.g. in a 404's detail) reveals nothing; anything else is a leak.
          const sent = `${probe} ${JSON.stringify(body ?? {})}`;
          const leaked = secrets.filter((s) => res.text.includes(s) && !sent.includes(s));
          if (leaked.length > 0) failures.push(`${method} ${probe} leaked ${leaked.join(', ')} (status ${res.status})`);
          const targetsVictim = path.includes('{') && !/\{(token|code)\}/.test(path);
          if (targetsVictim && res.status < 400) failures.push(`${method} ${probe} succeeded (${res.status})`);
          // A model route addressed by the victim's target must not find the victim's active version either.
          if (/\{target\}/.test(path) && res.status < 400) failures.push(`${method} ${probe} used the victim's model (${res.status})`);
        }
      }
    }
    expect(attempts.length).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });

  it("raw SQL as the app role cannot read, change or add to another project's models and predictions", async () => {
    const outsider = await account('sql-outsider');
    const as = <T>(work: (tx: { query: (sql: string, params?: unknown[]) => Promise<{ rows: T[]; rowCount: number }> }) => Promise<unknown>) =>
      db.runtime.db.asUser({ userId: outsider.id }, work as never);
    expect(await as((tx) => tx.query('select id from model_versions where id = $1', [ids.modelVersion]).then((r) => r.rows.length))).toBe(0);
    expect(await as((tx) => tx.query('select id from predictions where id = $1', [ids.prediction]).then((r) => r.rows.length))).toBe(0);
    expect(await as((tx) => tx.query(`update model_versions set status = 'retired' where id = $1`, [ids.modelVersion]).then((r) => r.rowCount))).toBe(0);
    await expect(as((tx) => tx.query(`update predictions set value = 0 where id = $1`, [ids.prediction]))).rejects.toThrow(/permission denied/);
    await expect(as((tx) => tx.query(
      `insert into predictions (method, target, project_id, subject_kind, inputs, value, in_domain, created_by, model_version_id)
       values ('model', 'x', $1, 'structure', '{}', 1, true, $2, $3)`, [ids.project, outsider.id, ids.modelVersion]))).rejects.toThrow(/row-level security/);
    // Not even into their own scope while naming the victim's version.
    await expect(as((tx) => tx.query(
      `insert into predictions (method, target, project_id, subject_kind, inputs, value, in_domain, created_by, model_version_id)
       values ('model', 'x', null, 'structure', '{}', 1, true, $1, $2)`, [outsider.id, ids.modelVersion]))).rejects.toThrow(/row-level security/);
    const status = await db.runtime.db.asMaintenance((tx) => tx.query<{ status: string }>('select status from model_versions where id = $1', [ids.modelVersion]));
    expect(status.rows[0]?.status).toBe('active');
  });

  it("the victim's rows are all still there and unchanged", async () => {
    const counts = await db.runtime.db.asMaintenance(async (tx) => (await tx.query<{ m: string; x: string; e: string; p: string; v: string[] }>(
      `select (select name from molecules where id = $1) as m, (select name from mixtures where id = $2) as x,
              (select title from experiments where id = $3) as e, (select name from projects where id = $4) as p,
              (select array[mo.visibility, mi.visibility, ex.visibility] from molecules mo, mixtures mi, experiments ex
                where mo.id = $1 and mi.id = $2 and ex.id = $3) as v`,
      [ids.molecule, ids.mixture, ids.experiment, ids.project])).rows[0]);
    expect(counts).toEqual({ m: `Secretol ${tag}`, x: `Secret mix ${tag}`, e: `Secret experiment ${tag}`, p: `Secret project ${tag}`, v: ['project', 'project', 'project'] });
  });
});
