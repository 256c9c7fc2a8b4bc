// Import a CSV/TSV or SD file: preview its header (or data fields), choose the SMILES and name columns and the
// target scope, start the import job, follow its progress and read the per-row report (registered, duplicate,
// invalid with the reason), which can be downloaded as CSV. The job id is in the URL (?job=), so a reload
// comes back to the same report.
import { useEffect, useId, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { useMeta } from '../auth/meta.ts';
import { listProjects, projectKeys } from '../projects/project-api.ts';
import { Link, useSearchParams } from '../router.tsx';
import {
  csvCell, csvInputsByLine, defaultNameColumn, defaultSmilesColumn, formatFromName, previewCsv, previewSdf,
  type CsvPreview, type ImportFormat, type RowInput, type SdfPreview,
} from './import-file.ts';
import {
  getJob, isImportResult, MAX_IMPORT_CHARS, moleculeKeys, startImport,
  type ImportRequest, type ImportResult, type ImportRowResult, type Job, type RowStatus,
} from './molecule-api.ts';
import { MoleculeSectionNav } from './MoleculeSectionNav.tsx';
import '../auth/auth.css';
import './molecules.css';

const POLL_MS = 500;
const REPORT_ROWS_SHOWN = 500;
const STATUS_LABELS: Record<RowStatus, string> = { registered: 'Registered', duplicate: 'Duplicate', invalid: 'Invalid' };
const PUBLIC_SCOPE = 'public';

interface LoadedFile {
  name: string;
  text: string;
  format: ImportFormat;
}

type Preview = { format: 'csv'; csv: CsvPreview } | { format: 'sdf'; sdf: SdfPreview } | { format: ImportFormat; error: string };

function makePreview(file: LoadedFile): Preview {
  try {
    return file.format === 'csv' ? { format: 'csv', csv: previewCsv(file.text) } : { format: 'sdf', sdf: previewSdf(file.text) };
  } catch (error) {
    return { format: file.format, error: error instanceof Error ? error.message : String(error) };
  }
}

function CsvPreviewTable({ preview }: { preview: CsvPreview }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="import-preview">
        <caption>
          First rows of the file ({preview.delimiter === '\t' ? 'tab' : 'comma'}-separated, {preview.columns.length} columns)
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            {preview.columns.map((c, i) => (
              <th scope="col" key={`${c}-${i}`}>
                {c || <span className="muted">(no name)</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.sample.map((r) => (
            <tr key={r.line}>
              <td className="cell-number">{r.line}</td>
              {preview.columns.map((_, i) => (
                <td key={i}>{r.fields[i] ?? ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Where the user may add molecules: the public library (administrators) and projects they edit. */
function useScopes() {
  const meta = useMeta();
  const projects = useQuery({ queryKey: projectKeys.list, queryFn: ({ signal }) => listProjects(signal) });
  const writable = (projects.data ?? []).filter((p) => p.myRole === 'owner' || p.myRole === 'editor');
  const isAdmin = meta.data?.actor?.isAdmin === true;
  const options = [
    ...writable.map((p) => ({ value: p.id, label: `Project: ${p.name}` })),
    ...(isAdmin ? [{ value: PUBLIC_SCOPE, label: 'Public reference library' }] : []),
  ];
  return { options, loading: meta.isPending || projects.isPending };
}

function ImportForm({ onStarted }: { onStarted(job: Job, inputs: InputsOf): void }) {
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [format, setFormat] = useState<ImportFormat>('csv');
  const [smilesColumn, setSmilesColumn] = useState('');
  const [nameColumn, setNameColumn] = useState('');
  const [scope, setScope] = useState('');
  const scopes = useScopes();
  const ids = { file: useId(), format: useId(), smiles: useId(), name: useId(), scope: useId(), fileHint: useId() };

  const loaded = file ? { ...file, format } : null;
  const preview = useMemo(() => (loaded ? makePreview(loaded) : null), [loaded?.text, loaded?.format]);
  const columns = preview && 'csv' in preview ? preview.csv.columns : [];
  const sdfFields = preview && 'sdf' in preview ? preview.sdf.fields : [];

  // Defaults follow the file: the columns the server would pick on its own.
  useEffect(() => {
    setSmilesColumn(defaultSmilesColumn(columns));
    setNameColumn(format === 'csv' ? defaultNameColumn(columns) : '');
  }, [columns.join('\u0000'), format]);
  useEffect(() => {
    if (!scope && scopes.options[0]) setScope(scopes.options[0].value);
  }, [scopes.options.length]);

  const mutation = useMutation({
    mutationFn: (request: ImportRequest) => startImport(request),
    onSuccess: (job) => {
      if (loaded) onStarted(job, rowInputs(loaded, smilesColumn, nameColumn));
    },
  });
  const problem = mutation.error instanceof ApiProblem ? mutation.error : null;
  const columnError = (field: string) => problem?.messagesFor(field).join(' ') || null;
  const otherError = mutation.error && !columnError('smilesColumn') && !columnError('nameColumn') ? describeError(mutation.error) : null;

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    mutation.reset();
    setReadError(null);
    const chosen = event.target.files?.[0];
    if (!chosen) {
      setFile(null);
      return;
    }
    if (chosen.size > MAX_IMPORT_CHARS) {
      setFile(null);
      setReadError(`${chosen.name} is ${(chosen.size / 1e6).toFixed(1)} MB; the web import takes files up to ${MAX_IMPORT_CHARS / 1e6} MB. Use \`cryoprotect import\` for larger files.`);
      return;
    }
    try {
      const text = await chosen.text();
      setFormat(formatFromName(chosen.name));
      setFile({ name: chosen.name, text, format: formatFromName(chosen.name) });
    } catch (error) {
      setFile(null);
      setReadError(`Could not read ${chosen.name}: ${describeError(error)}`);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!loaded) return;
    mutation.mutate({
      format,
      content: loaded.text,
      ...(format === 'csv' && smilesColumn ? { smilesColumn } : {}),
      ...(nameColumn ? { nameColumn } : {}),
      projectId: scope === PUBLIC_SCOPE || scope === '' ? null : scope,
    });
  };

  const noScope = !scopes.loading && scopes.options.length === 0;
  return (
    <form className="panel form import-form" onSubmit={submit} aria-labelledby="import-form-heading">
      <h2 id="import-form-heading">File</h2>
      <div className="field">
        <label htmlFor={ids.file}>
          CSV, TSV or SD file <span className="required">(required)</span>
        </label>
        <input id={ids.file} type="file" accept=".csv,.tsv,.txt,.sdf,.sd,.mol" onChange={(e) => void chooseFile(e)} aria-describedby={ids.fileHint} />
        <p id={ids.fileHint} className="hint">
          CSV/TSV: a header row with a SMILES column; optional name, synonyms (|-separated), cas, pubchem_cid and chembl_id columns.
          SD file: properties from data fields, the name from a field or the title line. Up to {MAX_IMPORT_CHARS / 1e6} MB.
        </p>
        {readError ? (
          <p className="field-error" role="alert">
            {readError}
          </p>
        ) : null}
      </div>
      {loaded ? (
        <>
          <div className="field field--narrow">
            <label htmlFor={ids.format}>Format</label>
            <select id={ids.format} value={format} onChange={(e) => setFormat(e.target.value as ImportFormat)}>
              <option value="csv">CSV / TSV</option>
              <option value="sdf">SD file</option>
            </select>
          </div>
          {preview && 'error' in preview ? (
            <p className="field-error" role="alert">
              Cannot read {loaded.name} as {format === 'csv' ? 'CSV' : 'an SD file'}: {preview.error}
            </p>
          ) : null}
          {preview && 'csv' in preview ? (
            <>
              <CsvPreviewTable preview={preview.csv} />
              <div className="form-grid-2">
                <div className="field">
                  <label htmlFor={ids.smiles}>SMILES column</label>
                  <select
                    id={ids.smiles}
                    value={smilesColumn}
                    onChange={(e) => setSmilesColumn(e.target.value)}
                    aria-invalid={columnError('smilesColumn') ? true : undefined}
                  >
                    {smilesColumn === '' ? <option value="">— choose —</option> : null}
                    {columns.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                  {columnError('smilesColumn') ? <p className="field-error">{columnError('smilesColumn')}</p> : null}
                </div>
                <div className="field">
                  <label htmlFor={ids.name}>Name column</label>
                  <select id={ids.name} value={nameColumn} onChange={(e) => setNameColumn(e.target.value)} aria-invalid={columnError('nameColumn') ? true : undefined}>
                    <option value="">automatic (a column called “name”, if any)</option>
                    {columns.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                  {columnError('nameColumn') ? <p className="field-error">{columnError('nameColumn')}</p> : null}
                </div>
              </div>
            </>
          ) : null}
          {preview && 'sdf' in preview ? (
            <>
              <p data-testid="import-preview">
                {preview.sdf.records} record{preview.sdf.records === 1 ? '' : 's'}
                {preview.sdf.fields.length > 0 ? `; data fields: ${preview.sdf.fields.join(', ')}` : '; no data fields'}.
              </p>
              <div className="field">
                <label htmlFor={ids.name}>Name from</label>
                <select id={ids.name} value={nameColumn} onChange={(e) => setNameColumn(e.target.value)}>
                  <option value="">the title line of each record</option>
                  {sdfFields.map((f) => (
                    <option key={f} value={f}>
                      data field {f}
                    </option>
                  ))}
                </select>
              </div>
            </>
          ) : null}
          <div className="field">
            <label htmlFor={ids.scope}>Add to</label>
            <select id={ids.scope} value={scope} onChange={(e) => setScope(e.target.value)} disabled={noScope}>
              {scopes.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            {noScope ? (
              <p className="field-error">
                You can import only into a project where you are an owner or editor. <Link to="/projects">Create a project</Link> first.
              </p>
            ) : null}
          </div>
          {otherError ? (
            <p className="form-error" role="alert">
              {otherError}
            </p>
          ) : null}
          <div className="form-actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={mutation.isPending || noScope || (preview !== null && 'error' in preview) || (format === 'csv' && smilesColumn === '')}
            >
              {mutation.isPending ? 'Starting…' : 'Start import'}
            </button>
          </div>
        </>
      ) : null}
    </form>
  );
}

/** Row inputs for the report, keyed by file line (CSV) or record index (SD file). */
interface InputsOf {
  byLine: Map<number, RowInput>;
  byIndex: Map<number, RowInput>;
}

function rowInputs(file: LoadedFile, smilesColumn: string, nameColumn: string): InputsOf {
  if (file.format === 'csv') {
    try {
      return { byLine: csvInputsByLine(file.text, smilesColumn, nameColumn), byIndex: new Map() };
    } catch {
      return { byLine: new Map(), byIndex: new Map() };
    }
  }
  const byIndex = new Map<number, RowInput>();
  file.text.replace(/\r\n?/g, '\n').split(/^\$\$\$\$[ \t]*$/m).filter((c) => c.trim() !== '').forEach((record, i) => {
    const title = record.replace(/^\n/, '').split('\n')[0]?.trim();
    if (title) byIndex.set(i, { name: title });
  });
  return { byLine: new Map(), byIndex };
}

function inputOf(row: ImportRowResult, inputs: InputsOf | null): RowInput | undefined {
  if (!inputs) return undefined;
  return (row.line !== undefined ? inputs.byLine.get(row.line) : undefined) ?? inputs.byIndex.get(row.index);
}

function reportCsv(result: ImportResult, inputs: InputsOf | null): string {
  const header = ['row', 'line', 'status', 'name', 'smiles', 'id', 'inchikey', 'error'];
  const lines = result.rows.map((r) => {
    const input = inputOf(r, inputs);
    return [r.index + 1, r.line, r.status, input?.name, input?.smiles, r.id, r.inchikey, r.error].map(csvCell).join(',');
  });
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

function DownloadReport({ result, inputs, jobId }: { result: ImportResult; inputs: InputsOf | null; jobId: string }) {
  // The file is made on demand; its object URL lives long enough for the browser to save it, then is released.
  const download = () => {
    const url = URL.createObjectURL(new Blob([reportCsv(result, inputs)], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `import-report-${jobId.slice(0, 8)}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return (
    <button type="button" className="button button--small" onClick={download}>
      Download the report (CSV)
    </button>
  );
}

function Report({ job, result, inputs }: { job: Job; result: ImportResult; inputs: InputsOf | null }) {
  const [status, setStatus] = useState<RowStatus | ''>('');
  const statusId = useId();
  const rows = status ? result.rows.filter((r) => r.status === status) : result.rows;
  const shown = rows.slice(0, REPORT_ROWS_SHOWN);
  return (
    <section aria-labelledby="report-heading" className="detail-section" data-testid="import-report">
      <h2 id="report-heading">Report</h2>
      <ul className="import-counts" aria-label="Rows by status">
        {(['registered', 'duplicate', 'invalid'] as const).map((s) => (
          <li key={s} className={`import-status import-status--${s}`}>
            <strong data-testid={`count-${s}`}>{result.counts[s]}</strong> {STATUS_LABELS[s].toLowerCase()}
          </li>
        ))}
      </ul>
      <div className="toolbar-row">
        <label htmlFor={statusId}>Show</label>
        <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value as RowStatus | '')}>
          <option value="">every row ({result.rows.length})</option>
          {(['registered', 'duplicate', 'invalid'] as const).map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s].toLowerCase()} ({result.counts[s]})
            </option>
          ))}
        </select>
        <DownloadReport result={result} inputs={inputs} jobId={job.id} />
        <Link to="/molecules">Browse molecules</Link>
      </div>
      <div className="table-wrap">
        <table className="data-table" data-testid="import-report-table">
          <caption>
            {shown.length < rows.length ? `The first ${shown.length} of ${rows.length} rows; download the report for all of them` : `${rows.length} rows`}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="cell-number">Row</th>
              <th scope="col" className="cell-number">Line</th>
              <th scope="col">Input</th>
              <th scope="col">Status</th>
              <th scope="col">Molecule</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const input = inputOf(r, inputs);
              return (
                <tr key={r.index} data-status={r.status}>
                  <th scope="row" className="cell-number">{r.index + 1}</th>
                  <td className="cell-number">{r.line ?? '—'}</td>
                  <td className="cell-smiles report-input">
                    {input?.name ? <span className="report-input__name">{input.name} </span> : null}
                    {input?.smiles ? <code>{input.smiles}</code> : null}
                    {!input ? <span className="muted">—</span> : null}
                  </td>
                  <td>
                    <span className={`import-status import-status--${r.status}`}>{STATUS_LABELS[r.status]}</span>
                  </td>
                  <td className="cell-inchikey">{r.id ? <Link to={`/molecules/${r.id}`}><code>{r.inchikey ?? 'open'}</code></Link> : '—'}</td>
                  <td>{r.error ?? (r.status === 'duplicate' ? 'already registered (kept as it was)' : '')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function JobProgress({ jobId, inputs }: { jobId: string; inputs: InputsOf | null }) {
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: moleculeKeys.job(jobId),
    queryFn: ({ signal }) => getJob(jobId, signal),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'succeeded' || status === 'failed' ? false : POLL_MS;
    },
  });
  const status = job.data?.status;
  useEffect(() => {
    // New molecules: lists and searches elsewhere must not show the state before the import.
    if (status === 'succeeded') void queryClient.invalidateQueries({ queryKey: moleculeKeys.all });
  }, [status, queryClient]);

  if (job.isPending) return <p role="status">Loading the import…</p>;
  if (job.isError) {
    return (
      <p className="form-error" role="alert">
        {job.error instanceof ApiProblem && job.error.status === 404
          ? 'This import does not exist or was started by someone else.'
          : `Could not load the import. ${describeError(job.error)}`}
      </p>
    );
  }
  const { done, total } = job.data.progress;
  const result = isImportResult(job.data.result) ? job.data.result : null;
  return (
    <section aria-labelledby="progress-heading" className="panel detail-section">
      <h2 id="progress-heading">Import job</h2>
      <div role="status" aria-live="polite" data-testid="import-status">
        {job.data.status === 'queued' ? 'Waiting for a worker…' : null}
        {job.data.status === 'running' ? `Registering rows: ${done} of ${total ?? '?'}` : null}
        {job.data.status === 'succeeded' ? `Finished: ${done} of ${total ?? done} rows processed.` : null}
        {job.data.status === 'failed' ? `The import failed: ${job.data.error ?? 'no reason given'}` : null}
      </div>
      <progress max={total ?? undefined} value={job.data.status === 'queued' ? undefined : done} aria-label="Import progress">
        {done} of {total ?? '?'}
      </progress>
      {result ? <Report job={job.data} result={result} inputs={inputs} /> : null}
    </section>
  );
}

export function ImportPage() {
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  // The file's rows are known only in the tab that sent it; after a reload the report shows without them.
  const [inputs, setInputs] = useState<{ jobId: string; inputs: InputsOf } | null>(null);

  return (
    <>
      <title>Import molecules · CryoProtect</title>
      <h1>Import molecules</h1>
      <MoleculeSectionNav />
      <p className="lead">
        Every row is standardized and registered on its own: good rows are kept when others fail, and a structure that is
        already in the scope is reported as a duplicate, not added twice. Re-running the same file is safe.
      </p>
      {jobId ? (
        <>
          <p>
            <button type="button" className="button" onClick={() => setParams({ job: null })}>
              Import another file
            </button>
          </p>
          <JobProgress key={jobId} jobId={jobId} inputs={inputs?.jobId === jobId ? inputs.inputs : null} />
        </>
      ) : (
        <ImportForm
          onStarted={(job, rowInputsOfJob) => {
            setInputs({ jobId: job.id, inputs: rowInputsOfJob });
            setParams({ job: job.id });
          }}
        />
      )}
    </>
  );
}
