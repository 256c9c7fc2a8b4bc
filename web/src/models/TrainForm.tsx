// "Train a model": a CSV with a structure column and a target column becomes a training job. The file is read
// here only to offer its columns; the server checks everything again before queueing and answers problems that
// name the field, which appear beside it. The job itself is followed by TrainJob.
import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ApiProblem, describeError, fetchMeta } from '../api.ts';
import { listProjects, projectKeys } from '../projects/project-api.ts';
import { readCsvHeader, guessColumn, type CsvHeader } from './csv-header.ts';
import { Field } from './Field.tsx';
import { ALGORITHMS, startTraining, SURVIVAL_UNITS, TASKS, type Algorithm, type Job, type SurvivalUnit, type Task, type TrainRequest } from './model-api.ts';

/** The largest file the endpoint takes (TrainBody.content in src/modules/models/schemas.ts). */
const MAX_CONTENT_CHARS = 10 * 1024 * 1024;
const INSTANCE_SCOPE = '';

/** Server field names this form shows next to a control; `data` and `content` both mean the file. */
const FIELDS = [
  'content', 'data', 'fileName', 'smilesColumn', 'targetColumn', 'cpaColumns', 'timeColumn', 'survivalUnit', 'target', 'task', 'algorithm', 'seed', 'level',
  'activeBelow', 'projectId', 'notes', 'activate',
] as const;

interface LoadedFile {
  name: string;
  content: string;
  header: CsvHeader;
}

interface Draft {
  projectId: string;
  smilesColumn: string;
  targetColumn: string;
  timeColumn: string;
  cpaColumns: string[];
  survivalUnit: SurvivalUnit;
  target: string;
  task: Task;
  algorithm: Algorithm;
  seed: string;
  level: string;
  activeBelow: string;
  notes: string;
  activate: boolean;
}

const EMPTY: Draft = {
  projectId: INSTANCE_SCOPE, smilesColumn: '', targetColumn: '', timeColumn: '', cpaColumns: [], survivalUnit: 'auto', target: '', task: 'regression', algorithm: 'rf', seed: '0', level: '0.9',
  activeBelow: '', notes: '', activate: false,
};

type LocalErrors = Partial<Record<(typeof FIELDS)[number], string>>;

function fieldMessages(error: unknown, local: LocalErrors, ...fields: (typeof FIELDS)[number][]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const l = local[f];
    if (l) out.push(l);
    if (error instanceof ApiProblem) out.push(...error.messagesFor(f));
  }
  return out;
}

/** The sentence above the button: the server's words unless every one of its errors sits at a field. */
function formLevelError(error: unknown): string | null {
  if (!error) return null;
  if (!(error instanceof ApiProblem)) return describeError(error);
  const others = error.otherErrors(FIELDS);
  if (others.length > 0) return `${error.detail ?? error.title} (${others.map((e) => `${e.field}: ${e.message}`).join('; ')})`;
  if (error.errors.length > 0) return 'Please correct the fields marked below.';
  return error.detail ?? error.title;
}

function toRequest(file: LoadedFile | null, d: Draft): { request: TrainRequest } | { errors: LocalErrors } {
  const errors: LocalErrors = {};
  const kinetic = d.algorithm === 'kinetic';
  if (!file) errors.content = 'Choose a CSV file with a header row.';
  if (kinetic) {
    if (!d.timeColumn) errors.timeColumn = 'Choose the column with the exposure time in minutes.';
    if (d.cpaColumns.length === 0) errors.cpaColumns = 'Tick at least one CPA molality column.';
    if (!d.targetColumn) errors.targetColumn = 'Choose the column with the measured survival.';
  } else {
    if (!d.smilesColumn) errors.smilesColumn = 'Choose the column that holds the structures (SMILES).';
    if (!d.targetColumn) errors.targetColumn = 'Choose the column to learn.';
    else if (d.targetColumn === d.smilesColumn) errors.targetColumn = 'The target must be another column than the structures.';
  }
  const seed = Number(d.seed);
  if (d.seed.trim() === '' || !Number.isInteger(seed) || seed < 0) errors.seed = 'A whole number, 0 or more.';
  const level = Number(d.level);
  if (d.level.trim() === '' || !(level > 0 && level < 1)) errors.level = 'A fraction between 0 and 1, e.g. 0.9 for 90 % intervals.';
  const activeBelow = d.activeBelow.trim() === '' ? undefined : Number(d.activeBelow);
  if (activeBelow !== undefined && !Number.isFinite(activeBelow)) errors.activeBelow = 'A number, or leave it empty.';
  if (file && file.content.length > MAX_CONTENT_CHARS) errors.content = 'The file is larger than 10 MiB; split it or keep only the columns needed.';
  if (Object.keys(errors).length > 0 || !file) return { errors };
  return {
    request: {
      projectId: d.projectId === INSTANCE_SCOPE ? null : d.projectId,
      content: file.content,
      fileName: file.name,
      ...(kinetic ? { cpaColumns: d.cpaColumns, timeColumn: d.timeColumn, survivalUnit: d.survivalUnit } : { smilesColumn: d.smilesColumn }),
      targetColumn: d.targetColumn,
      ...(d.target.trim() ? { target: d.target.trim() } : {}),
      task: d.task,
      algorithm: d.algorithm,
      seed,
      ...(d.task === 'regression' ? { level } : {}),
      ...(d.task === 'classification' && activeBelow !== undefined ? { activeBelow } : {}),
      ...(d.notes.trim() ? { notes: d.notes.trim() } : {}),
      activate: d.activate,
    },
  };
}

export function TrainForm({ onStarted }: { onStarted: (job: Job) => void }) {
  const meta = useQuery({ queryKey: ['meta'], queryFn: ({ signal }) => fetchMeta(signal), staleTime: 5 * 60_000 });
  const projects = useQuery({ queryKey: projectKeys.list, queryFn: ({ signal }) => listProjects(signal) });
  const isAdmin = meta.data?.actor?.isAdmin === true;
  const writable = useMemo(() => (projects.data ?? []).filter((p) => p.myRole === 'owner' || p.myRole === 'editor'), [projects.data]);
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [local, setLocal] = useState<LocalErrors>({});
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  // Non-administrators cannot train instance-wide models: start them in their first writable project.
  const scope = !isAdmin && draft.projectId === INSTANCE_SCOPE && writable[0] ? writable[0].id : draft.projectId;

  const train = useMutation({ mutationFn: startTraining, onSuccess: onStarted });

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    train.reset();
    setLocal({});
    if (!chosen) {
      setFile(null);
      return;
    }
    const content = await chosen.text();
    const header = readCsvHeader(content);
    if (!header || header.columns.length < 2) {
      setFile(null);
      setFileError('The file needs a header row with at least a structure column and a target column.');
      return;
    }
    setFileError(null);
    setFile({ name: chosen.name, content, header });
    const smiles = guessColumn(header.columns, ['smiles', 'canonical_smiles', 'structure']);
    const keep = (c: string) => (header.columns.includes(c) ? c : '');
    update({
      smilesColumn: smiles, targetColumn: keep(draft.targetColumn), timeColumn: keep(draft.timeColumn),
      cpaColumns: draft.cpaColumns.filter((c) => header.columns.includes(c)),
    });
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const built = toRequest(file, { ...draft, projectId: scope });
    if ('errors' in built) {
      setLocal(built.errors);
      return;
    }
    setLocal({});
    train.mutate(built.request);
  };

  const columns = file?.header.columns ?? [];
  const error = train.error;
  const messages = (...fields: (typeof FIELDS)[number][]) => fieldMessages(error, local, ...fields);
  const classification = draft.task === 'classification';
  const kinetic = draft.algorithm === 'kinetic';
  const toggleCpa = (column: string, on: boolean) =>
    update({ cpaColumns: on ? [...draft.cpaColumns, column] : draft.cpaColumns.filter((c) => c !== column) });

  return (
    <form className="form train-form" onSubmit={onSubmit} noValidate aria-labelledby="train-heading">
      <h2 id="train-heading">Train a model</h2>
      <p className="hint">
        Upload a CSV (or TSV) with one structure per row and a measured value. The model is cross-validated on groups of
        identical structures, its prediction intervals are calibrated on held-out rows, and it is compared with naive baselines.
      </p>
      <Field
        label="Training data (CSV)"
        required
        errors={[...(fileError ? [fileError] : []), ...messages('content', 'data', 'fileName')]}
        hint={file ? `${file.name}: ${file.header.dataLines} data lines, columns ${file.header.columns.join(', ')}` : 'A header row, then one row per measurement.'}
      >
        {(control) => <input {...control} type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" onChange={(e) => void onFile(e)} />}
      </Field>
      {kinetic ? (
        <>
          <div className="train-form__row">
            <Field label="Exposure time column (minutes)" required errors={messages('timeColumn')}>
              {(control) => (
                <select {...control} value={draft.timeColumn} onChange={(e) => update({ timeColumn: e.target.value })} disabled={!file}>
                  <option value="">— choose —</option>
                  {columns.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              )}
            </Field>
            <Field label="Survival column" required errors={messages('targetColumn')}>
              {(control) => (
                <select {...control} value={draft.targetColumn} onChange={(e) => update({ targetColumn: e.target.value })} disabled={!file}>
                  <option value="">— choose —</option>
                  {columns.filter((c) => c !== draft.timeColumn).map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              )}
            </Field>
          </div>
          <fieldset className="train-form__cpas" aria-invalid={messages('cpaColumns').length > 0 ? true : undefined}>
            <legend>CPA molality columns (mol/kg water) <span className="required">(required)</span></legend>
            {file ? (
              columns.filter((c) => c !== draft.timeColumn && c !== draft.targetColumn).map((c) => (
                <label key={c} className="checkbox">
                  <input type="checkbox" checked={draft.cpaColumns.includes(c)} onChange={(e) => toggleCpa(c, e.target.checked)} /> {c}
                </label>
              ))
            ) : (
              <p className="hint">Choose a file first.</p>
            )}
            {messages('cpaColumns').length > 0 ? <p className="field-error">{messages('cpaColumns').join(' ')}</p> : null}
          </fieldset>
          <Field label="Survival given as" errors={messages('survivalUnit')}>
            {(control) => (
              <select {...control} value={draft.survivalUnit} onChange={(e) => update({ survivalUnit: e.target.value as SurvivalUnit })}>
                {SURVIVAL_UNITS.map((u) => <option key={u} value={u}>{u === 'auto' ? 'detect (fraction or percent)' : u}</option>)}
              </select>
            )}
          </Field>
        </>
      ) : (
        <div className="train-form__row">
          <Field label="Structure column (SMILES)" required errors={messages('smilesColumn')}>
            {(control) => (
              <select {...control} value={draft.smilesColumn} onChange={(e) => update({ smilesColumn: e.target.value })} disabled={!file}>
                <option value="">— choose —</option>
                {columns.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            )}
          </Field>
          <Field label="Target column" required errors={messages('targetColumn')}>
            {(control) => (
              <select {...control} value={draft.targetColumn} onChange={(e) => update({ targetColumn: e.target.value })} disabled={!file}>
                <option value="">— choose —</option>
                {columns.filter((c) => c !== draft.smilesColumn).map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            )}
          </Field>
        </div>
      )}
      <Field label="Model name" errors={messages('target')} hint={kinetic ? 'The formulation pages use the active "toxicity" version. Empty: toxicity.' : "Versions of one name form one target, e.g. pure-tg (the formulation pages use pure-tg). Empty: the target column's name."}>
        {(control) => <input {...control} type="text" value={draft.target} onChange={(e) => update({ target: e.target.value })} placeholder={kinetic ? 'toxicity' : draft.targetColumn.toLowerCase() || 'pure-tg'} />}
      </Field>
      <div className="train-form__row">
        <Field label="Task" errors={messages('task')}>
          {(control) => (
            <select
              {...control}
              value={draft.task}
              onChange={(e) => {
                const task = e.target.value as Task;
                update({ task, ...(task === 'classification' && draft.algorithm === 'gp' ? { algorithm: 'rf' as const } : {}) });
              }}
            >
              {TASKS.map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          )}
        </Field>
        <Field label="Algorithm" errors={messages('algorithm')}>
          {(control) => (
            <select {...control} value={draft.algorithm} onChange={(e) => update({ algorithm: e.target.value as Algorithm })}>
              {ALGORITHMS.map((a) => (
                <option key={a.value} value={a.value} disabled={classification && !a.classifier}>
                  {a.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="train-form__row">
        <Field label="Seed" errors={messages('seed')} hint="Same data + seed = same folds and model.">
          {(control) => <input {...control} type="number" min={0} step={1} inputMode="numeric" value={draft.seed} onChange={(e) => update({ seed: e.target.value })} />}
        </Field>
        {classification ? (
          <Field label="Active below" errors={messages('activeBelow')} hint="For a continuous target: rows below this value count as active (IRI: 50 % grain size). Empty: the column holds 0/1.">
            {(control) => <input {...control} type="number" inputMode="decimal" value={draft.activeBelow} onChange={(e) => update({ activeBelow: e.target.value })} />}
          </Field>
        ) : (
          <Field label="Interval level" errors={messages('level')} hint="Nominal coverage of the prediction intervals.">
            {(control) => <input {...control} type="number" min={0.5} max={0.99} step={0.01} inputMode="decimal" value={draft.level} onChange={(e) => update({ level: e.target.value })} />}
          </Field>
        )}
      </div>
      <Field label="Scope" errors={messages('projectId')} hint={isAdmin ? 'Instance-wide models serve every project that has no active model of its own.' : 'Only administrators can train instance-wide models.'}>
        {(control) => (
          <select {...control} value={scope} onChange={(e) => update({ projectId: e.target.value })}>
            {isAdmin ? <option value={INSTANCE_SCOPE}>Instance-wide</option> : null}
            {writable.map((p) => <option key={p.id} value={p.id}>Project: {p.name}</option>)}
          </select>
        )}
      </Field>
      <Field label="Notes" errors={messages('notes')} hint="Shown on the version page and in its model card.">
        {(control) => <textarea {...control} rows={2} value={draft.notes} onChange={(e) => update({ notes: e.target.value })} />}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={draft.activate} onChange={(e) => update({ activate: e.target.checked })} /> Activate when done
        <span className="hint"> (the target's current active version is retired)</span>
      </label>
      {formLevelError(error) ? (
        <p className="form-error" role="alert">
          {formLevelError(error)}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={train.isPending}>
          {train.isPending ? 'Checking the file…' : 'Start training'}
        </button>
      </div>
    </form>
  );
}
