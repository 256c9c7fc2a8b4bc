// Panels around an experiment's record that change it outside the main form: results imported from a CSV
// file (good rows kept, bad rows listed by line) and raw-data attachments. Both only while it is editable.
import { useId, useState, type ChangeEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { deleteJson, describeError } from '../api.ts';
import { formatDateTime, FormError } from '../auth/forms.tsx';
import {
  attachmentUrl, experimentKeys, importResults, listAttachments, uploadAttachment, type Experiment, type ImportReport,
} from './experiment-api.ts';

const RESULT_COLUMNS = 'measurement, unit, replicates, mean, sd, n, method, dsc_convention, heating_rate_k_per_min';

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function ResultsImportPanel({ e }: { e: Experiment }) {
  const queryClient = useQueryClient();
  const inputId = useId();
  const [report, setReport] = useState<ImportReport | null>(null);
  const upload = useMutation({
    mutationFn: async (file: File) => importResults(e.id, await file.text()),
    onSuccess: async (r) => {
      setReport(r);
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
    },
  });
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setReport(null);
    if (file) upload.mutate(file);
    event.target.value = '';
  };
  return (
    <section className="panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import results</h2>
      <div className="field">
        <label htmlFor={inputId}>Results CSV file</label>
        <input id={inputId} type="file" accept=".csv,text/csv" onChange={onFile} disabled={upload.isPending} />
        <p className="hint">Columns: <code>{RESULT_COLUMNS}</code>; replicates separated by <code>;</code>. Rows are added to the results.</p>
      </div>
      {upload.isPending ? <p role="status">Importing…</p> : null}
      {upload.isError ? <FormError text={describeError(upload.error)} /> : null}
      {report ? (
        <div data-testid="import-report" role="status">
          <p>{report.added} row(s) added, {report.invalid} row(s) not valid.</p>
          {report.rows.some((r) => r.status !== 'added') ? (
            <ul className="import-errors">
              {report.rows.filter((r) => r.status !== 'added').map((r) => (
                <li key={r.line}>Line {r.line}: {(r.errors ?? []).map((x) => `${x.field}: ${x.message}`).join('; ')}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export function AttachmentsPanel({ e, editable }: { e: Experiment; editable: boolean }) {
  const queryClient = useQueryClient();
  const inputId = useId();
  const files = useQuery({ queryKey: experimentKeys.attachments(e.id), queryFn: ({ signal }) => listAttachments(e.id, signal) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: experimentKeys.attachments(e.id) });
  const upload = useMutation({ mutationFn: (file: File) => uploadAttachment(e.id, file), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (attachmentId: string) => deleteJson(attachmentUrl(e.id, attachmentId)), onSuccess: refresh });
  return (
    <section className="panel" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">Raw data files</h2>
      {files.isError ? <FormError text={describeError(files.error)} /> : null}
      {files.data && files.data.length === 0 ? <p className="empty">No files attached.</p> : null}
      {files.data && files.data.length > 0 ? (
        <ul className="attachments" data-testid="attachments">
          {files.data.map((f) => (
            <li key={f.id}>
              <a href={attachmentUrl(e.id, f.id)} download={f.filename}>{f.filename}</a>{' '}
              <span className="muted">{formatBytes(f.sizeBytes)} · {formatDateTime(f.createdAt)} · sha256 {f.sha256.slice(0, 12)}…</span>
              {editable ? (
                <button type="button" className="button button--small" disabled={remove.isPending} onClick={() => remove.mutate(f.id)}>Remove {f.filename}</button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {editable ? (
        <div className="field">
          <label htmlFor={inputId}>Attach a file</label>
          <input id={inputId} type="file" disabled={upload.isPending}
            onChange={(event) => { const file = event.target.files?.[0]; if (file) upload.mutate(file); event.target.value = ''; }} />
          <p className="hint">Instrument exports, images or PDFs up to 10 MiB. Files are locked once the experiment is submitted.</p>
        </div>
      ) : null}
      {upload.isError ? <FormError text={describeError(upload.error)} /> : null}
      {remove.isError ? <FormError text={describeError(remove.error)} /> : null}
    </section>
  );
}
