// Share links, visibility and the anonymous shared view (docs/accounts.md, "Share links" and "Visibility").
import { API_BASE, apiPath, csrfHeaders, deleteJson, getJson, postJson, problemFromResponse } from '../api.ts';
import type { Experiment, StoredResult } from '../experiments/experiment-api.ts';
import type { MixtureDetail } from '../mixtures/mixture-api.ts';

export type SharedResourceType = 'mixture' | 'experiment';
export type Visibility = 'project' | 'public';

export interface ShareLink {
  id: string;
  resourceType: SharedResourceType;
  resourceId: string;
  projectId: string;
  passwordProtected: boolean;
  createdAt: string;
  expiresAt: string;
  revoked: boolean;
  accessCount: number;
}

export interface CreatedShareLink extends ShareLink {
  /** The secret; the server keeps only its hash, so this is the one time it can be shown. */
  token: string;
}

export const shareKeys = {
  links: (type: SharedResourceType, id: string) => ['share-links', type, id] as const,
  shared: (token: string) => ['shared', token] as const,
};

/** The page a recipient opens: this site's own origin, so it is right behind any proxy the browser came through. */
export function sharedPageUrl(token: string): string {
  return `${window.location.origin}/shared/${encodeURIComponent(token)}`;
}

export async function listShareLinks(type: SharedResourceType, id: string, signal?: AbortSignal): Promise<ShareLink[]> {
  return (await getJson<{ items: ShareLink[] }>(apiPath('/share-links', { resourceType: type, resourceId: id }), signal)).items;
}

export async function createShareLink(input: { resourceType: SharedResourceType; resourceId: string; expiresInDays: number; password?: string }): Promise<CreatedShareLink> {
  return (await postJson<CreatedShareLink>(apiPath('/share-links'), input)).data;
}

export async function revokeShareLink(id: string): Promise<void> {
  await deleteJson(apiPath(`/share-links/${encodeURIComponent(id)}`));
}

export async function setVisibility(type: 'molecule' | SharedResourceType, id: string, visibility: Visibility): Promise<{ visibility: Visibility; detail: string }> {
  const response = await fetch(apiPath(`/${type}s/${encodeURIComponent(id)}/visibility`), {
    method: 'PUT',
    headers: { accept: 'application/json, application/problem+json', 'content-type': 'application/json', ...csrfHeaders('PUT') },
    body: JSON.stringify({ visibility }),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as { visibility: Visibility; detail: string };
}

/** What an anonymous reader gets: the resource as the link's creator sees it, minus who reviewed it. */
export type SharedEvent = { id: string; from: string; to: string; at: string; comment: string | null };
export type SharedExperiment = Omit<Experiment, 'results'> & { results: StoredResult[]; events: SharedEvent[] };
export type Shared =
  | { resourceType: 'mixture'; expiresAt: string; resource: MixtureDetail }
  | { resourceType: 'experiment'; expiresAt: string; resource: SharedExperiment };

/**
 * Opens a link without the app's usual helpers: their 401 means "sign in", here it means "this link needs its
 * password", and the visitor may have no account at all.
 */
export async function openShared(token: string, password: string | null): Promise<Shared> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (password) headers['x-share-password'] = password;
  const response = await fetch(`${API_BASE}/shared/${encodeURIComponent(token)}`, { headers, credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!response.ok) throw await problemFromResponse(response);
  return (await response.json()) as Shared;
}
