-- CryoProtect database roles. Run once per database server as a superuser (or, on a managed
-- service, as the admin role), with psql variables:
--
--   psql -v ON_ERROR_STOP=1 \
--        -v db_name=cryoprotect \
--        -v migrator_user=cryoprotect_migrator -v migrator_password="$MIGRATOR_DB_PASSWORD" \
--        -v app_user=cryoprotect_app           -v app_password="$APP_DB_PASSWORD" \
--        -f deploy/postgres/roles.sql
--
-- Two login roles, neither a superuser, neither able to bypass row-level security:
--   migrator_user  owns the database and every schema object; MIGRATION_DATABASE_URL logs in as it.
--   app_user       what the running app uses (DATABASE_URL). It owns nothing, so RLS policies always
--                  apply to it, and it cannot create or alter tables.
-- Default privileges hand app_user DML rights on whatever migrator_user creates later, so migrations
-- do not need to know the app role's name. Tables that need narrower rights (e.g. an append-only
-- audit log) enforce that with RLS policies or triggers, which also need no role name.
-- Safe to re-run: existing roles get their attributes and passwords reset, the database is kept.

\set ON_ERROR_STOP on

SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'migrator_user') AS need_migrator \gset
\if :need_migrator
CREATE ROLE :"migrator_user" LOGIN;
\endif
ALTER ROLE :"migrator_user" LOGIN PASSWORD :'migrator_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') AS need_app \gset
\if :need_app
CREATE ROLE :"app_user" LOGIN;
\endif
ALTER ROLE :"app_user" LOGIN PASSWORD :'app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db_name') AS need_db \gset
\if :need_db
CREATE DATABASE :"db_name" OWNER :"migrator_user";
\endif
ALTER DATABASE :"db_name" OWNER TO :"migrator_user";

-- Only the two roles may connect; the app may create temporary tables (bulk imports stage rows there).
REVOKE ALL ON DATABASE :"db_name" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db_name" TO :"app_user";

\connect :"db_name"

-- PostgreSQL 15 already gives public to the database owner and revokes CREATE from PUBLIC;
-- saying it explicitly keeps the script correct on older servers and on databases upgraded from them.
ALTER SCHEMA public OWNER TO :"migrator_user";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_user";

-- Applies to objects migrator_user creates from now on, in any schema (e.g. a job-queue schema).
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator_user" GRANT USAGE ON SCHEMAS TO :"app_user";
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator_user" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";
ALTER DEFAULT PRIVILEGES FOR ROLE :"migrator_user" GRANT USAGE, SELECT ON SEQUENCES TO :"app_user";

-- Objects that already exist in public when the script is re-run after migrations.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_user";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_user";
