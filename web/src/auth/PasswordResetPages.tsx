// Forgotten passwords: ask for a single-use link by email, then choose a new password on the page the
// link opens (/reset-password?token=…). The request page never says whether the account exists.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from '../router.tsx';
import { confirmPasswordReset, requestPasswordReset } from './auth-api.ts';
import { fieldErrors, FormError, formErrorText, TextField } from './forms.tsx';
import { LocalModeNotice } from './LocalModeNotice.tsx';
import { useMeta } from './meta.ts';
import './auth.css';

export function ForgotPasswordPage() {
  const meta = useMeta();
  const [email, setEmail] = useState('');
  const mutation = useMutation({ mutationFn: requestPasswordReset });
  if (meta.data?.authMode === 'local') return <LocalModeNotice title="Reset your password" />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate(email.trim());
  };
  return (
    <div className="auth-page">
      <title>Reset your password · CryoProtect</title>
      <h1>Reset your password</h1>
      <p className="lead">Enter your account's email. We send a link that works once, for one hour.</p>
      <form className="form panel" onSubmit={onSubmit} aria-label="Request a password reset">
        <TextField label="Email" type="email" name="email" autoComplete="email" required value={email}
          errors={fieldErrors(mutation.error, 'email')} onValue={(v) => { setEmail(v); mutation.reset(); }} />
        <FormError text={formErrorText(mutation.error, ['email'])} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Sending…' : 'Send reset link'}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {mutation.isSuccess ? <p className="success">{mutation.data} Check your inbox (and spam folder).</p> : null}
      </div>
      <p>
        <Link to="/signin">Back to sign in</Link>
      </p>
    </div>
  );
}

export function ResetPasswordPage() {
  const meta = useMeta();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const mutation = useMutation({ mutationFn: confirmPasswordReset });
  if (meta.data?.authMode === 'local') return <LocalModeNotice title="Choose a new password" />;

  const mismatch = repeat.length > 0 && repeat !== password;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (password !== repeat) return;
    mutation.mutate({ token, newPassword: password });
  };
  const tokenErrors = fieldErrors(mutation.error, 'token');

  return (
    <div className="auth-page">
      <title>Choose a new password · CryoProtect</title>
      <h1>Choose a new password</h1>
      {!token ? (
        <p className="form-error" role="alert">
          This page needs the link from the reset email. <Link to="/forgot-password">Request a new link</Link>.
        </p>
      ) : mutation.isSuccess ? (
        <div role="status">
          <p className="success">Your password was changed and every session was signed out.</p>
          <p>
            <Link to="/signin">Sign in with the new password</Link>
          </p>
        </div>
      ) : (
        <form className="form panel" onSubmit={onSubmit} aria-label="Choose a new password">
          <TextField label="New password" type="password" name="newPassword" autoComplete="new-password" required value={password}
            errors={fieldErrors(mutation.error, 'newPassword')} hint="At least 10 characters."
            onValue={(v) => { setPassword(v); mutation.reset(); }} />
          <TextField label="Repeat the new password" type="password" name="repeat" autoComplete="new-password" required value={repeat}
            errors={mismatch ? ['The two passwords differ.'] : []} onValue={(v) => { setRepeat(v); mutation.reset(); }} />
          {tokenErrors.length > 0 ? (
            <p className="form-error" role="alert">
              This reset link is {tokenErrors.join(', ')}. <Link to="/forgot-password">Request a new link</Link>.
            </p>
          ) : (
            <FormError text={formErrorText(mutation.error, ['newPassword', 'token'])} />
          )}
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={mutation.isPending || mismatch}>
              {mutation.isPending ? 'Saving…' : 'Set new password'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
