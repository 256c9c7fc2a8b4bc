import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

describe('structured request logs', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    db = await openTestDatabase('pglite', { env: { LOG_LEVEL: 'info' } });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    app = await buildServer({ ...db.runtime, version: APP_VERSION, logDestination: sink });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('writes JSON lines with the request id and redacts credentials', async () => {
    await app.inject({
      method: 'GET', url: '/api/v1/meta',
      headers: { authorization: 'Bearer super-secret-token', cookie: 'session=also-secret', 'x-request-id': 'trace-7' },
    });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/super-secret-token|also-secret/);
    const incoming = lines.find((l) => l.msg === 'incoming request') as { reqId: string; req: { headers?: Record<string, string> } };
    expect(incoming.reqId).toBe('trace-7');
    const completed = lines.find((l) => l.msg === 'request completed' && l.reqId === 'trace-7') as { res: { statusCode: number }; responseTime: number };
    expect(completed.res.statusCode).toBe(200);
    expect(completed.responseTime).toBeGreaterThan(0);
  });

  it('redacts passwords, tokens and secrets when code logs an object that holds them', () => {
    app.log.info({ body: { email: 'a@lab.test', password: 'hunter2' }, auth: { token: 'tok-123' }, req: { headers: { authorization: 'Bearer xyz' } } }, 'probe');
    const probe = lines.find((l) => l.msg === 'probe') as Record<string, Record<string, unknown>>;
    expect(probe.body).toEqual({ email: 'a@lab.test', password: '[redacted]' });
    expect(probe.auth).toEqual({ token: '[redacted]' });
    expect(JSON.stringify(probe)).not.toMatch(/hunter2|tok-123|Bearer xyz/);
  });
});
