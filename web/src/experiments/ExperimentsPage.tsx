// The experiments area's front page: my experiments, the review queue (for reviewers), every
// experiment I can see filtered by project and state, and the CSV/JSON export of that selection.
import { useQuery } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { formatDateTime, FormError } from '../auth/forms.tsx';
import { listProjects, projectKeys } from '../projects/project-api.ts';
import { Link, useSearchParams } from '../router.tsx';
import { experimentKeys, exportUrl, listExperiments, reviewQueue, STATE_LABELS, STATES, type Experiment } from './experiment-api.ts';
import { ProjectStats } from './ProjectStats.tsx';
import { StateBadge } from './StateBadge.tsx';
import '../auth/auth.css';
import './experiments.css';

function ExperimentTable({ items, label, testId }: { items: Experiment[]; label: string; testId: string }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid={testId}>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr><th scope="col">Experiment</th><th scope="col">State</th><th scope="col">Formulation</th><th scope="col">Sample</th><th scope="col">Results</th><th scope="col">Changed</th></tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <th scope="row"><Link to={`/experiments/${e.id}`}>{e.title}</Link>{e.revision > 1 ? <span className="muted"> · revision {e.revision}</span> : null}</th>
              <td><StateBadge state={e.state} /></td>
              <td>{e.mixtureName}</td>
              <td>{e.sampleType.name}</td>
              <td>{e.results.length}</td>
              <td>{formatDateTime(e.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ExperimentsPage() {
  const [params, setParams] = useSearchParams();
  const projectId = params.get('projectId') ?? '';
  const state = params.get('state') ?? '';
  const projects = useQuery({ queryKey: projectKeys.list, queryFn: ({ signal }) => listProjects(signal) });
  const mine = useQuery({ queryKey: experimentKeys.list({ mine: true }), queryFn: ({ signal }) => listExperiments({ mine: true }, signal) });
  const isReviewer = (projects.data ?? []).some((p) => p.myRole === 'reviewer');
  const queue = useQuery({ queryKey: experimentKeys.queue, queryFn: ({ signal }) => reviewQueue(signal), enabled: isReviewer });
  const filter = { projectId: projectId || undefined, state: state || undefined };
  const all = useQuery({ queryKey: experimentKeys.list(filter), queryFn: ({ signal }) => listExperiments(filter, signal) });
  const canRecord = (projects.data ?? []).some((p) => p.myRole === 'owner' || p.myRole === 'editor');

  return (
    <>
      <title>Experiments · CryoProtect</title>
      <h1>Experiments</h1>
      <p className="lead">
        Record what was done and measured; a colleague with the reviewer role checks it and verifies it.
        A verified experiment is locked — editing it opens a new revision.
      </p>
      {canRecord ? <p><Link className="button button--primary" to={projectId ? `/experiments/new?projectId=${projectId}` : '/experiments/new'}>Record experiment</Link></p> : null}

      {isReviewer ? (
        <section aria-labelledby="queue-heading" className="experiments-section">
          <h2 id="queue-heading">Review queue</h2>
          {queue.isPending ? <p role="status">Loading the review queue…</p> : null}
          {queue.isError ? <FormError text={describeError(queue.error)} /> : null}
          {queue.data && queue.data.length === 0 ? <p className="empty">Nothing waits for your review.</p> : null}
          {queue.data && queue.data.length > 0 ? <ExperimentTable items={queue.data} label="Experiments waiting for your review" testId="review-queue" /> : null}
        </section>
      ) : null}

      <section aria-labelledby="mine-heading" className="experiments-section">
        <h2 id="mine-heading">My experiments</h2>
        {mine.isPending ? <p role="status">Loading your experiments…</p> : null}
        {mine.isError ? <FormError text={describeError(mine.error)} /> : null}
        {mine.data && mine.data.length === 0 ? <p className="empty">You have not recorded any experiment yet.</p> : null}
        {mine.data && mine.data.length > 0 ? <ExperimentTable items={mine.data} label="Experiments you recorded" testId="my-experiments" /> : null}
      </section>

      <section aria-labelledby="all-heading" className="experiments-section">
        <h2 id="all-heading">All experiments you can see</h2>
        <div className="filter">
          <label>Project{' '}
            <select value={projectId} onChange={(e) => setParams({ projectId: e.target.value }, { replace: true })}>
              <option value="">all projects</option>
              {(projects.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </label>
          <label>State{' '}
            <select value={state} onChange={(e) => setParams({ state: e.target.value }, { replace: true })}>
              <option value="">any state</option>
              {STATES.map((s) => <option key={s} value={s}>{STATE_LABELS[s]}</option>)}
            </select>
          </label>
          <a className="button button--small" href={exportUrl('csv', filter)} download>Export CSV</a>
          <a className="button button--small" href={exportUrl('json', filter)} download>Export JSON</a>
        </div>
        {projectId ? <ProjectStats projectId={projectId} /> : null}
        {all.isPending ? <p role="status">Loading experiments…</p> : null}
        {all.isError ? <FormError text={describeError(all.error)} /> : null}
        {all.data && all.data.length === 0 ? <p className="empty">No experiments match.</p> : null}
        {all.data && all.data.length > 0 ? <ExperimentTable items={all.data} label="Experiments" testId="all-experiments" /> : null}
      </section>
    </>
  );
}
