-- Formulations: reusable non-structural components (polymers, ice blockers, carriers), mixtures and their
-- components. Rows with project_id null are public reference data (seeded from data/reference/science).
-- Must stay valid on PostgreSQL 15 and PGlite (PostgreSQL 18).

create table nonstructural_components (
  id uuid primary key default gen_random_uuid(),
  project_id uuid references projects (id) on delete cascade,
  -- Stable key used by reference-data files and by the API (`componentId`), e.g. pvp-k12.
  key text not null check (key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
  name text not null check (length(btrim(name)) between 1 and 500),
  kind text not null check (kind in ('polymer', 'carrier', 'ice_blocker', 'other')),
  -- g/mol; null when no cited value exists (molar quantities are then not computed, never guessed).
  average_molar_mass double precision check (average_molar_mass is null or (average_molar_mass > 0 and average_molar_mass < 'Infinity'::float8)),
  -- g/mL of the pure component.
  density double precision check (density is null or (density > 0 and density < 'Infinity'::float8)),
  grade text check (grade is null or length(grade) <= 200),
  notes text check (notes is null or length(notes) <= 10000),
  source_id uuid references sources (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique nulls not distinct (project_id, key)
);
create index nonstructural_components_project_idx on nonstructural_components (project_id);
create index nonstructural_components_source_idx on nonstructural_components (source_id);

create table mixtures (
  id uuid primary key default gen_random_uuid(),
  project_id uuid references projects (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  description text check (description is null or length(description) <= 10000),
  -- The carrier (base solution) is either a non-structural component or free text, never both.
  carrier_component_id uuid references nonstructural_components (id) on delete restrict,
  carrier_text text check (carrier_text is null or length(btrim(carrier_text)) between 1 and 200),
  balance text not null default 'water' check (balance = 'water'),
  -- Measured density of the final solution, g/mL; null = ideal volume additivity.
  solution_density double precision check (solution_density is null or (solution_density > 0 and solution_density <= 5)),
  -- Seeded reference recipes: composition checked against the cited source.
  verified boolean not null default false,
  -- Key of the reference-data row this mixture was seeded from (public rows only).
  reference_key text check (reference_key is null or (project_id is null and reference_key ~ '^[a-z0-9][a-z0-9_.-]{0,99}$')),
  source_id uuid references sources (id) on delete set null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (carrier_component_id is null or carrier_text is null),
  unique nulls not distinct (project_id, name)
);
create unique index mixtures_reference_key_idx on mixtures (reference_key) where reference_key is not null;
create index mixtures_project_idx on mixtures (project_id);
create index mixtures_carrier_idx on mixtures (carrier_component_id);
create index mixtures_source_idx on mixtures (source_id);
create index mixtures_created_by_idx on mixtures (created_by);
create index mixtures_name_trgm_idx on mixtures using gin (name gin_trgm_ops);

create table mixture_components (
  mixture_id uuid not null references mixtures (id) on delete cascade,
  -- 0-based, the index of the component in the recipe (components[i] in the API).
  position integer not null check (position between 0 and 999),
  molecule_id uuid references molecules (id) on delete restrict,
  nonstructural_component_id uuid references nonstructural_components (id) on delete restrict,
  -- NaN compares greater than Infinity in PostgreSQL, so "< Infinity" also keeps NaN out.
  amount double precision not null check (amount >= 0 and amount < 'Infinity'::float8),
  unit text not null check (unit in ('mol/L', 'mmol/L', 'mol/kg', '%w/v', '%w/w', '%v/v', 'mg/mL', 'g/L', 'massFraction', 'moleFraction')),
  -- null = not stated (q_v then counts the molecule as penetrating only if it is a common penetrating CPA).
  role text check (role is null or role in ('penetrating', 'non-penetrating', 'ice_blocker', 'carrier', 'other')),
  primary key (mixture_id, position),
  check ((molecule_id is null) <> (nonstructural_component_id is null))
);
create index mixture_components_molecule_idx on mixture_components (molecule_id);
create index mixture_components_nonstructural_idx on mixture_components (nonstructural_component_id);

alter table nonstructural_components enable row level security;
alter table nonstructural_components force row level security;
alter table mixtures enable row level security;
alter table mixtures force row level security;
alter table mixture_components enable row level security;
alter table mixture_components force row level security;

create policy nonstructural_components_select on nonstructural_components for select to cryoprotect_app using (app.can_read(project_id));
create policy nonstructural_components_insert on nonstructural_components for insert to cryoprotect_app with check (app.can_write(project_id));
create policy nonstructural_components_update on nonstructural_components for update to cryoprotect_app
  using (app.can_write(project_id)) with check (app.can_write(project_id));
create policy nonstructural_components_delete on nonstructural_components for delete to cryoprotect_app using (app.can_write(project_id));

create policy mixtures_select on mixtures for select to cryoprotect_app using (app.can_read(project_id));
-- The carrier, like a component, must be public or from the mixture's own project.
create policy mixtures_insert on mixtures for insert to cryoprotect_app
  with check (app.can_write(project_id) and (created_by is null or created_by = app.current_user_id())
    and (carrier_component_id is null or exists (
          select 1 from nonstructural_components n
           where n.id = carrier_component_id and (n.project_id is null or n.project_id = mixtures.project_id))));
create policy mixtures_update on mixtures for update to cryoprotect_app
  using (app.can_write(project_id))
  with check (app.can_write(project_id)
    and (carrier_component_id is null or exists (
          select 1 from nonstructural_components n
           where n.id = carrier_component_id and (n.project_id is null or n.project_id = mixtures.project_id))));
create policy mixtures_delete on mixtures for delete to cryoprotect_app using (app.can_write(project_id));

-- Components follow their mixture. On write, a component may only name a molecule or non-structural component
-- the writer can see that is public or belongs to the mixture's own project, so a recipe never depends on rows
-- its readers cannot see. (The subqueries are themselves filtered by RLS.)
create policy mixture_components_select on mixture_components for select to cryoprotect_app
  using (exists (select 1 from mixtures m where m.id = mixture_id and app.can_read(m.project_id)));
create policy mixture_components_insert on mixture_components for insert to cryoprotect_app
  with check (exists (
    select 1 from mixtures m
     where m.id = mixture_id and app.can_write(m.project_id)
       and (molecule_id is null or exists (
             select 1 from molecules mo where mo.id = molecule_id and (mo.project_id is null or mo.project_id = m.project_id)))
       and (nonstructural_component_id is null or exists (
             select 1 from nonstructural_components n
              where n.id = nonstructural_component_id and (n.project_id is null or n.project_id = m.project_id)))));
create policy mixture_components_update on mixture_components for update to cryoprotect_app
  using (exists (select 1 from mixtures m where m.id = mixture_id and app.can_write(m.project_id)))
  with check (exists (
    select 1 from mixtures m
     where m.id = mixture_id and app.can_write(m.project_id)
       and (molecule_id is null or exists (
             select 1 from molecules mo where mo.id = molecule_id and (mo.project_id is null or mo.project_id = m.project_id)))
       and (nonstructural_component_id is null or exists (
             select 1 from nonstructural_components n
              where n.id = nonstructural_component_id and (n.project_id is null or n.project_id = m.project_id)))));
create policy mixture_components_delete on mixture_components for delete to cryoprotect_app
  using (exists (select 1 from mixtures m where m.id = mixture_id and app.can_write(m.project_id)));

grant select, insert, update, delete on nonstructural_components, mixtures, mixture_components to cryoprotect_app;
