import type { Actor, Db } from '../../db/db.ts';
import { Problem } from '../../app/problems.ts';
import { hashPassword, isSecretOfKind, newSecret, secretHash, verifyPassword } from '../accounts/secrets.ts';
import { LoginThrottle } from '../accounts/throttle.ts';
import { createExperimentService } from '../experiments/service.ts';
import { createMixtureService } from '../mixtures/service.ts';
import { createVisibilityService } from './visibility.ts';

export type SharedResourceType = 'mixture' | 'experiment';

interface LinkRow {
  id: string;
  resource_type: SharedResourceType;
  resource_id: string;
  project_id: string;
  password_hash: string | null;
  created_by: string;
  expires_at: Date;
  revoked_at: Date | null;
  access_count: number;
  created_at: Date;
}

function view(l: LinkRow) {
  return {
    id: l.id, resourceType: l.resource_type, resourceId: l.resource_id, projectId: l.project_id, passwordProtected: l.password_hash !== null,
    createdAt: new Date(l.created_at).toISOString(), expiresAt: new Date(l.expires_at).toISOString(),
    revoked: l.revoked_at !== null, accessCount: l.access_count,
  };
}

/** The same answer for unknown, expired and revoked links, so tokens cannot be probed. */
const gone = () => new Problem('not-found', 'This share link does not exist, has expired or was revoked');

export function createShareService(db: Db, publicUrl: string) {
  const mixtures = createMixtureService(db);
  const experiments = createExperimentService(db);
  const throttle = new LoginThrottle({ freeAttempts: 5 });

  async function projectOf(actor: Actor, type: SharedResourceType, id: string): Promise<string | null> {
    if (type === 'mixture') return (await mixtures.get(actor, id)).projectId;
    return (await experiments.get(actor, id)).projectId;
  }

  return {
    /** Who may read a project's molecules, mixtures and experiments (the other half of sharing). */
    visibility: createVisibilityService(db),

    async create(actor: Actor, body: { resourceType: SharedResourceType; resourceId: string; expiresInDays: number; password?: string }) {
      const projectId = await projectOf(actor, body.resourceType, body.resourceId);
      if (projectId === null) throw new Problem('unprocessable', 'Reference data is public already; share links are for project data', [{ field: 'resourceId', in: 'body', message: 'a public reference row' }]);
      if (body.password !== undefined && body.password.length < 8) throw new Problem('unprocessable', 'A share password needs at least 8 characters', [{ field: 'password', in: 'body', message: 'at least 8 characters' }]);
      const token = newSecret('session').replace(/^cps_/, 'cpl_');
      const passwordHash = body.password ? await hashPassword(body.password) : null;
      const row = await db.asUser(actor, async (tx) => {
        const role = (await tx.query<{ r: string | null }>('select app.project_role($1) as r', [projectId])).rows[0]?.r;
        if (role !== 'owner' && role !== 'editor') throw new Problem('forbidden', `Only owners and editors may share project data; your role is ${role ?? 'none'}`);
        return (await tx.query<LinkRow>(
          `insert into share_links (token_hash, resource_type, resource_id, project_id, password_hash, created_by, expires_at)
           values ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7)) returning *`,
          [secretHash(token), body.resourceType, body.resourceId, projectId, passwordHash, actor.userId, body.expiresInDays],
        )).rows[0]!;
      });
      // url: the JSON (for scripts); viewUrl: the read-only page of the web UI that shows it.
      return { ...view(row), token, url: `${publicUrl}/api/v1/shared/${token}`, viewUrl: `${publicUrl}/shared/${token}` };
    },

    async list(actor: Actor, filter: { resourceType?: SharedResourceType; resourceId?: string }) {
      return db.asUser(actor, async (tx) => (await tx.query<LinkRow>(
        `select * from share_links where ($1::text is null or resource_type = $1) and ($2::uuid is null or resource_id = $2)
         order by created_at desc`, [filter.resourceType ?? null, filter.resourceId ?? null])).rows.map(view));
    },

    async revoke(actor: Actor, id: string): Promise<void> {
      const done = await db.asUser(actor, (tx) => tx.query('update share_links set revoked_at = now() where id = $1 and revoked_at is null', [id]));
      if (done.rowCount === 0) throw new Problem('not-found', 'No such active share link');
    },

    /** Resolves a token for an anonymous reader and returns the resource as its creator sees it. */
    async open(token: string, password: string | undefined, client: { ip: string | null }) {
      if (!token.startsWith('cpl_') || !isSecretOfKind(`cps_${token.slice(4)}`, 'session')) throw gone();
      const wait = throttle.retryAfterSeconds(token, client.ip);
      if (wait > 0) throw new Problem('rate-limited', `Too many wrong passwords; try again in ${wait} s`);
      const link = await db.asMaintenance(async (tx) => (await tx.query<LinkRow>(
        'select * from share_links where token_hash = $1 and revoked_at is null and expires_at > now()', [secretHash(token)])).rows[0]);
      if (!link) throw gone();
      if (link.password_hash) {
        if (!password) throw new Problem('unauthenticated', 'This share link needs its password (X-Share-Password header)');
        if (!(await verifyPassword(link.password_hash, password))) {
          throttle.recordFailure(token, client.ip);
          throw new Problem('unauthenticated', 'Wrong password for this share link');
        }
      }
      const creator: Actor = { userId: link.created_by };
      let resource: unknown;
      try {
        if (link.resource_type === 'mixture') resource = await mixtures.get(creator, link.resource_id);
        else {
          const e = await experiments.get(creator, link.resource_id);
          // Who reviewed is the lab's business, not the anonymous reader's: no ids, no email addresses.
          const events = (await experiments.events(creator, link.resource_id)).map(({ snapshot: _s, actorId: _a, actorEmail: _e, ...rest }) => rest);
          resource = { ...e, events };
        }
      } catch (error) {
        // The creator lost access or the resource was deleted: the link is dead.
        if (error instanceof Problem && error.status === 404) throw gone();
        throw error;
      }
      await db.asMaintenance((tx) => tx.query('update share_links set access_count = access_count + 1, last_accessed_at = now() where id = $1', [link.id]));
      return { resourceType: link.resource_type, expiresAt: new Date(link.expires_at).toISOString(), resource };
    },
  };
}

export type ShareService = ReturnType<typeof createShareService>;
