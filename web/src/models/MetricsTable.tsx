// Out-of-fold metrics of a model beside the naive baselines evaluated on the same folds.
import type { Metrics } from './evaluation.ts';
import { LOWER_IS_BETTER, METRIC_LABELS, metricLabel, num } from './format.ts';

/** Metric keys to show, in the model card's order, that at least one row has. */
export function metricKeys(rows: readonly Metrics[]): string[] {
  return Object.keys(METRIC_LABELS).filter((k) => rows.some((m) => m[k] !== undefined));
}

export function MetricsTable({ metrics, baselines, caption, testId }: { metrics: Metrics; baselines: Record<string, Metrics>; caption: string; testId?: string }) {
  const rows: [string, Metrics, boolean][] = [['model', metrics, true], ...Object.entries(baselines).map(([k, v]) => [`baseline: ${k}`, v, false] as [string, Metrics, boolean])];
  const keys = metricKeys(rows.map(([, m]) => m));
  if (keys.length === 0) return <p className="muted">No metrics were stored.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table metrics-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" />
            {keys.map((k) => (
              <th key={k} scope="col" className="cell-number" title={LOWER_IS_BETTER.has(k) ? 'lower is better' : k === 'n' ? undefined : 'higher is better'}>
                {metricLabel(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, m, isModel]) => (
            <tr key={name} className={isModel ? 'metrics-table__model' : undefined}>
              <th scope="row">{name}</th>
              {keys.map((k) => (
                <td key={k} className="cell-number">
                  {num(m[k])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
