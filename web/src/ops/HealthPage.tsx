// Operations for administrators: the detailed health report (GET /api/v1/health), the backups in BACKUP_DIR and a
// "Back up now" button that runs the backup inside the server — the way to back up an embedded database while it
// is being served, since the CLI cannot open a data directory the server holds.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { createBackup, fetchBackups, fetchHealth, opsKeys, type CheckStatus, type HealthCheck } from './ops-api.ts';
import './ops.css';

const STATUS_LABEL: Record<CheckStatus, string> = { ok: 'OK', warning: 'Warning', failed: 'Failed' };

function StatusBadge({ status, skipped }: { status: CheckStatus; skipped?: boolean }) {
  const label = skipped ? 'Skipped' : STATUS_LABEL[status];
  return <span className={`status-badge status-badge--${skipped ? 'skipped' : status}`}>{label}</span>;
}

function CheckRow({ check }: { check: HealthCheck }) {
  return (
    <tr data-status={check.status}>
      <th scope="row">
        <code>{check.name}</code>
      </th>
      <td>
        <StatusBadge status={check.status} skipped={check.skipped} />
      </td>
      <td className="health-detail">{check.detail}</td>
      <td className="cell-number">{check.durationMs.toFixed(1)}</td>
    </tr>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function Backups() {
  const queryClient = useQueryClient();
  const backups = useQuery({ queryKey: opsKeys.backups, queryFn: ({ signal }) => fetchBackups(signal) });
  const create = useMutation({
    mutationFn: createBackup,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: opsKeys.backups });
      void queryClient.invalidateQueries({ queryKey: opsKeys.health });
    },
  });
  return (
    <section className="panel ops-backups" aria-labelledby="backups-heading">
      <h2 id="backups-heading">Backups</h2>
      <p>
        <button type="button" className="button button--primary" onClick={() => create.mutate()} disabled={create.isPending}>
          {create.isPending ? 'Backing up…' : 'Back up now'}
        </button>
      </p>
      {create.isSuccess ? (
        <p role="status">
          Backup written in {create.data.seconds.toFixed(1)} s: <code className="wrap-anywhere">{create.data.backup.path}</code>
        </p>
      ) : null}
      {create.isError ? <p className="form-error" role="alert">Backup failed. {describeError(create.error)}</p> : null}
      {backups.isPending ? <p role="status">Loading backups…</p> : null}
      {backups.isError ? <p className="form-error" role="alert">{describeError(backups.error)}</p> : null}
      {backups.data && backups.data.length === 0 ? <p className="empty">No backups yet.</p> : null}
      {backups.data && backups.data.length > 0 ? (
        <ul className="backup-list">
          {backups.data.slice(0, 10).map((b) => (
            <li key={b.fileName}>
              <time dateTime={b.createdAt}>{new Date(b.createdAt).toLocaleString()}</time> · {b.backend}
              {b.label ? ` · ${b.label}` : ''} · {formatSize(b.sizeBytes)}
              <br />
              <code className="wrap-anywhere muted">{b.fileName}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function HealthPage() {
  const health = useQuery({ queryKey: opsKeys.health, queryFn: ({ signal }) => fetchHealth(signal), staleTime: 0 });

  if (health.isError && health.error instanceof ApiProblem && health.error.status === 403) {
    return (
      <>
        <title>Operations · CryoProtect</title>
        <h1>Operations</h1>
        <div className="notice" role="note">
          <p className="notice__title">Administrators only</p>
          <p>The health report and backups are shown to administrators.</p>
        </div>
      </>
    );
  }

  return (
    <>
      <title>Operations · CryoProtect</title>
      <h1>Operations</h1>
      <div className="page-grid">
        <div className="page-grid__main">
          {health.isPending ? <p role="status">Running health checks…</p> : null}
          {health.isError ? (
            <div className="form-error" role="alert">
              <p>Could not load the health report. {describeError(health.error)}</p>
              <button type="button" className="button" onClick={() => void health.refetch()}>
                Try again
              </button>
            </div>
          ) : null}
          {health.data ? (
            <>
              <p className={`health-summary health-summary--${health.data.status}`} data-testid="health-status">
                Overall: <StatusBadge status={health.data.status} /> — version {health.data.version},{' '}
                {health.data.database === 'embedded' ? 'embedded database' : 'PostgreSQL server'}, checked{' '}
                <time dateTime={health.data.generatedAt}>{new Date(health.data.generatedAt).toLocaleString()}</time>{' '}
                <button type="button" className="button" onClick={() => void health.refetch()} disabled={health.isFetching}>
                  {health.isFetching ? 'Checking…' : 'Check again'}
                </button>
              </p>
              <div className="table-wrap">
                <table className="data-table health-table" data-testid="health-table">
                  <caption>Health checks (overall status is the worst of them)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Check</th>
                      <th scope="col">Status</th>
                      <th scope="col">Detail</th>
                      <th scope="col" className="cell-number">
                        ms
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {health.data.checks.map((c) => (
                      <CheckRow key={c.name} check={c} />
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </div>
        <aside className="page-grid__side">
          <Backups />
        </aside>
      </div>
    </>
  );
}
