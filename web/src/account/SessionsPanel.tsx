import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { accountKeys, listSessions, revokeSession } from '../auth/auth-api.ts';
import { ConfirmButton } from '../auth/ConfirmButton.tsx';
import { formatDateTime, FormError } from '../auth/forms.tsx';

/** A short description of the browser behind a user-agent string. */
export function describeAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown client';
  const browser = /(Firefox|Edg|Chrome|Chromium|Safari)\/[\d.]+/.exec(userAgent)?.[0] ?? null;
  const system = /(Windows|Mac OS X|Linux|Android|iPhone|iPad)/.exec(userAgent)?.[0] ?? null;
  const text = [browser?.replace('Edg/', 'Edge/'), system].filter(Boolean).join(' on ');
  return text || userAgent.slice(0, 60);
}

export function SessionsPanel() {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: accountKeys.sessions, queryFn: ({ signal }) => listSessions(signal) });
  const revoke = useMutation({
    mutationFn: revokeSession,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions }),
  });

  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">My sessions</h2>
      <p className="hint">Every browser signed in to your account. Revoke any you do not recognise.</p>
      {sessions.isPending ? <p role="status">Loading sessions…</p> : null}
      {sessions.isError ? <FormError text={`Could not load sessions. ${describeError(sessions.error)}`} /> : null}
      {sessions.data && sessions.data.length === 0 ? <p className="empty">No active sessions.</p> : null}
      {sessions.data && sessions.data.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="sessions-table">
            <caption className="visually-hidden">Active sessions</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last active</th>
                <th scope="col">Expires</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((s) => (
                <tr key={s.id}>
                  <td title={s.userAgent ?? undefined}>
                    {describeAgent(s.userAgent)} {s.current ? <span className="role-badge">this browser</span> : null}
                  </td>
                  <td>{s.ip ?? '—'}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td>{formatDateTime(s.lastSeenAt)}</td>
                  <td>{formatDateTime(s.expiresAt)}</td>
                  <td>
                    {s.current ? (
                      <span className="muted">Use “Sign out”</span>
                    ) : (
                      <ConfirmButton label="Revoke" ariaLabel={`Revoke session from ${describeAgent(s.userAgent)}`}
                        question="Sign this session out?" confirmLabel="Revoke" busy={revoke.isPending}
                        onConfirm={() => revoke.mutate(s.id)} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {revoke.isError ? <FormError text={`Could not revoke the session. ${describeError(revoke.error)}`} /> : null}
    </section>
  );
}
