-- Accounts: passwords, sessions, personal API tokens, password resets, project invitations, and the audit log.
-- Secrets (session and API tokens, reset tokens) are stored only as SHA-256 hashes.

alter table users add column password_hash text check (password_hash is null or password_hash like '$argon2id$%');
alter table users add column disabled boolean not null default false;

create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash bytea not null unique check (length(token_hash) = 32),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  rotated_to uuid references sessions (id) on delete set null,
  user_agent text check (user_agent is null or length(user_agent) <= 500),
  ip text check (ip is null or length(ip) <= 100),
  check (expires_at > created_at)
);
create index sessions_user_idx on sessions (user_id);
create index sessions_rotated_to_idx on sessions (rotated_to);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 100),
  token_hash bytea not null unique check (length(token_hash) = 32),
  scope text not null check (scope in ('read', 'write')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz,
  check (expires_at > created_at)
);
create index api_tokens_user_idx on api_tokens (user_id);

create table password_resets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash bytea not null unique check (length(token_hash) = 32),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  check (expires_at > created_at)
);
create index password_resets_user_idx on password_resets (user_id);

create table project_invitations (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references projects (id) on delete cascade,
  email citext not null check (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  role text not null check (role in ('owner', 'editor', 'reviewer', 'viewer')),
  invited_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  accepted_at timestamptz,
  unique (project_id, email)
);
create index project_invitations_invited_by_idx on project_invitations (invited_by);
create index project_invitations_email_idx on project_invitations (email);

-- Append-only: the app role may read (policy below) but never insert, update or delete. Data changes arrive
-- through the row trigger (SECURITY DEFINER), security events through the privileged connection.
-- actor_id and project_id are deliberately not foreign keys: the log must outlive the users and projects it
-- describes (a cascading project delete writes entries about rows of a project that is disappearing).
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  kind text not null check (kind in ('data', 'security')),
  action text not null check (length(action) between 1 and 100),
  actor_id uuid,
  request_id text,
  table_name text,
  row_id text,
  project_id uuid,
  before jsonb,
  after jsonb,
  detail jsonb
);
create index audit_log_project_idx on audit_log (project_id, at);
create index audit_log_actor_idx on audit_log (actor_id, at);

create function app.audit_row() returns trigger
  language plpgsql security definer set search_path = pg_catalog, public
  as $$
  declare
    old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
    new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
    the_row jsonb := coalesce(new_row, old_row);
    project uuid;
  begin
    -- Secrets never enter the log, even hashed; fingerprints and descriptors are derived from the structure.
    old_row := old_row - 'password_hash' - 'token_hash' - 'morgan_fp' - 'pattern_fp' - 'descriptors';
    new_row := new_row - 'password_hash' - 'token_hash' - 'morgan_fp' - 'pattern_fp' - 'descriptors';
    if tg_table_name = 'projects' then
      project := (the_row ->> 'id')::uuid;
    elsif the_row ? 'project_id' then
      project := nullif(the_row ->> 'project_id', '')::uuid;
    end if;
    insert into public.audit_log (kind, action, actor_id, request_id, table_name, row_id, project_id, before, after)
    values ('data', lower(tg_op), app.current_user_id(), nullif(current_setting('app.request_id', true), ''),
            tg_table_name, coalesce(the_row ->> 'id', the_row ->> 'user_id'), project, old_row, new_row);
    return null;
  end
  $$;

create trigger molecules_audit after insert or update or delete on molecules for each row execute function app.audit_row();
create trigger sources_audit after insert or update or delete on sources for each row execute function app.audit_row();
create trigger projects_audit after insert or update or delete on projects for each row execute function app.audit_row();
create trigger project_members_audit after insert or update or delete on project_members for each row execute function app.audit_row();

alter table sessions enable row level security;
alter table sessions force row level security;
alter table api_tokens enable row level security;
alter table api_tokens force row level security;
alter table password_resets enable row level security;
alter table password_resets force row level security;
alter table project_invitations enable row level security;
alter table project_invitations force row level security;
alter table audit_log enable row level security;
alter table audit_log force row level security;

-- Users see and revoke their own sessions and tokens; creating them is the privileged auth service's job.
create policy sessions_select on sessions for select to cryoprotect_app using (user_id = app.current_user_id());
create policy sessions_update on sessions for update to cryoprotect_app
  using (user_id = app.current_user_id()) with check (user_id = app.current_user_id());
create policy api_tokens_select on api_tokens for select to cryoprotect_app using (user_id = app.current_user_id());
create policy api_tokens_insert on api_tokens for insert to cryoprotect_app with check (user_id = app.current_user_id());
create policy api_tokens_update on api_tokens for update to cryoprotect_app
  using (user_id = app.current_user_id()) with check (user_id = app.current_user_id());
-- password_resets: no policy for the app role at all (privileged connection only).

create policy project_invitations_select on project_invitations for select to cryoprotect_app
  using (app.project_role(project_id) = 'owner');
create policy project_invitations_insert on project_invitations for insert to cryoprotect_app
  with check (app.project_role(project_id) = 'owner');
create policy project_invitations_update on project_invitations for update to cryoprotect_app
  using (app.project_role(project_id) = 'owner') with check (app.project_role(project_id) = 'owner');
create policy project_invitations_delete on project_invitations for delete to cryoprotect_app
  using (app.project_role(project_id) = 'owner');

create policy audit_log_select on audit_log for select to cryoprotect_app
  using (app.is_admin() or (project_id is not null and app.project_role(project_id) = 'owner') or actor_id = app.current_user_id());

grant select, update on sessions to cryoprotect_app;
grant select, insert, update on api_tokens to cryoprotect_app;
grant select, insert, update, delete on project_invitations to cryoprotect_app;
grant select on audit_log to cryoprotect_app;
