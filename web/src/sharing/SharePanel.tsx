// "Sharing" on a mixture or experiment page: who can read it (project or every signed-in account), and
// read-only links for people without an account. Owners and editors change both; others see the state.
import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { ConfirmButton } from '../auth/ConfirmButton.tsx';
import { FormError, fieldErrors, formErrorText, formatDateTime, TextField } from '../auth/forms.tsx';
import { listProjects, projectKeys } from '../projects/project-api.ts';
import {
  createShareLink, listShareLinks, revokeShareLink, setVisibility, shareKeys, sharedPageUrl,
  type CreatedShareLink, type SharedResourceType, type Visibility,
} from './share-api.ts';
import './sharing.css';

interface Shareable {
  id: string;
  projectId: string | null;
  visibility: Visibility;
}

type VisibleType = 'molecule' | SharedResourceType;
const NOUN: Record<VisibleType, string> = { molecule: 'molecule', mixture: 'formulation', experiment: 'experiment' };
const PUBLISHES: Record<VisibleType, string> = {
  molecule: '',
  mixture: 'The project molecules and components of its recipe become public with it.',
  experiment: 'Its formulation (with its molecules) and its sample type become public with it.',
};

function VisibilityControl({ type, resource, canChange }: { type: VisibleType; resource: Shareable; canChange: boolean }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (to: Visibility) => setVisibility(type, resource.id, to),
    // Publishing reaches other rows too (the recipe's molecules), so every cached answer may be stale.
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const isPublic = resource.visibility === 'public';
  return (
    <div className="share-visibility">
      <p>
        <span className={`badge ${isPublic ? 'badge--public' : ''}`} data-testid="visibility-badge">{isPublic ? 'Public' : 'Project only'}</span>{' '}
        {isPublic
          ? `Every signed-in account on this server can read this ${NOUN[type]}; only the project's owners and editors can change it.`
          : `Only members of the project can see this ${NOUN[type]}.`}
      </p>
      {canChange ? (
        isPublic ? (
          <ConfirmButton label="Make private" question={`Only project members will see this ${NOUN[type]}. Continue?`} confirmLabel="Make private"
            busy={change.isPending} onConfirm={() => change.mutate('project')} />
        ) : (
          <ConfirmButton label="Make public" question={`Every signed-in account will be able to read it. ${PUBLISHES[type]}`.trim()} confirmLabel="Make public"
            busy={change.isPending} onConfirm={() => change.mutate('public')} />
        )
      ) : null}
      {change.isError ? <FormError text={`Could not change who can see it. ${describeError(change.error)}`} /> : null}
    </div>
  );
}

function CreatedLink({ link, onDone }: { link: CreatedShareLink; onDone(): void }) {
  const url = sharedPageUrl(link.token);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      // Clipboard access needs a secure context or permission; the field is selected so Ctrl+C works.
      setCopied('failed');
    }
  };
  return (
    <div className="share-created">
      <p className="success" role="status">Share link created. Copy it now: it is shown only once.</p>
      <TextField label="Link" value={url} onValue={() => undefined} readOnly data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
      <p className="muted">
        Anyone with the link can read this {NOUN[link.resourceType]} until {formatDateTime(link.expiresAt)}
        {link.passwordProtected ? ' — and needs the password you set' : ''}. Revoke it below to stop it sooner.
      </p>
      <div className="share-actions">
        <button type="button" className="button button--primary" onClick={() => void copy()}>Copy link</button>
        <button type="button" className="button" onClick={onDone}>Done</button>
      </div>
      {copied === 'yes' ? <p className="muted" role="status">Copied.</p> : null}
      {copied === 'failed' ? <p className="muted" role="status">Could not copy automatically; select the link and copy it.</p> : null}
    </div>
  );
}

function ShareDialog({ type, resourceId, onClose }: { type: SharedResourceType; resourceId: string; onClose(): void }) {
  const queryClient = useQueryClient();
  const [days, setDays] = useState('7');
  const [password, setPassword] = useState('');
  const create = useMutation({
    mutationFn: () => createShareLink({ resourceType: type, resourceId, expiresInDays: Number(days), ...(password ? { password } : {}) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: shareKeys.links(type, resourceId) }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  if (create.data) return <CreatedLink link={create.data} onDone={onClose} />;
  const fields = ['expiresInDays', 'password'];
  return (
    <form onSubmit={onSubmit} className="share-form" noValidate>
      <p className="muted">A read-only view of this {NOUN[type]} for people without an account. It reads as you: it shows no more than you can see, and stops working if you lose access.</p>
      <TextField label="Valid for (days)" type="number" min={1} max={365} required value={days} onValue={setDays}
        hint="1 to 365 days." errors={fieldErrors(create.error, 'expiresInDays')} />
      <TextField label="Password (optional)" type="password" value={password} onValue={setPassword} autoComplete="new-password"
        hint="At least 8 characters. Give it to the recipients separately." errors={fieldErrors(create.error, 'password')} />
      <FormError text={formErrorText(create.error, fields)} />
      <div className="share-actions">
        <button type="submit" className="button button--primary" disabled={create.isPending}>Create link</button>
        <button type="button" className="button" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}

function LinksList({ type, resourceId }: { type: SharedResourceType; resourceId: string }) {
  const queryClient = useQueryClient();
  const links = useQuery({ queryKey: shareKeys.links(type, resourceId), queryFn: ({ signal }) => listShareLinks(type, resourceId, signal) });
  const revoke = useMutation({
    mutationFn: revokeShareLink,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: shareKeys.links(type, resourceId) }),
  });
  if (links.isPending) return <p role="status">Loading share links…</p>;
  if (links.isError) return <FormError text={`Could not load the share links. ${describeError(links.error)}`} />;
  if (links.data.length === 0) return <p className="muted">No share links yet.</p>;
  const now = Date.now();
  return (
    <>
      <table className="data-table share-links" aria-label="Share links">
        <thead>
          <tr><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Password</th><th scope="col">Opened</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {links.data.map((l) => {
            const state = l.revoked ? 'Revoked' : Date.parse(l.expiresAt) <= now ? 'Expired' : 'Active';
            return (
              <tr key={l.id}>
                <td>{formatDateTime(l.createdAt)}</td>
                <td>{formatDateTime(l.expiresAt)}</td>
                <td>{l.passwordProtected ? 'Yes' : 'No'}</td>
                <td>{l.accessCount === 1 ? '1 time' : `${l.accessCount} times`}</td>
                <td>{state}</td>
                <td>
                  {state === 'Active' ? (
                    <ConfirmButton label="Revoke" ariaLabel={`Revoke the link created ${formatDateTime(l.createdAt)}`} question="Stop this link now?"
                      confirmLabel="Revoke" busy={revoke.isPending} onConfirm={() => revoke.mutate(l.id)} />
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {revoke.isError ? <FormError text={`Could not revoke. ${describeError(revoke.error)}`} /> : null}
    </>
  );
}

/** The caller's role in the row's project; null for reference data, non-members and while loading. */
/** My role in a project (null when not a member, or for reference data); the server still decides every write. */
export function useProjectRole(projectId: string | null): string | null {
  const projects = useQuery({ queryKey: projectKeys.list, queryFn: ({ signal }) => listProjects(signal), enabled: projectId !== null });
  return projects.data?.find((p) => p.id === projectId)?.myRole ?? null;
}

/** Visibility alone, for rows without share links (molecules): `<VisibilityPanel type="molecule" resource={molecule} />`. */
export function VisibilityPanel({ type, resource }: { type: VisibleType; resource: Shareable }) {
  const role = useProjectRole(resource.projectId);
  if (resource.projectId === null) return null;
  return (
    <section className="section share-panel" aria-labelledby="visibility-heading">
      <h2 id="visibility-heading">Visibility</h2>
      <VisibilityControl type={type} resource={resource} canChange={role === 'owner' || role === 'editor'} />
    </section>
  );
}

/** One element on a detail page: `<SharePanel type="mixture" resource={mixture} />`. Nothing for reference data. */
export function SharePanel({ type, resource }: { type: SharedResourceType; resource: Shareable }) {
  const role = useProjectRole(resource.projectId);
  const dialog = useRef<HTMLDialogElement>(null);
  const [dialogKey, setDialogKey] = useState(0);
  if (resource.projectId === null) return null;
  const canManage = role === 'owner' || role === 'editor';
  const open = () => {
    setDialogKey((k) => k + 1); // a fresh form (and no old secret) every time
    dialog.current?.showModal();
  };
  const close = () => dialog.current?.close();
  return (
    <section className="section share-panel" aria-labelledby="sharing-heading">
      <h2 id="sharing-heading">Sharing</h2>
      <VisibilityControl type={type} resource={resource} canChange={canManage} />
      {canManage ? (
        <>
          <div className="share-actions">
            <button type="button" className="button" onClick={open}>Share link…</button>
          </div>
          <LinksList type={type} resourceId={resource.id} />
          <dialog ref={dialog} className="share-dialog" aria-labelledby="share-dialog-heading">
            <h3 id="share-dialog-heading">Share a read-only link</h3>
            <ShareDialog key={dialogKey} type={type} resourceId={resource.id} onClose={close} />
          </dialog>
        </>
      ) : null}
    </section>
  );
}
