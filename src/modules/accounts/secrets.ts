import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Credentials. Passwords are hashed with argon2id (library defaults: m = 19 MiB, t = 2, p = 1, OWASP's
 * minimum); bearer secrets (sessions, API tokens, reset links) are 256 random bits stored only as SHA-256.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.toLowerCase() === email.toLowerCase()) return 'must not be your email address';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a password nobody has, so an unknown account costs as much time as a wrong password. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hash(randomBytes(16).toString('hex'));
  return decoy;
}

export type SecretKind = 'session' | 'token' | 'reset';
const PREFIX: Record<SecretKind, string> = { session: 'cps_', token: 'cpt_', reset: 'cpr_' };

/** A new bearer secret; the prefix tells a leaked string's kind at a glance (secret scanners use it too). */
export function newSecret(kind: SecretKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function isSecretOfKind(value: string, kind: SecretKind): boolean {
  return value.startsWith(PREFIX[kind]) && /^[A-Za-z0-9_-]{40,60}$/.test(value.slice(4));
}

/** CSRF token bound to one session: HMAC(server secret, session id). Stateless to check, useless elsewhere. */
export function csrfToken(serverSecret: string, sessionId: string): string {
  return createHmac('sha256', serverSecret).update(`csrf:${sessionId}`).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
