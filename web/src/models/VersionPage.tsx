// /models/versions/:id — one model version: what it is (data, seed, code), how well it does out-of-fold beside
// naive baselines, the charts of its evaluation, its lifecycle (activate / retire), comparison with another
// version, predictions, and its model card.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { Link, useParams } from '../router.tsx';
import { CalibrationChart, ImportanceChart, LearningCurveChart, ProbabilityChart, ResidualsChart, ScatterChart } from './charts.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { readEvaluation, type Evaluation, type Metrics } from './evaluation.ts';
import { dateTime, headlineMetric, metricLabel, num, pct, shortHash } from './format.ts';
import { MetricsTable } from './MetricsTable.tsx';
import { algorithmLabel, changeStatus, getVersion, kineticCpas, modelKeys, versionLabel, type ModelVersion } from './model-api.ts';
import { ModelCard, splitText, trainingSourceOf } from './ModelCard.tsx';
import { PredictPanel } from './PredictPanel.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import './models.css';

function Facts({ version, evaluation }: { version: ModelVersion; evaluation: Evaluation }) {
  const source = trainingSourceOf(version);
  return (
    <dl className="facts model-facts" data-testid="version-facts">
      <dt>Status</dt>
      <dd>
        <StatusBadge status={version.status} />
        {version.activatedAt ? <span className="muted"> since {dateTime(version.activatedAt)}</span> : null}
      </dd>
      <dt>Task</dt>
      <dd>
        {version.task}
        {source.activeBelow !== undefined ? ` (active = ${source.targetColumn ?? 'target'} < ${source.activeBelow})` : ''}
      </dd>
      <dt>Algorithm</dt>
      <dd>{algorithmLabel(version.algorithm)}</dd>
      <dt>Seed</dt>
      <dd>{version.seed}</dd>
      <dt>Code version</dt>
      <dd>{version.codeVersion}</dd>
      <dt>Training rows</dt>
      <dd>
        {version.trainingRows}
        {source.rowsInFile !== undefined ? <span className="muted"> of {source.rowsInFile} in {source.fileName ?? 'the file'} ({source.rowsSkipped ?? 0} skipped)</span> : null}
        {evaluation.nGroups !== null ? <span className="muted">; {evaluation.nGroups} distinct structures</span> : null}
      </dd>
      <dt>Columns</dt>
      <dd>
        {version.algorithm === 'kinetic' ? (
          <>
            CPA molalities <code>{kineticCpas(version).join(', ')}</code>, time <code>{version.featureNames.at(-1) ?? '?'}</code>, survival{' '}
            <code>{source.targetColumn ?? '?'}</code>
          </>
        ) : (
          <>
            structure <code>{source.smilesColumn ?? '?'}</code>, target <code>{source.targetColumn ?? '?'}</code>
          </>
        )}
      </dd>
      <dt>Data hash</dt>
      <dd>
        <code title={version.trainingDataHash}>{shortHash(version.trainingDataHash)}</code> <span className="muted">(SHA-256 of the training rows)</span>
      </dd>
      <dt>Scope</dt>
      <dd>{version.projectId ? <Link to={`/projects/${encodeURIComponent(version.projectId)}`}>project</Link> : 'instance-wide'}</dd>
      <dt>Created</dt>
      <dd>{dateTime(version.createdAt)}</dd>
      {version.notes ? (
        <>
          <dt>Notes</dt>
          <dd>{version.notes}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Lifecycle({ version }: { version: ModelVersion }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (action: 'activate' | 'retire') => changeStatus(version.id, action),
    onSuccess: (updated) => {
      queryClient.setQueryData(modelKeys.version(version.id), updated);
      // Activating retires the previous active version: every list and version page may have changed.
      void queryClient.invalidateQueries({ queryKey: modelKeys.all });
    },
  });
  const forbidden = change.error instanceof ApiProblem && change.error.status === 403;
  return (
    <div className="toolbar model-toolbar">
      {version.status !== 'active' ? (
        <button type="button" className="button button--primary" onClick={() => change.mutate('activate')} disabled={change.isPending}>
          Activate
        </button>
      ) : null}
      {version.status !== 'retired' ? (
        <button
          type="button"
          className="button"
          onClick={() => {
            if (window.confirm(`Retire ${versionLabel(version)}? It stays readable, but no longer answers predictions for ${version.target}.`)) change.mutate('retire');
          }}
          disabled={change.isPending}
        >
          Retire
        </button>
      ) : null}
      <a className="button" href="#predict-heading">
        Predict
      </a>
      <a className="button" href="#compare-heading">
        Compare with…
      </a>
      {change.isError ? (
        <p className="form-error" role="alert" data-testid="lifecycle-error">
          {forbidden ? `You may not change this version: ${(change.error as ApiProblem).detail ?? 'permission denied'}.` : `Could not change the status. ${describeError(change.error)}`}
        </p>
      ) : null}
    </div>
  );
}

function Charts({ evaluation: e }: { evaluation: Evaluation }) {
  if (e.outOfFold.length === 0 && e.calibration.length === 0 && e.learningCurve.length === 0 && e.featureImportance.length === 0) {
    return <p className="muted">This evaluation stored nothing to draw.</p>;
  }
  return (
    <div className="model-charts">
      {e.outOfFold.length > 0 ? (
        e.task === 'classification' ? (
          <ProbabilityChart points={e.outOfFold} testId="oof-scatter" />
        ) : (
          <>
            <ScatterChart points={e.outOfFold} domainThreshold={e.domainThreshold} unit={e.unit} testId="oof-scatter" />
            <ResidualsChart points={e.outOfFold} unit={e.unit} />
          </>
        )
      ) : null}
      {e.task === 'regression' && e.calibration.length > 0 ? <CalibrationChart points={e.calibration} level={e.conformal?.level ?? null} /> : null}
      {e.learningCurve.length > 0 ? <LearningCurveChart points={e.learningCurve} metric={e.learningMetric} /> : null}
      {e.featureImportance.length > 0 ? <ImportanceChart items={e.featureImportance} method={e.importanceMethod} /> : null}
    </div>
  );
}

/** The headline metric inside and outside the applicability domain: how much worse extrapolations were. */
function DomainSummary({ evaluation: e }: { evaluation: Evaluation }) {
  if (e.domainThreshold === null) return null;
  const key = headlineMetric(e.task);
  const part = (m: Metrics | null, where: string) => (m ? `${where}: ${metricLabel(key)} ${num(m[key])} (n = ${num(m.n)})` : `${where}: no rows`);
  return (
    <p className="hint" data-testid="domain-summary">
      Applicability domain (nearest training similarity ≥ {num(e.domainThreshold)}): {pct(e.outOfDomainFraction)} of out-of-fold rows fell outside.{' '}
      {part(e.metricsInDomain, 'Inside')}; {part(e.metricsOutOfDomain, 'outside')}.
    </p>
  );
}

function Detail({ version }: { version: ModelVersion }) {
  const evaluation = readEvaluation(version.evaluation, version.task);
  const c = evaluation.conformal;
  return (
    <>
      <title>{`${versionLabel(version)} · Models · CryoProtect`}</title>
      <h1>
        {version.target} <span className="muted">v{version.versionNumber}</span>
      </h1>
      <Lifecycle version={version} />
      <div className="model-overview">
        <Facts version={version} evaluation={evaluation} />
        <section aria-labelledby="metrics-heading">
          <h2 id="metrics-heading">Out-of-fold metrics</h2>
          <MetricsTable metrics={evaluation.metrics} baselines={evaluation.baselines} caption="The model beside naive baselines on the same folds" testId="metrics-table" />
          <p className="hint">Split: {splitText(evaluation)}.</p>
          {c && version.task === 'regression' ? (
            <p data-testid="coverage-summary">
              {pct(c.level)} conformal intervals covered <strong>{pct(c.coverage)}</strong> of held-out rows (mean width {num(c.meanWidth)}).
            </p>
          ) : null}
          <DomainSummary evaluation={evaluation} />
          {evaluation.baselineComparisons.map((b) => (
            <p key={b.name} className="hint" data-testid="baseline-comparison">
              Like for like on the {num(b.model.n)} rows where <code>{b.name}</code> can predict (a {b.feature} value is known
              {b.g !== null ? `, g = ${num(b.g)}` : ''}): model {metricLabel(headlineMetric(version.task))} {num(b.model[headlineMetric(version.task)])} vs{' '}
              {num(b.baseline[headlineMetric(version.task)])}.
            </p>
          ))}
        </section>
      </div>
      <section className="section" aria-labelledby="charts-heading">
        <h2 id="charts-heading">Evaluation</h2>
        <Charts evaluation={evaluation} />
      </section>
      <PredictPanel version={version} unit={evaluation.unit} />
      <ComparePanel version={version} />
      <section className="section" aria-labelledby="card-heading">
        <h2 id="card-heading">Model card</h2>
        <ModelCard version={version} evaluation={evaluation} />
      </section>
    </>
  );
}

export function VersionPage() {
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: modelKeys.version(id), queryFn: ({ signal }) => getVersion(id, signal) });
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/models">Models</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">{query.data ? versionLabel(query.data) : 'Version'}</span>
      </nav>
      {query.isPending ? <p role="status">Loading model version…</p> : null}
      {query.isError ? (
        query.error instanceof ApiProblem && query.error.status === 404 ? (
          <>
            <title>Model version not found · CryoProtect</title>
            <h1>Model version not found</h1>
            <p>
              There is no model version with id <code>{id}</code> that you can see. <Link to="/models">Back to the models</Link>.
            </p>
          </>
        ) : (
          <>
            <h1>Model version</h1>
            <p className="form-error" role="alert">
              Could not load this version. {describeError(query.error)}
            </p>
          </>
        )
      ) : null}
      {query.data ? <Detail version={query.data} /> : null}
    </>
  );
}
