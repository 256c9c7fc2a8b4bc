import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../app/openapi.ts';
import { Problem } from '../../app/problems.ts';
import type { Db } from '../../db/db.ts';

/**
 * Reading the audit log. RLS decides what a reader sees: administrators everything, project owners their
 * projects' entries, everyone their own actions. Nobody can write or change entries through the API.
 */
const Entry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  kind: Type.String(),
  action: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorEmail: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  table: Type.Union([Type.String(), Type.Null()]),
  rowId: Type.Union([Type.String(), Type.Null()]),
  projectId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  detail: Type.Unknown(),
});

export function auditRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/audit', {
      schema: {
        tags: ['accounts'],
        summary: 'Audit log entries visible to you, newest first (keyset on id)',
        querystring: Type.Object({
          projectId: Type.Optional(Type.String({ format: 'uuid' })),
          kind: Type.Optional(Type.Union([Type.Literal('data'), Type.Literal('security')])),
          before: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', description: 'Return entries older than this id' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Object({ items: Type.Array(Entry), nextBefore: Type.Union([Type.String(), Type.Null()]) }), ...ProblemResponses },
      },
    }, async (request) => {
      const q = request.query;
      const rows = await db.asUser(request.actor, async (tx) => {
        if (q.projectId) {
          const role = (await tx.query<{ r: string | null }>('select app.project_role($1) as r', [q.projectId])).rows[0]?.r;
          const admin = (await tx.query<{ a: boolean }>('select app.is_admin() as a')).rows[0]?.a;
          if (!role && !admin) throw new Problem('not-found', `Project ${q.projectId} does not exist or you are not a member`);
        }
        return (await tx.query<{ id: string; at: Date; kind: string; action: string; actor_id: string | null; actor_email: string | null; request_id: string | null; table_name: string | null; row_id: string | null; project_id: string | null; before: unknown; after: unknown; detail: unknown }>(
          `select a.id::text, a.at, a.kind, a.action, a.actor_id, u.email as actor_email, a.request_id, a.table_name, a.row_id,
                  a.project_id, a.before, a.after, a.detail
           from audit_log a left join users u on u.id = a.actor_id
           where ($1::uuid is null or a.project_id = $1 or a.detail->>'projectId' = $1::text)
             and ($2::text is null or a.kind = $2) and ($3::bigint is null or a.id < $3)
           order by a.id desc limit $4`,
          [q.projectId ?? null, q.kind ?? null, q.before ?? null, q.limit + 1],
        )).rows;
      });
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => ({
          id: r.id, at: new Date(r.at).toISOString(), kind: r.kind, action: r.action, actorId: r.actor_id, actorEmail: r.actor_email,
          requestId: r.request_id, table: r.table_name, rowId: r.row_id, projectId: r.project_id, before: r.before, after: r.after, detail: r.detail,
        })),
        nextBefore: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
      };
    });
  };
}
