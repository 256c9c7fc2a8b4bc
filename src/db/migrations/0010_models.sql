-- Predictive models: immutable trained versions (with their evaluation and serialized artifact) and the
-- prediction ledger, which freezes every prediction made so later measurements can be compared with what was
-- predicted before them.

create table model_versions (
  id uuid primary key default gen_random_uuid(),
  -- Null: an instance-wide model (administrators train and activate it; everyone may use it).
  project_id uuid references projects (id) on delete cascade,
  target text not null check (target ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  version_number integer not null check (version_number >= 1),
  task text not null check (task in ('regression', 'classification')),
  algorithm text not null check (algorithm in ('rf', 'gbt', 'gp', 'ridge', 'knn', 'kinetic')),
  hyperparameters jsonb not null check (jsonb_typeof(hyperparameters) = 'object'),
  feature_names jsonb not null check (jsonb_typeof(feature_names) = 'array'),
  seed bigint not null,
  -- SHA-256 of the canonical training rows (structure, target, extra features), so two versions trained on the
  -- same data can be recognised and a retraining can be checked for reproducibility.
  training_data_hash text not null check (training_data_hash ~ '^[0-9a-f]{64}$'),
  training_rows integer not null check (training_rows >= 1),
  training_source jsonb not null check (jsonb_typeof(training_source) = 'object'),
  -- The rows themselves (canonical SMILES, InChIKey, target, extras): needed to re-run a comparison of two
  -- versions on the same evaluation and to explain the applicability domain.
  training_data jsonb not null check (jsonb_typeof(training_data) = 'array'),
  code_version text not null check (length(code_version) between 1 and 100),
  evaluation jsonb not null check (jsonb_typeof(evaluation) = 'object'),
  artifact jsonb not null check (jsonb_typeof(artifact) = 'object'),
  notes text check (notes is null or length(notes) <= 10000),
  status text not null default 'candidate' check (status in ('candidate', 'active', 'retired')),
  visibility text not null default 'project' check (visibility in ('project', 'public')),
  created_by uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now(),
  activated_at timestamptz,
  activated_by uuid references users (id) on delete set null,
  check (status <> 'active' or activated_at is not null)
);
-- Version numbers count per target within a scope; at most one active version per target and scope.
create unique index model_versions_number_idx
  on model_versions (coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid), target, version_number);
create unique index model_versions_active_idx
  on model_versions (coalesce(project_id, '00000000-0000-0000-0000-000000000000'::uuid), target) where status = 'active';
create index model_versions_project_idx on model_versions (project_id);
create index model_versions_created_by_idx on model_versions (created_by);
create index model_versions_activated_by_idx on model_versions (activated_by);

-- Versions are immutable: only the lifecycle (status, activation, visibility) may change, and never back to candidate.
create function app.check_model_version_change() returns trigger
  language plpgsql
  as $$
  begin
    if (to_jsonb(new) - array['status', 'activated_at', 'activated_by', 'visibility'])
       is distinct from (to_jsonb(old) - array['status', 'activated_at', 'activated_by', 'visibility']) then
      raise exception 'model versions are immutable; train a new version instead'
        using errcode = 'check_violation', constraint = 'model_versions_immutable';
    end if;
    if new.status = 'candidate' and old.status <> 'candidate' then
      raise exception 'a model version cannot return to candidate' using errcode = 'check_violation', constraint = 'model_versions_lifecycle';
    end if;
    return new;
  end $$;
create trigger model_versions_immutable before update on model_versions
  for each row execute function app.check_model_version_change();
-- The audit log records lifecycle changes of versions, not their megabytes of artifact and training rows (which
-- are immutable anyway and stay in the version itself).
create or replace function app.audit_row() returns trigger
  language plpgsql security definer set search_path = pg_catalog, public
  as $$
  declare
    old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
    new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
    the_row jsonb := coalesce(new_row, old_row);
    project uuid;
    omitted text[] := array['password_hash', 'token_hash', 'morgan_fp', 'pattern_fp', 'descriptors',
                            'artifact', 'training_data', 'evaluation'];
  begin
    -- Secrets never enter the log, even hashed; fingerprints and descriptors are derived from the structure.
    old_row := old_row - omitted;
    new_row := new_row - omitted;
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

create trigger model_versions_audit after insert or update or delete on model_versions
  for each row execute function app.audit_row();

alter table model_versions enable row level security;
alter table model_versions force row level security;
create policy model_versions_select on model_versions for select to cryoprotect_app
  using (app.can_read(project_id) or visibility = 'public');
create policy model_versions_insert on model_versions for insert to cryoprotect_app
  with check (app.can_write(project_id) and created_by = app.current_user_id());
create policy model_versions_update on model_versions for update to cryoprotect_app
  using (app.can_write(project_id)) with check (app.can_write(project_id));
-- No delete for the app role: the ledger refers to versions, and a model that made predictions must stay explainable.
grant select, insert, update on model_versions to cryoprotect_app;

create table predictions (
  id uuid primary key default gen_random_uuid(),
  -- The trained version that made the prediction; null for a physics-only prediction (e.g. Gordon–Taylor with
  -- cited parameters), whose `method` and frozen `inputs` then say everything needed to reproduce it.
  model_version_id uuid references model_versions (id) on delete cascade,
  method text not null check (length(method) between 1 and 100),
  target text not null,
  -- The scope of the subject: the molecule's or mixture's project; null for public reference subjects and raw
  -- structures, which only their requester (and administrators) can read back.
  project_id uuid references projects (id) on delete cascade,
  subject_kind text not null check (subject_kind in ('structure', 'molecule', 'mixture')),
  molecule_id uuid references molecules (id) on delete set null,
  mixture_id uuid references mixtures (id) on delete set null,
  -- Frozen inputs: canonical SMILES and InChIKey, or the mixture's composition as it was.
  inputs jsonb not null check (jsonb_typeof(inputs) = 'object'),
  value double precision not null check (value = value and value not in ('Infinity', '-Infinity')),
  lower double precision,
  upper double precision,
  level double precision check (level is null or (level > 0 and level < 1)),
  in_domain boolean not null,
  domain_score double precision,
  request_id text check (request_id is null or length(request_id) <= 128),
  created_by uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now(),
  check (lower is null or upper is null or lower <= upper),
  check (model_version_id is not null or method <> 'model'),
  check (subject_kind <> 'molecule' or molecule_id is not null or inputs ? 'inchikey'),
  check (subject_kind <> 'mixture' or mixture_id is not null or inputs ? 'components')
);
create index predictions_version_idx on predictions (model_version_id, created_at);
create index predictions_project_idx on predictions (project_id);
create index predictions_molecule_idx on predictions (molecule_id, created_at);
create index predictions_mixture_idx on predictions (mixture_id, created_at);
create index predictions_created_by_idx on predictions (created_by);

alter table predictions enable row level security;
alter table predictions force row level security;
create policy predictions_select on predictions for select to cryoprotect_app
  using (case when project_id is null then created_by = app.current_user_id() or app.is_admin() else app.can_read(project_id) end);
-- The version named must be one the user can see (the policy's subquery runs under their RLS), so nobody can file
-- predictions against, or probe for, another project's model.
create policy predictions_insert on predictions for insert to cryoprotect_app
  with check (created_by = app.current_user_id() and app.can_read(project_id)
              and (model_version_id is null or exists (select 1 from model_versions v where v.id = model_version_id)));
-- Append-only: the app role may neither change nor remove what was predicted.
grant select, insert on predictions to cryoprotect_app;
