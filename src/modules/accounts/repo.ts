import type { Queryable } from '../../db/db.ts';

/**
 * Account SQL. Authentication runs before anyone is known, so lookups by credential use the privileged
 * connection (callers pass an `asMaintenance` transaction); everything a signed-in user does to their own
 * sessions and tokens runs as that user under RLS.
 */
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
  disabled: boolean;
  password_hash: string | null;
}

const USER_COLUMNS = 'id, email, display_name, is_admin, disabled, password_hash';

export async function findUserByEmail(tx: Queryable, email: string): Promise<UserRow | null> {
  const r = await tx.query<UserRow>(`select ${USER_COLUMNS} from users where email = $1`, [email]);
  return r.rows[0] ?? null;
}

export async function findUserById(tx: Queryable, id: string): Promise<UserRow | null> {
  const r = await tx.query<UserRow>(`select ${USER_COLUMNS} from users where id = $1`, [id]);
  return r.rows[0] ?? null;
}

/** Creates an account; the first account with a password becomes administrator (serialized by a lock). */
export async function createAccount(tx: Queryable, a: { email: string; name: string; passwordHash: string }): Promise<UserRow> {
  await tx.query('select pg_advisory_xact_lock(727002)');
  const first = await tx.query<{ n: string }>('select count(*) as n from users where password_hash is not null');
  const isAdmin = Number(first.rows[0]?.n ?? 0) === 0;
  const r = await tx.query<UserRow>(
    `insert into users (email, display_name, password_hash, is_admin) values ($1, $2, $3, $4) returning ${USER_COLUMNS}`,
    [a.email, a.name, a.passwordHash, isAdmin],
  );
  return r.rows[0]!;
}

export async function countAccounts(tx: Queryable): Promise<number> {
  const r = await tx.query<{ n: string }>('select count(*) as n from users where password_hash is not null');
  return Number(r.rows[0]?.n ?? 0);
}

export async function pendingInvitations(tx: Queryable, email: string): Promise<{ id: string; project_id: string; role: string }[]> {
  const r = await tx.query<{ id: string; project_id: string; role: string }>(
    'select id, project_id, role from project_invitations where email = $1 and accepted_at is null',
    [email],
  );
  return r.rows;
}

export async function acceptInvitations(tx: Queryable, userId: string, email: string): Promise<number> {
  const invitations = await pendingInvitations(tx, email);
  for (const inv of invitations) {
    await tx.query(
      `insert into project_members (project_id, user_id, role) values ($1, $2, $3)
       on conflict (project_id, user_id) do nothing`,
      [inv.project_id, userId, inv.role],
    );
    await tx.query('update project_invitations set accepted_at = now() where id = $1', [inv.id]);
  }
  return invitations.length;
}

export async function setPassword(tx: Queryable, userId: string, passwordHash: string): Promise<void> {
  await tx.query('update users set password_hash = $2, updated_at = now() where id = $1', [userId, passwordHash]);
}

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
}

export async function createSession(tx: Queryable, s: { userId: string; tokenHash: Buffer; ttlSeconds: number; userAgent: string | null; ip: string | null }): Promise<SessionRow> {
  const r = await tx.query<SessionRow>(
    `insert into sessions (user_id, token_hash, expires_at, user_agent, ip)
     values ($1, $2, now() + make_interval(secs => $3), $4, $5)
     returning id, user_id, created_at, last_seen_at, expires_at, user_agent, ip`,
    [s.userId, s.tokenHash, s.ttlSeconds, s.userAgent?.slice(0, 500) ?? null, s.ip],
  );
  return r.rows[0]!;
}

export interface TouchedSession extends SessionRow {
  /** The token presented is the session's current one (not the one it replaced, still inside its grace window). */
  current: boolean;
  /** The current token is older than the rotation age. */
  rotation_due: boolean;
}

/**
 * A live session for the token: not revoked, not expired, its user not disabled. Extends its idle window. The
 * token a rotation replaced still matches until its grace window closes.
 */
export async function touchSession(tx: Queryable, tokenHash: Buffer, ttlSeconds: number, rotateAfterSeconds: number): Promise<TouchedSession | null> {
  const r = await tx.query<TouchedSession>(
    `update sessions s set last_seen_at = now(), expires_at = greatest(s.expires_at, now() + make_interval(secs => $2))
     from users u
     where (s.token_hash = $1 or (s.previous_token_hash = $1 and s.previous_token_expires_at > now()))
       and s.revoked_at is null and s.expires_at > now() and u.id = s.user_id and not u.disabled
     returning s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.ip, s.token_hash = $1 as current,
               s.token_issued_at <= now() - make_interval(secs => $3) as rotation_due`,
    [tokenHash, ttlSeconds, rotateAfterSeconds],
  );
  return r.rows[0] ?? null;
}

/**
 * Replaces the session's token, keeping the old one valid for `graceSeconds`. Only the holder of the current
 * token rotates, and only once: of two concurrent requests, the second finds the hash changed (false).
 */
export async function rotateSessionToken(tx: Queryable, sessionId: string, oldHash: Buffer, newHash: Buffer, graceSeconds: number): Promise<boolean> {
  const r = await tx.query(
    `update sessions set previous_token_hash = token_hash, previous_token_expires_at = now() + make_interval(secs => $4),
                         token_hash = $3, token_issued_at = now()
     where id = $1 and token_hash = $2 and revoked_at is null`,
    [sessionId, oldHash, newHash, graceSeconds],
  );
  return r.rowCount > 0;
}

/** Signing out with the replaced token (inside its grace window) ends the session too. */
export async function revokeSessionByHash(tx: Queryable, tokenHash: Buffer): Promise<void> {
  await tx.query(
    `update sessions set revoked_at = now()
     where (token_hash = $1 or (previous_token_hash = $1 and previous_token_expires_at > now())) and revoked_at is null`,
    [tokenHash],
  );
}

export async function revokeUserSessions(tx: Queryable, userId: string, exceptId: string | null): Promise<number> {
  const r = await tx.query(
    'update sessions set revoked_at = now() where user_id = $1 and revoked_at is null and id is distinct from $2',
    [userId, exceptId],
  );
  return r.rowCount;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  scope: 'read' | 'write';
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const TOKEN_COLUMNS = 'id, user_id, name, scope, created_at, expires_at, last_used_at, revoked_at';

export async function findLiveToken(tx: Queryable, tokenHash: Buffer): Promise<TokenRow | null> {
  const r = await tx.query<TokenRow>(
    `update api_tokens t set last_used_at = now() from users u
     where t.token_hash = $1 and t.revoked_at is null and t.expires_at > now() and u.id = t.user_id and not u.disabled
     returning t.id, t.user_id, t.name, t.scope, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`,
    [tokenHash],
  );
  return r.rows[0] ?? null;
}

export async function insertToken(tx: Queryable, t: { userId: string; name: string; scope: string; tokenHash: Buffer; expiresInDays: number }): Promise<TokenRow> {
  const r = await tx.query<TokenRow>(
    `insert into api_tokens (user_id, name, scope, token_hash, expires_at)
     values ($1, $2, $3, $4, now() + make_interval(days => $5)) returning ${TOKEN_COLUMNS}`,
    [t.userId, t.name, t.scope, t.tokenHash, t.expiresInDays],
  );
  return r.rows[0]!;
}

export async function listTokens(tx: Queryable): Promise<TokenRow[]> {
  return (await tx.query<TokenRow>(`select ${TOKEN_COLUMNS} from api_tokens order by created_at desc`)).rows;
}

export async function revokeToken(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.query('update api_tokens set revoked_at = now() where id = $1 and revoked_at is null', [id])).rowCount > 0;
}

export async function listSessions(tx: Queryable): Promise<SessionRow[]> {
  return (await tx.query<SessionRow>(
    `select id, user_id, created_at, last_seen_at, expires_at, user_agent, ip from sessions
     where revoked_at is null and expires_at > now() order by last_seen_at desc`,
  )).rows;
}

export async function revokeSession(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.query('update sessions set revoked_at = now() where id = $1 and revoked_at is null', [id])).rowCount > 0;
}

export async function createReset(tx: Queryable, userId: string, tokenHash: Buffer, ttlSeconds: number): Promise<void> {
  await tx.query(
    'insert into password_resets (user_id, token_hash, expires_at) values ($1, $2, now() + make_interval(secs => $3))',
    [userId, tokenHash, ttlSeconds],
  );
}

/** Marks a live reset token used and returns its user; single use even under concurrent confirms. */
export async function consumeReset(tx: Queryable, tokenHash: Buffer): Promise<string | null> {
  const r = await tx.query<{ user_id: string }>(
    `update password_resets set used_at = now()
     where token_hash = $1 and used_at is null and expires_at > now() returning user_id`,
    [tokenHash],
  );
  return r.rows[0]?.user_id ?? null;
}

export async function recordSecurityEvent(
  tx: Queryable,
  e: { action: string; actorId: string | null; requestId?: string; detail?: Record<string, unknown> },
): Promise<void> {
  // Events about a project carry it in project_id too, so the project's owners can read them (audit policy).
  const projectId = typeof e.detail?.projectId === 'string' ? e.detail.projectId : null;
  await tx.query(
    `insert into audit_log (kind, action, actor_id, request_id, project_id, detail) values ('security', $1, $2, $3, $4, $5)`,
    [e.action, e.actorId, e.requestId ?? null, projectId, e.detail ? JSON.stringify(e.detail) : null],
  );
}
