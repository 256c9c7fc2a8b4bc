import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import type { MailMessage } from '../../src/modules/accounts/mailer.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { signUp, type AccountClient } from '../helpers/accounts.ts';

type Client = AccountClient;

describeEachBackend('projects and membership (AUTH_MODE=accounts)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const mail: MailMessage[] = [];
  const tag = `${backend}-${Date.now()}`;
  let owner: Client;
  let carol: Client;
  let projectId: string;

  const account = (name: string, ip: string): Promise<Client> => signUp(app, `${name}-${tag}@lab.test`, name, ip);

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: true, env: { AUTH_MODE: 'accounts' } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION, mailer: { send: async (m) => void mail.push(m) } });
    owner = await account('olivia', '10.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('creates a project whose creator is the owner', async () => {
    const res = await owner.call('POST', '/api/v1/projects', { name: 'Kidney vitrification' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Kidney vitrification', myRole: 'owner' });
    projectId = res.body.id;
    const detail = await owner.call('GET', `/api/v1/projects/${projectId}`);
    expect(detail.body.members).toEqual([expect.objectContaining({ userId: owner.id, role: 'owner' })]);
  });

  it('invites an unknown email, and sign-up with that email joins the project with the invited role', async () => {
    const invited = await owner.call('POST', `/api/v1/projects/${projectId}/members`, { email: `carol-${tag}@lab.test`, role: 'viewer' });
    expect({ status: invited.status, body: invited.body }).toEqual({ status: 202, body: { status: 'invited', email: `carol-${tag}@lab.test`, role: 'viewer' } });
    expect(mail.some((m) => m.to === `carol-${tag}@lab.test` && /Kidney vitrification/.test(m.subject))).toBe(true);
    carol = await account('carol', '10.0.0.2');
    const mine = await carol.call('GET', '/api/v1/projects');
    expect(mine.body.items).toEqual([expect.objectContaining({ id: projectId, myRole: 'viewer' })]);
  });

  it('a viewer can read but not write; after a role change to editor they can write', async () => {
    const add = (c: Client) => c.call('POST', '/api/v1/molecules', { smiles: 'OCCOCCOCCO', name: 'Triethylene glycol', projectId });
    const denied = await add(carol);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toMatch(/viewer/);
    expect((await owner.call('PATCH', `/api/v1/projects/${projectId}/members/${carol.id}`, { role: 'editor' })).status).toBe(204);
    const created = await add(carol);
    expect(created.status).toBe(201);
    expect(created.body.projectId).toBe(projectId);
  });

  it("hides a project and its data from non-members (404, not 403)", async () => {
    const mallory = await account('mallory', '10.0.0.3');
    expect((await mallory.call('GET', `/api/v1/projects/${projectId}`)).status).toBe(404);
    expect((await mallory.call('PATCH', `/api/v1/projects/${projectId}`, { name: 'pwned' })).status).toBe(404);
    expect((await mallory.call('POST', `/api/v1/projects/${projectId}/members`, { email: mallory.email, role: 'owner' })).status).toBe(404);
    expect((await mallory.call('DELETE', `/api/v1/projects/${projectId}?confirm=Kidney%20vitrification`)).status).toBe(404);
    const molecule = (await owner.call('GET', '/api/v1/molecules?q=Triethylene')).body.items[0];
    expect(molecule.projectId).toBe(projectId);
    expect((await mallory.call('GET', `/api/v1/molecules/${molecule.id}`)).status).toBe(404);
    expect((await mallory.call('GET', `/api/v1/molecules/${molecule.id}/depiction.svg`)).status).toBe(404);
    expect((await mallory.call('GET', '/api/v1/molecules?q=Triethylene')).body.items).toEqual([]);
    expect((await mallory.call('POST', '/api/v1/molecules', { smiles: 'CCCCCCCCO', projectId })).status).toBe(404);
    // Removing the member makes the data disappear for them too.
    expect((await owner.call('DELETE', `/api/v1/projects/${projectId}/members/${carol.id}`)).status).toBe(204);
    expect((await carol.call('GET', `/api/v1/molecules/${molecule.id}`)).status).toBe(404);
  });

  it('protects the last owner, transfers ownership, and lets members leave', async () => {
    expect((await owner.call('DELETE', `/api/v1/projects/${projectId}/members/${owner.id}`)).status).toBe(409);
    expect((await owner.call('PATCH', `/api/v1/projects/${projectId}/members/${owner.id}`, { role: 'viewer' })).status).toBe(409);
    expect((await owner.call('POST', `/api/v1/projects/${projectId}/members`, { email: carol.email, role: 'reviewer' })).status).toBe(201);
    const transferred = await owner.call('POST', `/api/v1/projects/${projectId}/transfer`, { userId: carol.id });
    expect(transferred.body.myRole).toBe('editor');
    expect(transferred.body.members).toEqual(expect.arrayContaining([expect.objectContaining({ userId: carol.id, role: 'owner' })]));
    expect((await owner.call('PATCH', `/api/v1/projects/${projectId}`, { name: 'x' })).status).toBe(403);
    expect((await owner.call('DELETE', `/api/v1/projects/${projectId}/members/${owner.id}`)).status).toBe(204);
    expect((await owner.call('GET', `/api/v1/projects/${projectId}`)).status).toBe(404);
  });

  it("shows a project's audit trail to its owner and to nobody outside it", async () => {
    const trail = await carol.call('GET', `/api/v1/audit?projectId=${projectId}&limit=500`);
    expect(trail.status).toBe(200);
    const actions = trail.body.items.map((e: { kind: string; action: string; table: string | null }) => `${e.kind}:${e.action}:${e.table ?? ''}`);
    expect(actions).toEqual(expect.arrayContaining(['data:insert:molecules', 'data:update:project_members', 'security:ownership_transferred:']));
    const outsider = await account('eve', '10.0.0.4');
    expect((await outsider.call('GET', `/api/v1/audit?projectId=${projectId}`)).status).toBe(404);
    const own = await outsider.call('GET', '/api/v1/audit');
    expect(own.body.items.every((e: { actorId: string | null }) => e.actorId === outsider.id)).toBe(true);
    expect((await outsider.call('POST', '/api/v1/audit', {})).status).toBe(404);
  });

  it('deletes a project and its data only when confirmed with its name', async () => {
    const refused = await carol.call('DELETE', `/api/v1/projects/${projectId}`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('confirm');
    expect((await carol.call('DELETE', `/api/v1/projects/${projectId}?confirm=Kidney%20vitrification`)).status).toBe(204);
    const left = await db.runtime.db.asMaintenance(async (tx) => (await tx.query('select 1 from molecules where project_id = $1', [projectId])).rowCount);
    expect(left).toBe(0);
    const events = await db.runtime.db.asMaintenance(async (tx) => (await tx.query<{ action: string }>(
      "select action from audit_log where kind = 'security' and detail->>'projectId' = $1", [projectId])).rows.map((r) => r.action));
    expect(events).toEqual(expect.arrayContaining(['member_invited', 'role_changed', 'member_removed', 'ownership_transferred', 'member_left', 'project_deleted']));
  });
});
