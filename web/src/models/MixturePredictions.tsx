// The "Predictions" panel of a formulation page: predict its solution Tg (Gordon–Taylor physics, component Tg
// from cited data or the active pure-compound model, plus a residual learned from verified measurements) and,
// given an exposure time, its viability from the active kinetic toxicity model; see which model versions were
// used, and the frozen history of earlier predictions for this mixture.
import { useState } from 'react';
import { useQuery, useQueryClient, useMutation } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { Link } from '../router.tsx';
import { dateTime, intervalText, isNumber, num, pct, toCelsius } from './format.ts';
import { listVersions, mixtureLedger, modelKeys, predictMixture, versionLabel, type LedgerItem, type MixturePrediction } from './model-api.ts';
import './models.css';

const LEVEL = 0.9;

const TARGET_LABELS: Record<string, string> = {
  'solution-tg': 'Solution glass transition (Tg)',
  toxicity: 'Viability after exposure (toxicity)',
  viability: 'Viability (learned from verified experiments)',
};
/** Units of the ledger's mixture targets (the prediction itself carries its unit). */
const TARGET_UNITS: Record<string, string> = { 'solution-tg': 'K', toxicity: '%', viability: '%' };

/** The component rows of a solution-Tg prediction (SolutionTgComponentUse in src/science/solution-tg.ts). */
interface ComponentUse {
  key: string;
  name: string;
  tg: number;
  tgSource: 'cited' | 'model';
  tgLower: number | null;
  tgUpper: number | null;
  k: number;
  kSource: string;
}

function componentUses(components: readonly unknown[]): ComponentUse[] {
  return components.filter((c): c is ComponentUse => {
    const x = c as Partial<ComponentUse> | null;
    return typeof x === 'object' && x !== null && typeof x.name === 'string' && isNumber(x.tg) && isNumber(x.k);
  });
}

function kelvinText(value: number | null): string {
  return isNumber(value) ? `${value.toFixed(1)} K (${toCelsius(value).toFixed(1)} °C)` : '—';
}

/** The short unit to print after a number: "% viability" reads as "%" next to the value. */
function shortUnit(unit: string): string {
  return unit.startsWith('%') ? '%' : unit;
}

function valueText(p: MixturePrediction): string {
  if (p.unit === 'K') return kelvinText(p.value);
  return isNumber(p.value) ? `${p.value.toFixed(1)} ${p.unit}` : '—';
}

function intervalLine(p: MixturePrediction): string {
  if (!isNumber(p.lower) || !isNumber(p.upper)) return '';
  if (p.unit === 'K') return `${intervalText(p.lower, p.upper)} K (${intervalText(toCelsius(p.lower), toCelsius(p.upper))} °C)`;
  return `${intervalText(p.lower, p.upper)} ${shortUnit(p.unit)}`;
}

/** The CPA molalities a toxicity prediction used ({cpa, molality} rows). */
function exposureComposition(components: readonly unknown[]): { cpa: string; molality: number }[] {
  return components.filter((c): c is { cpa: string; molality: number } => {
    const x = c as { cpa?: unknown; molality?: unknown } | null;
    return typeof x === 'object' && x !== null && typeof x.cpa === 'string' && isNumber(x.molality);
  });
}

function PredictionCard({ p }: { p: MixturePrediction }) {
  const components = componentUses(p.components);
  const exposure = exposureComposition(p.components);
  const gordonTaylor = p.target === 'solution-tg';
  return (
    <article className="mixture-prediction" data-testid={`prediction-${p.target}`}>
      <h3>{TARGET_LABELS[p.target] ?? p.target}</h3>
      {p.available && isNumber(p.value) ? (
        <>
          <p className="mixture-prediction__value" data-testid="prediction-value">
            <strong>{valueText(p)}</strong>
            {intervalLine(p) ? (
              <span>
                {' '}
                · {pct(p.level)} interval {intervalLine(p)}
              </span>
            ) : (
              <span className="muted"> · no interval could be given</span>
            )}
          </p>
          <dl className="facts">
            <dt>Method</dt>
            <dd>
              <code data-testid="prediction-method">{p.method}</code>
            </dd>
            {gordonTaylor ? (
              <>
                <dt>Gordon–Taylor alone</dt>
                <dd>{kelvinText(p.physics)}</dd>
                <dt>Learned residual</dt>
                <dd>
                  {p.residual?.applied
                    ? `${num(p.residual.offset)} K, from ${p.residual.n} verified measurements`
                    : `not applied (${p.residual?.n ?? 0} verified Tg measurements with cited physics; more are needed)`}
                </dd>
              </>
            ) : null}
            {exposure.length > 0 ? (
              <>
                <dt>Exposure composition</dt>
                <dd>{exposure.map((c) => `${c.cpa} ${num(c.molality)} mol/kg`).join(', ')}</dd>
              </>
            ) : null}
            <dt>Model versions used</dt>
            <dd data-testid="prediction-models">
              {p.modelVersions.length === 0 ? (
                <span className="muted">{gordonTaylor ? 'none — every component Tg is cited' : 'none'}</span>
              ) : (
                p.modelVersions.map((v, i) => (
                  <span key={v.id}>
                    {i > 0 ? ', ' : null}
                    <Link to={`/models/versions/${encodeURIComponent(v.id)}`}>
                      {v.target} v{v.versionNumber}
                    </Link>
                  </span>
                ))
              )}
            </dd>
          </dl>
          {components.length > 0 ? (
            <div className="table-wrap">
              <table className="data-table">
                <caption>Component parameters</caption>
                <thead>
                  <tr>
                    <th scope="col">Component</th>
                    <th scope="col" className="cell-number">Tg (K)</th>
                    <th scope="col">Tg from</th>
                    <th scope="col" className="cell-number">k</th>
                    <th scope="col">k from</th>
                  </tr>
                </thead>
                <tbody>
                  {components.map((c) => (
                    <tr key={c.key}>
                      <th scope="row">{c.name}</th>
                      <td className="cell-number">
                        {c.tg.toFixed(1)}
                        {isNumber(c.tgLower) && isNumber(c.tgUpper) ? <span className="muted"> {intervalText(c.tgLower, c.tgUpper)}</span> : null}
                      </td>
                      <td>{c.tgSource === 'model' ? 'model prediction' : 'cited'}</td>
                      <td className="cell-number">{num(c.k)}</td>
                      <td>{c.kSource === 'simha-boyer' ? 'Simha–Boyer estimate' : 'cited'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : (
        <p className="prediction-unavailable" data-testid="prediction-unavailable">
          No value: {p.reason ?? 'no reason given'}
          {p.modelVersions.length > 0 ? (
            <>
              {' '}
              (model{' '}
              {p.modelVersions.map((v) => (
                <Link key={v.id} to={`/models/versions/${encodeURIComponent(v.id)}`}>
                  {v.target} v{v.versionNumber}
                </Link>
              ))}
              )
            </>
          ) : null}
        </p>
      )}
      {p.notes.length > 0 ? (
        <ul className="mixture-prediction__notes" data-testid="prediction-notes">
          {p.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}

function History({ items }: { items: LedgerItem[] }) {
  // The ledger names a version by id and number; the list gives its target, so "pure-tg v1" and "toxicity v1" differ.
  const versions = useQuery({ queryKey: modelKeys.versions, queryFn: ({ signal }) => listVersions(signal), enabled: items.some((i) => i.modelVersionId) });
  const labels = new Map((versions.data ?? []).map((v) => [v.id, versionLabel(v)]));
  if (items.length === 0) return <p className="muted">No prediction has been recorded for this formulation yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="prediction-history">
        <caption>Earlier predictions, frozen as they were made (newest first)</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Target</th>
            <th scope="col" className="cell-number">Value</th>
            <th scope="col">Interval</th>
            <th scope="col">Method</th>
            <th scope="col">Model version</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id}>
              <td>{dateTime(p.createdAt)}</td>
              <td>{p.target}</td>
              <td className="cell-number">
                {p.value.toFixed(1)} {TARGET_UNITS[p.target] ?? ''}
              </td>
              <td>
                {intervalText(p.lower, p.upper)}
                {isNumber(p.level) ? <span className="muted"> at {pct(p.level)}</span> : null}
              </td>
              <td>
                <code>{p.method}</code>
              </td>
              <td>
                {p.modelVersionId ? (
                  <Link to={`/models/versions/${encodeURIComponent(p.modelVersionId)}`}>{labels.get(p.modelVersionId) ?? `v${p.versionNumber ?? '?'}`}</Link>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MixturePredictions({ mixtureId }: { mixtureId: string }) {
  const queryClient = useQueryClient();
  const history = useQuery({ queryKey: modelKeys.mixtureLedger(mixtureId), queryFn: ({ signal }) => mixtureLedger(mixtureId, signal) });
  const [minutes, setMinutes] = useState('');
  const exposure = minutes.trim() === '' ? undefined : Number(minutes);
  const badMinutes = exposure !== undefined && !(exposure > 0);
  const run = useMutation({
    mutationFn: () => predictMixture(mixtureId, LEVEL, exposure),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: modelKeys.mixtureLedger(mixtureId) }),
  });
  return (
    <section className="section" aria-labelledby="predictions-heading">
      <h2 id="predictions-heading">Predictions</h2>
      <p className="hint">
        Solution Tg as Gordon–Taylor physics with cited parameters; a component without a cited Tg takes it from the active
        pure-compound model (<code>pure-tg</code>) with its interval, and a residual learned from verified measurements corrects
        the result. Viability after an exposure of the given length comes from the active kinetic toxicity model
        (<code>toxicity</code>). Each prediction is recorded, so later experiments can be compared with it.
      </p>
      <div className="toolbar prediction-toolbar">
        <label>
          Exposure for viability (min){' '}
          <input
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            aria-invalid={badMinutes ? true : undefined}
            placeholder="optional"
          />
        </label>
        <button type="button" className="button button--primary" onClick={() => run.mutate()} disabled={run.isPending || badMinutes}>
          {run.isPending ? 'Predicting…' : 'Predict properties'}
        </button>
        {badMinutes ? <span className="field-error">The exposure time must be a positive number of minutes.</span> : null}
      </div>
      {run.isError ? (
        <p className="form-error" role="alert">
          Could not predict. {describeError(run.error)}
        </p>
      ) : null}
      {run.data ? (
        <div className="mixture-predictions" role="status" aria-live="polite">
          {run.data.predictions.map((p) => (
            <PredictionCard key={p.target} p={p} />
          ))}
        </div>
      ) : null}
      <h3>History</h3>
      {history.isPending ? <p role="status">Loading earlier predictions…</p> : null}
      {history.isError ? <p className="form-error">Could not load earlier predictions. {describeError(history.error)}</p> : null}
      {history.data ? <History items={history.data} /> : null}
    </section>
  );
}
