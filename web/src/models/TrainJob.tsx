// Follows one training job: progress while it runs, then the rows used, every skipped row with its reason,
// and a link to the new version. The job id lives in the URL (?job=…), so a reload keeps following it.
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { Link } from '../router.tsx';
import { metricLabel, num } from './format.ts';
import { getJob, isTrainJobResult, modelKeys, versionLabel, type TrainJobResult } from './model-api.ts';

const POLL_MS = 500;

function Result({ result }: { result: TrainJobResult }) {
  const headline = Object.entries(result.metrics).filter(([k, v]) => typeof v === 'number' && ['mae', 'rmse', 'r2', 'rocAuc', 'prAuc'].includes(k));
  return (
    <div className="train-result" data-testid="train-result">
      <p className="result__headline">
        Trained <Link to={`/models/versions/${encodeURIComponent(result.versionId)}`}>{versionLabel(result)}</Link> on {result.used} rows
        {result.skipped.length > 0 ? `; ${result.skipped.length} row${result.skipped.length === 1 ? ' was' : 's were'} skipped` : ''}.
      </p>
      {headline.length > 0 ? (
        <p>Out-of-fold {headline.map(([k, v]) => `${metricLabel(k)} ${num(v)}`).join(', ')}.</p>
      ) : null}
      <p>
        <Link className="button button--primary" to={`/models/versions/${encodeURIComponent(result.versionId)}`}>
          Open {versionLabel(result)}
        </Link>
      </p>
      {result.skipped.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="skipped-rows">
            <caption>Skipped rows (not used for training)</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {result.skipped.map((s) => (
                <tr key={s.index}>
                  <td className="cell-number">{s.line}</td>
                  <td>{s.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

export function TrainJob({ jobId, onDismiss }: { jobId: string; onDismiss: () => void }) {
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: modelKeys.job(jobId),
    queryFn: ({ signal }) => getJob(jobId, signal),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : POLL_MS;
    },
  });
  const status = job.data?.status;
  useEffect(() => {
    if (status === 'succeeded') void queryClient.invalidateQueries({ queryKey: modelKeys.all });
  }, [status, queryClient]);

  let body;
  if (job.isPending) body = <p role="status">Loading the training job…</p>;
  else if (job.isError) {
    body = (
      <p className="form-error" role="alert">
        {job.error instanceof ApiProblem && job.error.status === 404
          ? 'This training job does not exist or was started by someone else.'
          : `Could not load the training job. ${describeError(job.error)}`}
      </p>
    );
  } else {
    const { done, total } = job.data.progress;
    const fraction = total ? done / total : 0;
    const result = isTrainJobResult(job.data.result) ? job.data.result : null;
    body = (
      <>
        <div role="status" aria-live="polite" data-testid="train-status">
          {job.data.status === 'queued' ? 'Waiting for a worker…' : null}
          {job.data.status === 'running' ? `Training: ${Math.round(fraction * 100)} %` : null}
          {job.data.status === 'succeeded' ? 'Training finished.' : null}
          {job.data.status === 'failed' ? (
            <span className="form-error">Training failed: {job.data.error ?? 'no reason given'}</span>
          ) : null}
        </div>
        {job.data.status === 'queued' || job.data.status === 'running' ? (
          <progress max={1} value={job.data.status === 'queued' ? undefined : fraction} aria-label="Training progress" />
        ) : null}
        {result ? <Result result={result} /> : null}
      </>
    );
  }
  return (
    <section className="panel train-job" aria-labelledby="train-job-heading">
      <h2 id="train-job-heading">Training job</h2>
      {body}
      <p>
        <button type="button" className="button" onClick={onDismiss}>
          Train another model
        </button>
      </p>
    </section>
  );
}
