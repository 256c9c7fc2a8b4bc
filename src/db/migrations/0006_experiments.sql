-- Experiments, their results and the lab verification workflow. The state machine lives in the service
-- (src/modules/experiments/verification.ts) AND here, so no code path can skip review or review its own work.

create table sample_types (
  id uuid primary key default gen_random_uuid(),
  project_id uuid references projects (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  kind text not null check (kind in ('cell', 'tissue', 'organ', 'organism', 'solution', 'other')),
  species text check (species is null or length(species) <= 200),
  notes text check (notes is null or length(notes) <= 10000),
  created_at timestamptz not null default now(),
  unique nulls not distinct (project_id, name)
);
create index sample_types_project_idx on sample_types (project_id);

create table experiments (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references projects (id) on delete cascade,
  mixture_id uuid not null references mixtures (id) on delete restrict,
  sample_type_id uuid not null references sample_types (id) on delete restrict,
  title text not null check (length(btrim(title)) between 1 and 300),
  protocol jsonb not null check (jsonb_typeof(protocol) = 'object'),
  performed_on date,
  operator text check (operator is null or length(operator) <= 200),
  equipment text check (equipment is null or length(equipment) <= 500),
  notes text check (notes is null or length(notes) <= 20000),
  state text not null default 'draft'
    check (state in ('draft', 'submitted', 'in_review', 'verified', 'changes_requested', 'rejected')),
  revision integer not null default 1 check (revision >= 1),
  previous_revision_id uuid references experiments (id) on delete restrict,
  created_by uuid references users (id) on delete set null,
  -- Optimistic concurrency: every change bumps it; a transition names the state it saw.
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((revision = 1) = (previous_revision_id is null))
);
create index experiments_project_idx on experiments (project_id, state);
create index experiments_mixture_idx on experiments (mixture_id);
create index experiments_sample_type_idx on experiments (sample_type_id);
create index experiments_previous_idx on experiments (previous_revision_id);
create index experiments_created_by_idx on experiments (created_by);

create table experiment_results (
  id uuid primary key default gen_random_uuid(),
  experiment_id uuid not null references experiments (id) on delete cascade,
  position integer not null check (position >= 0),
  measurement text not null,
  unit text not null,
  replicates double precision[] not null default array[]::double precision[],
  mean double precision not null check (mean = mean and mean not in ('Infinity', '-Infinity')),
  sd double precision check (sd is null or sd >= 0),
  n integer not null check (n >= 1),
  method text check (method is null or length(method) <= 500),
  dsc_convention text check (dsc_convention is null or dsc_convention in ('onset', 'midpoint', 'inflection', 'endset')),
  heating_rate_k_per_min double precision check (heating_rate_k_per_min is null or heating_rate_k_per_min > 0),
  unique (experiment_id, position),
  check (cardinality(replicates) = 0 or cardinality(replicates) = n)
);

create table verification_events (
  id bigint generated always as identity primary key,
  experiment_id uuid not null references experiments (id) on delete cascade,
  from_state text not null,
  to_state text not null,
  actor_id uuid references users (id) on delete set null,
  at timestamptz not null default now(),
  comment text check (comment is null or length(comment) <= 10000),
  -- What the actor judged: the experiment and its results as they were at the transition.
  snapshot jsonb not null
);
create index verification_events_experiment_idx on verification_events (experiment_id, id);
create index verification_events_actor_idx on verification_events (actor_id);

create function app.experiment_project(experiment uuid) returns uuid
  language sql stable security definer set search_path = pg_catalog, public
  as $$ select e.project_id from public.experiments e where e.id = experiment $$;

create function app.experiment_editable(experiment uuid) returns boolean
  language sql stable security definer set search_path = pg_catalog, public
  as $$ select e.state in ('draft', 'changes_requested') from public.experiments e where e.id = experiment $$;

-- The workflow, enforced where the data lives. Maintenance (seeding, restores) runs without an acting user
-- and is not checked; every request is.
create function app.check_experiment_change() returns trigger
  language plpgsql
  as $$
  declare
    actor uuid := app.current_user_id();
    role text;
    edge text;
  begin
    if actor is null then
      return new;
    end if;
    role := app.project_role(new.project_id);
    if new.state is distinct from old.state then
      edge := old.state || '>' || new.state;
      if edge in ('draft>submitted', 'changes_requested>submitted') then
        if not (old.created_by = actor or role in ('owner', 'editor')) then
          raise exception 'only the author, an editor or an owner may submit an experiment' using errcode = '42501';
        end if;
      elsif edge in ('submitted>in_review', 'in_review>verified', 'in_review>changes_requested', 'in_review>rejected') then
        if role is distinct from 'reviewer' or old.created_by = actor then
          raise exception 'only a reviewer who is not the author may review an experiment' using errcode = '42501';
        end if;
      else
        raise exception 'illegal transition from % to %', old.state, new.state using errcode = '23514';
      end if;
      if new.version <> old.version + 1 then
        raise exception 'a transition must bump the version' using errcode = '23514';
      end if;
    elsif old.state not in ('draft', 'changes_requested')
      and (new.protocol, new.mixture_id, new.sample_type_id, new.title, new.performed_on, new.operator, new.equipment, new.notes)
          is distinct from (old.protocol, old.mixture_id, old.sample_type_id, old.title, old.performed_on, old.operator, old.equipment, old.notes) then
      raise exception 'a % experiment cannot be edited; edit a verified one by opening a new revision', old.state using errcode = '23514';
    end if;
    if new.project_id <> old.project_id or new.created_by is distinct from old.created_by or new.revision <> old.revision then
      raise exception 'project, author and revision of an experiment are fixed' using errcode = '23514';
    end if;
    return new;
  end
  $$;
create trigger experiments_workflow before update on experiments for each row execute function app.check_experiment_change();

create function app.check_result_change() returns trigger
  language plpgsql
  as $$
  begin
    -- Null means the experiment is gone (a cascade from deleting it or its project): nothing left to protect.
    if app.current_user_id() is not null
       and app.experiment_editable(coalesce(new.experiment_id, old.experiment_id)) = false then
      raise exception 'results of a submitted, reviewed or verified experiment are locked' using errcode = '23514';
    end if;
    return coalesce(new, old);
  end
  $$;
create trigger experiment_results_locked before insert or update or delete on experiment_results
  for each row execute function app.check_result_change();

create trigger experiments_audit after insert or update or delete on experiments for each row execute function app.audit_row();
create trigger experiment_results_audit after insert or update or delete on experiment_results for each row execute function app.audit_row();

alter table sample_types enable row level security;
alter table sample_types force row level security;
alter table experiments enable row level security;
alter table experiments force row level security;
alter table experiment_results enable row level security;
alter table experiment_results force row level security;
alter table verification_events enable row level security;
alter table verification_events force row level security;

create policy sample_types_select on sample_types for select to cryoprotect_app using (app.can_read(project_id));
create policy sample_types_insert on sample_types for insert to cryoprotect_app with check (app.can_write(project_id));
create policy sample_types_update on sample_types for update to cryoprotect_app using (app.can_write(project_id)) with check (app.can_write(project_id));
create policy sample_types_delete on sample_types for delete to cryoprotect_app using (app.can_write(project_id));

-- Members read; owners and editors record; reviewers change only the state (checked by the trigger).
create policy experiments_select on experiments for select to cryoprotect_app using (app.can_read(project_id));
create policy experiments_insert on experiments for insert to cryoprotect_app
  with check (app.can_write(project_id) and created_by = app.current_user_id() and state = 'draft');
create policy experiments_update on experiments for update to cryoprotect_app
  using (app.project_role(project_id) in ('owner', 'editor', 'reviewer'))
  with check (app.project_role(project_id) in ('owner', 'editor', 'reviewer'));
create policy experiments_delete on experiments for delete to cryoprotect_app
  using (app.can_write(project_id) and state = 'draft');

create policy experiment_results_select on experiment_results for select to cryoprotect_app
  using (app.can_read(app.experiment_project(experiment_id)));
create policy experiment_results_insert on experiment_results for insert to cryoprotect_app
  with check (app.can_write(app.experiment_project(experiment_id)));
create policy experiment_results_update on experiment_results for update to cryoprotect_app
  using (app.can_write(app.experiment_project(experiment_id))) with check (app.can_write(app.experiment_project(experiment_id)));
create policy experiment_results_delete on experiment_results for delete to cryoprotect_app
  using (app.can_write(app.experiment_project(experiment_id)));

-- Events are appended by the acting member and never changed.
create policy verification_events_select on verification_events for select to cryoprotect_app
  using (app.can_read(app.experiment_project(experiment_id)));
create policy verification_events_insert on verification_events for insert to cryoprotect_app
  with check (actor_id = app.current_user_id() and app.project_role(app.experiment_project(experiment_id)) is not null);

revoke all on function app.experiment_project(uuid), app.experiment_editable(uuid) from public;
grant execute on function app.experiment_project(uuid), app.experiment_editable(uuid) to cryoprotect_app;
grant select, insert, update, delete on sample_types, experiments, experiment_results to cryoprotect_app;
grant select, insert on verification_events to cryoprotect_app;
