import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { describeEachBackend, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

/**
 * Session-token rotation (issue 7): a browser session's cookie token is replaced when it is older than
 * SESSION_ROTATE_MINUTES; the session (its id, its CSRF token) stays; the replaced token works for a short grace
 * window and then stops. Ages are set in the database rather than waited for.
 */
describeEachBackend('session token rotation (AUTH_MODE=accounts)', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const tag = `${backend}-${Date.now()}`;
  let ip = 0;

  beforeAll(async () => {
    db = await openTestDatabase(backend, { env: { AUTH_MODE: 'accounts', SESSION_ROTATE_MINUTES: '15' } });
    app = await buildServer({ ...db.runtime, version: APP_VERSION, mailer: { send: async () => {} } });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const sessionCookie = (res: LightMyRequestResponse): string | undefined =>
    (res.cookies as { name: string; value: string }[]).find((c) => c.name === 'cryoprotect_session')?.value;

  async function signUp(name: string) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email: `${name}-${tag}@lab.test`, password: 'a long enough passphrase', name }, remoteAddress: `10.5.0.${++ip}` });
    expect(res.statusCode).toBe(201);
    return { token: sessionCookie(res)!, csrf: res.json().csrfToken as string };
  }
  const get = (token: string, url = '/api/v1/auth/session') => app.inject({ method: 'GET', url, headers: { cookie: `cryoprotect_session=${token}` } });
  const makeDue = (token: string) => db.runtime.db.asMaintenance((tx) => tx.query(
    "update sessions set token_issued_at = now() - interval '16 minutes' where token_hash = sha256(convert_to($1, 'UTF8'))", [token]));
  const closeGrace = () => db.runtime.db.asMaintenance((tx) => tx.query(
    "update sessions set previous_token_expires_at = now() - interval '1 second' where previous_token_hash is not null"));

  it('keeps a fresh token as it is', async () => {
    const { token } = await signUp('fresh');
    const res = await get(token);
    expect(res.statusCode).toBe(200);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('replaces an old token, keeps the session and its CSRF token, and ends the old token after the grace window', async () => {
    const { token: old, csrf } = await signUp('rotating');
    const sessionsBefore = (await get(old, '/api/v1/auth/sessions')).json().items as { id: string }[];
    await makeDue(old);

    const rotated = await get(old);
    expect(rotated.statusCode).toBe(200);
    const renewed = sessionCookie(rotated);
    expect(renewed).toMatch(/^cps_/);
    expect(renewed).not.toBe(old);
    const cookie = (rotated.cookies as { name: string; httpOnly?: boolean; sameSite?: string; path?: string }[]).find((c) => c.name === 'cryoprotect_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(rotated.json().csrfToken).toBe(csrf);

    // Same session: same id in the list, one session only.
    const sessionsAfter = (await get(renewed!, '/api/v1/auth/sessions')).json().items as { id: string; current: boolean }[];
    expect(sessionsAfter.map((s) => s.id)).toEqual(sessionsBefore.map((s) => s.id));
    expect(sessionsAfter[0]!.current).toBe(true);

    // Inside the grace window the old token still works, for reads and CSRF-checked writes, and rotates nothing.
    const late = await get(old);
    expect(late.statusCode).toBe(200);
    expect(sessionCookie(late)).toBeUndefined();
    const write = await app.inject({
      method: 'POST', url: '/api/v1/projects', payload: { name: `Late write ${tag}` },
      headers: { cookie: `cryoprotect_session=${old}`, 'x-csrf-token': csrf },
    });
    expect(write.statusCode).toBe(201);

    await closeGrace();
    expect((await get(old)).statusCode).toBe(401);
    expect((await get(renewed!)).statusCode).toBe(200);
  });

  it('of concurrent requests with the due token, exactly one rotates and all succeed', async () => {
    const { token } = await signUp('concurrent');
    await makeDue(token);
    const responses = await Promise.all([get(token), get(token), get(token), get(token)]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const renewed = responses.map(sessionCookie).filter((v): v is string => v !== undefined);
    expect(renewed).toHaveLength(1);
    expect((await get(renewed[0]!)).statusCode).toBe(200);
  });

  it('signing out with the replaced token ends the session for both tokens', async () => {
    const { token: old, csrf } = await signUp('signout');
    await makeDue(old);
    const renewed = sessionCookie(await get(old))!;
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/signout', headers: { cookie: `cryoprotect_session=${old}`, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect((await get(renewed)).statusCode).toBe(401);
    expect((await get(old)).statusCode).toBe(401);
  });

  it('does not rotate a session secret sent as a bearer (no cookie can carry the new one)', async () => {
    const { token } = await signUp('bearer');
    await makeDue(token);
    const res = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(sessionCookie(res)).toBeUndefined();
    expect((await get(token)).statusCode).toBe(200);
  });
});
