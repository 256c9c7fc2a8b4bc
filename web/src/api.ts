// Typed fetch helpers for the CryoProtect HTTP API (/api/v1).
// Every non-2xx answer becomes an ApiProblem, parsed from the RFC 9457 problem body when the
// server sent one, so pages can show the server's own words and per-field validation errors.

export const API_BASE = '/api/v1';

export interface ProblemFieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: ProblemFieldError[];
}

export class ApiProblem extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[];

  constructor(body: ProblemBody & { status: number }) {
    const title = body.title ?? 'Request failed';
    super(body.detail ? `${title}: ${body.detail}` : title);
    this.name = 'ApiProblem';
    this.type = body.type ?? 'about:blank';
    this.title = title;
    this.status = body.status;
    this.detail = body.detail;
    this.errors = body.errors ?? [];
  }

  /** Messages the server attached to one request field, e.g. `smiles`. */
  messagesFor(field: string): string[] {
    return this.errors.filter((e) => fieldKey(e.field) === field).map((e) => e.message);
  }

  /** Field errors whose field is not among `known`, so a form can still show them somewhere. */
  otherErrors(known: readonly string[]): ProblemFieldError[] {
    return this.errors.filter((e) => !known.includes(fieldKey(e.field)));
  }
}

/**
 * Servers name fields as `smiles`, `/smiles` (JSON pointer) or `body.smiles` depending on the
 * validator; a form only cares about the last segment.
 */
export function fieldKey(field: string): string {
  const parts = field.split(/[/.]/).filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? field;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFieldErrors(value: unknown): ProblemFieldError[] {
  if (!Array.isArray(value)) return [];
  const out: ProblemFieldError[] = [];
  for (const item of value) {
    if (isRecord(item) && typeof item.message === 'string') {
      out.push({ field: typeof item.field === 'string' ? item.field : '', message: item.message });
    }
  }
  return out;
}

/** Turn a failed response into an ApiProblem, whatever the server put in the body. */
export async function problemFromResponse(response: Response): Promise<ApiProblem> {
  const fallback = { status: response.status, title: response.statusText || `HTTP ${response.status}` };
  const contentType = response.headers.get('content-type') ?? '';
  let text = '';
  try {
    text = await response.text();
  } catch {
    return new ApiProblem(fallback);
  }
  if (/json/i.test(contentType)) {
    try {
      const body: unknown = JSON.parse(text);
      if (isRecord(body)) {
        return new ApiProblem({
          type: typeof body.type === 'string' ? body.type : undefined,
          title: typeof body.title === 'string' ? body.title : fallback.title,
          status: typeof body.status === 'number' ? body.status : response.status,
          detail: typeof body.detail === 'string' ? body.detail : undefined,
          errors: parseFieldErrors(body.errors),
        });
      }
    } catch {
      // A malformed JSON error body is still an error; fall through to the plain-text form.
    }
  }
  const snippet = text.trim().slice(0, 300);
  return new ApiProblem({ ...fallback, detail: snippet.length > 0 ? snippet : undefined });
}

export interface ApiResult<T> {
  status: number;
  data: T;
  location: string | null;
}

export const CSRF_COOKIE = 'cryoprotect_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of one cookie readable by this page, or null. */
function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/**
 * The CSRF header a cookie-authenticated write must carry (accounts mode). The server also set the
 * token in a readable cookie; only this origin's script can copy it into a header. Empty in local mode.
 * Use it for any fetch() that bypasses the helpers below.
 */
export function csrfHeaders(method: string): Record<string, string> {
  if (SAFE_METHODS.has(method.toUpperCase())) return {};
  const token = readCookie(CSRF_COOKIE);
  return token ? { [CSRF_HEADER]: token } : {};
}

/** Learned from GET /meta. Local mode never answers 401, so an unknown mode (meta still loading) counts as accounts. */
let knownAuthMode: AuthMode | null = null;

/** Paths whose 401 is an answer for the page itself (a wrong password), not a reason to redirect. */
function isAuthEndpoint(path: string): boolean {
  return path.startsWith(`${API_BASE}/auth/`);
}

/** The sign-in page's URL that returns to `location` afterwards. */
export function signInUrl(next: string): string {
  return `/signin?next=${encodeURIComponent(next)}`;
}

/**
 * A signed-out (or expired, or revoked) session in accounts mode: send the user to sign in, and back
 * here afterwards. A full page load also drops every cached answer of the previous session.
 */
function redirectToSignIn(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  if (window.location.pathname === '/signin') return;
  window.location.assign(signInUrl(here));
}

/** `path` is an absolute URL path, usually built with apiPath(). */
async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...csrfHeaders(method) };
  const init: RequestInit = { method, headers, signal, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    const problem = await problemFromResponse(response);
    if (problem.status === 401 && knownAuthMode !== 'local' && !isAuthEndpoint(path)) redirectToSignIn();
    throw problem;
  }
  const data = (response.status === 204 ? undefined : await response.json()) as T; // the server's schema is the contract
  return { status: response.status, data, location: response.headers.get('location') };
}

/** Build an API path with query parameters, leaving out empty ones. */
export function apiPath(path: string, query: Record<string, string | number | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>('GET', path, undefined, signal)).data;
}

export function postJson<T>(path: string, body: unknown): Promise<ApiResult<T>> {
  return request<T>('POST', path, body);
}

export function patchJson<T>(path: string, body: unknown): Promise<ApiResult<T>> {
  return request<T>('PATCH', path, body);
}

export function deleteJson(path: string): Promise<ApiResult<undefined>> {
  return request<undefined>('DELETE', path);
}

/** A short, human sentence for any error thrown by these helpers or by fetch itself. */
export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof TypeError) return 'Could not reach the CryoProtect server. Check that it is running.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export interface Actor {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

/** `local`: one built-in user, no sign-in. `accounts`: every API call needs a session or token. */
export type AuthMode = 'local' | 'accounts';

export interface ServerMeta {
  name: string;
  version: string;
  database: 'embedded' | 'postgres';
  authMode: AuthMode;
  /** Null when nobody is signed in (accounts mode only). */
  actor: Actor | null;
}

export async function fetchMeta(signal?: AbortSignal): Promise<ServerMeta> {
  const meta = await getJson<ServerMeta>(apiPath('/meta'), signal);
  knownAuthMode = meta.authMode;
  return meta;
}
