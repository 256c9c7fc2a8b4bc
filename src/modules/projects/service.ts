import type { Actor, Db } from '../../db/db.ts';
import { Problem } from '../../app/problems.ts';
import { findUserByEmail, recordSecurityEvent } from '../accounts/repo.ts';
import type { Mailer } from '../accounts/mailer.ts';
import * as repo from './repo.ts';
import type { Project, Role } from './schemas.ts';

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * Projects and membership. Deleting a project deletes everything in it (molecules, mixtures, experiments,
 * memberships, invitations: every project foreign key cascades); the caller must confirm with the project's name.
 */
export function createProjectService(db: Db, mailer: Mailer | null, publicUrl: string) {
  async function requireRole(actor: Actor, id: string, needed: 'member' | 'owner'): Promise<Project> {
    const project = await db.asUser(actor, (tx) => repo.find(tx, id));
    // Another project's existence is not revealed: not a member looks exactly like not there.
    if (!project) throw new Problem('not-found', `Project ${id} does not exist or you are not a member`);
    if (needed === 'owner' && project.myRole !== 'owner') throw new Problem('forbidden', `Only owners may do this; your role is ${project.myRole}`);
    return project;
  }

  async function securityEvent(actor: Actor, action: string, detail: Record<string, unknown>): Promise<void> {
    await db.asMaintenance((tx) => recordSecurityEvent(tx, { action, actorId: actor.userId, requestId: actor.requestId, detail }));
  }

  return {
    async create(actor: Actor, body: { name: string; description?: string }): Promise<Project> {
      const id = await db.asUser(actor, (tx) => repo.insert(tx, { name: body.name.trim(), description: body.description ?? null, createdBy: actor.userId }));
      return this.get(actor, id);
    },

    list(actor: Actor): Promise<Project[]> {
      return db.asUser(actor, repo.listMine);
    },

    async get(actor: Actor, id: string): Promise<Project> {
      const project = await requireRole(actor, id, 'member');
      return db.asUser(actor, async (tx) => ({
        ...project,
        members: await repo.members(tx, id),
        ...(project.myRole === 'owner' ? { invitations: await repo.invitations(tx, id) } : {}),
      }));
    },

    async update(actor: Actor, id: string, patch: { name?: string; description?: string | null }): Promise<Project> {
      await requireRole(actor, id, 'owner');
      await db.asUser(actor, (tx) => repo.update(tx, id, { ...patch, ...(patch.name ? { name: patch.name.trim() } : {}) }));
      return this.get(actor, id);
    },

    async remove(actor: Actor, id: string, confirm: string | undefined): Promise<void> {
      const project = await requireRole(actor, id, 'owner');
      if (confirm !== project.name) {
        throw new Problem('unprocessable', 'Deleting a project deletes all its data; confirm with the project name', [
          { field: 'confirm', in: 'querystring', message: `must equal the project name "${project.name}"` },
        ]);
      }
      await db.asUser(actor, (tx) => repo.remove(tx, id));
      await securityEvent(actor, 'project_deleted', { projectId: id, name: project.name });
    },

    /** Adds an existing account at once; otherwise records an invitation that sign-up with that email accepts. */
    async addMember(actor: Actor, id: string, body: { email: string; role: Role }): Promise<{ status: 'added' | 'invited'; email: string; role: Role }> {
      const project = await requireRole(actor, id, 'owner');
      const email = body.email.trim().toLowerCase();
      if (!EMAIL.test(email)) throw new Problem('unprocessable', 'That is not an email address', [{ field: 'email', in: 'body', message: 'not an email address' }]);
      const user = await db.asMaintenance((tx) => findUserByEmail(tx, email));
      if (user) {
        await db.asUser(actor, (tx) => repo.addMember(tx, id, user.id, body.role));
        await securityEvent(actor, 'member_added', { projectId: id, userId: user.id, role: body.role });
        return { status: 'added', email, role: body.role };
      }
      await db.asUser(actor, (tx) => repo.invite(tx, id, email, body.role, actor.userId));
      await securityEvent(actor, 'member_invited', { projectId: id, role: body.role });
      await mailer?.send({
        to: email,
        subject: `Invitation to the CryoProtect project "${project.name}"`,
        text: `You were invited to join "${project.name}" as ${body.role}.\n\nSign up with this email address at ${publicUrl}/signup to accept.`,
      });
      return { status: 'invited', email, role: body.role };
    },

    async changeRole(actor: Actor, id: string, userId: string, role: Role): Promise<void> {
      await requireRole(actor, id, 'owner');
      await db.asUser(actor, async (tx) => {
        const current = await repo.memberRole(tx, id, userId);
        if (!current) throw new Problem('not-found', 'That user is not a member of this project');
        if (current === 'owner' && role !== 'owner' && (await repo.ownerCount(tx, id)) === 1) {
          throw new Problem('conflict', 'A project needs an owner: transfer ownership before changing the last owner\'s role');
        }
        await repo.setRole(tx, id, userId, role);
      });
      await securityEvent(actor, 'role_changed', { projectId: id, userId, role });
    },

    /** Owners remove members; any member may remove themselves (leave). The last owner must transfer first. */
    async removeMember(actor: Actor, id: string, userId: string): Promise<void> {
      await requireRole(actor, id, userId === actor.userId ? 'member' : 'owner');
      await db.asUser(actor, async (tx) => {
        const current = await repo.memberRole(tx, id, userId);
        if (!current) throw new Problem('not-found', 'That user is not a member of this project');
        if (current === 'owner' && (await repo.ownerCount(tx, id)) === 1) {
          throw new Problem('conflict', 'The last owner cannot leave: transfer ownership first, or delete the project');
        }
        await repo.removeMember(tx, id, userId);
      });
      await securityEvent(actor, userId === actor.userId ? 'member_left' : 'member_removed', { projectId: id, userId });
    },

    async transfer(actor: Actor, id: string, userId: string): Promise<Project> {
      await requireRole(actor, id, 'owner');
      if (userId === actor.userId) throw new Problem('unprocessable', 'You already own this project', [{ field: 'userId', in: 'body', message: 'choose another member' }]);
      await db.asUser(actor, async (tx) => {
        if (!(await repo.memberRole(tx, id, userId))) throw new Problem('unprocessable', 'Ownership can only go to a member', [{ field: 'userId', in: 'body', message: 'not a member of this project' }]);
        await repo.setRole(tx, id, userId, 'owner');
        await repo.setRole(tx, id, actor.userId, 'editor');
      });
      await securityEvent(actor, 'ownership_transferred', { projectId: id, to: userId });
      return this.get(actor, id);
    },
  };
}

export type ProjectService = ReturnType<typeof createProjectService>;
