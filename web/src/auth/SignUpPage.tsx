// Sign-up. The server's per-field errors (weak password, email already registered) appear next to
// their fields; invitation-only servers answer 403 with a sentence shown above the button.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from '../router.tsx';
import { safeNext, signUp } from './auth-api.ts';
import { fieldErrors, FormError, formErrorText, TextField } from './forms.tsx';
import { LocalModeNotice } from './LocalModeNotice.tsx';
import { forgetPreviousUser, useMeta } from './meta.ts';
import './auth.css';

const FIELDS = ['name', 'email', 'password'] as const;

export function SignUpPage() {
  const meta = useMeta();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const mutation = useMutation({
    mutationFn: signUp,
    onSuccess: async () => {
      await forgetPreviousUser(queryClient);
      navigate(next === '/' ? '/projects' : next, { replace: true });
    },
  });

  if (meta.data?.authMode === 'local') return <LocalModeNotice title="Create an account" />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ name: name.trim(), email: email.trim(), password });
  };
  const edited = () => mutation.reset();

  return (
    <div className="auth-page">
      <title>Create an account · CryoProtect</title>
      <h1>Create an account</h1>
      <p className="lead">If a project owner invited your email, you join their project as soon as the account exists.</p>
      <form className="form panel" onSubmit={onSubmit} aria-label="Create an account">
        <TextField label="Name" name="name" autoComplete="name" required maxLength={200} value={name}
          errors={fieldErrors(mutation.error, 'name')} onValue={(v) => { setName(v); edited(); }} />
        <TextField label="Email" type="email" name="email" autoComplete="email" required value={email}
          errors={fieldErrors(mutation.error, 'email')} onValue={(v) => { setEmail(v); edited(); }} />
        <TextField label="Password" type="password" name="password" autoComplete="new-password" required value={password}
          errors={fieldErrors(mutation.error, 'password')} hint="At least 10 characters; a few unrelated words make a strong passphrase."
          onValue={(v) => { setPassword(v); edited(); }} />
        <FormError text={formErrorText(mutation.error, FIELDS)} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Creating…' : 'Create account'}
          </button>
        </div>
      </form>
      <p>
        Already have an account? <Link to="/signin">Sign in</Link>
      </p>
    </div>
  );
}
