import type { FastifyInstance } from 'fastify';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiResponse {
  status: number;
  /** Parsed JSON (problem bodies included), or null for an empty or non-JSON body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests check responses field by field
  text: string;
  headers: Record<string, unknown>;
}

/** A signed-up account that calls the API with its session cookie and CSRF header, as the web UI does. */
export interface AccountClient {
  id: string;
  email: string;
  headers: Record<string, string>;
  call(method: Method, url: string, payload?: object): Promise<ApiResponse>;
}

/**
 * Signs up an account on an app in AUTH_MODE=accounts. Each caller should pass its own client address:
 * sign-up and sign-in are rate limited per address.
 */
export async function signUp(app: FastifyInstance, email: string, name: string, remoteAddress: string): Promise<AccountClient> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email, password: 'a long enough passphrase', name }, remoteAddress });
  if (res.statusCode !== 201) throw new Error(`sign-up of ${email} failed: ${res.statusCode} ${res.body}`);
  const session = (res.cookies as { name: string; value: string }[]).find((c) => c.name === 'cryoprotect_session')!.value;
  const headers = { cookie: `cryoprotect_session=${session}`, 'x-csrf-token': res.json().csrfToken as string };
  return {
    id: res.json().user.id as string,
    email,
    headers,
    async call(method, url, payload) {
      const r = await app.inject({ method, url, payload, headers });
      const json = String(r.headers['content-type'] ?? '').includes('json') && r.body ? r.json() : null;
      return { status: r.statusCode, body: json, text: r.body, headers: r.headers };
    },
  };
}
