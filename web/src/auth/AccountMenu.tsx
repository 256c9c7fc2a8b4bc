// The header's account corner in accounts mode: who is signed in, with links to settings and sign-out,
// or a "Sign in" link. Local mode has no accounts, so the layout does not render this at all.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Actor } from '../api.ts';
import { Link, useLocation, useNavigate } from '../router.tsx';
import { signOut } from './auth-api.ts';
import { forgetPreviousUser } from './meta.ts';
import './auth.css';

export function AccountMenu({ actor }: { actor: Actor | null }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  const signOutMutation = useMutation({
    mutationFn: signOut,
    // Even if the server could not be told (session already gone), this browser forgets the user.
    onSettled: async () => {
      await forgetPreviousUser(queryClient);
      navigate('/signin', { replace: true });
    },
  });

  if (!actor) {
    const here = `${pathname}${search}`;
    const onAuthPage = ['/signin', '/signup', '/forgot-password', '/reset-password'].includes(pathname);
    return (
      <span className="account-menu">
        <Link to={onAuthPage || here === '/' ? '/signin' : `/signin?next=${encodeURIComponent(here)}`} className="button button--small">
          Sign in
        </Link>
      </span>
    );
  }
  return (
    <span className="account-menu" data-testid="account-menu">
      <span>
        Signed in as{' '}
        <Link to="/account" title={`${actor.email} · account settings`}>
          <strong>{actor.name}</strong>
        </Link>
        {actor.isAdmin ? <span className="badge badge--admin">admin</span> : null}
      </span>
      <button type="button" className="button button--small" onClick={() => signOutMutation.mutate()} disabled={signOutMutation.isPending}>
        {signOutMutation.isPending ? 'Signing out…' : 'Sign out'}
      </button>
    </span>
  );
}
