-- Raw files attached to an experiment (plate-reader exports, DSC traces, images). Stored in the database so
-- backups, RLS and the audit trail cover them; the size limit keeps that sensible.

create table experiment_attachments (
  id uuid primary key default gen_random_uuid(),
  experiment_id uuid not null references experiments (id) on delete cascade,
  filename text not null check (length(filename) between 1 and 255 and filename !~ '[/\\]'),
  content_type text not null check (content_type in (
    'text/csv', 'text/plain', 'application/json', 'application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'application/octet-stream')),
  size_bytes integer not null check (size_bytes between 1 and 10485760),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  data bytea not null,
  uploaded_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  check (length(data) = size_bytes)
);
create index experiment_attachments_experiment_idx on experiment_attachments (experiment_id);
create index experiment_attachments_uploaded_by_idx on experiment_attachments (uploaded_by);

-- Like results: attachments are part of what a reviewer judges, so they are locked once submitted.
create trigger experiment_attachments_locked before insert or update or delete on experiment_attachments
  for each row execute function app.check_result_change();

alter table experiment_attachments enable row level security;
alter table experiment_attachments force row level security;
create policy experiment_attachments_select on experiment_attachments for select to cryoprotect_app
  using (app.can_read(app.experiment_project(experiment_id)));
create policy experiment_attachments_insert on experiment_attachments for insert to cryoprotect_app
  with check (app.can_write(app.experiment_project(experiment_id)) and uploaded_by = app.current_user_id());
create policy experiment_attachments_delete on experiment_attachments for delete to cryoprotect_app
  using (app.can_write(app.experiment_project(experiment_id)));
grant select, insert, delete on experiment_attachments to cryoprotect_app;
