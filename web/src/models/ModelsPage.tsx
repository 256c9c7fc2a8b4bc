// /models: every target with its active version and headline metric beside the best naive baseline, the
// versions of each target, and the form to train a new one (followed as a job).
import { useQuery } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { Link, useSearchParams } from '../router.tsx';
import { bestBaseline } from './evaluation.ts';
import { algorithmLabel, listVersions, modelKeys, versionLabel, type ModelVersionSummary } from './model-api.ts';
import { dateTime, headlineMetric, metricLabel, num } from './format.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { TrainForm } from './TrainForm.tsx';
import { TrainJob } from './TrainJob.tsx';
import './models.css';

interface TargetGroup {
  key: string;
  target: string;
  projectId: string | null;
  versions: ModelVersionSummary[];
}

/** Versions grouped by target and scope (a project may have its own "pure-tg" beside the instance-wide one). */
function groupByTarget(versions: readonly ModelVersionSummary[]): TargetGroup[] {
  const groups = new Map<string, TargetGroup>();
  for (const v of versions) {
    const key = `${v.target}\u0000${v.projectId ?? ''}`;
    const group = groups.get(key) ?? { key, target: v.target, projectId: v.projectId, versions: [] };
    group.versions.push(v);
    groups.set(key, group);
  }
  for (const g of groups.values()) g.versions.sort((a, b) => b.versionNumber - a.versionNumber);
  return [...groups.values()].sort((a, b) => a.target.localeCompare(b.target) || (a.projectId ?? '').localeCompare(b.projectId ?? ''));
}

function Headline({ version }: { version: ModelVersionSummary }) {
  const key = headlineMetric(version.task);
  const best = bestBaseline(version.task, version.baselines);
  return (
    <span className="cell-number">
      {metricLabel(key)} {num(version.metrics[key])}
      {best ? (
        <span className="muted">
          {' '}
          vs {num(best.value)} ({best.name})
        </span>
      ) : null}
    </span>
  );
}

function TargetsTable({ groups }: { groups: TargetGroup[] }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="targets-table">
        <caption>Targets: the active version answers predictions; the headline metric is out-of-fold, beside the best naive baseline</caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Scope</th>
            <th scope="col">Active version</th>
            <th scope="col">Headline metric</th>
            <th scope="col">Versions</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => {
            const active = g.versions.find((v) => v.status === 'active');
            return (
              <tr key={g.key}>
                <th scope="row" className="cell-version">{g.target}</th>
                <td className="cell-version">{g.projectId ? <Link to={`/projects/${encodeURIComponent(g.projectId)}`}>project</Link> : 'instance-wide'}</td>
                <td>
                  {active ? (
                    <Link to={`/models/versions/${encodeURIComponent(active.id)}`}>
                      v{active.versionNumber} · {algorithmLabel(active.algorithm)}
                    </Link>
                  ) : (
                    <span className="muted">none active</span>
                  )}
                </td>
                <td>{active ? <Headline version={active} /> : '—'}</td>
                <td className="cell-number">{g.versions.length}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function VersionsTable({ group }: { group: TargetGroup }) {
  const task = group.versions[0]?.task ?? 'regression';
  const key = headlineMetric(task);
  const id = `versions-${group.key.replace(/[^a-z0-9]+/gi, '-')}`;
  return (
    <section className="section" aria-labelledby={id}>
      <h3 id={id}>
        {group.target} <span className="muted">({group.projectId ? 'project' : 'instance-wide'}, {task})</span>
      </h3>
      <div className="table-wrap">
        <table className="data-table" data-testid={`versions-${group.target}`}>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Algorithm</th>
              <th scope="col" className="cell-number">Rows</th>
              <th scope="col" className="cell-number">{metricLabel(key)}</th>
              <th scope="col" className="cell-number">Best baseline</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {group.versions.map((v) => {
              const best = bestBaseline(v.task, v.baselines);
              return (
                <tr key={v.id}>
                  <th scope="row" className="cell-version">
                    <Link to={`/models/versions/${encodeURIComponent(v.id)}`}>{versionLabel(v)}</Link>
                  </th>
                  <td>
                    <StatusBadge status={v.status} />
                  </td>
                  <td>{algorithmLabel(v.algorithm)}</td>
                  <td className="cell-number">{v.trainingRows}</td>
                  <td className="cell-number">{num(v.metrics[key])}</td>
                  <td className="cell-number">{best ? `${num(best.value)} (${best.name})` : '—'}</td>
                  <td>{dateTime(v.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ModelsPage() {
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  const versions = useQuery({ queryKey: modelKeys.versions, queryFn: ({ signal }) => listVersions(signal) });
  const groups = groupByTarget(versions.data ?? []);
  return (
    <>
      <title>Models · CryoProtect</title>
      <h1>Models</h1>
      <p className="lead">
        Property models trained from measured data. Every number here is out-of-fold — each row was predicted by a model that
        had not seen its structure — and sits beside naive baselines on the same folds.
      </p>
      <div className="page-grid models-grid">
        <div>
          <section className="section" aria-labelledby="targets-heading">
            <h2 id="targets-heading">Targets</h2>
            {versions.isPending ? <p role="status">Loading models…</p> : null}
            {versions.isError ? (
              <p className="form-error" role="alert">
                Could not load the models. {describeError(versions.error)}
              </p>
            ) : null}
            {versions.data && groups.length === 0 ? (
              <div className="empty" data-testid="no-models">
                <p>No model has been trained yet.</p>
                <p className="muted">
                  Train one with the form, or from the command line: <code>cryoprotect model train --data FILE.csv --smiles-column smiles --target tg</code>.
                </p>
              </div>
            ) : null}
            {groups.length > 0 ? <TargetsTable groups={groups} /> : null}
          </section>
          {groups.length > 0 ? (
            <section className="section" aria-labelledby="versions-heading">
              <h2 id="versions-heading">Versions</h2>
              {groups.map((g) => (
                <VersionsTable key={g.key} group={g} />
              ))}
            </section>
          ) : null}
        </div>
        <aside className="page-grid__side models-side">
          {jobId ? (
            <TrainJob jobId={jobId} onDismiss={() => setParams({ job: null })} />
          ) : (
            <div className="panel">
              <TrainForm onStarted={(job) => setParams({ job: job.id })} />
            </div>
          )}
        </aside>
      </div>
    </>
  );
}
