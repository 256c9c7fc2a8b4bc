// One experiment: state, protocol, results, measured-vs-predicted comparison, the verification timeline,
// and the workflow actions the current user may take. The buttons are a guide; the server decides, and
// when it refuses (403 not allowed, 409 illegal or stale) its own words are shown.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { formatDateTime, FormError } from '../auth/forms.tsx';
import { useMeta } from '../auth/meta.ts';
import { listProjects, projectKeys } from '../projects/project-api.ts';
import { Link, useParams } from '../router.tsx';
import {
  editMode, experimentKeys, getComparison, getEvents, getExperiment, isState, offeredTransitions, STATE_LABELS, transition,
  type Experiment, type ExperimentState, type ProjectRole, type ProtocolStep,
} from './experiment-api.ts';
import { measurementLabel, sig } from './measurements.ts';
import { AttachmentsPanel, ResultsImportPanel } from './RecordPanels.tsx';
import { StateBadge } from './StateBadge.tsx';
import '../auth/auth.css';
import './experiments.css';
import { SharePanel } from '../sharing/SharePanel.tsx';

const stateWords = (s: string) => (isState(s) ? STATE_LABELS[s] : s);

function stepText(step: Partial<ProtocolStep>): string {
  const strength = step.amount !== undefined ? `${step.amount} ${step.unit ?? ''}`.trim()
    : step.fractionOfFinal !== undefined ? `${sig(step.fractionOfFinal * 100)} % of final` : 'strength not given';
  return `${strength} for ${step.durationMin ?? '?'} min at ${step.temperatureC ?? '?'} °C`;
}

function ProtocolView({ e }: { e: Experiment }) {
  const p = e.protocol ?? {};
  const row = (label: string, value: string | null) => (value === null ? null : <><dt>{label}</dt><dd>{value}</dd></>);
  const num = (v: number | undefined, unit: string) => (v === undefined ? null : `${v} ${unit}`);
  return (
    <section className="panel" aria-labelledby="protocol-heading">
      <h2 id="protocol-heading">Protocol</h2>
      <dl className="facts" data-testid="protocol">
        {row('Formulation', e.mixtureName)}
        {row('Sample', `${e.sampleType.name} (${e.sampleType.kind}${e.sampleType.species ? `, ${e.sampleType.species}` : ''})`)}
        {row('Loading', (p.loading ?? []).length > 0 ? (p.loading ?? []).map((s, i) => `${i + 1}. ${stepText(s)}`).join('; ') : 'none')}
        {row('Removal', (p.removal ?? []).length > 0 ? (p.removal ?? []).map((s, i) => `${i + 1}. ${stepText(s)}`).join('; ') : 'none')}
        {row('Cooling rate', num(p.coolingRateKPerMin, 'K/min'))}
        {row('Warming rate', num(p.warmingRateKPerMin, 'K/min'))}
        {row('Storage', p.storageTemperatureC === undefined && p.storageDurationDays === undefined ? null
          : [num(p.storageTemperatureC, '°C'), num(p.storageDurationDays, 'days')].filter(Boolean).join(', '))}
        {row('Performed on', e.performedOn)}
        {row('Operator', e.operator)}
        {row('Equipment', e.equipment)}
        {row('Notes', e.notes)}
      </dl>
    </section>
  );
}

function ResultsView({ e }: { e: Experiment }) {
  return (
    <section className="panel" aria-labelledby="results-heading">
      <h2 id="results-heading">Results</h2>
      {e.results.length === 0 ? <p className="empty">No results recorded.</p> : (
        <div className="table-wrap">
          <table className="data-table" data-testid="results">
            <thead><tr><th scope="col">Measurement</th><th scope="col">Mean</th><th scope="col">SD</th><th scope="col">n</th><th scope="col">Replicates</th><th scope="col">Method</th></tr></thead>
            <tbody>
              {e.results.map((r, i) => (
                <tr key={i}>
                  <th scope="row">{measurementLabel(r.measurement)}</th>
                  <td>{sig(r.mean)} {r.unit}</td>
                  <td>{r.sd === null ? '—' : `${sig(r.sd)} ${r.unit}`}</td>
                  <td>{r.n}</td>
                  <td>{r.replicates.length > 0 ? r.replicates.map(sig).join(', ') : '—'}</td>
                  <td>{[r.method, r.dscConvention ? `DSC ${r.dscConvention}` : null, r.heatingRateKPerMin !== null ? `${r.heatingRateKPerMin} K/min` : null].filter(Boolean).join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ComparisonView({ id }: { id: string }) {
  const comparison = useQuery({ queryKey: experimentKeys.comparison(id), queryFn: ({ signal }) => getComparison(id, signal) });
  return (
    <section className="panel" aria-labelledby="comparison-heading">
      <h2 id="comparison-heading">Measured vs predicted</h2>
      {comparison.isPending ? <p role="status">Loading the comparison…</p> : null}
      {comparison.isError ? <FormError text={describeError(comparison.error)} /> : null}
      {comparison.data && comparison.data.length === 0 ? <p className="empty">No results to compare.</p> : null}
      {comparison.data && comparison.data.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="comparison">
            <thead><tr><th scope="col">Measurement</th><th scope="col">Measured</th><th scope="col">Predicted</th><th scope="col">Difference</th><th scope="col">Note</th></tr></thead>
            <tbody>
              {comparison.data.map((c, i) => (
                <tr key={i}>
                  <th scope="row">{measurementLabel(c.measurement)}</th>
                  <td>{sig(c.measured.mean)}{c.measured.sd === null ? '' : ` ± ${sig(c.measured.sd)}`} {c.measured.unit} (n = {c.measured.n})</td>
                  <td>{c.predicted ? `${sig(c.predicted.value)} ${c.predicted.unit} (${c.predicted.method})` : 'no prediction'}</td>
                  <td>{c.difference === null ? '—' : `${c.difference > 0 ? '+' : ''}${sig(c.difference)} ${c.measured.unit}`}</td>
                  <td className="muted">{c.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function Timeline({ id }: { id: string }) {
  const events = useQuery({ queryKey: experimentKeys.events(id), queryFn: ({ signal }) => getEvents(id, signal) });
  return (
    <section className="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {events.isPending ? <p role="status">Loading the history…</p> : null}
      {events.isError ? <FormError text={describeError(events.error)} /> : null}
      {events.data && events.data.length === 0 ? <p className="empty">Recorded as a draft; nothing has happened to it since.</p> : null}
      {events.data && events.data.length > 0 ? (
        <ol className="timeline" data-testid="timeline">
          {events.data.map((ev) => (
            <li key={ev.id}>
              <p className="timeline__head">
                <strong>{ev.actorEmail ?? 'a deleted account'}</strong> moved it from {stateWords(ev.from)} to <StateBadge state={ev.to} />{' '}
                <time dateTime={ev.at} className="muted">{formatDateTime(ev.at)}</time>
              </p>
              {ev.comment ? <blockquote className="timeline__comment">{ev.comment}</blockquote> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function Actions({ e, role, isAuthor }: { e: Experiment; role: ProjectRole | null; isAuthor: boolean }) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: (to: ExperimentState) => transition(e.id, to, comment),
    onSuccess: async (updated) => {
      setComment('');
      setDone(`Now ${stateWords(updated.state)}.`);
      queryClient.setQueryData(experimentKeys.detail(e.id), updated);
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
    },
    // A refusal usually means the page is stale (someone else acted first): show the current state next to the message.
    onError: () => queryClient.invalidateQueries({ queryKey: experimentKeys.all }),
  });
  const choices = offeredTransitions(e.state, role, isAuthor);
  const mode = editMode(e.state);
  const canWrite = role === 'owner' || role === 'editor';
  return (
    <section className="panel" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Verification</h2>
      {choices.length > 0 ? (
        <>
          <div className="field">
            <label htmlFor="transition-comment">Comment</label>
            <textarea id="transition-comment" rows={3} maxLength={10000} value={comment} onChange={(ev) => { setComment(ev.target.value); setDone(null); }} />
            <p className="hint">Kept in the timeline with your name, e.g. what you checked or what must change.</p>
          </div>
          <div className="form-actions" data-testid="transition-actions">
            {choices.map((c) => (
              <button key={c.to} type="button" className={c.to === 'rejected' ? 'button button--danger' : 'button button--primary'} disabled={act.isPending} onClick={() => { setDone(null); act.mutate(c.to); }}>
                {c.label}
              </button>
            ))}
          </div>
        </>
      ) : (
        <p className="muted" data-testid="no-actions">{waitingText(e.state, role, isAuthor)}</p>
      )}
      {act.isError ? <FormError text={describeError(act.error)} /> : null}
      {done ? <p role="status" className="success">{done}</p> : null}
      {canWrite && mode ? (
        <p><Link className="button" to={`/experiments/${e.id}/edit`}>{mode === 'revise' ? 'New revision' : 'Edit'}</Link></p>
      ) : null}
    </section>
  );
}

function waitingText(state: string, role: ProjectRole | null, isAuthor: boolean): string {
  if (state === 'verified') return 'Verified: the record is locked. Editing it opens a new revision.';
  if (state === 'rejected') return 'Rejected: the record is final.';
  if ((state === 'submitted' || state === 'in_review') && isAuthor) return 'Waiting for a reviewer; you cannot review your own experiment.';
  if (state === 'submitted' || state === 'in_review') return 'Waiting for a project member with the reviewer role.';
  if (role === 'reviewer' || role === 'viewer') return 'The author, an editor or an owner submits it for review.';
  return 'No workflow step is open to you.';
}

export function ExperimentDetailPage() {
  const { id = '' } = useParams();
  const experiment = useQuery({ queryKey: experimentKeys.detail(id), queryFn: ({ signal }) => getExperiment(id, signal) });
  const meta = useMeta();
  const projects = useQuery({ queryKey: projectKeys.list, queryFn: ({ signal }) => listProjects(signal) });
  if (experiment.isPending) return <p role="status">Loading experiment…</p>;
  if (experiment.isError) {
    return (
      <>
        <title>Experiment not found · CryoProtect</title>
        <h1>Experiment not found</h1>
        <FormError text={describeError(experiment.error)} />
        <p><Link to="/experiments">All experiments</Link></p>
      </>
    );
  }
  const e = experiment.data;
  const role = (projects.data?.find((p) => p.id === e.projectId)?.myRole ?? null) as ProjectRole | null;
  const isAuthor = meta.data?.actor?.id !== undefined && meta.data.actor.id === e.createdBy;
  const project = projects.data?.find((p) => p.id === e.projectId);
  const writable = role === 'owner' || role === 'editor';
  return (
    <>
      <title>{`${e.title} · CryoProtect`}</title>
      <p className="breadcrumb"><Link to="/experiments">Experiments</Link>{project ? <> · <Link to={`/projects/${project.id}`}>{project.name}</Link></> : null}</p>
      <h1>{e.title}</h1>
      <p className="experiment-meta">
        <StateBadge state={e.state} /> <span className="muted">revision {e.revision}
          {e.previousRevisionId ? <> of <Link to={`/experiments/${e.previousRevisionId}`}>the previous revision</Link></> : null}
          {' '}· recorded {formatDateTime(e.createdAt)}{isAuthor ? ' by you' : ''}{role ? ` · your role: ${role}` : ''}</span>
      </p>
      <div className="experiment-layout">
        <div>
          <ProtocolView e={e} />
          <ResultsView e={e} />
          <ComparisonView id={e.id} />
        </div>
        <div>
          <Actions e={e} role={role} isAuthor={isAuthor} />
          <Timeline id={e.id} />
          {writable && editMode(e.state) === 'edit' ? <ResultsImportPanel e={e} /> : null}
          <AttachmentsPanel e={e} editable={writable && editMode(e.state) === 'edit'} />
          <SharePanel type="experiment" resource={e} />
        </div>
      </div>
    </>
  );
}
