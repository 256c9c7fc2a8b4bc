// A project's verification record: how much of what was submitted got verified, by equipment and by
// reviewer, and how far verified Tg measurements sit from the formulation's Gordon–Taylor estimate.
import { useQuery } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { FormError } from '../auth/forms.tsx';
import { experimentKeys, getProjectStats, isState, STATE_LABELS } from './experiment-api.ts';
import { sig } from './measurements.ts';

export function ProjectStats({ projectId }: { projectId: string }) {
  const stats = useQuery({ queryKey: experimentKeys.stats(projectId), queryFn: ({ signal }) => getProjectStats(projectId, signal) });
  if (stats.isPending) return <p role="status">Loading project statistics…</p>;
  if (stats.isError) return <FormError text={describeError(stats.error)} />;
  const s = stats.data;
  const counts = Object.entries(s.counts);
  return (
    <section className="panel" aria-labelledby="stats-heading" data-testid="project-stats">
      <h2 id="stats-heading">Project statistics</h2>
      <p>
        {counts.length === 0 ? 'No experiments yet.' : counts.map(([state, n]) => `${n} ${isState(state) ? STATE_LABELS[state] : state}`).join(' · ')}
        {s.verificationRate === null ? '' : ` — ${Math.round(s.verificationRate * 100)} % of submitted experiments verified`}
      </p>
      <div className="stats-grid">
        {s.byEquipment.length > 0 ? (
          <table className="data-table">
            <caption>By equipment</caption>
            <thead><tr><th scope="col">Equipment</th><th scope="col">Experiments</th><th scope="col">Verified</th></tr></thead>
            <tbody>{s.byEquipment.map((r) => <tr key={r.equipment}><th scope="row">{r.equipment}</th><td>{r.total}</td><td>{r.verified}</td></tr>)}</tbody>
          </table>
        ) : null}
        {s.byReviewer.length > 0 ? (
          <table className="data-table">
            <caption>By reviewer (review decisions)</caption>
            <thead><tr><th scope="col">Reviewer</th><th scope="col">Verified</th><th scope="col">Changes requested</th><th scope="col">Rejected</th></tr></thead>
            <tbody>{s.byReviewer.map((r) => <tr key={r.reviewer}><th scope="row">{r.reviewer}</th><td>{r.verified}</td><td>{r.changesRequested}</td><td>{r.rejected}</td></tr>)}</tbody>
          </table>
        ) : null}
      </div>
      <p className="muted">
        Tg prediction error against {s.tgPredictionError.method}:{' '}
        {s.tgPredictionError.meanAbsoluteError === null
          ? 'no verified Tg measurement with a prediction yet.'
          : `mean absolute error ${sig(s.tgPredictionError.meanAbsoluteError)} K over ${s.tgPredictionError.points.length} verified measurement(s).`}
      </p>
    </section>
  );
}
