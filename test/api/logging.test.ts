import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { LOCAL_ADMIN } from '../../src/modules/accounts/local-admin.ts';
import { describeEachBackend, openTestDatabase, type BackendName, type TestDatabase } from '../helpers/databases.ts';

type LogLine = Record<string, unknown>;

/** A server whose JSON log lines are captured, parsed, for the test to read. */
async function loggedServer(backend: BackendName, options: { chem?: boolean; env?: Record<string, string> } = {}) {
  const db = await openTestDatabase(backend, { chem: options.chem, env: { LOG_LEVEL: 'info', ...options.env } });
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const app = await buildServer({ ...db.runtime, version: APP_VERSION, logDestination: sink });
  return { db, app, lines, raw };
}

const completedLine = (lines: LogLine[], reqId: string) => lines.find((l) => l.msg === 'request completed' && l.reqId === reqId);

describe('structured request logs', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let lines: LogLine[];

  beforeAll(async () => {
    ({ db, app, lines } = await loggedServer('pglite'));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('writes JSON lines with the request id, the acting user and the auth kind, and redacts credentials', async () => {
    await app.inject({
      method: 'GET', url: '/api/v1/meta',
      headers: { authorization: 'Bearer super-secret-token', cookie: 'session=also-secret', 'x-request-id': 'trace-7' },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/super-secret-token|also-secret/);
    const incoming = lines.find((l) => l.msg === 'incoming request') as { reqId: string; req: { headers?: Record<string, string> } };
    expect(incoming.reqId).toBe('trace-7');
    const completed = completedLine(lines, 'trace-7') as { res: { statusCode: number }; responseTime: number; userId: string; auth: string };
    expect(completed.res.statusCode).toBe(200);
    expect(completed.responseTime).toBeGreaterThan(0);
    // Local mode: every request is the built-in administrator.
    expect(completed).toMatchObject({ userId: LOCAL_ADMIN.id, auth: 'local' });
  });

  it('redacts passwords, tokens and secrets when code logs an object that holds them', () => {
    app.log.info({ body: { email: 'a@lab.test', password: 'hunter2' }, auth: { token: 'tok-123' }, req: { headers: { authorization: 'Bearer xyz' } } }, 'probe');
    const probe = lines.find((l) => l.msg === 'probe') as Record<string, Record<string, unknown>>;
    expect(probe.body).toEqual({ email: 'a@lab.test', password: '[redacted]' });
    expect(probe.auth).toEqual({ token: '[redacted]' });
    expect(JSON.stringify(probe)).not.toMatch(/hunter2|tok-123|Bearer xyz/);
  });
});

describe('request logs in accounts mode', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let lines: LogLine[];
  let raw: string[];
  const password = 'correct horse battery staple 42';
  const email = 'logged.user@lab.test';

  beforeAll(async () => {
    ({ db, app, lines, raw } = await loggedServer('pglite', { env: { AUTH_MODE: 'accounts' } }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('names the user and how they authenticated (session, token, anonymous), never the credential', async () => {
    const remoteAddress = '10.9.0.1';
    const signup = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email, password, name: 'Logged User' }, remoteAddress, headers: { 'x-request-id': 'signup-1' } });
    expect(signup.statusCode).toBe(201);
    const userId = signup.json().user.id as string;
    const sessionCookie = (signup.cookies as { name: string; value: string }[]).find((c) => c.name === 'cryoprotect_session')!.value;
    const session = { cookie: `cryoprotect_session=${sessionCookie}`, 'x-csrf-token': signup.json().csrfToken as string };

    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/signin', payload: { email, password: `${password} but wrong` }, remoteAddress, headers: { 'x-request-id': 'signin-wrong' } });
    expect(wrong.statusCode).toBe(401);
    const signin = await app.inject({ method: 'POST', url: '/api/v1/auth/signin', payload: { email, password }, remoteAddress, headers: { 'x-request-id': 'signin-1' } });
    expect(signin.statusCode).toBe(200);

    const created = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: { ...session, 'x-request-id': 'token-create' }, payload: { name: 'script', scope: 'write', expiresInDays: 7 } });
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    expect(token.length).toBeGreaterThan(20);

    await app.inject({ method: 'GET', url: '/api/v1/meta', headers: { authorization: `Bearer ${token}`, 'x-request-id': 'by-token' } });
    await app.inject({ method: 'GET', url: '/api/v1/meta', headers: { cookie: session.cookie, 'x-request-id': 'by-session' } });
    await app.inject({ method: 'GET', url: '/api/v1/meta', headers: { 'x-request-id': 'by-nobody' } });
    // A near-miss of the real token (wrong last character) is refused and logged as anonymous.
    const forged = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
    const refused = await app.inject({ method: 'GET', url: '/api/v1/molecules', headers: { authorization: `Bearer ${forged}`, 'x-request-id': 'by-forged' } });
    expect(refused.statusCode).toBe(401);
    const malformed = await app.inject({ method: 'GET', url: '/api/v1/molecules', headers: { authorization: `Token ${token}`, 'x-request-id': 'by-malformed' } });
    expect(malformed.statusCode).toBe(401);

    expect(completedLine(lines, 'by-token')).toMatchObject({ userId, auth: 'token', res: { statusCode: 200 } });
    expect(completedLine(lines, 'by-session')).toMatchObject({ userId, auth: 'session', res: { statusCode: 200 } });
    expect(completedLine(lines, 'token-create')).toMatchObject({ userId, auth: 'session', res: { statusCode: 201 } });
    for (const reqId of ['by-nobody', 'by-forged', 'by-malformed', 'signin-wrong']) {
      const line = completedLine(lines, reqId);
      expect(line, reqId).toMatchObject({ auth: 'anonymous' });
      expect(line, reqId).not.toHaveProperty('userId');
    }
    // The refusal itself is logged for the operator, with the request id but without the offending header.
    expect(lines.find((l) => l.msg === 'request refused' && l.reqId === 'by-forged')).toMatchObject({ code: 'unauthenticated', auth: 'anonymous' });

    // Nothing secret anywhere in the raw output: not the password (right or wrong), the token, its near-miss, the
    // session cookie or the CSRF token.
    const everything = raw.join('');
    for (const secret of [password, token, forged, sessionCookie, session['x-csrf-token']]) {
      expect(everything.includes(secret), `a secret of length ${secret.length} appears in the logs`).toBe(false);
    }
    // Each key appears once per line even though the user is attached after the request started.
    const line = raw.join('').split('\n').find((l) => l.includes('"by-token"') && l.includes('request completed'))!;
    expect(line.match(/"auth":/g)).toHaveLength(1);
    expect(line.match(/"userId":/g)).toHaveLength(1);
  });
});

describeEachBackend('job logs and correlation', (backend) => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let lines: LogLine[];

  beforeAll(async () => {
    ({ db, app, lines } = await loggedServer(backend, { chem: true }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('logs a job\'s start and end with its id and the id of the request that submitted it, and acts under that id', async () => {
    const submitted = await app.inject({
      method: 'POST', url: '/api/v1/molecules/imports', payload: { format: 'csv', content: 'name,smiles\n"Heptane-1,7-diol",OCCCCCCCO\nbroken,C1CC\n' },
      headers: { 'x-request-id': 'import-trace-1' },
    });
    expect(submitted.statusCode).toBe(202);
    const jobId = submitted.json().id as string;
    let state = submitted.json() as { status: string };
    for (let i = 0; i < 400 && (state.status === 'queued' || state.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}` })).json();
    }
    expect(state.status).toBe('succeeded');

    const started = lines.find((l) => l.msg === 'job started' && l.jobId === jobId);
    expect(started).toMatchObject({ reqId: 'import-trace-1', jobKind: 'molecules.import', userId: LOCAL_ADMIN.id, attempt: 1 });
    const finished = lines.find((l) => l.msg === 'job finished' && l.jobId === jobId);
    expect(finished).toMatchObject({ reqId: 'import-trace-1', status: 'succeeded', level: 30 });
    expect(typeof finished?.durationMs).toBe('number');
    // One search for the request id finds the HTTP request and the work it started.
    expect(lines.filter((l) => l.reqId === 'import-trace-1').map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed', 'job started', 'job finished']),
    );

    // The molecule the job registered is audited under the submitting request's id.
    const audited = await db.runtime.db.asMaintenance(async (tx) => (await tx.query<{ request_id: string | null }>(
      "select request_id from audit_log where table_name = 'molecules' and action = 'insert' and after ->> 'name' = 'Heptane-1,7-diol'",
    )).rows);
    expect(audited.map((r) => r.request_id)).toEqual(['import-trace-1']);
  });

  it('logs a failed job as a warning with the error, still under the submitting request\'s id', async () => {
    // A job kind the import handler accepts but whose payload it cannot read fails inside the handler.
    const jobId = await db.runtime.db.asUser({ userId: LOCAL_ADMIN.id, requestId: 'broken-import-9' }, async (tx) => (await tx.query<{ id: string }>(
      "insert into jobs (kind, created_by, payload, request_id) values ('molecules.import', app.current_user_id(), '{\"format\": \"csv\"}', 'broken-import-9') returning id",
    )).rows[0]!.id);
    // Nudge the runner: an accepted import wakes it at once instead of at the next poll.
    await app.inject({ method: 'POST', url: '/api/v1/molecules/imports', payload: { format: 'csv', content: 'name,smiles\nethanol,CCO\n' } });
    let finished: LogLine | undefined;
    for (let i = 0; i < 400 && !finished; i++) {
      await new Promise((r) => setTimeout(r, 50));
      finished = lines.find((l) => l.msg === 'job finished' && l.jobId === jobId);
    }
    expect(finished).toMatchObject({ reqId: 'broken-import-9', status: 'failed', level: 40, jobKind: 'molecules.import' });
    expect((finished?.err as { message?: string } | undefined)?.message).toBeTruthy();
  });
});
