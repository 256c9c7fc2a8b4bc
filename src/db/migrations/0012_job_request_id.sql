-- Correlation across jobs: a job remembers the request that submitted it (the request id the API logs as
-- `reqId` and returns as `x-request-id`). The runner puts it on every log line about the job and acts with it,
-- so audit rows the job writes carry the same id as the HTTP request that started the work.
-- Filled from the transaction's `app.request_id` setting (db.asUser sets it); null for jobs submitted outside a
-- request (CLI) and for jobs created before this migration.
alter table jobs add column request_id text check (request_id is null or length(request_id) <= 128);
