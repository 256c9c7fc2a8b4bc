// Personal API tokens for scripts and the CLI. The secret exists only in the create answer, so it is
// shown once, with a copy button and a warning, and is forgotten when the panel is dismissed.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { accountKeys, createToken, listTokens, revokeToken, type CreatedToken, type TokenScope } from '../auth/auth-api.ts';
import { ConfirmButton } from '../auth/ConfirmButton.tsx';
import { fieldErrors, formatDateTime, FormError, formErrorText, TextField } from '../auth/forms.tsx';

const FIELDS = ['name', 'scope', 'expiresInDays'] as const;

function NewTokenSecret({ created, onDone }: { created: CreatedToken; onDone(): void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="secret-box" data-testid="new-token">
      <p className="notice__title">Copy the token “{created.name}” now — it will not be shown again.</p>
      <p>
        Anyone holding it acts as you ({created.scope === 'write' ? 'read and write' : 'read only'}) until{' '}
        {formatDateTime(created.expiresAt)}. Use it as <code>Authorization: Bearer …</code>.
      </p>
      <code data-testid="token-secret">{created.token}</code>
      <div className="row-actions">
        <button type="button" className="button button--primary" onClick={() => void copy()}>
          Copy token
        </button>
        <button type="button" className="button" onClick={onDone}>
          I have stored it
        </button>
        <span role="status" aria-live="polite">
          {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying failed; select the text and copy it.' : ''}
        </span>
      </div>
    </div>
  );
}

export function TokensPanel() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: accountKeys.tokens, queryFn: ({ signal }) => listTokens(signal) });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [days, setDays] = useState('90');
  const create = useMutation({
    mutationFn: createToken,
    onSuccess: async () => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: accountKeys.tokens });
    },
  });
  const revoke = useMutation({
    mutationFn: revokeToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens }),
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), scope, expiresInDays: Number(days) });
  };
  const active = tokens.data?.filter((t) => !t.revoked) ?? [];

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="hint">For scripts and the command line. Read tokens cannot change anything.</p>
      {create.isSuccess ? <NewTokenSecret created={create.data} onDone={() => create.reset()} /> : null}
      <form className="form inline-form" onSubmit={onSubmit} aria-label="Create an API token">
        <TextField label="Token name" name="name" required maxLength={100} value={name} placeholder="e.g. analysis notebook"
          errors={fieldErrors(create.error, 'name')} onValue={(v) => setName(v)} />
        <div className="field field--narrow">
          <label htmlFor="token-scope">Scope</label>
          <select id="token-scope" name="scope" value={scope} onChange={(e) => setScope(e.target.value === 'write' ? 'write' : 'read')}>
            <option value="read">Read</option>
            <option value="write">Read and write</option>
          </select>
        </div>
        <TextField label="Valid for (days)" type="number" name="expiresInDays" min={1} max={366} required value={days}
          errors={fieldErrors(create.error, 'expiresInDays')} onValue={setDays} fieldClassName="field--narrow" />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
      <FormError text={formErrorText(create.error, FIELDS)} />
      {tokens.isPending ? <p role="status">Loading tokens…</p> : null}
      {tokens.isError ? <FormError text={`Could not load tokens. ${describeError(tokens.error)}`} /> : null}
      {tokens.data && active.length === 0 ? <p className="empty">No active API tokens.</p> : null}
      {active.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="tokens-table">
            <caption className="visually-hidden">Active API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {active.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{t.scope === 'write' ? 'read and write' : 'read'}</td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</td>
                  <td>{formatDateTime(t.expiresAt)}</td>
                  <td>
                    <ConfirmButton label="Revoke" ariaLabel={`Revoke token ${t.name}`} question="Stop accepting this token?"
                      confirmLabel="Revoke" busy={revoke.isPending} onConfirm={() => revoke.mutate(t.id)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {revoke.isError ? <FormError text={`Could not revoke the token. ${describeError(revoke.error)}`} /> : null}
    </section>
  );
}
