// /shared/{token}: the read-only page a share link opens, for anyone, signed in or not. It asks for the
// password when the link has one and says plainly when a link no longer works.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { FormError, formatDateTime, TextField } from '../auth/forms.tsx';
import { STATE_LABELS, isState } from '../experiments/experiment-api.ts';
import { DerivedProperties } from '../mixtures/DerivedProperties.tsx';
import type { MixtureDetail } from '../mixtures/mixture-api.ts';
import { useParams } from '../router.tsx';
import { openShared, shareKeys, type SharedExperiment } from './share-api.ts';
import './sharing.css';

function SharedMixture({ mixture }: { mixture: MixtureDetail }) {
  return (
    <>
      <title>{`${mixture.name} · Shared formulation · CryoProtect`}</title>
      <h1>{mixture.name}</h1>
      {mixture.description ? <p>{mixture.description}</p> : null}
      <section className="section" aria-labelledby="shared-recipe-heading">
        <h2 id="shared-recipe-heading">Recipe</h2>
        <table className="data-table">
          <thead>
            <tr><th scope="col">Component</th><th scope="col">Amount</th><th scope="col">Role</th></tr>
          </thead>
          <tbody>
            {mixture.components.map((c) => (
              <tr key={c.position}>
                <th scope="row">{c.name}</th>
                <td>{c.amount} {c.unit}</td>
                <td>{c.role ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Balance: water{mixture.carrierName ? `, in ${mixture.carrierName}` : ''}.</p>
      </section>
      <section className="section" aria-labelledby="shared-derived-heading">
        <h2 id="shared-derived-heading">Derived quantities</h2>
        {mixture.derived ? (
          <DerivedProperties derived={mixture.derived} headingLevel={3} />
        ) : (
          <p>The recipe cannot be evaluated. {mixture.derivedError?.detail ?? ''}</p>
        )}
      </section>
    </>
  );
}

const stateLabel = (s: string) => (isState(s) ? STATE_LABELS[s] : s);

function SharedExperimentView({ experiment: e }: { experiment: SharedExperiment }) {
  return (
    <>
      <title>{`${e.title} · Shared experiment · CryoProtect`}</title>
      <h1>{e.title}</h1>
      <dl className="facts">
        <dt>State</dt>
        <dd>{stateLabel(e.state)} (revision {e.revision})</dd>
        <dt>Formulation</dt>
        <dd>{e.mixtureName}</dd>
        <dt>Sample</dt>
        <dd>{e.sampleType.name} ({e.sampleType.kind}{e.sampleType.species ? `, ${e.sampleType.species}` : ''})</dd>
        {e.performedOn ? (<><dt>Performed on</dt><dd>{e.performedOn}</dd></>) : null}
      </dl>
      <section className="section" aria-labelledby="shared-results-heading">
        <h2 id="shared-results-heading">Results</h2>
        {e.results.length === 0 ? <p className="muted">No results recorded.</p> : (
          <table className="data-table">
            <thead>
              <tr><th scope="col">Measurement</th><th scope="col">Mean</th><th scope="col">SD</th><th scope="col">n</th><th scope="col">Unit</th></tr>
            </thead>
            <tbody>
              {e.results.map((r, i) => (
                <tr key={`${r.measurement}-${i}`}>
                  <th scope="row">{r.measurement}</th>
                  <td>{r.mean}</td>
                  <td>{r.sd ?? '—'}</td>
                  <td>{r.n}</td>
                  <td>{r.unit}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {e.notes ? (
        <section className="section" aria-labelledby="shared-notes-heading">
          <h2 id="shared-notes-heading">Notes</h2>
          <p>{e.notes}</p>
        </section>
      ) : null}
      <section className="section" aria-labelledby="shared-history-heading">
        <h2 id="shared-history-heading">Review history</h2>
        {e.events.length === 0 ? <p className="muted">Not submitted for review yet.</p> : (
          <ol>
            {e.events.map((ev) => (
              <li key={ev.id}>
                {formatDateTime(ev.at)}: {stateLabel(ev.from)} → {stateLabel(ev.to)}{ev.comment ? ` — “${ev.comment}”` : ''}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function PasswordForm({ wrong, onPassword }: { wrong: boolean; onPassword(password: string): void }) {
  const [password, setPassword] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (password) onPassword(password);
  };
  return (
    <>
      <title>Password needed · Shared link · CryoProtect</title>
      <h1>This shared link needs a password</h1>
      <p>Whoever sent you the link has the password.</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField label="Password" type="password" value={password} onValue={setPassword} required autoComplete="off"
          errors={wrong ? ['That password is not right.'] : []} />
        <button type="submit" className="button button--primary">Open</button>
      </form>
    </>
  );
}

export function SharedViewPage() {
  const { token = '' } = useParams();
  const [password, setPassword] = useState<string | null>(null);
  const shared = useQuery({
    queryKey: [...shareKeys.shared(token), password],
    // No abort signal on purpose: every request counts as a visit on the server, so a remount must reuse the
    // request in flight (React Query only cancels queries whose signal was used) instead of sending another.
    queryFn: () => openShared(token, password),
    retry: false,
    staleTime: Infinity,
  });
  let body;
  if (shared.isPending) body = <p role="status">Opening the shared link…</p>;
  else if (shared.isError) {
    const problem = shared.error instanceof ApiProblem ? shared.error : null;
    if (problem?.status === 401) body = <PasswordForm key={password ?? ''} wrong={password !== null} onPassword={setPassword} />;
    else if (problem?.status === 404) {
      body = (
        <>
          <title>Link not available · CryoProtect</title>
          <h1>This link does not work</h1>
          <p>The shared link does not exist, has expired or was revoked. Ask whoever sent it for a new one.</p>
        </>
      );
    } else {
      body = (
        <>
          <h1>Shared link</h1>
          <FormError text={problem?.status === 429 ? problem.detail ?? problem.message : `Could not open the link. ${describeError(shared.error)}`} />
        </>
      );
    }
  } else {
    const data = shared.data;
    body = (
      <>
        <p className="shared-view__notice" role="note">
          A read-only copy shared from CryoProtect, valid until {formatDateTime(data.expiresAt)}.
        </p>
        {data.resourceType === 'mixture' ? <SharedMixture mixture={data.resource} /> : <SharedExperimentView experiment={data.resource} />}
      </>
    );
  }
  return <div className="shared-view">{body}</div>;
}
