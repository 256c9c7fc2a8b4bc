import type { Queryable } from '../../db/db.ts';
import type { Project, Role } from './schemas.ts';

/** Project SQL; every call runs in the acting user's transaction, so RLS decides what exists for them. */
interface ProjectRow {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  my_role: Role;
}

const SELECT = `select p.id, p.name, p.description, p.created_at, app.project_role(p.id) as my_role from projects p`;

function toProject(r: ProjectRow): Project {
  return { id: r.id, name: r.name, description: r.description, myRole: r.my_role, createdAt: new Date(r.created_at).toISOString() };
}

export async function insert(tx: Queryable, p: { name: string; description: string | null; createdBy: string }): Promise<string> {
  const r = await tx.query<{ id: string }>('insert into projects (name, description, created_by) values ($1, $2, $3) returning id', [p.name, p.description, p.createdBy]);
  return r.rows[0]!.id;
}

export async function listMine(tx: Queryable): Promise<Project[]> {
  const r = await tx.query<ProjectRow>(`${SELECT} where app.project_role(p.id) is not null order by lower(p.name), p.id`);
  return r.rows.map(toProject);
}

export async function find(tx: Queryable, id: string): Promise<Project | null> {
  const r = await tx.query<ProjectRow>(`${SELECT} where p.id = $1 and app.project_role(p.id) is not null`, [id]);
  return r.rows[0] ? toProject(r.rows[0]) : null;
}

export async function members(tx: Queryable, id: string) {
  const r = await tx.query<{ user_id: string; email: string; display_name: string; role: Role; added_at: Date }>(
    `select m.user_id, u.email, u.display_name, m.role, m.added_at from project_members m join users u on u.id = m.user_id
     where m.project_id = $1 order by m.added_at, u.email`,
    [id],
  );
  return r.rows.map((m) => ({ userId: m.user_id, email: m.email, name: m.display_name, role: m.role, addedAt: new Date(m.added_at).toISOString() }));
}

export async function invitations(tx: Queryable, id: string) {
  const r = await tx.query<{ email: string; role: Role; created_at: Date }>(
    'select email, role, created_at from project_invitations where project_id = $1 and accepted_at is null order by created_at',
    [id],
  );
  return r.rows.map((i) => ({ email: i.email, role: i.role, createdAt: new Date(i.created_at).toISOString() }));
}

export async function update(tx: Queryable, id: string, patch: { name?: string; description?: string | null }): Promise<boolean> {
  const r = await tx.query(
    `update projects set name = coalesce($2, name), description = case when $3 then $4 else description end, updated_at = now() where id = $1`,
    [id, patch.name ?? null, patch.description !== undefined, patch.description ?? null],
  );
  return r.rowCount > 0;
}

export async function remove(tx: Queryable, id: string): Promise<boolean> {
  return (await tx.query('delete from projects where id = $1', [id])).rowCount > 0;
}

export async function addMember(tx: Queryable, projectId: string, userId: string, role: Role): Promise<void> {
  await tx.query(
    `insert into project_members (project_id, user_id, role) values ($1, $2, $3)
     on conflict (project_id, user_id) do update set role = excluded.role`,
    [projectId, userId, role],
  );
}

export async function invite(tx: Queryable, projectId: string, email: string, role: Role, invitedBy: string): Promise<void> {
  await tx.query(
    `insert into project_invitations (project_id, email, role, invited_by) values ($1, $2, $3, $4)
     on conflict (project_id, email) do update set role = excluded.role, invited_by = excluded.invited_by, accepted_at = null`,
    [projectId, email, role, invitedBy],
  );
}

export async function memberRole(tx: Queryable, projectId: string, userId: string): Promise<Role | null> {
  const r = await tx.query<{ role: Role }>('select role from project_members where project_id = $1 and user_id = $2', [projectId, userId]);
  return r.rows[0]?.role ?? null;
}

export async function ownerCount(tx: Queryable, projectId: string): Promise<number> {
  const r = await tx.query<{ n: string }>("select count(*) as n from project_members where project_id = $1 and role = 'owner'", [projectId]);
  return Number(r.rows[0]?.n ?? 0);
}

export async function setRole(tx: Queryable, projectId: string, userId: string, role: Role): Promise<boolean> {
  return (await tx.query('update project_members set role = $3 where project_id = $1 and user_id = $2', [projectId, userId, role])).rowCount > 0;
}

export async function removeMember(tx: Queryable, projectId: string, userId: string): Promise<boolean> {
  return (await tx.query('delete from project_members where project_id = $1 and user_id = $2', [projectId, userId])).rowCount > 0;
}
