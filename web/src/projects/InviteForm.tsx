// Owners add people by email. An existing account becomes a member at once ("added"); an unknown email
// gets an invitation that turns into membership when that person signs up ("invited").
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fieldErrors, formatDateTime, FormError, formErrorText, TextField } from '../auth/forms.tsx';
import { addMember, projectKeys, ROLES, type AddMemberResult, type Project, type Role } from './project-api.ts';

function resultText(result: AddMemberResult): string {
  return result.status === 'added'
    ? `Added ${result.email} as ${result.role}.`
    : `Invited ${result.email} as ${result.role}. They join the project when they sign up with this email.`;
}

export function InviteForm({ project }: { project: Project }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const mutation = useMutation({
    mutationFn: (input: { email: string; role: Role }) => addMember(project.id, input),
    onSuccess: async () => {
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: projectKeys.detail(project.id) });
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate({ email: email.trim(), role });
  };
  const invitations = project.invitations ?? [];

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite by email</h2>
      <form className="form inline-form" onSubmit={onSubmit} aria-label="Invite a member">
        <TextField label="Email" type="email" name="email" required value={email}
          errors={fieldErrors(mutation.error, 'email')} onValue={(v) => { setEmail(v); mutation.reset(); }} />
        <div className="field field--narrow">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" name="role" value={role}
            onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? 'viewer')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>{r}</option>
            ))}
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Inviting…' : 'Invite'}
          </button>
        </div>
      </form>
      <FormError text={formErrorText(mutation.error, ['email', 'role'])} />
      <div role="status" aria-live="polite">
        {mutation.isSuccess ? <p className="success" data-testid="invite-result">{resultText(mutation.data)}</p> : null}
      </div>
      <h3>Pending invitations</h3>
      {invitations.length === 0 ? (
        <p className="empty">No pending invitations.</p>
      ) : (
        <ul data-testid="invitations">
          {invitations.map((i) => (
            <li key={i.email}>
              {i.email} as <span className="role-badge">{i.role}</span> <span className="muted">since {formatDateTime(i.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
