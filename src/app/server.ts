import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import type { Actor, Db } from '../db/db.ts';
import { assertMigrationsCurrent } from '../db/migrate.ts';
import type { ChemPool } from '../chem/pool.ts';
import { LOCAL_ADMIN } from '../modules/accounts/local-admin.ts';
import { outboxMailer, type Mailer } from '../modules/accounts/mailer.ts';
import { accountRoutes, CSRF_HEADER, SESSION_COOKIE, setSessionCookie } from '../modules/accounts/routes.ts';
import { sameSecret } from '../modules/accounts/secrets.ts';
import { createAccountService, type AuthenticatedActor } from '../modules/accounts/service.ts';
import type { AppMetrics } from './metrics.ts';
import { API_MODULES } from './modules.ts';
import { ProblemSchema } from './openapi.ts';
import { fieldPath, Problem, PROBLEM_CATALOGUE, problemBody, type FieldError, type ProblemCode } from './problems.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting; set on every route that is not public (401 otherwise). */
    actor: Actor;
    /** The signed-in account behind the request in accounts mode; null when anonymous or in local mode. */
    authenticated: AuthenticatedActor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (sign-in itself, health, documentation). */
    public?: boolean;
  }
}

export interface AppDeps {
  config: Config;
  db: Db;
  chem: ChemPool;
  metrics: AppMetrics;
  version: string;
  /** Where JSON log lines go; stdout by default (tests capture them). */
  logDestination?: NodeJS.WritableStream;
  /** Sends password-reset mail; defaults to the outbox folder. */
  mailer?: Mailer;
  /** The app's logger, handed to the modules by buildServer for work outside a request (job runners). */
  log?: FastifyBaseLogger;
}

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new Problem('unauthenticated', 'The Authorization header must be "Bearer <token>"');
  return match[1];
}

/** How a request proved who it is, as logged (`auth`); the credential itself never reaches a log line. */
type AuthKind = 'local' | 'session' | 'token' | 'anonymous';

/**
 * Puts the acting user on every later log line of the request, "request completed" included. Fastify logs the
 * completion through `reply.log`, a separate reference to the same per-request logger, so both are replaced.
 * Called once per request: a second child would repeat the keys in the JSON line.
 */
function identifyInLogs(request: FastifyRequest, reply: FastifyReply, auth: AuthKind, userId?: string): void {
  const log = request.log.child(userId ? { userId, auth } : { auth });
  request.log = log;
  reply.log = log;
}

function isPublicRoute(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '/';
  // Everything outside the API (web UI, health, metrics) and the API's own documentation is open.
  return request.routeOptions.config?.public === true || !path.startsWith('/api/') || path.startsWith('/api/docs');
}

function validationProblem(error: FastifyError): Problem {
  const part = error.validationContext ?? 'body';
  const errors: FieldError[] = (error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
    const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
    const field = fieldPath(v.instancePath, missing ?? extra) || part;
    const message = extra ? `unknown field "${extra}"` : missing ? 'is required' : (v.message ?? 'is invalid');
    return { field, in: part, message };
  });
  const summary = errors.map((e) => `${e.field} ${e.message}`).join('; ');
  return new Problem('invalid-request', `Invalid ${part}: ${summary}`, errors);
}

function toProblem(error: FastifyError | Problem | Error): Problem {
  if (error instanceof Problem) return error;
  const fe = error as FastifyError;
  if (fe.validation) return validationProblem(fe);
  const byStatus: Record<number, ProblemCode> = {
    400: 'invalid-request', 404: 'not-found', 405: 'method-not-allowed', 413: 'payload-too-large',
    415: 'unsupported-media-type', 429: 'rate-limited',
  };
  const code = fe.statusCode ? byStatus[fe.statusCode] : undefined;
  if (code) return new Problem(code, fe.message);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new Problem('invalid-request', fe.message);
  return new Problem('internal-error');
}

export async function buildServer(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, metrics } = deps;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(deps.logDestination ? { stream: deps.logDestination } : {}),
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', '*.secret'],
        censor: '[redacted]',
      },
    },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 12 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The API speaks JSON; without this, Fastify parses text/plain and the caller gets a confusing 400.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('authenticated', null);
  await app.register(fastifyCookie);
  const accounts = createAccountService({ db, config, mailer: deps.mailer ?? outboxMailer(config.mailOutboxDir) });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (config.authMode === 'local') {
      // Local mode (loopback only, enforced by config): every request is the built-in administrator.
      request.actor = { userId: LOCAL_ADMIN.id, requestId: request.id };
      identifyInLogs(request, reply, 'local', LOCAL_ADMIN.id);
      return;
    }
    let bearer: string | undefined;
    let actor: AuthenticatedActor | null = null;
    try {
      bearer = bearerOf(request);
      const session = request.cookies[SESSION_COOKIE];
      actor = bearer || session ? await accounts.authenticate({ bearer, session }, request.id) : null;
    } finally {
      // Also when the header is malformed or checking the credential fails: every line says who, if anyone, acted.
      identifyInLogs(request, reply, actor?.via ?? 'anonymous', actor?.userId);
    }
    if (bearer && !actor) throw new Problem('unauthenticated', 'The bearer token is invalid, expired or revoked');
    request.authenticated = actor;
    if (actor) request.actor = actor;
    if (actor?.renewedSessionToken) setSessionCookie(reply, config, actor.renewedSessionToken);
    if (!actor) {
      if (isPublicRoute(request)) return;
      throw new Problem('unauthenticated', 'Sign in, or send Authorization: Bearer <API token>');
    }
    if (!UNSAFE_METHODS.has(request.method)) return;
    if (actor.via === 'token' && actor.scope === 'read') throw new Problem('forbidden', 'This API token is read-only');
    // Cookies ride along on cross-site requests; a header only this origin's script can set proves intent.
    if (actor.via === 'session' && !bearer) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, accounts.csrfFor(actor))) {
        throw new Problem('forbidden', `Missing or wrong ${CSRF_HEADER} header (get it from GET /api/v1/auth/session)`);
      }
    }
  });
  await app.register(fastifyRateLimit, {
    // Per API token or session when signed in, per address otherwise; local mode has no limit but sign-in's.
    global: config.authMode === 'accounts',
    max: 1200,
    timeWindow: '1 minute',
    hook: 'preHandler',
    keyGenerator: (request) => request.authenticated?.credentialId ?? request.ip,
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    metrics.httpRequests.inc(labels);
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    hsts: config.profile === 'production',
  });

  // Shared schemas are registered once at the root so routes can $ref them and OpenAPI names them.
  for (const schema of [ProblemSchema, ...API_MODULES.flatMap((m) => m.schemas ?? [])]) app.addSchema(schema);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CryoProtect API',
        version: deps.version,
        description: 'Cryoprotectant molecules, formulations, predictions and experiments. Errors are RFC 9457 problem details.',
      },
      tags: [{ name: 'accounts', description: 'Sign-up, sign-in, sessions and API tokens (AUTH_MODE=accounts)' }, ...API_MODULES.map((m) => ({ name: m.name, description: m.description })), { name: 'meta', description: 'Service information' }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { url: '/api/v1/openapi.json' } });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, detail: problem.detail }, 'request refused');
    // Production never shows internals; the request id lets the operator find the logged error.
    return reply
      .code(problem.status)
      .type('application/problem+json')
      .send(problemBody(problem, { instance: request.url.split('?')[0], requestId: request.id }));
  });

  const hasWeb = config.serveWeb && existsSync(`${WEB_DIST}/index.html`);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isApi = path.startsWith('/api/') || path === '/api' || ['/livez', '/readyz', '/metrics'].includes(path);
    if (hasWeb && !isApi && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.type('text/html').sendFile('index.html');
    }
    const problem = new Problem('not-found', `No route ${request.method} ${path}`);
    return reply.code(404).type('application/problem+json').send(problemBody(problem, { instance: path, requestId: request.id }));
  });
  if (hasWeb) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'] });
  }

  app.get('/livez', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      const latencyMs = await db.ping();
      await assertMigrationsCurrent(db);
      metrics.dbUp.set(1);
      return { status: 'ready', database: db.backend, latencyMs: Math.round(latencyMs * 100) / 100 };
    } catch (error) {
      metrics.dbUp.set(0);
      const problem = new Problem('service-unavailable', `Not ready: ${(error as Error).message}`);
      return reply.code(503).type('application/problem+json').send(problemBody(problem, { instance: '/readyz' }));
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  await app.register(
    async (plain) => {
      const api = plain.withTypeProvider<TypeBoxTypeProvider>();
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
      api.get('/problems/:code', {
        config: { public: true },
        schema: {
          tags: ['meta'],
          summary: 'Describe a problem type from the error catalogue',
          params: Type.Object({ code: Type.String({ maxLength: 100 }) }),
        },
      }, async (request) => {
        const code = request.params.code as ProblemCode;
        const entry = PROBLEM_CATALOGUE[code];
        if (!entry) throw new Problem('not-found', `No problem type "${request.params.code}"`);
        return { code, ...entry };
      });
      api.get('/meta', {
        config: { public: true },
        schema: {
          tags: ['meta'],
          summary: 'Service name, version, database mode and the acting user',
          response: {
            200: Type.Object({
              name: Type.String(),
              version: Type.String(),
              database: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]),
              authMode: Type.Union([Type.Literal('local'), Type.Literal('accounts')]),
              actor: Type.Union([Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), isAdmin: Type.Boolean() }), Type.Null()], { description: 'null when not signed in' }),
            }),
          },
        },
      }, async (request) => {
        const base = {
          name: 'CryoProtect',
          version: deps.version,
          database: db.backend === 'pglite' ? ('embedded' as const) : ('postgres' as const),
          authMode: config.authMode,
        };
        if (!request.actor) return { ...base, actor: null };
        const user = await db.asUser(request.actor, async (tx) => {
          const result = await tx.query<{ id: string; email: string; display_name: string; is_admin: boolean }>(
            'select id, email, display_name, is_admin from users where id = app.current_user_id()',
          );
          return result.rows[0];
        });
        if (!user) throw new Problem('unauthenticated', 'The acting user does not exist');
        return { ...base, actor: { id: user.id, email: user.email, name: user.display_name, isAdmin: user.is_admin } };
      });
      if (config.authMode === 'accounts') await api.register(accountRoutes(accounts, config));
      for (const module of API_MODULES) await api.register(module.routes({ ...deps, log: app.log }));
    },
    { prefix: '/api/v1' },
  );

  return app;
}
