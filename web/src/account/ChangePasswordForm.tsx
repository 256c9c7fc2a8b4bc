import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { accountKeys, changePassword } from '../auth/auth-api.ts';
import { fieldErrors, FormError, formErrorText, TextField } from '../auth/forms.tsx';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function ChangePasswordForm() {
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const mutation = useMutation({
    mutationFn: changePassword,
    onSuccess: async () => {
      setCurrent('');
      setNext('');
      // The server signed out every other session; the list below should say so.
      await queryClient.invalidateQueries({ queryKey: accountKeys.sessions });
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ currentPassword: current, newPassword: next });
  };
  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <form className="form" onSubmit={onSubmit}>
        <TextField label="Current password" type="password" name="currentPassword" autoComplete="current-password" required value={current}
          errors={fieldErrors(mutation.error, 'currentPassword')} onValue={(v) => { setCurrent(v); mutation.reset(); }} />
        <TextField label="New password" type="password" name="newPassword" autoComplete="new-password" required value={next}
          errors={fieldErrors(mutation.error, 'newPassword')} hint="At least 10 characters. Changing it signs out your other sessions."
          onValue={(v) => { setNext(v); mutation.reset(); }} />
        <FormError text={formErrorText(mutation.error, FIELDS)} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : 'Change password'}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {mutation.isSuccess ? <p className="success">Password changed. Your other sessions were signed out.</p> : null}
      </div>
    </section>
  );
}
