// A project's audit trail, newest first: data changes (table, row, before/after) and security events
// (invitations, role changes, ownership). Owners see everything of the project; others their own actions.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { formatDateTime, FormError } from '../auth/forms.tsx';
import { Link, useParams } from '../router.tsx';
import { ProjectNotFound } from './ProjectPage.tsx';
import { getAudit, getProject, projectKeys, type AuditEntry } from './project-api.ts';
import '../auth/auth.css';

/** A compact one-line summary of what changed, for the table; the full JSON is one click away. */
export function summarizeEntry(entry: AuditEntry): string {
  if (entry.kind === 'data') return `${entry.action} ${entry.table ?? ''}${entry.rowId ? ` ${entry.rowId.slice(0, 8)}` : ''}`.trim();
  return entry.action.replace(/_/g, ' ');
}

function json(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value, null, 2);
}

function EntryRow({ entry }: { entry: AuditEntry }) {
  const details = [
    ['before', entry.before],
    ['after', entry.after],
    ['detail', entry.detail],
  ].filter(([, v]) => v !== null && v !== undefined);
  return (
    <tr>
      <td>
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </td>
      <td>
        <span className="role-badge">{entry.kind}</span>
      </td>
      <td>{summarizeEntry(entry)}</td>
      <td>{entry.actorEmail ?? <span className="muted">system</span>}</td>
      <td>
        {details.length > 0 ? (
          <details>
            <summary>Show</summary>
            {details.map(([label, value]) => (
              <div key={String(label)}>
                <strong>{String(label)}</strong>
                <pre className="audit-detail">{json(value)}</pre>
              </div>
            ))}
          </details>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}

export function AuditPage() {
  const { id = '' } = useParams();
  const project = useQuery({ queryKey: projectKeys.detail(id), queryFn: ({ signal }) => getProject(id, signal) });
  const audit = useInfiniteQuery({
    queryKey: projectKeys.audit(id),
    queryFn: ({ pageParam, signal }) => getAudit(id, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  const notFound = [project.error, audit.error].some((e) => e instanceof ApiProblem && (e.status === 404 || e.status === 400));
  if (notFound) return <ProjectNotFound id={id} />;
  const entries = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const name = project.data?.name ?? 'Project';

  return (
    <>
      <title>{`Audit log · ${name} · CryoProtect`}</title>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/projects">Projects</Link> <span aria-hidden="true">›</span> <Link to={`/projects/${id}`}>{name}</Link>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Audit log</span>
      </nav>
      <h1>Audit log</h1>
      <p className="lead">
        Every change to {name}'s data and its membership, newest first.
        {project.data && project.data.myRole !== 'owner' ? ' As a non-owner you see your own actions only.' : ''}
      </p>
      {audit.isPending ? <p role="status">Loading the audit log…</p> : null}
      {audit.isError ? <FormError text={`Could not load the audit log. ${describeError(audit.error)}`} /> : null}
      {audit.isSuccess && entries.length === 0 ? <p className="empty">Nothing recorded yet.</p> : null}
      {entries.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="audit-table">
            <caption className="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <EntryRow key={e.id} entry={e} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {audit.hasNextPage ? (
        <p className="pager">
          <button type="button" className="button" disabled={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
            {audit.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
          </button>
        </p>
      ) : null}
    </>
  );
}
