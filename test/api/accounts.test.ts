import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import type { MailMessage } from '../../src/modules/accounts/mailer.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

interface Session {
  cookie: string;
  csrf: string;
}

function sessionFrom(res: LightMyRequestResponse): Session {
  const cookies = res.cookies as { name: string; value: string }[];
  const session = cookies.find((c) => c.name === 'cryoprotect_session');
  if (!session) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  return { cookie: `cryoprotect_session=${session.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

describeEachBackend('accounts (AUTH_MODE=accounts)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const mail: MailMessage[] = [];
  const suffix = `${backend}-${Date.now()}`;
  const alice = { email: `alice-${suffix}@lab.test`, password: 'correct horse battery', name: 'Alice' };
  const bob = { email: `bob-${suffix}@lab.test`, password: 'another long passphrase', name: 'Bob' };

  beforeAll(async () => {
    db = await openTestDatabase(backend, { chem: true, env: { AUTH_MODE: 'accounts' } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION, mailer: { send: async (m) => void mail.push(m) } });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const signup = (body: object) => app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: body });
  const signin = (email: string, password: string, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/signin', payload: { email, password }, remoteAddress });

  it('makes the first account an administrator and later ones ordinary users', async () => {
    const first = await signup(alice);
    expect(first.statusCode).toBe(201);
    expect(first.json().user).toMatchObject({ email: alice.email, isAdmin: true });
    const cookie = (first.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[]).find((c) => c.name === 'cryoprotect_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const second = await signup(bob);
    expect(second.json().user).toMatchObject({ email: bob.email, isAdmin: false });
    expect((await signup(alice)).statusCode).toBe(409);
    const weak = await signup({ email: `carol-${suffix}@lab.test`, password: 'short', name: 'Carol' });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().errors[0].field).toBe('password');
  });

  it('refuses anonymous API access but leaves docs, health and meta open', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/molecules' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthenticated');
    expect((await app.inject({ method: 'GET', url: '/api/v1/meta' })).json()).toMatchObject({ authMode: 'accounts', actor: null });
    expect((await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown account identically', async () => {
    const wrong = await signin(alice.email, 'not the password');
    const unknown = await signin(`nobody-${suffix}@lab.test`, 'whatever it is');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('requires the CSRF header for cookie-authenticated writes', async () => {
    const s = sessionFrom(await signin(alice.email, alice.password));
    const read = await app.inject({ method: 'GET', url: '/api/v1/molecules?limit=1', headers: { cookie: s.cookie } });
    expect(read.statusCode).toBe(200);
    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/molecules', headers: { cookie: s.cookie }, payload: { smiles: 'CCCCCCO' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().detail).toMatch(/x-csrf-token/);
    const forged = await app.inject({ method: 'POST', url: '/api/v1/molecules', headers: { cookie: s.cookie, 'x-csrf-token': 'forged' }, payload: { smiles: 'CCCCCCO' } });
    expect(forged.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/molecules', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { smiles: 'CCCCCCO' } });
    expect(ok.statusCode).toBe(201);
    const meta = await app.inject({ method: 'GET', url: '/api/v1/meta', headers: { cookie: s.cookie } });
    expect(meta.json().actor).toMatchObject({ email: alice.email, isAdmin: true });
  });

  it('issues API tokens once, enforces their scope, and stops accepting them when revoked', async () => {
    const s = sessionFrom(await signin(bob.email, bob.password));
    const create = (scope: string) => app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { name: `${scope} script`, scope, expiresInDays: 30 } });
    const readToken = (await create('read')).json();
    expect(readToken.token).toMatch(/^cpt_/);
    const writeToken = (await create('write')).json();
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    expect((await app.inject({ method: 'GET', url: '/api/v1/molecules?limit=1', headers: bearer(readToken.token) })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/molecules', headers: bearer(readToken.token), payload: { smiles: 'CCO' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/read-only/);
    // Bob is not an admin: a write token without a project is still refused by the service (403), not by auth.
    const write = await app.inject({ method: 'POST', url: '/api/v1/mixtures:evaluate', headers: bearer(writeToken.token), payload: { components: [{ inchikey: 'PEDCQBHIVMGVHV-UHFFFAOYSA-N', amount: 10, unit: '%w/w' }] } });
    expect(write.statusCode).toBe(200);
    const listed = await app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: { cookie: s.cookie } });
    expect(listed.body).not.toContain(readToken.token);
    expect(listed.json().items).toHaveLength(2);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${readToken.id}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } })).statusCode).toBe(204);
    const revoked = await app.inject({ method: 'GET', url: '/api/v1/molecules?limit=1', headers: bearer(readToken.token) });
    expect(revoked.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/molecules', headers: { authorization: 'Bearer cpt_forged_token_that_does_not_exist_anywhere_xx' } })).statusCode).toBe(401);
  });

  it('changing the password signs out every other session', async () => {
    const keep = sessionFrom(await signin(bob.email, bob.password));
    const other = sessionFrom(await signin(bob.email, bob.password));
    const change = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie: keep.cookie, 'x-csrf-token': keep.csrf }, payload: { currentPassword: bob.password, newPassword: 'a brand new passphrase' } });
    expect(change.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: other.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: keep.cookie } })).statusCode).toBe(200);
    bob.password = 'a brand new passphrase';
  });

  it('resets a password with a single-use emailed token and never reveals whether the account exists', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: `ghost-${suffix}@lab.test` } });
    const known = await app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: alice.email } });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(known.json()).toEqual(unknown.json());
    const message = mail.find((m) => m.to === alice.email);
    const token = /token=(cpr_[A-Za-z0-9_-]+)/.exec(message?.text ?? '')?.[1];
    expect(token).toBeDefined();
    const confirm = (newPassword: string) => app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword } });
    expect((await confirm('reset passphrase one')).statusCode).toBe(204);
    expect((await confirm('reset passphrase two')).statusCode).toBe(422);
    expect((await signin(alice.email, 'reset passphrase one')).statusCode).toBe(200);
    alice.password = 'reset passphrase one';
  });

  it('throttles repeated failures per account, the same way for unknown accounts', async () => {
    const target = `throttled-${suffix}@lab.test`;
    await signup({ email: target, password: 'throttle passphrase', name: 'T' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await signin(target, 'wrong password!')).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    const ghost: number[] = [];
    for (let i = 0; i < 7; i++) ghost.push((await signin(`ghost2-${suffix}@lab.test`, 'wrong password!')).statusCode);
    expect(ghost).toEqual(statuses);
  });

  it('limits sign-in requests per address, independently of the account throttle', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await signin(alice.email, alice.password, '10.1.2.3')).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await signin(alice.email, alice.password, '10.1.2.5')).statusCode).toBe(200);
  });

  it('signing out revokes the session and sign-ins are in the audit log', async () => {
    const s = sessionFrom(await signin(alice.email, alice.password, '10.1.2.4'));
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/signout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    const events = await db.runtime.db.asMaintenance(async (tx) => (await tx.query<{ action: string }>(
      "select distinct action from audit_log where kind = 'security'")).rows.map((r) => r.action));
    expect(events).toEqual(expect.arrayContaining(['signup', 'signin', 'signin_failed', 'signout', 'token_created', 'token_revoked', 'password_changed', 'password_reset']));
    const leaked = await db.runtime.db.asMaintenance(async (tx) => (await tx.query('select 1 from audit_log where after ? \'password_hash\' or detail::text like \'%cpt_%\'')).rowCount);
    expect(leaked).toBe(0);
  });
});
