// "Predict": SMILES, one per line, through this exact version (or, for a kinetic toxicity model, exposures: minutes
// and the molality of each CPA). Each row comes back with its value and interval (or probability), the
// applicability-domain flag and score, or the reason it could not be predicted.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiProblem, describeError, fieldKey } from '../api.ts';
import { Field } from './Field.tsx';
import { intervalText, num, pct } from './format.ts';
import { kineticCpas, predict, type Exposure, type ModelVersion, type PredictInput, type PredictResponse, type Task } from './model-api.ts';

/** MAX_PREDICT_ROWS in src/modules/models/service.ts. */
const MAX_ROWS = 10_000;

function Results({ data, task, unit }: { data: PredictResponse; task: Task; unit: string }) {
  const outside = data.items.filter((i) => i.inDomain === false).length;
  return (
    <div className="table-wrap">
      <table className="data-table predict-table" data-testid="predict-results">
        <caption>
          {data.items.length} input{data.items.length === 1 ? '' : 's'} through {data.version.target} v{data.version.versionNumber}
          {task === 'regression' ? `, ${pct(data.level)} intervals` : ''}
          {outside > 0 ? ` — ${outside} outside the applicability domain (extrapolations)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="cell-number">#</th>
            <th scope="col">Input</th>
            <th scope="col" className="cell-number">{task === 'classification' ? 'P(active)' : `Value${unit ? ` (${unit})` : ''}`}</th>
            {task === 'regression' ? <th scope="col">Interval</th> : null}
            <th scope="col">Domain</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((item) => (
            <tr key={item.index} className={item.inDomain === false ? 'row-out-of-domain' : item.error ? 'row-error' : undefined} data-testid="predict-row">
              <td className="cell-number">{item.index + 1}</td>
              <td className="cell-smiles">
                <code>{item.input}</code>
                {item.canonicalSmiles && item.canonicalSmiles !== item.input ? <span className="muted"> → {item.canonicalSmiles}</span> : null}
              </td>
              <td className="cell-number" data-testid="predict-value">
                {task === 'classification' ? num(item.probability ?? item.value) : num(item.value)}
              </td>
              {task === 'regression' ? <td data-testid="predict-interval">{intervalText(item.lower, item.upper)}</td> : null}
              <td>
                {item.inDomain === null ? (
                  '—'
                ) : item.inDomain ? (
                  <span className="badge domain-badge domain-badge--in" title={`nearest training similarity ${num(item.domainScore)}`}>
                    in domain
                  </span>
                ) : (
                  <span className="badge domain-badge domain-badge--out" title={`nearest training similarity ${num(item.domainScore)}`}>
                    ⚠ out of domain
                  </span>
                )}
                {item.domainScore !== null ? <span className="muted"> {num(item.domainScore, 2)}</span> : null}
              </td>
              <td>{item.error ? <span className="field-error">{item.error}</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Lines "minutes, m1, m2, …" (comma, semicolon or whitespace separated) as exposures, or the first bad line's problem. */
export function parseExposures(lines: string[], cpas: readonly string[]): { exposures: Exposure[] } | { error: string } {
  const exposures: Exposure[] = [];
  for (const [i, line] of lines.entries()) {
    const parts = line.split(/[\s,;]+/).filter((p) => p !== '').map(Number);
    if (parts.length !== cpas.length + 1 || parts.some((p) => !Number.isFinite(p))) {
      return { error: `Line ${i + 1}: give ${cpas.length + 1} numbers — minutes, then the molality of ${cpas.join(', ')}.` };
    }
    const [minutes, ...molalities] = parts as [number, ...number[]];
    if (!(minutes > 0) || molalities.some((m) => m < 0)) return { error: `Line ${i + 1}: minutes must be positive and molalities not negative.` };
    exposures.push({ minutes, composition: Object.fromEntries(cpas.map((c, j) => [c, molalities[j] as number])) });
  }
  return { exposures };
}

export function PredictPanel({ version, unit }: { version: ModelVersion; unit: string }) {
  const task = version.task;
  const cpas = kineticCpas(version);
  const kinetic = version.algorithm === 'kinetic';
  const field = kinetic ? 'exposures' : 'smiles';
  const [text, setText] = useState('');
  const [level, setLevel] = useState('0.9');
  const [local, setLocal] = useState<{ input?: string; level?: string }>({});
  const run = useMutation({ mutationFn: (input: PredictInput) => predict(version.id, input) });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    const lvl = Number(level);
    const errors: typeof local = {};
    if (lines.length === 0) errors.input = kinetic ? 'Enter at least one exposure.' : 'Enter at least one SMILES.';
    if (lines.length > MAX_ROWS) errors.input = `At most ${MAX_ROWS.toLocaleString()} rows per request (${lines.length.toLocaleString()} given).`;
    if (!(lvl > 0 && lvl < 1)) errors.level = 'A fraction between 0 and 1, e.g. 0.9.';
    const parsed = kinetic && !errors.input ? parseExposures(lines, cpas) : null;
    if (parsed && 'error' in parsed) errors.input = parsed.error;
    setLocal(errors);
    if (Object.keys(errors).length > 0) return;
    run.mutate(parsed && 'exposures' in parsed ? { exposures: parsed.exposures, level: lvl } : { smiles: lines, level: lvl });
  };

  const problem = run.error instanceof ApiProblem ? run.error : null;
  const smilesErrors = [...(local.input ? [local.input] : []), ...(problem?.messagesFor(field) ?? [])];
  const levelErrors = [...(local.level ? [local.level] : []), ...(problem?.messagesFor('level') ?? [])];
  const otherError = run.error && !(problem && problem.errors.some((e) => [field, 'level'].includes(fieldKey(e.field)))) ? describeError(run.error) : null;

  return (
    <section className="section" aria-labelledby="predict-heading">
      <h2 id="predict-heading">Predict</h2>
      <form className="form predict-form" onSubmit={onSubmit} noValidate>
        <Field
          label={kinetic ? 'Exposures (one per line)' : 'Structures (SMILES, one per line)'}
          errors={smilesErrors}
          hint={
            kinetic
              ? `Each line: minutes, then the molality (mol/kg water) of ${cpas.join(', ')} — e.g. "30, ${cpas.map(() => '1.5').join(', ')}". Predictions are recorded in the ledger with this version.`
              : 'Predictions are recorded in the ledger with this version.'
          }
        >
          {(control) => <textarea {...control} className="smiles-input" rows={5} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />}
        </Field>
        {task === 'regression' ? (
          <Field label="Interval level" errors={levelErrors} className="field--narrow">
            {(control) => <input {...control} type="number" min={0.5} max={0.99} step={0.01} inputMode="decimal" value={level} onChange={(e) => setLevel(e.target.value)} />}
          </Field>
        ) : null}
        {otherError ? (
          <p className="form-error" role="alert">
            {otherError}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={run.isPending}>
            {run.isPending ? 'Predicting…' : 'Predict'}
          </button>
        </div>
      </form>
      {run.data ? <Results data={run.data} task={task} unit={unit} /> : null}
    </section>
  );
}
