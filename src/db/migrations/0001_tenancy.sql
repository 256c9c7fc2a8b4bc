-- Foundation: accounts, projects, memberships, citations, and the row-level security pattern every later
-- table follows. Must stay valid on PostgreSQL 15 (Debian's server) and PGlite (PostgreSQL 18).

create extension if not exists citext;
create extension if not exists pg_trgm;

-- The role requests run as (SET LOCAL ROLE inside each transaction). NOLOGIN: a login role for the app is
-- granted membership in it by the operator (docs/database.md). Roles are cluster-wide, hence the guard.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'cryoprotect_app') then
    create role cryoprotect_app nologin;
  end if;
end
$$;

create schema if not exists app;
grant usage on schema app to cryoprotect_app;
grant usage on schema public to cryoprotect_app;

create table users (
  id uuid primary key default gen_random_uuid(),
  email citext not null unique check (email ~ '^[^@[:space:]]+@[^@[:space:]]+$' and length(email) <= 320),
  display_name text not null check (length(display_name) between 1 and 200),
  is_admin boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table projects (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 200),
  description text check (description is null or length(description) <= 10000),
  created_by uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table project_members (
  project_id uuid not null references projects (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('owner', 'editor', 'reviewer', 'viewer')),
  added_at timestamptz not null default now(),
  primary key (project_id, user_id)
);
create index project_members_user_idx on project_members (user_id);

-- Citations. `key` is the stable citation key used by reference-data files (e.g. koop2011).
create table sources (
  id uuid primary key default gen_random_uuid(),
  project_id uuid references projects (id) on delete cascade,
  key text not null check (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
  doi text check (doi is null or doi ~ '^10\.[0-9]{4,9}/\S+$'),
  title text not null check (length(title) between 1 and 1000),
  authors text,
  year integer check (year between 1600 and 2200),
  journal text,
  url text check (url is null or url ~ '^https?://'),
  note text,
  created_at timestamptz not null default now(),
  unique nulls not distinct (project_id, key)
);
create index sources_project_idx on sources (project_id);

-- Minimal molecule record; the registry issue extends it (descriptor columns, synonyms, identifiers).
create table molecules (
  id uuid primary key default gen_random_uuid(),
  project_id uuid references projects (id) on delete cascade,
  name text check (name is null or length(btrim(name)) between 1 and 500),
  synonyms text[] not null default array[]::text[] check (cardinality(synonyms) <= 200),
  canonical_smiles text not null check (length(canonical_smiles) between 1 and 100000),
  inchi text not null check (inchi like 'InChI=%'),
  inchikey text not null check (inchikey ~ '^[A-Z]{14}-[A-Z]{10}-[A-Z]$'),
  formula text not null,
  molecular_weight double precision not null check (molecular_weight > 0),
  exact_mass double precision not null check (exact_mass > 0),
  descriptors jsonb not null default '{}'::jsonb check (jsonb_typeof(descriptors) = 'object'),
  morgan_fp bytea not null check (length(morgan_fp) = 256),
  standardization jsonb not null default '{}'::jsonb,
  source_id uuid references sources (id) on delete set null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique nulls not distinct (project_id, inchikey)
);
create index molecules_project_idx on molecules (project_id);
create index molecules_source_idx on molecules (source_id);
create index molecules_created_by_idx on molecules (created_by);
create index molecules_name_trgm_idx on molecules using gin (name gin_trgm_ops);

-- Helpers the policies call. SECURITY DEFINER so that looking up memberships is not itself filtered by the
-- memberships policy (which would recurse). They run as the migration role, which must be a superuser or have
-- BYPASSRLS (checked by `cryoprotect security check`). search_path is pinned against hijacking.
create function app.current_user_id() returns uuid
  language sql stable
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

create function app.is_admin() returns boolean
  language sql stable security definer set search_path = pg_catalog, public
  as $$ select coalesce((select u.is_admin from public.users u where u.id = app.current_user_id()), false) $$;

create function app.project_role(target uuid) returns text
  language sql stable security definer set search_path = pg_catalog, public
  as $$ select m.role from public.project_members m where m.project_id = target and m.user_id = app.current_user_id() $$;

create function app.shares_project_with(other uuid) returns boolean
  language sql stable security definer set search_path = pg_catalog, public
  as $$
    select exists (
      select 1 from public.project_members mine
      join public.project_members theirs on theirs.project_id = mine.project_id
      where mine.user_id = app.current_user_id() and theirs.user_id = other)
  $$;

-- Reference rows (no project) are readable by everyone and writable by admins; project rows by members.
create function app.can_read(project uuid) returns boolean
  language sql stable
  as $$ select project is null or app.project_role(project) is not null $$;

create function app.can_write(project uuid) returns boolean
  language sql stable
  as $$ select case when project is null then app.is_admin() else coalesce(app.project_role(project) in ('owner', 'editor'), false) end $$;

revoke all on function app.is_admin(), app.project_role(uuid), app.shares_project_with(uuid) from public;
grant execute on function app.current_user_id(), app.is_admin(), app.project_role(uuid), app.shares_project_with(uuid),
  app.can_read(uuid), app.can_write(uuid) to cryoprotect_app;

-- The creator of a project becomes its owner in the same transaction (the membership policy only lets owners
-- add members, so the first owner has to come from here).
create function app.add_project_owner() returns trigger
  language plpgsql security definer set search_path = pg_catalog, public
  as $$
  begin
    insert into public.project_members (project_id, user_id, role) values (new.id, new.created_by, 'owner');
    return new;
  end
  $$;
create trigger projects_add_owner after insert on projects for each row execute function app.add_project_owner();

alter table users enable row level security;
alter table users force row level security;
alter table projects enable row level security;
alter table projects force row level security;
alter table project_members enable row level security;
alter table project_members force row level security;
alter table sources enable row level security;
alter table sources force row level security;
alter table molecules enable row level security;
alter table molecules force row level security;

create policy users_select on users for select to cryoprotect_app
  using (id = app.current_user_id() or app.is_admin() or app.shares_project_with(id));
create policy users_update on users for update to cryoprotect_app
  using (id = app.current_user_id() or app.is_admin())
  with check (id = app.current_user_id() or app.is_admin());
create policy users_insert on users for insert to cryoprotect_app with check (app.is_admin());
create policy users_delete on users for delete to cryoprotect_app using (app.is_admin());

create policy projects_select on projects for select to cryoprotect_app
  using (app.project_role(id) is not null or created_by = app.current_user_id());
create policy projects_insert on projects for insert to cryoprotect_app
  with check (created_by = app.current_user_id());
create policy projects_update on projects for update to cryoprotect_app
  using (app.project_role(id) = 'owner') with check (app.project_role(id) = 'owner');
create policy projects_delete on projects for delete to cryoprotect_app using (app.project_role(id) = 'owner');

create policy project_members_select on project_members for select to cryoprotect_app
  using (app.project_role(project_id) is not null);
create policy project_members_insert on project_members for insert to cryoprotect_app
  with check (app.project_role(project_id) = 'owner');
create policy project_members_update on project_members for update to cryoprotect_app
  using (app.project_role(project_id) = 'owner') with check (app.project_role(project_id) = 'owner');
create policy project_members_delete on project_members for delete to cryoprotect_app
  using (app.project_role(project_id) = 'owner' or user_id = app.current_user_id());

create policy sources_select on sources for select to cryoprotect_app using (app.can_read(project_id));
create policy sources_insert on sources for insert to cryoprotect_app with check (app.can_write(project_id));
create policy sources_update on sources for update to cryoprotect_app
  using (app.can_write(project_id)) with check (app.can_write(project_id));
create policy sources_delete on sources for delete to cryoprotect_app using (app.can_write(project_id));

create policy molecules_select on molecules for select to cryoprotect_app using (app.can_read(project_id));
create policy molecules_insert on molecules for insert to cryoprotect_app
  with check (app.can_write(project_id) and (created_by is null or created_by = app.current_user_id()));
create policy molecules_update on molecules for update to cryoprotect_app
  using (app.can_write(project_id)) with check (app.can_write(project_id));
create policy molecules_delete on molecules for delete to cryoprotect_app using (app.can_write(project_id));

grant select, insert, update, delete on users, projects, project_members, sources, molecules to cryoprotect_app;

-- Which version of the shipped reference data (data/reference) is loaded; seeding skips an unchanged set.
create table reference_data_loads (
  name text primary key,
  checksum text not null,
  loaded_at timestamptz not null default now()
);
