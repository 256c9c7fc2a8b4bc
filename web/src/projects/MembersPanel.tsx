// Members of a project and their roles. Owners change roles, remove members and hand over ownership;
// the server refuses anything that would leave the project without an owner, and its words are shown.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { ConfirmButton } from '../auth/ConfirmButton.tsx';
import { formatDateTime, FormError } from '../auth/forms.tsx';
import { changeRole, projectKeys, removeMember, ROLE_HELP, ROLES, transferOwnership, type Member, type Project, type Role } from './project-api.ts';

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function MembersPanel({ project, myUserId }: { project: Project; myUserId: string | null }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const isOwner = project.myRole === 'owner';
  const refresh = () => queryClient.invalidateQueries({ queryKey: projectKeys.all });

  const role = useMutation({
    mutationFn: (input: { member: Member; role: Role }) => changeRole(project.id, input.member.userId, input.role),
    onSuccess: async (_data, input) => {
      setNotice(`${input.member.name} is now ${input.role}.`);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (member: Member) => removeMember(project.id, member.userId),
    onSuccess: async (_data, member) => {
      setNotice(`${member.name} was removed from the project.`);
      await refresh();
    },
  });
  const transfer = useMutation({
    mutationFn: (member: Member) => transferOwnership(project.id, member.userId),
    onSuccess: async (updated, member) => {
      queryClient.setQueryData(projectKeys.detail(project.id), updated);
      setNotice(`${member.name} owns the project now; you are an editor.`);
      await refresh();
    },
  });
  const error = role.error ?? remove.error ?? transfer.error;
  const busy = role.isPending || remove.isPending || transfer.isPending;
  const members = project.members ?? [];

  return (
    <section className="panel" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <div className="table-wrap">
        <table className="data-table" data-testid="members-table">
          <caption className="visually-hidden">Members of {project.name} and their roles</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Member since</th>
              {isOwner ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const me = m.userId === myUserId;
              return (
                <tr key={m.userId} data-testid={`member-${m.email}`}>
                  <th scope="row">
                    {m.name} {me ? <span className="muted">(you)</span> : null}
                  </th>
                  <td>{m.email}</td>
                  <td>
                    {isOwner && !me ? (
                      <select aria-label={`Role of ${m.name}`} value={m.role} disabled={busy}
                        onChange={(e) => { if (isRole(e.target.value)) role.mutate({ member: m, role: e.target.value }); }}>
                        {ROLES.map((r) => (
                          <option key={r} value={r}>{r}</option>
                        ))}
                      </select>
                    ) : (
                      <span className="role-badge" title={ROLE_HELP[m.role]}>{m.role}</span>
                    )}
                  </td>
                  <td>{formatDateTime(m.addedAt)}</td>
                  {isOwner ? (
                    <td>
                      {me ? null : (
                        <span className="row-actions">
                          <ConfirmButton label="Remove" ariaLabel={`Remove ${m.name}`} question={`Remove ${m.name}?`}
                            confirmLabel="Remove" busy={busy} onConfirm={() => remove.mutate(m)} />
                          {m.role !== 'owner' ? (
                            <ConfirmButton label="Make owner" ariaLabel={`Make ${m.name} the owner`}
                              question={`Hand ownership to ${m.name}? You become an editor.`} confirmLabel="Transfer"
                              busy={busy} onConfirm={() => transfer.mutate(m)} />
                          ) : null}
                        </span>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div role="status" aria-live="polite">
        {notice && !error ? <p className="success">{notice}</p> : null}
      </div>
      {error ? <FormError text={describeError(error)} /> : null}
      <p className="hint">
        Roles: {ROLES.map((r) => `${r} ${ROLE_HELP[r]}`).join('; ')}.
      </p>
    </section>
  );
}
