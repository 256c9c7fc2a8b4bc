/**
 * The one error catalogue: every problem the API can answer with, its stable code, HTTP status and title.
 * Responses follow RFC 9457 (`application/problem+json`); `type` is a relative URI that the API itself serves
 * (`GET /api/v1/problems/{code}`), so a client can always look a code up.
 */
export interface FieldError {
  /** Where the bad value is, as a dotted path into the request part (`smiles`, `components[2].amount`). */
  field: string;
  message: string;
  /** Which part of the request: body, querystring, params or headers. */
  in?: string;
}

export const PROBLEM_CATALOGUE = {
  'invalid-request': { status: 400, title: 'The request is malformed', description: 'The body or parameters do not match the documented schema (wrong type, missing or unknown field, unparseable JSON).' },
  unauthenticated: { status: 401, title: 'Authentication required', description: 'Sign in or send a valid API token.' },
  forbidden: { status: 403, title: 'Not allowed', description: 'You are signed in but your role does not allow this action.' },
  'not-found': { status: 404, title: 'Not found', description: 'No such resource, or it belongs to a project you cannot see.' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', description: 'The resource exists but does not accept this HTTP method.' },
  conflict: { status: 409, title: 'Conflict', description: 'The request conflicts with the current state of the resource.' },
  'payload-too-large': { status: 413, title: 'Payload too large', description: 'The request body exceeds the size limit.' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', description: 'Send JSON (application/json) unless the endpoint documents another type.' },
  'invalid-structure': { status: 422, title: 'The chemical structure could not be used', description: 'RDKit could not parse or standardize the structure; the detail gives its reason.' },
  'unprocessable': { status: 422, title: 'The request cannot be processed', description: 'The request is well-formed but its content is not valid for this operation; errors[] names the fields.' },
  'rate-limited': { status: 429, title: 'Too many requests', description: 'Slow down and retry after the time in Retry-After.' },
  'internal-error': { status: 500, title: 'Internal server error', description: 'An unexpected failure; report the request id to the operator.' },
  'service-unavailable': { status: 503, title: 'Service unavailable', description: 'A dependency (usually the database) is not reachable or not ready.' },
} as const;

export type ProblemCode = keyof typeof PROBLEM_CATALOGUE;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: ProblemCode;
  requestId?: string;
  errors?: FieldError[];
}

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? PROBLEM_CATALOGUE[code].title);
    this.name = 'Problem';
    this.status = PROBLEM_CATALOGUE[code].status;
  }
}

export function problemType(code: ProblemCode): string {
  return `/api/v1/problems/${code}`;
}

export function problemBody(problem: Problem, extras: { instance?: string; requestId?: string } = {}): ProblemBody {
  const entry = PROBLEM_CATALOGUE[problem.code];
  return {
    type: problemType(problem.code),
    title: entry.title,
    status: entry.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(extras.instance ? { instance: extras.instance } : {}),
    code: problem.code,
    ...(extras.requestId ? { requestId: extras.requestId } : {}),
    ...(problem.errors && problem.errors.length > 0 ? { errors: problem.errors } : {}),
  };
}

/** Converts an Ajv instance path (`/components/2/amount`) plus a missing property into `components[2].amount`. */
export function fieldPath(instancePath: string, missingProperty?: string): string {
  const parts = instancePath.split('/').filter((p) => p !== '').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (missingProperty) parts.push(missingProperty);
  let path = '';
  for (const part of parts) {
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else path += path === '' ? part : `.${part}`;
  }
  return path;
}
