-- Molecule registry: key descriptors as indexed columns, substructure pattern fingerprints, external identifiers,
-- synonym search, change notifications for the in-memory search indexes, and the jobs table (imports).
-- Valid on PostgreSQL 15 and PGlite 18.

-- Key descriptors are generated from the descriptors jsonb the app already writes, so every insert path (API,
-- batch, import, seeding) fills them and existing rows are backfilled by the ALTER itself.
alter table molecules
  add column clogp double precision generated always as ((descriptors ->> 'CrippenClogP')::double precision) stored,
  add column tpsa double precision generated always as ((descriptors ->> 'tpsa')::double precision) stored,
  add column hbd integer generated always as ((descriptors ->> 'NumHBD')::double precision::integer) stored,
  add column hba integer generated always as ((descriptors ->> 'NumHBA')::double precision::integer) stored,
  add column rotatable_bonds integer generated always as ((descriptors ->> 'NumRotatableBonds')::double precision::integer) stored,
  add column heavy_atoms integer generated always as ((descriptors ->> 'NumHeavyAtoms')::double precision::integer) stored,
  add column polar_group_total integer generated always as ((descriptors ->> 'polarGroupTotal')::double precision::integer) stored;

-- RDKit pattern fingerprint (2048 bits) for the substructure pre-screen. Null until the app computes it (RDKit is
-- not available in SQL); the registration path and the molecule seeder fill it.
alter table molecules add column pattern_fp bytea check (pattern_fp is null or length(pattern_fp) = 256);

-- CAS Registry Number with its check digit (CAS: sum of digits times position from the right, mod 10).
create function app.is_valid_cas(cas text) returns boolean
  language sql immutable strict
  as $$
    select cas ~ '^[1-9][0-9]{1,6}-[0-9]{2}-[0-9]$'
       and (select coalesce(sum(substr(d, length(d) - i + 1, 1)::integer * i), 0) % 10
            from (select replace(left(cas, length(cas) - 2), '-', '') as d) body, generate_series(1, length(body.d)) i)
           = right(cas, 1)::integer
  $$;
grant execute on function app.is_valid_cas(text) to cryoprotect_app;

alter table molecules
  add column pubchem_cid bigint check (pubchem_cid is null or pubchem_cid > 0),
  add column chembl_id text check (chembl_id is null or chembl_id ~ '^CHEMBL[1-9][0-9]*$'),
  add column cas text check (cas is null or app.is_valid_cas(cas));

-- Synonyms as one string so a trigram index can serve "contains" searches. array_to_string is only STABLE in
-- general (element output functions), but for text[] it cannot change, so the wrapper may be IMMUTABLE.
create function app.synonyms_text(synonyms text[]) returns text
  language sql immutable strict
  as $$ select array_to_string(synonyms, ' | ') $$;
grant execute on function app.synonyms_text(text[]) to cryoprotect_app;

create index molecules_synonyms_trgm_idx on molecules using gin (app.synonyms_text(synonyms) gin_trgm_ops);
create index molecules_inchikey_idx on molecules (inchikey);
create index molecules_pubchem_cid_idx on molecules (pubchem_cid) where pubchem_cid is not null;
create index molecules_chembl_id_idx on molecules (chembl_id) where chembl_id is not null;
create index molecules_cas_idx on molecules (cas) where cas is not null;
create index molecules_mw_idx on molecules (molecular_weight, id);
create index molecules_clogp_idx on molecules (clogp, id);
create index molecules_tpsa_idx on molecules (tpsa, id);
create index molecules_name_sort_idx on molecules (lower(coalesce(name, canonical_smiles)), id);

-- Every change that affects the search indexes is announced in the writing transaction; NOTIFY is delivered
-- only on commit, so other replicas (LISTEN molecules_changed) never see a change that was rolled back.
create function app.notify_molecules_changed() returns trigger
  language plpgsql
  as $$
  declare
    row_data molecules;
  begin
    if tg_op = 'DELETE' then row_data := old; else row_data := new; end if;
    perform pg_notify('molecules_changed', json_build_object(
      'op', lower(tg_op), 'id', row_data.id, 'projectId', row_data.project_id,
      'oldProjectId', case when tg_op = 'UPDATE' then old.project_id end)::text);
    return null;
  end
  $$;
create trigger molecules_changed_insert after insert or delete on molecules
  for each row execute function app.notify_molecules_changed();
create trigger molecules_changed_update after update of morgan_fp, pattern_fp, canonical_smiles, project_id on molecules
  for each row execute function app.notify_molecules_changed();

-- Long-running work (imports). The table is the queue: a runner claims a queued job with
-- `for update skip locked`, so any number of processes can run jobs without taking the same one twice.
create table jobs (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  progress jsonb not null default '{"done": 0, "total": null}'::jsonb check (jsonb_typeof(progress) = 'object'),
  payload jsonb not null default '{}'::jsonb,
  result jsonb,
  error text,
  attempts integer not null default 0 check (attempts >= 0),
  project_id uuid references projects (id) on delete cascade,
  created_by uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  heartbeat_at timestamptz,
  finished_at timestamptz,
  check ((status in ('succeeded', 'failed')) = (finished_at is not null))
);
create index jobs_queue_idx on jobs (created_at) where status in ('queued', 'running');
create index jobs_created_by_idx on jobs (created_by);
create index jobs_project_idx on jobs (project_id);

alter table jobs enable row level security;
alter table jobs force row level security;
-- A user sees and manages the jobs they started, and only while they can still read the job's project.
create policy jobs_select on jobs for select to cryoprotect_app
  using (created_by = app.current_user_id() and app.can_read(project_id));
create policy jobs_insert on jobs for insert to cryoprotect_app
  with check (created_by = app.current_user_id() and app.can_write(project_id));
create policy jobs_update on jobs for update to cryoprotect_app
  using (created_by = app.current_user_id() and app.can_read(project_id))
  with check (created_by = app.current_user_id() and app.can_read(project_id));
create policy jobs_delete on jobs for delete to cryoprotect_app
  using (created_by = app.current_user_id() and app.can_read(project_id));
grant select, insert, update, delete on jobs to cryoprotect_app;
