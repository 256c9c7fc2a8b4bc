// Account settings: password, sessions and API tokens of the signed-in user (accounts mode only).
import { LocalModeNotice } from '../auth/LocalModeNotice.tsx';
import { useMeta } from '../auth/meta.ts';
import { Link } from '../router.tsx';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { SessionsPanel } from './SessionsPanel.tsx';
import { TokensPanel } from './TokensPanel.tsx';
import '../auth/auth.css';

export function AccountPage() {
  const meta = useMeta();
  if (meta.isPending) return <p role="status">Loading…</p>;
  if (meta.data?.authMode === 'local') return <LocalModeNotice title="Account settings" />;
  const actor = meta.data?.actor;
  if (!actor) {
    return (
      <>
        <title>Account settings · CryoProtect</title>
        <h1>Account settings</h1>
        <p>
          <Link to="/signin?next=%2Faccount">Sign in</Link> to manage your account.
        </p>
      </>
    );
  }
  return (
    <div className="stack">
      <title>Account settings · CryoProtect</title>
      <div>
        <h1>Account settings</h1>
        <p className="lead">
          {actor.name} · {actor.email}
          {actor.isAdmin ? <span className="badge badge--admin">admin</span> : null}
        </p>
      </div>
      <ChangePasswordForm />
      <SessionsPanel />
      <TokensPanel />
    </div>
  );
}
