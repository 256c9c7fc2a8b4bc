import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { Problem } from '../../app/problems.ts';
import type { Config } from '../../config.ts';
import { SESSION_TTL_SECONDS, type AccountService, type AuthenticatedActor, type SignedIn } from './service.ts';

export const SESSION_COOKIE = 'cryoprotect_session';
export const CSRF_COOKIE = 'cryoprotect_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const Account = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), isAdmin: Type.Boolean() });
const SessionBody = Type.Object({ user: Account, csrfToken: Type.String({ description: `Send as the ${CSRF_HEADER} header on cookie-authenticated writes` }) });
const Email = Type.String({ minLength: 3, maxLength: 320 });
const Password = Type.String({ minLength: 1, maxLength: 200 });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const authLimit = { rateLimit: { max: 20, timeWindow: '1 minute' } };

function client(request: FastifyRequest) {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null, requestId: request.id };
}

/** The signed-in actor of a request, or a 401 (routes below are only reachable when authenticated). */
function signedIn(request: FastifyRequest): AuthenticatedActor {
  const actor = request.authenticated;
  if (!actor) throw new Problem('unauthenticated', 'Sign in first');
  return actor;
}

/** Sets the HttpOnly session cookie: at sign-in, and again whenever a request rotated the session's token. */
export function setSessionCookie(reply: FastifyReply, config: Config, sessionToken: string): void {
  reply.setCookie(SESSION_COOKIE, sessionToken, { httpOnly: true, sameSite: 'lax', secure: config.profile === 'production', path: '/', maxAge: SESSION_TTL_SECONDS });
}

export function accountRoutes(service: AccountService, config: Config): FastifyPluginAsyncTypebox {
  const setSession = (reply: FastifyReply, s: SignedIn) => {
    setSessionCookie(reply, config, s.sessionToken);
    // Readable by the page's script, which echoes it in the CSRF header; worthless without the HttpOnly cookie.
    // Bound to the session id, which rotation keeps, so it never needs to change while the session lives.
    reply.setCookie(CSRF_COOKIE, s.csrfToken, { httpOnly: false, sameSite: 'lax', secure: config.profile === 'production', path: '/', maxAge: SESSION_TTL_SECONDS });
    return { user: s.user, csrfToken: s.csrfToken };
  };

  return async (app) => {
    const pub = { public: true, ...authLimit };
    app.post('/auth/signup', {
      config: pub,
      schema: {
        tags: ['accounts'], summary: 'Create an account (the first becomes administrator) and sign in',
        body: Type.Object({ email: Email, password: Password, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: SessionBody, ...ProblemResponses },
      },
    }, async (request, reply) => reply.code(201).send(setSession(reply, await service.signup(request.body, client(request)))));

    app.post('/auth/signin', {
      config: pub,
      schema: {
        tags: ['accounts'], summary: 'Sign in; sets the HttpOnly session cookie',
        body: Type.Object({ email: Email, password: Password }, { additionalProperties: false }),
        response: { 200: SessionBody, ...ProblemResponses },
      },
    }, async (request, reply) => setSession(reply, await service.signin(request.body, client(request))));

    app.post('/auth/signout', { schema: { tags: ['accounts'], summary: 'Sign out (revokes this session)', response: { 204: Type.Null(), ...ProblemResponses } } },
      async (request, reply) => {
        const actor = signedIn(request);
        const token = request.cookies[SESSION_COOKIE];
        if (actor.via === 'session' && token) await service.signout(token, actor);
        reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      });

    app.get('/auth/session', { schema: { tags: ['accounts'], summary: 'The signed-in account and its CSRF token', response: { 200: SessionBody, ...ProblemResponses } } },
      async (request) => {
        const actor = signedIn(request);
        return { user: await service.me(actor), csrfToken: actor.via === 'session' ? service.csrfFor(actor) : '' };
      });

    app.post('/auth/password', {
      schema: {
        tags: ['accounts'], summary: 'Change the password; signs out every other session',
        body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    }, async (request, reply) => {
      await service.changePassword(signedIn(request), request.body);
      return reply.code(204).send(null);
    });

    app.post('/auth/password-reset', {
      config: pub,
      schema: {
        tags: ['accounts'], summary: 'Send a single-use reset link (answers 202 whether or not the account exists)',
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Type.Object({ status: Type.String() }), ...ProblemResponses },
      },
    }, async (request, reply) => {
      await service.requestReset(request.body.email, client(request));
      return reply.code(202).send({ status: 'If the account exists, a reset link was sent.' });
    });

    app.post('/auth/password-reset/confirm', {
      config: pub,
      schema: {
        tags: ['accounts'], summary: 'Set a new password with a reset token; signs out every session',
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...ProblemResponses },
      },
    }, async (request, reply) => {
      await service.confirmReset(request.body, client(request));
      return reply.code(204).send(null);
    });

    const SessionItem = Type.Object({ id: Type.String(), createdAt: Type.String(), lastSeenAt: Type.String(), expiresAt: Type.String(), userAgent: Type.Union([Type.String(), Type.Null()]), ip: Type.Union([Type.String(), Type.Null()]), current: Type.Boolean() });
    app.get('/auth/sessions', { schema: { tags: ['accounts'], summary: 'My active sessions', response: { 200: Type.Object({ items: Type.Array(SessionItem) }), ...ProblemResponses } } },
      async (request) => {
        const actor = signedIn(request);
        const rows = await service.listSessions(actor);
        return {
          items: rows.map((s) => ({
            id: s.id, createdAt: new Date(s.created_at).toISOString(), lastSeenAt: new Date(s.last_seen_at).toISOString(),
            expiresAt: new Date(s.expires_at).toISOString(), userAgent: s.user_agent, ip: s.ip, current: actor.via === 'session' && actor.credentialId === s.id,
          })),
        };
      });
    app.delete('/auth/sessions/:id', { schema: { tags: ['accounts'], summary: 'Revoke one of my sessions', params: IdParams, response: { 204: Type.Null(), ...ProblemResponses } } },
      async (request, reply) => {
        await service.revokeSession(signedIn(request), request.params.id);
        return reply.code(204).send(null);
      });

    const TokenItem = Type.Object({ id: Type.String(), name: Type.String(), scope: Type.String(), createdAt: Type.String(), expiresAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]), revoked: Type.Boolean() });
    app.post('/auth/tokens', {
      schema: {
        tags: ['accounts'], summary: 'Create a personal API token; the secret is shown once',
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          scope: Type.Union([Type.Literal('read'), Type.Literal('write')]),
          expiresInDays: Type.Integer({ minimum: 1, maximum: 366, default: 90 }),
        }, { additionalProperties: false }),
        response: { 201: Type.Object({ token: Type.String(), id: Type.String(), name: Type.String(), scope: Type.String(), expiresAt: Type.String() }), ...ProblemResponses },
      },
    }, async (request, reply) => {
      const actor = signedIn(request);
      if (actor.via === 'token') throw new Problem('forbidden', 'Tokens cannot create tokens; sign in');
      const { token, row } = await service.createToken(actor, request.body);
      return reply.code(201).send({ token, id: row.id, name: row.name, scope: row.scope, expiresAt: new Date(row.expires_at).toISOString() });
    });
    app.get('/auth/tokens', { schema: { tags: ['accounts'], summary: 'My API tokens (never the secrets)', response: { 200: Type.Object({ items: Type.Array(TokenItem) }), ...ProblemResponses } } },
      async (request) => ({
        items: (await service.listTokens(signedIn(request))).map((t) => ({
          id: t.id, name: t.name, scope: t.scope, createdAt: new Date(t.created_at).toISOString(), expiresAt: new Date(t.expires_at).toISOString(),
          lastUsedAt: t.last_used_at ? new Date(t.last_used_at).toISOString() : null, revoked: t.revoked_at !== null,
        })),
      }));
    app.delete('/auth/tokens/:id', { schema: { tags: ['accounts'], summary: 'Revoke a token', params: IdParams, response: { 204: Type.Null(), ...ProblemResponses } } },
      async (request, reply) => {
        await service.revokeToken(signedIn(request), request.params.id);
        return reply.code(204).send(null);
      });
  };
}
