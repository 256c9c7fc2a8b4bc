import type { Config } from '../../config.ts';
import type { Actor, Db } from '../../db/db.ts';
import { Problem } from '../../app/problems.ts';
import type { Mailer } from './mailer.ts';
import * as repo from './repo.ts';
import { LoginThrottle } from './throttle.ts';
import {
  csrfToken, decoyHash, hashPassword, isSecretOfKind, newSecret, passwordProblem, secretHash, verifyPassword,
} from './secrets.ts';

export const SESSION_TTL_SECONDS = 30 * 24 * 3600;
/**
 * How long a rotated-out session token keeps working: long enough for requests the browser already sent with it
 * (parallel fetches, a slow upload) to finish, short enough that a copied old cookie is soon worthless.
 */
export const SESSION_ROTATION_GRACE_SECONDS = 60;
const RESET_TTL_SECONDS = 3600;

export interface AuthenticatedActor extends Actor {
  via: 'session' | 'token';
  /** Session id (CSRF binding) or token id. */
  credentialId: string;
  scope: 'read' | 'write';
  /** The session cookie's new token when this request rotated it; the response must set the cookie. */
  renewedSessionToken?: string;
}

export interface AccountView {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

export interface SignedIn {
  user: AccountView;
  sessionToken: string;
  csrfToken: string;
}

interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

function view(u: repo.UserRow): AccountView {
  return { id: u.id, email: u.email, name: u.display_name, isAdmin: u.is_admin };
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export function createAccountService(deps: { db: Db; config: Config; mailer: Mailer; throttle?: LoginThrottle }) {
  const { db, config, mailer } = deps;
  const throttle = deps.throttle ?? new LoginThrottle();

  async function openSession(user: repo.UserRow, client: ClientInfo, tx: Parameters<Parameters<Db['asMaintenance']>[0]>[0]): Promise<SignedIn> {
    const sessionToken = newSecret('session');
    const session = await repo.createSession(tx, {
      userId: user.id, tokenHash: secretHash(sessionToken), ttlSeconds: SESSION_TTL_SECONDS, userAgent: client.userAgent, ip: client.ip,
    });
    return { user: view(user), sessionToken, csrfToken: csrfToken(config.sessionSecret, session.id) };
  }

  return {
    throttle,

    async signup(input: { email: string; password: string; name: string }, client: ClientInfo): Promise<SignedIn> {
      const email = input.email.trim().toLowerCase();
      if (!EMAIL.test(email)) throw new Problem('unprocessable', 'That is not an email address', [{ field: 'email', in: 'body', message: 'not an email address' }]);
      const weak = passwordProblem(input.password, email);
      if (weak) throw new Problem('unprocessable', `The password ${weak}`, [{ field: 'password', in: 'body', message: weak }]);
      const passwordHash = await hashPassword(input.password);
      return db.asMaintenance(async (tx) => {
        if (await repo.findUserByEmail(tx, email)) {
          throw new Problem('conflict', 'An account with this email already exists; sign in or reset the password', [{ field: 'email', in: 'body', message: 'already registered' }]);
        }
        const invited = (await repo.pendingInvitations(tx, email)).length > 0;
        if (config.signupMode === 'invite-only' && !invited && (await repo.countAccounts(tx)) > 0) {
          throw new Problem('forbidden', 'Sign-up is by invitation only on this server; ask a project owner to invite this email');
        }
        const user = await repo.createAccount(tx, { email, name: input.name.trim(), passwordHash });
        await repo.acceptInvitations(tx, user.id, email);
        await repo.recordSecurityEvent(tx, { action: 'signup', actorId: user.id, requestId: client.requestId, detail: { admin: user.is_admin } });
        return openSession(user, client, tx);
      });
    },

    async signin(input: { email: string; password: string }, client: ClientInfo): Promise<SignedIn> {
      const email = input.email.trim().toLowerCase();
      const wait = throttle.retryAfterSeconds(email, client.ip);
      if (wait > 0) throw new Problem('rate-limited', `Too many failed sign-ins; try again in ${wait} s`);
      const user = await db.asMaintenance((tx) => repo.findUserByEmail(tx, email));
      // Same work whether or not the account exists, so timing does not reveal it.
      const ok = user?.password_hash ? await verifyPassword(user.password_hash, input.password) : (await verifyPassword(await decoyHash(), input.password), false);
      if (!user || !ok || user.disabled) {
        throttle.recordFailure(email, client.ip);
        await db.asMaintenance((tx) => repo.recordSecurityEvent(tx, {
          action: 'signin_failed', actorId: user?.id ?? null, requestId: client.requestId, detail: { ip: client.ip },
        }));
        throw new Problem('unauthenticated', 'Email or password is wrong');
      }
      throttle.recordSuccess(email);
      return db.asMaintenance(async (tx) => {
        await repo.recordSecurityEvent(tx, { action: 'signin', actorId: user.id, requestId: client.requestId, detail: { ip: client.ip } });
        return openSession(user, client, tx);
      });
    },

    async signout(sessionToken: string, actor: Actor): Promise<void> {
      await db.asMaintenance(async (tx) => {
        await repo.revokeSessionByHash(tx, secretHash(sessionToken));
        await repo.recordSecurityEvent(tx, { action: 'signout', actorId: actor.userId, requestId: actor.requestId });
      });
    },

    /** Resolves a session cookie or bearer token to an actor, or null when it is missing, unknown, expired or revoked. */
    async authenticate(credential: { session?: string; bearer?: string }, requestId: string): Promise<AuthenticatedActor | null> {
      // Only a cookie can be replaced by the response; a session secret sent as a bearer (CLI) keeps its token.
      const rotatable = !credential.bearer;
      if (credential.bearer) {
        const bearer = credential.bearer;
        if (isSecretOfKind(bearer, 'token')) {
          const token = await db.asMaintenance((tx) => repo.findLiveToken(tx, secretHash(bearer)));
          return token ? { userId: token.user_id, requestId, via: 'token', credentialId: token.id, scope: token.scope } : null;
        }
        // A session secret sent as a bearer (CLI sign-in) is accepted like the cookie.
        if (!isSecretOfKind(bearer, 'session')) return null;
        credential = { session: bearer };
      }
      const session = credential.session;
      if (!session || !isSecretOfKind(session, 'session')) return null;
      return db.asMaintenance(async (tx) => {
        const presented = secretHash(session);
        const row = await repo.touchSession(tx, presented, SESSION_TTL_SECONDS, config.sessionRotateMinutes * 60);
        if (!row) return null;
        const actor: AuthenticatedActor = { userId: row.user_id, requestId, via: 'session', credentialId: row.id, scope: 'write' };
        if (rotatable && row.current && row.rotation_due) {
          const next = newSecret('session');
          if (await repo.rotateSessionToken(tx, row.id, presented, secretHash(next), SESSION_ROTATION_GRACE_SECONDS)) actor.renewedSessionToken = next;
        }
        return actor;
      });
    },

    csrfFor(actor: AuthenticatedActor): string {
      return csrfToken(config.sessionSecret, actor.credentialId);
    },

    async me(actor: Actor): Promise<AccountView> {
      const user = await db.asMaintenance((tx) => repo.findUserById(tx, actor.userId));
      if (!user) throw new Problem('unauthenticated');
      return view(user);
    },

    async changePassword(actor: AuthenticatedActor, input: { currentPassword: string; newPassword: string }): Promise<void> {
      const user = await db.asMaintenance((tx) => repo.findUserById(tx, actor.userId));
      if (!user?.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
        throw new Problem('forbidden', 'The current password is wrong', [{ field: 'currentPassword', in: 'body', message: 'wrong password' }]);
      }
      const weak = passwordProblem(input.newPassword, user.email);
      if (weak) throw new Problem('unprocessable', `The new password ${weak}`, [{ field: 'newPassword', in: 'body', message: weak }]);
      const passwordHash = await hashPassword(input.newPassword);
      await db.asMaintenance(async (tx) => {
        await repo.setPassword(tx, user.id, passwordHash);
        // Everyone holding an old session is signed out; this one stays.
        await repo.revokeUserSessions(tx, user.id, actor.via === 'session' ? actor.credentialId : null);
        await repo.recordSecurityEvent(tx, { action: 'password_changed', actorId: user.id, requestId: actor.requestId });
      });
    },

    /** Always succeeds from the caller's view, so it does not reveal which emails have accounts. */
    async requestReset(emailInput: string, client: ClientInfo): Promise<void> {
      const email = emailInput.trim().toLowerCase();
      const wait = throttle.retryAfterSeconds(`reset:${email}`, client.ip);
      if (wait > 0) throw new Problem('rate-limited', `Too many reset requests; try again in ${wait} s`);
      throttle.recordFailure(`reset:${email}`, client.ip);
      const user = await db.asMaintenance((tx) => repo.findUserByEmail(tx, email));
      if (!user || user.disabled) return;
      const token = newSecret('reset');
      await db.asMaintenance(async (tx) => {
        await repo.createReset(tx, user.id, secretHash(token), RESET_TTL_SECONDS);
        await repo.recordSecurityEvent(tx, { action: 'password_reset_requested', actorId: user.id, requestId: client.requestId });
      });
      await mailer.send({
        to: user.email,
        subject: 'CryoProtect password reset',
        text: `A password reset was requested for ${user.email}.\n\nOpen this link within one hour to choose a new password:\n${config.publicUrl}/reset-password?token=${token}\n\nIf you did not ask for this, ignore this message.`,
      });
    },

    async confirmReset(input: { token: string; newPassword: string }, client: ClientInfo): Promise<void> {
      if (!isSecretOfKind(input.token, 'reset')) throw new Problem('unprocessable', 'The reset link is invalid or has expired', [{ field: 'token', in: 'body', message: 'invalid or expired' }]);
      const passwordHash = await hashPassword(input.newPassword);
      await db.asMaintenance(async (tx) => {
        const userId = await repo.consumeReset(tx, secretHash(input.token));
        if (!userId) throw new Problem('unprocessable', 'The reset link is invalid, used or has expired', [{ field: 'token', in: 'body', message: 'invalid, used or expired' }]);
        const user = await repo.findUserById(tx, userId);
        const weak = user ? passwordProblem(input.newPassword, user.email) : null;
        if (weak) throw new Problem('unprocessable', `The new password ${weak}`, [{ field: 'newPassword', in: 'body', message: weak }]);
        await repo.setPassword(tx, userId, passwordHash);
        await repo.revokeUserSessions(tx, userId, null);
        await repo.recordSecurityEvent(tx, { action: 'password_reset', actorId: userId, requestId: client.requestId });
      });
    },

    listSessions(actor: Actor) {
      return db.asUser(actor, repo.listSessions);
    },

    async revokeSession(actor: Actor, id: string): Promise<void> {
      const done = await db.asUser(actor, (tx) => repo.revokeSession(tx, id));
      if (!done) throw new Problem('not-found', 'No such active session');
    },

    async createToken(actor: AuthenticatedActor, input: { name: string; scope: 'read' | 'write'; expiresInDays: number }) {
      const token = newSecret('token');
      const row = await db.asUser(actor, (tx) => repo.insertToken(tx, { userId: actor.userId, name: input.name.trim(), scope: input.scope, tokenHash: secretHash(token), expiresInDays: input.expiresInDays }));
      await db.asMaintenance((tx) => repo.recordSecurityEvent(tx, { action: 'token_created', actorId: actor.userId, requestId: actor.requestId, detail: { tokenId: row.id, scope: row.scope } }));
      return { token, row };
    },

    listTokens(actor: Actor) {
      return db.asUser(actor, repo.listTokens);
    },

    async revokeToken(actor: Actor, id: string): Promise<void> {
      const done = await db.asUser(actor, (tx) => repo.revokeToken(tx, id));
      if (!done) throw new Problem('not-found', 'No such active token');
      await db.asMaintenance((tx) => repo.recordSecurityEvent(tx, { action: 'token_revoked', actorId: actor.userId, requestId: actor.requestId, detail: { tokenId: id } }));
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
