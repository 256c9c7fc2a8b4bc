// Sign-in. A wrong password and an unknown email get the same sentence (the server answers both alike);
// throttling (429) shows the server's advice on when to try again.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { Link, useNavigate, useSearchParams } from '../router.tsx';
import { safeNext, signIn } from './auth-api.ts';
import { FormError, TextField } from './forms.tsx';
import { forgetPreviousUser, useMeta } from './meta.ts';
import { LocalModeNotice } from './LocalModeNotice.tsx';
import './auth.css';

export const SIGN_IN_FAILED = 'Email or password is wrong.';

/** What to tell the user when sign-in was refused. */
export function signInErrorText(error: unknown): string {
  if (error instanceof ApiProblem) {
    if (error.status === 401) return SIGN_IN_FAILED;
    if (error.status === 429) return `${error.detail ?? 'Too many attempts.'} Wait, then try again.`;
  }
  return describeError(error);
}

export function SignInPage() {
  const meta = useMeta();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const mutation = useMutation({
    mutationFn: signIn,
    onSuccess: async () => {
      await forgetPreviousUser(queryClient);
      navigate(next, { replace: true });
    },
  });

  if (meta.data?.authMode === 'local') return <LocalModeNotice title="Sign in" />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ email: email.trim(), password });
  };

  return (
    <div className="auth-page">
      <title>Sign in · CryoProtect</title>
      <h1>Sign in</h1>
      {params.get('next') && !meta.data?.actor ? <p className="lead">Sign in to continue.</p> : null}
      <form className="form panel" onSubmit={onSubmit} aria-label="Sign in">
        <TextField label="Email" type="email" name="email" autoComplete="username" required value={email}
          onValue={(v) => { setEmail(v); mutation.reset(); }} />
        <TextField label="Password" type="password" name="password" autoComplete="current-password" required value={password}
          onValue={(v) => { setPassword(v); mutation.reset(); }} />
        <FormError text={mutation.isError ? signInErrorText(mutation.error) : null} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link> · New here?{' '}
        <Link to={next === '/' ? '/signup' : `/signup?next=${encodeURIComponent(next)}`}>Create an account</Link>
      </p>
    </div>
  );
}
