// "Compare with…": this version beside another version of the same target, on the same evaluation. When both
// were trained on the same data, split and seed the stored out-of-fold results are compared directly
// ("stored"); otherwise the other version's configuration is cross-validated again on this version's data and
// folds ("retrained"), so the two columns always come from the same rows and folds.
import { useQuery } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { Link, useSearchParams } from '../router.tsx';
import { ScatterChart } from './charts.tsx';
import { readEvaluation, type Metrics } from './evaluation.ts';
import { Field } from './Field.tsx';
import { algorithmLabel, compareVersions, listVersions, modelKeys, versionLabel, type ModelVersion, type ModelVersionSummary, type VersionComparison } from './model-api.ts';
import { LOWER_IS_BETTER, metricLabel, num, shortHash } from './format.ts';
import { metricKeys } from './MetricsTable.tsx';

function better(key: string, a: number | undefined, b: number | undefined): 'a' | 'b' | null {
  if (a === undefined || b === undefined || a === b || key === 'n') return null;
  const lower = LOWER_IS_BETTER.has(key);
  return (lower ? a < b : a > b) ? 'a' : 'b';
}

function SideBySide({ cmp }: { cmp: VersionComparison }) {
  const a = readEvaluation(cmp.evaluationA, cmp.a.task);
  const b = readEvaluation(cmp.evaluationB, cmp.b.task);
  const keys = metricKeys([a.metrics, b.metrics]);
  const coverage = (m: Metrics, e: typeof a) => (e.conformal ? { ...m, coverage: e.conformal.coverage, meanWidth: e.conformal.meanWidth ?? NaN } : m);
  const ma = coverage(a.metrics, a);
  const mb = coverage(b.metrics, b);
  const rows = [...keys, ...(a.conformal || b.conformal ? ['coverage', 'meanWidth'] : [])];
  const label = (k: string) => (k === 'coverage' ? 'Interval coverage' : k === 'meanWidth' ? 'Mean interval width' : metricLabel(k));
  return (
    <>
      <p data-testid="compare-basis">
        Basis: <strong>{cmp.basis}</strong> —{' '}
        {cmp.basis === 'stored'
          ? 'both versions were trained on the same data with the same split and seed, so their stored out-of-fold results are compared directly.'
          : `${versionLabel(cmp.a)}'s configuration was cross-validated again on ${versionLabel(cmp.b)}'s training data, with its split and seed.`}{' '}
        <span className="muted" title={cmp.trainingDataHash}>
          Data {shortHash(cmp.trainingDataHash)}
        </span>
      </p>
      <div className="table-wrap">
        <table className="data-table compare-metrics" data-testid="compare-metrics">
          <caption>Out-of-fold metrics on the same rows and folds (the better value is marked)</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className="cell-number">
                {versionLabel(cmp.a)} · {algorithmLabel(cmp.a.algorithm)}
              </th>
              <th scope="col" className="cell-number">
                {versionLabel(cmp.b)} · {algorithmLabel(cmp.b.algorithm)}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((k) => {
              const win = k === 'coverage' || k === 'meanWidth' ? null : better(k, ma[k], mb[k]);
              return (
                <tr key={k}>
                  <th scope="row">{label(k)}</th>
                  <td className={`cell-number${win === 'a' ? ' cell-better' : ''}`}>{num(ma[k])}{win === 'a' ? ' ✓' : ''}</td>
                  <td className={`cell-number${win === 'b' ? ' cell-better' : ''}`}>{num(mb[k])}{win === 'b' ? ' ✓' : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {a.task === 'regression' && (a.outOfFold.length > 0 || b.outOfFold.length > 0) ? (
        <div className="model-charts">
          <ScatterChart points={a.outOfFold} domainThreshold={a.domainThreshold} unit={a.unit} testId="compare-scatter-a" title={`${versionLabel(cmp.a)}: predicted vs measured`} />
          <ScatterChart points={b.outOfFold} domainThreshold={b.domainThreshold} unit={b.unit} testId="compare-scatter-b" title={`${versionLabel(cmp.b)}: predicted vs measured`} />
        </div>
      ) : null}
    </>
  );
}

export function ComparePanel({ version }: { version: ModelVersion }) {
  const [params, setParams] = useSearchParams();
  const other = params.get('compare') ?? '';
  const versions = useQuery({ queryKey: modelKeys.versions, queryFn: ({ signal }) => listVersions(signal) });
  const candidates: ModelVersionSummary[] = (versions.data ?? []).filter(
    (v) => v.id !== version.id && v.target === version.target && v.projectId === version.projectId && v.task === version.task,
  );
  // The other version is "a": its configuration is re-run on this version's data when the data differ.
  const cmp = useQuery({
    queryKey: modelKeys.compare(other, version.id),
    queryFn: ({ signal }) => compareVersions(other, version.id, signal),
    enabled: other !== '',
    staleTime: 10 * 60_000,
  });
  return (
    <section className="section model-compare" aria-labelledby="compare-heading">
      <h2 id="compare-heading">Compare with another version</h2>
      {versions.data && candidates.length === 0 ? (
        <p className="muted">There is no other version of {version.target} to compare with.</p>
      ) : (
        <Field label="Compare with…" className="field--narrow" hint="Another version of the same target.">
          {(control) => (
            <select {...control} value={other} onChange={(e) => setParams({ compare: e.target.value }, { replace: true })}>
              <option value="">— choose a version —</option>
              {candidates.map((v) => (
                <option key={v.id} value={v.id}>
                  {versionLabel(v)} · {v.algorithm} · {v.status}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {other && cmp.isPending ? <p role="status">Comparing (this may cross-validate the other version again)…</p> : null}
      {cmp.isError ? (
        <p className="form-error" role="alert">
          Could not compare. {describeError(cmp.error)}
        </p>
      ) : null}
      {cmp.data ? (
        <>
          <SideBySide cmp={cmp.data} />
          <p>
            <Link to={`/models/versions/${encodeURIComponent(cmp.data.a.id)}`}>Open {versionLabel(cmp.data.a)}</Link>
          </p>
        </>
      ) : null}
    </section>
  );
}
