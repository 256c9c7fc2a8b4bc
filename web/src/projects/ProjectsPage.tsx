// The projects I belong to, with my role in each, and a form to start a new one.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api.ts';
import { fieldErrors, formatDateTime, FormError, formErrorText, TextField } from '../auth/forms.tsx';
import { Link, useNavigate } from '../router.tsx';
import { createProject, listProjects, projectKeys } from './project-api.ts';
import '../auth/auth.css';

function CreateProjectForm() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const mutation = useMutation({
    mutationFn: createProject,
    onSuccess: async (project) => {
      queryClient.setQueryData(projectKeys.detail(project.id), project);
      await queryClient.invalidateQueries({ queryKey: projectKeys.all });
      navigate(`/projects/${project.id}`);
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = description.trim();
    mutation.mutate({ name: name.trim(), ...(text ? { description: text } : {}) });
  };
  return (
    <section className="panel" aria-labelledby="new-project-heading">
      <h2 id="new-project-heading">New project</h2>
      <form className="form" onSubmit={onSubmit}>
        <TextField label="Project name" name="name" required maxLength={200} value={name}
          errors={fieldErrors(mutation.error, 'name')} onValue={(v) => { setName(v); mutation.reset(); }} />
        <TextField label="Description" name="description" maxLength={10000} value={description}
          errors={fieldErrors(mutation.error, 'description')} onValue={(v) => { setDescription(v); mutation.reset(); }} />
        <FormError text={formErrorText(mutation.error, ['name', 'description'])} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </form>
      <p className="hint">You become its owner and can invite colleagues by email.</p>
    </section>
  );
}

export function ProjectsPage() {
  const projects = useQuery({ queryKey: projectKeys.list, queryFn: ({ signal }) => listProjects(signal) });
  return (
    <>
      <title>Projects · CryoProtect</title>
      <h1>Projects</h1>
      <p className="lead">Molecules, formulations and experiments in a project are visible only to its members.</p>
      <div className="page-grid">
        <section aria-labelledby="my-projects-heading">
          <h2 id="my-projects-heading">My projects</h2>
          {projects.isPending ? <p role="status">Loading projects…</p> : null}
          {projects.isError ? <FormError text={`Could not load projects. ${describeError(projects.error)}`} /> : null}
          {projects.data && projects.data.length === 0 ? (
            <p className="empty">You are not a member of any project yet. Create one, or ask a project owner to invite your email.</p>
          ) : null}
          {projects.data && projects.data.length > 0 ? (
            <div className="table-wrap">
              <table className="data-table" data-testid="projects-table">
                <caption className="visually-hidden">Projects you are a member of</caption>
                <thead>
                  <tr>
                    <th scope="col">Project</th>
                    <th scope="col">My role</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {projects.data.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">
                        <Link to={`/projects/${p.id}`}>{p.name}</Link>
                        {p.description ? <div className="muted">{p.description}</div> : null}
                      </th>
                      <td>
                        <span className="role-badge">{p.myRole}</span>
                      </td>
                      <td>{formatDateTime(p.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
        <div className="page-grid__side">
          <CreateProjectForm />
        </div>
      </div>
    </>
  );
}
