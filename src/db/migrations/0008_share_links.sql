-- Read-only share links for one mixture or experiment of a project. The token (and optional password) are
-- stored only hashed. A link reads as the member who created it, so it never shows more than they can see,
-- and it stops working when they lose access, the link expires, or it is revoked.

create table share_links (
  id uuid primary key default gen_random_uuid(),
  token_hash bytea not null unique check (length(token_hash) = 32),
  resource_type text not null check (resource_type in ('mixture', 'experiment')),
  resource_id uuid not null,
  project_id uuid not null references projects (id) on delete cascade,
  password_hash text check (password_hash is null or password_hash like '$argon2id$%'),
  created_by uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  access_count integer not null default 0,
  last_accessed_at timestamptz,
  check (expires_at > created_at)
);
create index share_links_project_idx on share_links (project_id);
create index share_links_created_by_idx on share_links (created_by);
create index share_links_resource_idx on share_links (resource_type, resource_id);

create trigger share_links_audit after insert or update or delete on share_links for each row execute function app.audit_row();

alter table share_links enable row level security;
alter table share_links force row level security;
-- Owners and editors of the project manage its links; resolving a token is the privileged service's job.
create policy share_links_select on share_links for select to cryoprotect_app using (app.can_write(project_id));
create policy share_links_insert on share_links for insert to cryoprotect_app
  with check (app.can_write(project_id) and created_by = app.current_user_id());
create policy share_links_update on share_links for update to cryoprotect_app
  using (app.can_write(project_id)) with check (app.can_write(project_id));
grant select, insert, update on share_links to cryoprotect_app;
