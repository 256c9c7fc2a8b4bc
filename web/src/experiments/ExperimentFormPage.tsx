// "Record experiment" and "Edit experiment": project and formulation pickers, sample, protocol builder,
// results table with live replicate statistics. The server validates everything again and its 422
// errors appear next to the field they name (results[i].replicates[j], protocol.loading[0].durationMin …).
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, apiPath, describeError, getJson } from '../api.ts';
import { FormError, TextField } from '../auth/forms.tsx';
import type { MixtureSummary } from '../mixtures/mixture-api.ts';
import { listProjects, projectKeys } from '../projects/project-api.ts';
import { Link, useNavigate, useParams, useSearchParams } from '../router.tsx';
import {
  createExperiment, editMode, experimentKeys, getExperiment, listSampleTypes, SAMPLE_KINDS, updateExperiment, type SampleKind,
} from './experiment-api.ts';
import {
  draftFrom, emptyDraft, emptyResult, emptyStep, errorsAt, toInput, type ExperimentDraft, type FieldProblem, type ResultDraft, type StepDraft,
} from './draft.ts';
import { DSC_CONVENTIONS, MEASUREMENTS, measurementOption, parseReplicates, sig, summarize } from './measurements.ts';
import '../auth/auth.css';
import './experiments.css';

const STEP_UNITS = ['%v/v', '%w/v', '%w/w', 'mol/L', 'mmol/L', 'mol/kg'];

function FieldErrors({ id, messages }: { id?: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return <p id={id} className="field-error">{messages.join(' ')}</p>;
}

interface SelectFieldProps {
  label: string;
  value: string;
  onValue(value: string): void;
  errors?: string[];
  required?: boolean;
  children: ReactNode;
  hint?: ReactNode;
}

function SelectField({ label, value, onValue, errors = [], required, children, hint }: SelectFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label} {required ? <span className="required">(required)</span> : null}</label>
      <select id={id} value={value} required={required} onChange={(e) => onValue(e.target.value)}
        aria-invalid={errors.length > 0 ? true : undefined} aria-describedby={errors.length > 0 ? `${id}-error` : undefined}>
        {children}
      </select>
      <FieldErrors id={`${id}-error`} messages={errors} />
      {hint ? <p className="hint">{hint}</p> : null}
    </div>
  );
}

/** A compact input inside a table row or step; the visible column header is its label for sighted users. */
function CellInput({ label, value, onValue, errors, ...rest }: { label: string; value: string; onValue(v: string): void; errors: string[]; inputMode?: 'decimal' | 'text'; placeholder?: string; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="cell-field">
      <input id={id} type="text" aria-label={label} value={value} onChange={(e) => onValue(e.target.value)}
        aria-invalid={errors.length > 0 ? true : undefined} aria-describedby={errors.length > 0 ? `${id}-error` : undefined} {...rest} />
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

function StepsEditor({ title, at, steps, errors, onChange }: { title: string; at: 'loading' | 'removal'; steps: StepDraft[]; errors: FieldProblem[]; onChange(steps: StepDraft[]): void }) {
  const set = (i: number, patch: Partial<StepDraft>) => onChange(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  return (
    <fieldset className="steps">
      <legend>{title}</legend>
      {steps.length === 0 ? <p className="muted">No steps.</p> : null}
      {steps.map((s, i) => {
        const p = `protocol.${at}[${i}]`;
        return (
          <div key={s.key} role="group" aria-label={`${title} step ${i + 1}`} className="step-row">
            <span className="step-row__n">{i + 1}.</span>
            <select aria-label="Strength given as" value={s.by} onChange={(e) => set(i, { by: e.target.value === 'fraction' ? 'fraction' : 'amount' })}>
              <option value="amount">amount</option>
              <option value="fraction">fraction of final</option>
            </select>
            {s.by === 'amount' ? (
              <>
                <CellInput label="Amount" inputMode="decimal" value={s.amount} onValue={(v) => set(i, { amount: v })} errors={errorsAt(errors, `${p}.amount`)} />
                <select aria-label="Step unit" value={s.unit} onChange={(e) => set(i, { unit: e.target.value })}>
                  {STEP_UNITS.map((u) => <option key={u} value={u}>{u}</option>)}
                </select>
              </>
            ) : (
              <CellInput label="Fraction of final (0–1)" inputMode="decimal" placeholder="0–1" value={s.fraction} onValue={(v) => set(i, { fraction: v })} errors={errorsAt(errors, `${p}.fractionOfFinal`)} />
            )}
            <label className="inline-label">for
              <CellInput label="Duration (min)" inputMode="decimal" value={s.durationMin} onValue={(v) => set(i, { durationMin: v })} errors={errorsAt(errors, `${p}.durationMin`)} />
            min</label>
            <label className="inline-label">at
              <CellInput label="Temperature (°C)" inputMode="decimal" value={s.temperatureC} onValue={(v) => set(i, { temperatureC: v })} errors={errorsAt(errors, `${p}.temperatureC`)} />
            °C</label>
            <button type="button" className="button button--small" onClick={() => onChange(steps.filter((_, j) => j !== i))}>Remove step {i + 1}</button>
          </div>
        );
      })}
      <button type="button" className="button button--small" onClick={() => onChange([...steps, emptyStep()])}>Add {at} step</button>
    </fieldset>
  );
}

function ReplicateStats({ row }: { row: ResultDraft }) {
  const parsed = parseReplicates(row.replicates);
  const stats = summarize(parsed.values);
  if (!stats) return <span className="muted">—</span>;
  return (
    <output data-testid="replicate-stats">
      mean {sig(stats.mean)}{stats.sd === null ? '' : ` ± ${sig(stats.sd)}`} {row.unit} (n = {stats.n})
    </output>
  );
}

function ResultsEditor({ rows, errors, onChange }: { rows: ResultDraft[]; errors: FieldProblem[]; onChange(rows: ResultDraft[]): void }) {
  const set = (i: number, patch: Partial<ResultDraft>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="results-editor">
      <legend>Results</legend>
      <div className="table-wrap">
        <table className="data-table" data-testid="results-editor">
          <thead>
            <tr>
              <th scope="col">Measurement</th><th scope="col">Unit</th><th scope="col">Replicates, comma-separated</th>
              <th scope="col">Mean ± SD (n)</th><th scope="col">Or mean / SD / n</th><th scope="col">DSC convention, heating rate</th>
              <th scope="col">Method</th><th scope="col"><span className="visually-hidden">Remove</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const p = `results[${i}]`;
              const option = measurementOption(r.measurement);
              const hasReplicates = parseReplicates(r.replicates).values.length > 0;
              return (
                <tr key={r.key} role="group" aria-label={`Result ${i + 1}`}>
                  <td>
                    <select aria-label="Measurement" value={r.measurement}
                      onChange={(e) => set(i, { measurement: e.target.value, unit: measurementOption(e.target.value)?.units[0] ?? '' })}>
                      {MEASUREMENTS.map((m) => <option key={m.key} value={m.key}>{m.label}</option>)}
                    </select>
                    <FieldErrors messages={errorsAt(errors, `${p}.measurement`)} />
                  </td>
                  <td>
                    <select aria-label="Unit" value={r.unit} onChange={(e) => set(i, { unit: e.target.value })}>
                      {(option?.units ?? [r.unit]).map((u) => <option key={u} value={u}>{u}</option>)}
                    </select>
                    <FieldErrors messages={errorsAt(errors, `${p}.unit`)} />
                  </td>
                  <td><CellInput label="Replicates" placeholder="e.g. 78, 82, 86" value={r.replicates} onValue={(v) => set(i, { replicates: v })} errors={errorsAt(errors, `${p}.replicates`)} /></td>
                  <td><ReplicateStats row={r} /></td>
                  <td className="mean-sd-n">
                    <CellInput label="Mean" inputMode="decimal" placeholder="mean" disabled={hasReplicates} value={r.mean} onValue={(v) => set(i, { mean: v })} errors={errorsAt(errors, `${p}.mean`)} />
                    <CellInput label="SD" inputMode="decimal" placeholder="SD" disabled={hasReplicates} value={r.sd} onValue={(v) => set(i, { sd: v })} errors={errorsAt(errors, `${p}.sd`)} />
                    <CellInput label="n" inputMode="decimal" placeholder="n" disabled={hasReplicates} value={r.n} onValue={(v) => set(i, { n: v })} errors={errorsAt(errors, `${p}.n`)} />
                  </td>
                  <td>
                    {option?.needsDsc ? (
                      <>
                        <select aria-label="DSC convention" value={r.dscConvention} onChange={(e) => set(i, { dscConvention: e.target.value })}
                          aria-invalid={errorsAt(errors, `${p}.dscConvention`).length > 0 ? true : undefined}>
                          <option value="">choose…</option>
                          {DSC_CONVENTIONS.map((c) => <option key={c} value={c}>{c}</option>)}
                        </select>
                        <FieldErrors messages={errorsAt(errors, `${p}.dscConvention`)} />
                        <CellInput label="Heating rate (K/min)" inputMode="decimal" placeholder="K/min" value={r.heatingRate} onValue={(v) => set(i, { heatingRate: v })} errors={errorsAt(errors, `${p}.heatingRateKPerMin`)} />
                      </>
                    ) : <span className="muted">not needed</span>}
                  </td>
                  <td><CellInput label="Method" value={r.method} onValue={(v) => set(i, { method: v })} errors={errorsAt(errors, `${p}.method`)} /></td>
                  <td><button type="button" className="button button--small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove result {i + 1}</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <button type="button" className="button button--small" onClick={() => onChange([...rows, emptyResult()])}>Add result</button>
    </fieldset>
  );
}

const SHOWN_INLINE = [
  /^projectId$/, /^mixtureId$/, /^title$/, /^sample(\.|$)/, /^performedOn$/, /^operator$/, /^equipment$/, /^notes$/,
  /^protocol\.(loading|removal)\[\d+\]\.(amount|fractionOfFinal|durationMin|temperatureC)$/,
  /^protocol\.(coolingRateKPerMin|warmingRateKPerMin|storageTemperatureC|storageDurationDays)$/,
  /^results\[\d+\]\.(measurement|unit|replicates|mean|sd|n|method|dscConvention|heatingRateKPerMin)(\[\d+\])?$/,
];

/** The form-level line: the server's summary, plus any error whose field has no place in the form. */
function summaryText(error: unknown, local: FieldProblem[]): string | null {
  if (local.length > 0) return `${local.length} value(s) need fixing before saving.`;
  if (!error) return null;
  if (!(error instanceof ApiProblem)) return describeError(error);
  const stray = error.errors.filter((e) => !SHOWN_INLINE.some((re) => re.test(e.field)));
  const lead = error.detail ?? error.title;
  return stray.length > 0 ? `${lead} ${stray.map((e) => `${e.field}: ${e.message}`).join(' ')}` : lead;
}

export function ExperimentFormPage({ mode }: { mode: 'new' | 'edit' }) {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const existing = useQuery({ queryKey: experimentKeys.detail(id), queryFn: ({ signal }) => getExperiment(id, signal), enabled: mode === 'edit' });
  const projects = useQuery({ queryKey: projectKeys.list, queryFn: ({ signal }) => listProjects(signal) });
  const mixtures = useQuery({
    queryKey: ['mixtures', 'picker'],
    queryFn: ({ signal }) => getJson<{ items: MixtureSummary[] }>(apiPath('/mixtures', { limit: 500 }), signal),
  });
  const sampleTypes = useQuery({ queryKey: experimentKeys.sampleTypes, queryFn: ({ signal }) => listSampleTypes(signal), retry: false });
  const [draft, setDraft] = useState<ExperimentDraft | null>(mode === 'new' ? emptyDraft(search.get('projectId') ?? '') : null);
  const [localErrors, setLocalErrors] = useState<FieldProblem[]>([]);
  const datalistId = useId();

  useEffect(() => {
    if (mode === 'edit' && existing.data && draft === null) setDraft(draftFrom(existing.data));
  }, [mode, existing.data, draft]);
  const writable = (projects.data ?? []).filter((p) => p.myRole === 'owner' || p.myRole === 'editor');
  useEffect(() => {
    // A new record goes to the only project you can write to, without asking.
    if (mode === 'new' && draft && draft.projectId === '' && writable.length === 1 && writable[0]) setDraft({ ...draft, projectId: writable[0].id });
  }, [mode, draft, writable]);

  const revising = mode === 'edit' && existing.data ? editMode(existing.data.state) === 'revise' : false;
  const save = useMutation({
    mutationFn: async (d: ExperimentDraft) => {
      const converted = toInput(d);
      if ('errors' in converted) throw new Error('local');
      if (mode === 'edit') return (await updateExperiment(id, converted.input)).experiment;
      return createExperiment(converted.input);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
      navigate(`/experiments/${saved.id}`);
    },
  });

  if (mode === 'edit' && existing.isError) return <><h1>Experiment not found</h1><FormError text={describeError(existing.error)} /></>;
  if (!draft) return <p role="status">Loading experiment…</p>;
  const state = existing.data?.state;
  if (mode === 'edit' && state && editMode(state) === null) {
    return (
      <>
        <h1>{existing.data?.title}</h1>
        <p className="notice">A {state.replace('_', ' ')} experiment cannot be edited. <Link to={`/experiments/${id}`}>Back to the experiment</Link></p>
      </>
    );
  }

  const serverErrors = save.error instanceof ApiProblem ? save.error.errors : [];
  const errors = [...localErrors, ...serverErrors];
  const update = (patch: Partial<ExperimentDraft>) => {
    setDraft({ ...draft, ...patch });
    setLocalErrors([]);
    if (save.isError) save.reset();
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const converted = toInput(draft);
    if ('errors' in converted) {
      setLocalErrors(converted.errors);
      return;
    }
    save.mutate(draft);
  };
  const visibleMixtures = (mixtures.data?.items ?? []).filter((m) => m.projectId === null || m.projectId === draft.projectId);
  const heading = mode === 'new' ? 'Record experiment' : revising ? `New revision of “${existing.data?.title ?? ''}”` : 'Edit experiment';

  return (
    <>
      <title>{`${heading} · CryoProtect`}</title>
      <h1>{heading}</h1>
      {revising ? <p className="notice" role="note">This experiment is verified and stays as it is. Saving creates revision {(existing.data?.revision ?? 0) + 1} as a draft, which goes through review again.</p> : null}
      <form className="form experiment-form" onSubmit={onSubmit} aria-label={heading} noValidate>
        <section className="panel">
          <h2>What and where</h2>
          <div className="form-grid">
            {mode === 'new' ? (
              <SelectField label="Project" required value={draft.projectId} onValue={(v) => update({ projectId: v, mixtureId: '' })} errors={errorsAt(errors, 'projectId')}
                hint={projects.data && writable.length === 0 ? 'You need the owner or editor role in a project to record experiments.' : undefined}>
                <option value="">choose a project…</option>
                {writable.map((p) => <option key={p.id} value={p.id}>{p.name} ({p.myRole})</option>)}
              </SelectField>
            ) : null}
            <SelectField label="Formulation" required value={draft.mixtureId} onValue={(v) => update({ mixtureId: v })} errors={errorsAt(errors, 'mixtureId')}
              hint={<>Reference recipes and this project’s formulations. <Link to="/formulations/new">New formulation</Link></>}>
              <option value="">{mixtures.isPending ? 'loading…' : 'choose a formulation…'}</option>
              {visibleMixtures.map((m) => <option key={m.id} value={m.id}>{m.name}{m.projectId === null ? ' (reference)' : ''}</option>)}
            </SelectField>
            <TextField label="Title" required maxLength={300} value={draft.title} onValue={(v) => update({ title: v })} errors={errorsAt(errors, 'title')} />
          </div>
          <fieldset className="form-grid">
            <legend>Sample</legend>
            <TextField label="Sample name" required maxLength={200} value={draft.sampleName} list={datalistId}
              onValue={(v) => {
                const known = sampleTypes.data?.find((s) => s.name === v);
                update(known ? { sampleName: v, sampleKind: known.kind as SampleKind, species: known.species ?? '' } : { sampleName: v });
              }}
              errors={errorsAt(errors, 'sample')} hint="Cell line, tissue or organ, e.g. Jurkat or rabbit kidney; a new name is added to the project." />
            <datalist id={datalistId}>{(sampleTypes.data ?? []).map((s) => <option key={s.id} value={s.name}>{s.kind}{s.species ? `, ${s.species}` : ''}</option>)}</datalist>
            <SelectField label="Kind" value={draft.sampleKind} onValue={(v) => update({ sampleKind: v as SampleKind })}>
              {SAMPLE_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
            </SelectField>
            <TextField label="Species" maxLength={200} value={draft.species} onValue={(v) => update({ species: v })} />
          </fieldset>
        </section>

        <section className="panel">
          <h2>Protocol</h2>
          <StepsEditor title="Loading" at="loading" steps={draft.loading} errors={errors} onChange={(loading) => update({ loading })} />
          <StepsEditor title="Removal" at="removal" steps={draft.removal} errors={errors} onChange={(removal) => update({ removal })} />
          <div className="form-grid">
            <TextField label="Cooling rate (K/min)" inputMode="decimal" value={draft.coolingRate} onValue={(v) => update({ coolingRate: v })} errors={errorsAt(errors, 'protocol.coolingRateKPerMin')} />
            <TextField label="Warming rate (K/min)" inputMode="decimal" value={draft.warmingRate} onValue={(v) => update({ warmingRate: v })} errors={errorsAt(errors, 'protocol.warmingRateKPerMin')} />
            <TextField label="Storage temperature (°C)" inputMode="decimal" value={draft.storageTemperature} onValue={(v) => update({ storageTemperature: v })} errors={errorsAt(errors, 'protocol.storageTemperatureC')} />
            <TextField label="Storage duration (days)" inputMode="decimal" value={draft.storageDays} onValue={(v) => update({ storageDays: v })} errors={errorsAt(errors, 'protocol.storageDurationDays')} />
          </div>
        </section>

        <section className="panel">
          <h2>When, who, with what</h2>
          <div className="form-grid">
            <TextField label="Date performed" type="date" value={draft.performedOn} onValue={(v) => update({ performedOn: v })} errors={errorsAt(errors, 'performedOn')} />
            <TextField label="Operator" maxLength={200} value={draft.operator} onValue={(v) => update({ operator: v })} errors={errorsAt(errors, 'operator')} />
            <TextField label="Equipment" maxLength={500} value={draft.equipment} onValue={(v) => update({ equipment: v })} errors={errorsAt(errors, 'equipment')} />
          </div>
          <NotesField value={draft.notes} onValue={(v) => update({ notes: v })} errors={errorsAt(errors, 'notes')} />
        </section>

        <section className="panel">
          <ResultsEditor rows={draft.results} errors={errors} onChange={(results) => update({ results })} />
        </section>

        <FormError text={summaryText(save.error, localErrors)} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : mode === 'new' ? 'Save draft' : revising ? 'Save as new revision' : 'Save changes'}
          </button>
          <Link className="button" to={mode === 'edit' ? `/experiments/${id}` : '/experiments'}>Cancel</Link>
        </div>
      </form>
    </>
  );
}

function NotesField({ value, onValue, errors }: { value: string; onValue(v: string): void; errors: string[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Notes</label>
      <textarea id={id} rows={4} maxLength={20000} value={value} onChange={(e) => onValue(e.target.value)} aria-invalid={errors.length > 0 ? true : undefined} />
      <FieldErrors messages={errors} />
    </div>
  );
}
