// The accounts slice of the API (AUTH_MODE=accounts): sign-up/in/out, password change and reset,
// sessions and personal API tokens. The session itself lives in HttpOnly cookies set by the server.
import { apiPath, deleteJson, getJson, postJson, type Actor } from '../api.ts';

export interface SignedIn {
  user: Actor;
  csrfToken: string;
}

export interface SessionItem {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  /** The session this browser is using. */
  current: boolean;
}

export type TokenScope = 'read' | 'write';

export interface TokenItem {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

export interface CreatedToken {
  /** The secret; the server keeps only its hash and never shows it again. */
  token: string;
  id: string;
  name: string;
  scope: TokenScope;
  expiresAt: string;
}

export const accountKeys = {
  sessions: ['auth', 'sessions'] as const,
  tokens: ['auth', 'tokens'] as const,
};

export async function signUp(input: { email: string; password: string; name: string }): Promise<SignedIn> {
  return (await postJson<SignedIn>(apiPath('/auth/signup'), input)).data;
}

export async function signIn(input: { email: string; password: string }): Promise<SignedIn> {
  return (await postJson<SignedIn>(apiPath('/auth/signin'), input)).data;
}

export async function signOut(): Promise<void> {
  await postJson<undefined>(apiPath('/auth/signout'), undefined);
}

export async function changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
  await postJson<undefined>(apiPath('/auth/password'), input);
}

/** Answers the same sentence whether or not the account exists. */
export async function requestPasswordReset(email: string): Promise<string> {
  return (await postJson<{ status: string }>(apiPath('/auth/password-reset'), { email })).data.status;
}

export async function confirmPasswordReset(input: { token: string; newPassword: string }): Promise<void> {
  await postJson<undefined>(apiPath('/auth/password-reset/confirm'), input);
}

export async function listSessions(signal?: AbortSignal): Promise<SessionItem[]> {
  return (await getJson<{ items: SessionItem[] }>(apiPath('/auth/sessions'), signal)).items;
}

export async function revokeSession(id: string): Promise<void> {
  await deleteJson(apiPath(`/auth/sessions/${encodeURIComponent(id)}`));
}

export async function listTokens(signal?: AbortSignal): Promise<TokenItem[]> {
  return (await getJson<{ items: TokenItem[] }>(apiPath('/auth/tokens'), signal)).items;
}

export async function createToken(input: { name: string; scope: TokenScope; expiresInDays: number }): Promise<CreatedToken> {
  return (await postJson<CreatedToken>(apiPath('/auth/tokens'), input)).data;
}

export async function revokeToken(id: string): Promise<void> {
  await deleteJson(apiPath(`/auth/tokens/${encodeURIComponent(id)}`));
}

/**
 * Where to go after signing in: the `next` parameter when it is a path on this site, else home.
 * Anything else (`//evil.example`, `https://…`) is ignored so the link cannot send users elsewhere.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/signin') || next.startsWith('/signup')) return '/';
  return next;
}
