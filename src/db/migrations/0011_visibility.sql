-- Visibility: a project's molecules, mixtures and experiments are private to the project ('project', the default)
-- or readable by every signed-in account of this instance ('public'). Writes still need a project role.
-- (Model versions got the same column in 0010.)
--
-- Publishing is transitive, so a public row is always readable as a whole: a public mixture publishes the project
-- molecules and components of its recipe (and its carrier); a public experiment publishes its formulation and its
-- sample type. Making a row private again is refused while a public row still needs it. Reference rows (no
-- project) are public by definition.

alter table molecules add column visibility text not null default 'project' check (visibility in ('project', 'public'));
alter table mixtures add column visibility text not null default 'project' check (visibility in ('project', 'public'));
alter table experiments add column visibility text not null default 'project' check (visibility in ('project', 'public'));
alter table nonstructural_components add column visibility text not null default 'project' check (visibility in ('project', 'public'));
alter table sample_types add column visibility text not null default 'project' check (visibility in ('project', 'public'));

update molecules set visibility = 'public' where project_id is null;
update mixtures set visibility = 'public' where project_id is null;
update nonstructural_components set visibility = 'public' where project_id is null;
update sample_types set visibility = 'public' where project_id is null;

alter table molecules add constraint molecules_reference_public check (project_id is not null or visibility = 'public');
alter table mixtures add constraint mixtures_reference_public check (project_id is not null or visibility = 'public');
alter table nonstructural_components add constraint nonstructural_components_reference_public check (project_id is not null or visibility = 'public');
alter table sample_types add constraint sample_types_reference_public check (project_id is not null or visibility = 'public');

-- New reference rows (seeding, administrators) are public without every insert having to say so.
create function app.reference_rows_are_public() returns trigger
  language plpgsql
  as $$
  begin
    if new.project_id is null then
      new.visibility := 'public';
    end if;
    return new;
  end
  $$;
create trigger molecules_reference_public before insert on molecules for each row execute function app.reference_rows_are_public();
create trigger mixtures_reference_public before insert on mixtures for each row execute function app.reference_rows_are_public();
create trigger nonstructural_components_reference_public before insert on nonstructural_components for each row execute function app.reference_rows_are_public();
create trigger sample_types_reference_public before insert on sample_types for each row execute function app.reference_rows_are_public();

-- "Public" means every signed-in account: a transaction without an acting user still sees no project row.
create function app.is_public(visibility text) returns boolean
  language sql stable
  as $$ select visibility = 'public' and app.current_user_id() is not null $$;

create function app.experiment_public(experiment uuid) returns boolean
  language sql stable security definer set search_path = pg_catalog, public
  as $$ select coalesce((select app.is_public(e.visibility) from public.experiments e where e.id = experiment), false) $$;

revoke all on function app.experiment_public(uuid) from public;
grant execute on function app.is_public(text), app.experiment_public(uuid) to cryoprotect_app;

drop policy molecules_select on molecules;
create policy molecules_select on molecules for select to cryoprotect_app
  using (app.can_read(project_id) or app.is_public(visibility));
drop policy mixtures_select on mixtures;
create policy mixtures_select on mixtures for select to cryoprotect_app
  using (app.can_read(project_id) or app.is_public(visibility));
drop policy experiments_select on experiments;
create policy experiments_select on experiments for select to cryoprotect_app
  using (app.can_read(project_id) or app.is_public(visibility));
drop policy nonstructural_components_select on nonstructural_components;
create policy nonstructural_components_select on nonstructural_components for select to cryoprotect_app
  using (app.can_read(project_id) or app.is_public(visibility));
drop policy sample_types_select on sample_types;
create policy sample_types_select on sample_types for select to cryoprotect_app
  using (app.can_read(project_id) or app.is_public(visibility));

-- The parts of a public mixture or experiment are readable with it (and only readable: the write policies,
-- which ask for a project role, are unchanged).
drop policy mixture_components_select on mixture_components;
create policy mixture_components_select on mixture_components for select to cryoprotect_app
  using (exists (select 1 from mixtures m where m.id = mixture_id and (app.can_read(m.project_id) or app.is_public(m.visibility))));
drop policy experiment_results_select on experiment_results;
create policy experiment_results_select on experiment_results for select to cryoprotect_app
  using (app.can_read(app.experiment_project(experiment_id)) or app.experiment_public(experiment_id));
drop policy verification_events_select on verification_events;
create policy verification_events_select on verification_events for select to cryoprotect_app
  using (app.can_read(app.experiment_project(experiment_id)) or app.experiment_public(experiment_id));
drop policy experiment_attachments_select on experiment_attachments;
create policy experiment_attachments_select on experiment_attachments for select to cryoprotect_app
  using (app.can_read(app.experiment_project(experiment_id)) or app.experiment_public(experiment_id));

-- Mixtures had no data audit yet; publishing one (directly or through an experiment) is a change worth a record.
create trigger mixtures_audit after insert or update or delete on mixtures for each row execute function app.audit_row();

-- Only owners and editors decide what leaves the project. Molecules and mixtures need that role for any update
-- already; reviewers may update experiments (to move them through review), so the visibility is checked here.
create function app.check_visibility_change() returns trigger
  language plpgsql
  as $$
  begin
    if new.visibility is distinct from old.visibility and app.current_user_id() is not null
       and not app.can_write(new.project_id) then
      raise exception 'only owners and editors of the project may change the visibility of its rows'
        using errcode = '42501';
    end if;
    return new;
  end
  $$;
create trigger experiments_visibility_role before update of visibility on experiments
  for each row execute function app.check_visibility_change();

-- Publishing is transitive. The updates run as the acting user, under the same policies as any other write.
create function app.publish_mixture_parts() returns trigger
  language plpgsql
  as $$
  begin
    update public.molecules set visibility = 'public'
     where visibility <> 'public' and id in (select mc.molecule_id from public.mixture_components mc where mc.mixture_id = new.id);
    update public.nonstructural_components set visibility = 'public'
     where visibility <> 'public'
       and (id = new.carrier_component_id
            or id in (select mc.nonstructural_component_id from public.mixture_components mc where mc.mixture_id = new.id));
    return null;
  end
  $$;
create trigger mixtures_publish_parts after insert or update of visibility, carrier_component_id on mixtures
  for each row when (new.visibility = 'public') execute function app.publish_mixture_parts();

create function app.publish_component() returns trigger
  language plpgsql
  as $$
  begin
    if exists (select 1 from public.mixtures m where m.id = new.mixture_id and m.visibility = 'public') then
      update public.molecules set visibility = 'public' where id = new.molecule_id and visibility <> 'public';
      update public.nonstructural_components set visibility = 'public' where id = new.nonstructural_component_id and visibility <> 'public';
    end if;
    return null;
  end
  $$;
create trigger mixture_components_publish after insert or update on mixture_components
  for each row execute function app.publish_component();

create function app.publish_experiment_parts() returns trigger
  language plpgsql
  as $$
  begin
    update public.mixtures set visibility = 'public' where id = new.mixture_id and visibility <> 'public';
    update public.sample_types set visibility = 'public' where id = new.sample_type_id and visibility <> 'public';
    return null;
  end
  $$;
create trigger experiments_publish_parts after insert or update of visibility, mixture_id, sample_type_id on experiments
  for each row when (new.visibility = 'public') execute function app.publish_experiment_parts();

-- A row a public row depends on stays public until that row is made private (or changed) first.
create function app.check_unpublish() returns trigger
  language plpgsql
  as $$
  declare
    needed_by text;
  begin
    if old.visibility <> 'public' or new.visibility <> 'project' then
      return new;
    end if;
    if tg_table_name = 'molecules' then
      select m.name into needed_by from public.mixture_components mc join public.mixtures m on m.id = mc.mixture_id
       where mc.molecule_id = new.id and m.visibility = 'public' limit 1;
    elsif tg_table_name = 'nonstructural_components' then
      select m.name into needed_by from public.mixtures m
       where m.visibility = 'public'
         and (m.carrier_component_id = new.id
              or exists (select 1 from public.mixture_components mc where mc.mixture_id = m.id and mc.nonstructural_component_id = new.id))
       limit 1;
    elsif tg_table_name = 'mixtures' then
      select e.title into needed_by from public.experiments e where e.mixture_id = new.id and e.visibility = 'public' limit 1;
    elsif tg_table_name = 'sample_types' then
      select e.title into needed_by from public.experiments e where e.sample_type_id = new.id and e.visibility = 'public' limit 1;
    end if;
    if needed_by is not null then
      raise exception 'still used by the public %: %', case when tg_table_name = 'mixtures' or tg_table_name = 'sample_types' then 'experiment' else 'mixture' end, needed_by
        using errcode = 'check_violation', constraint = 'visibility_needed_by_public_row';
    end if;
    return new;
  end
  $$;
create trigger molecules_unpublish before update of visibility on molecules for each row execute function app.check_unpublish();
create trigger mixtures_unpublish before update of visibility on mixtures for each row execute function app.check_unpublish();
create trigger nonstructural_components_unpublish before update of visibility on nonstructural_components for each row execute function app.check_unpublish();
create trigger sample_types_unpublish before update of visibility on sample_types for each row execute function app.check_unpublish();

-- ---- Session-token rotation (issue 7, in this migration because it is the accounts area's one migration) ----
-- A session's cookie token is replaced periodically while the session (and so its CSRF token) stays the same.
-- The token it replaced keeps working for a short grace window, so requests already in flight with it succeed.
alter table sessions add column token_issued_at timestamptz not null default now();
alter table sessions add column previous_token_hash bytea check (previous_token_hash is null or length(previous_token_hash) = 32);
alter table sessions add column previous_token_expires_at timestamptz;
alter table sessions add constraint sessions_previous_token_window check ((previous_token_hash is null) = (previous_token_expires_at is null));
create index sessions_previous_token_idx on sessions (previous_token_hash) where previous_token_hash is not null;
