// The projects slice of the API: projects, members and invitations, and the audit trail.
import { apiPath, deleteJson, getJson, patchJson, postJson } from '../api.ts';

export const ROLES = ['owner', 'editor', 'reviewer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_HELP: Record<Role, string> = {
  owner: 'manages members and can delete the project',
  editor: 'adds and changes data',
  reviewer: 'reads and reviews',
  viewer: 'reads only',
};

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  addedAt: string;
}

export interface Invitation {
  email: string;
  role: Role;
  createdAt: string;
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  myRole: Role;
  createdAt: string;
  members?: Member[];
  /** Pending invitations; only owners see them. */
  invitations?: Invitation[];
}

export interface AddMemberResult {
  /** `added`: the account existed and is a member now; `invited`: joins when signing up with that email. */
  status: 'added' | 'invited';
  email: string;
  role: Role;
}

export interface AuditEntry {
  id: string;
  at: string;
  kind: string;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  requestId: string | null;
  table: string | null;
  rowId: string | null;
  projectId: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

export interface AuditPage {
  items: AuditEntry[];
  nextBefore: string | null;
}

export const projectKeys = {
  all: ['projects'] as const,
  list: ['projects', 'list'] as const,
  detail: (id: string) => ['projects', 'detail', id] as const,
  audit: (id: string) => ['projects', 'audit', id] as const,
};

export async function listProjects(signal?: AbortSignal): Promise<Project[]> {
  return (await getJson<{ items: Project[] }>(apiPath('/projects'), signal)).items;
}

export function getProject(id: string, signal?: AbortSignal): Promise<Project> {
  return getJson<Project>(apiPath(`/projects/${encodeURIComponent(id)}`), signal);
}

export async function createProject(input: { name: string; description?: string }): Promise<Project> {
  return (await postJson<Project>(apiPath('/projects'), input)).data;
}

export async function addMember(projectId: string, input: { email: string; role: Role }): Promise<AddMemberResult> {
  return (await postJson<AddMemberResult>(apiPath(`/projects/${encodeURIComponent(projectId)}/members`), input)).data;
}

export async function changeRole(projectId: string, userId: string, role: Role): Promise<void> {
  await patchJson<undefined>(apiPath(`/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(userId)}`), { role });
}

/** Removes a member (owners), or leaves when `userId` is yourself. */
export async function removeMember(projectId: string, userId: string): Promise<void> {
  await deleteJson(apiPath(`/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(userId)}`));
}

export async function transferOwnership(projectId: string, userId: string): Promise<Project> {
  return (await postJson<Project>(apiPath(`/projects/${encodeURIComponent(projectId)}/transfer`), { userId })).data;
}

/** The server deletes only when `confirm` equals the project's name. */
export async function deleteProject(projectId: string, confirm: string): Promise<void> {
  await deleteJson(apiPath(`/projects/${encodeURIComponent(projectId)}`, { confirm }));
}

export function getAudit(projectId: string, before: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return getJson<AuditPage>(apiPath('/audit', { projectId, before, limit: 50 }), signal);
}
