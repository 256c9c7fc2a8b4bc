#!/bin/bash
# Runs once, when the postgres container initialises an empty data directory
# (/docker-entrypoint-initdb.d). Creates the CryoProtect database, the migration role that owns it
# and the non-superuser app login role, using deploy/postgres/roles.sql (mounted at /opt/cryoprotect).
set -euo pipefail

: "${CRYOPROTECT_DB:?set CRYOPROTECT_DB}"
: "${MIGRATOR_DB_USER:?set MIGRATOR_DB_USER}"
: "${MIGRATOR_DB_PASSWORD:?set MIGRATOR_DB_PASSWORD}"
: "${APP_DB_USER:?set APP_DB_USER}"
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v db_name="$CRYOPROTECT_DB" \
  -v migrator_user="$MIGRATOR_DB_USER" -v migrator_password="$MIGRATOR_DB_PASSWORD" \
  -v app_user="$APP_DB_USER" -v app_password="$APP_DB_PASSWORD" \
  -f /opt/cryoprotect/roles.sql
