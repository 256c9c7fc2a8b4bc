// One project: its members and roles, invitations (owners), leaving, and deletion confirmed by name.
// A project that does not exist and one the reader may not see look the same: "not found".
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiProblem, describeError } from '../api.ts';
import { ConfirmButton } from '../auth/ConfirmButton.tsx';
import { formatDateTime, FormError, TextField } from '../auth/forms.tsx';
import { useMeta } from '../auth/meta.ts';
import { Link, useNavigate, useParams } from '../router.tsx';
import { InviteForm } from './InviteForm.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { deleteProject, getProject, projectKeys, removeMember, ROLE_HELP, type Project } from './project-api.ts';
import '../auth/auth.css';

export function ProjectNotFound({ id }: { id: string }) {
  return (
    <>
      <title>Project not found · CryoProtect</title>
      <h1>Project not found</h1>
      <p>
        There is no project with id <code>{id}</code> that you can see: it does not exist, or you are not a member.{' '}
        <Link to="/projects">Back to my projects</Link>.
      </p>
    </>
  );
}

function LeaveProject({ project, myUserId }: { project: Project; myUserId: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const leave = useMutation({
    mutationFn: () => removeMember(project.id, myUserId),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: projectKeys.detail(project.id) });
      await queryClient.invalidateQueries({ queryKey: projectKeys.all });
      navigate('/projects');
    },
  });
  return (
    <section className="panel" aria-labelledby="leave-heading">
      <h2 id="leave-heading">Leave project</h2>
      <p>You lose access to its data at once. {project.myRole === 'owner' ? 'The last owner must hand over ownership first.' : ''}</p>
      <ConfirmButton label="Leave project" question={`Leave ${project.name}?`} confirmLabel="Leave" busy={leave.isPending}
        onConfirm={() => leave.mutate()} />
      {leave.isError ? <FormError text={describeError(leave.error)} /> : null}
    </section>
  );
}

function DeleteProject({ project }: { project: Project }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const del = useMutation({
    mutationFn: () => deleteProject(project.id, typed),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: projectKeys.detail(project.id) });
      await queryClient.invalidateQueries({ queryKey: projectKeys.all });
      navigate('/projects');
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (typed === project.name) del.mutate();
  };
  return (
    <section className="panel danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete project</h2>
      <p>
        Deleting removes the project and <strong>all of its molecules, formulations, experiments and models</strong> for every
        member. It cannot be undone.
      </p>
      <form className="form" onSubmit={onSubmit} aria-label="Delete project">
        <TextField label={`Type the project name “${project.name}” to confirm`} name="confirm" autoComplete="off" value={typed}
          onValue={(v) => { setTyped(v); del.reset(); }} />
        {del.isError ? <FormError text={describeError(del.error)} /> : null}
        <div className="form-actions">
          <button type="submit" className="button button--danger" disabled={typed !== project.name || del.isPending}>
            {del.isPending ? 'Deleting…' : 'Delete this project'}
          </button>
        </div>
      </form>
    </section>
  );
}

function ProjectDetail({ project, myUserId }: { project: Project; myUserId: string | null }) {
  const isOwner = project.myRole === 'owner';
  return (
    <div className="stack">
      <title>{`${project.name} · Projects · CryoProtect`}</title>
      <div>
        <h1>{project.name}</h1>
        {project.description ? <p className="lead">{project.description}</p> : null}
        <p>
          Your role: <span className="role-badge" data-testid="my-role">{project.myRole}</span>{' '}
          <span className="muted">({ROLE_HELP[project.myRole]})</span> · created {formatDateTime(project.createdAt)} ·{' '}
          <Link to={`/projects/${project.id}/audit`}>Audit log</Link>
        </p>
      </div>
      <MembersPanel project={project} myUserId={myUserId} />
      {isOwner ? <InviteForm project={project} /> : null}
      {myUserId ? <LeaveProject project={project} myUserId={myUserId} /> : null}
      {isOwner ? <DeleteProject project={project} /> : null}
    </div>
  );
}

export function ProjectPage() {
  const { id = '' } = useParams();
  const meta = useMeta();
  const query = useQuery({ queryKey: projectKeys.detail(id), queryFn: ({ signal }) => getProject(id, signal) });
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/projects">Projects</Link> <span aria-hidden="true">›</span>{' '}
        <span aria-current="page">{query.data?.name ?? 'Project'}</span>
      </nav>
      {query.isPending ? <p role="status">Loading project…</p> : null}
      {query.isError ? (
        query.error instanceof ApiProblem && (query.error.status === 404 || query.error.status === 400) ? (
          <ProjectNotFound id={id} />
        ) : (
          <>
            <h1>Project</h1>
            <FormError text={`Could not load this project. ${describeError(query.error)}`} />
          </>
        )
      ) : null}
      {query.data ? <ProjectDetail project={query.data} myUserId={meta.data?.actor?.id ?? null} /> : null}
    </>
  );
}
