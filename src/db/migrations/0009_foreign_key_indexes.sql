-- Every foreign key column gets an index (the health report checks it): deleting a user or a project then
-- finds referencing rows without scanning whole tables.
create index if not exists projects_created_by_idx on projects (created_by);
