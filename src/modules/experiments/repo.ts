import type { Queryable } from '../../db/db.ts';
import type { Visibility } from '../sharing/visibility-schema.ts';
import type { ValidatedResult } from './results.ts';
import type { Experiment } from './schemas.ts';
import type { VerificationState } from './verification.ts';

/** Experiment SQL; runs in the acting user's transaction, so RLS and the workflow trigger apply. */
interface ExperimentRow {
  id: string; project_id: string; visibility: Visibility; mixture_id: string; mixture_name: string; sample_type_id: string; sample_name: string;
  sample_kind: string; sample_species: string | null; title: string; protocol: unknown; performed_on: string | null;
  operator: string | null; equipment: string | null; notes: string | null; state: VerificationState; revision: number;
  previous_revision_id: string | null; created_by: string | null; version: number; created_at: Date; updated_at: Date;
}

const SELECT = `
  select e.id, e.project_id, e.visibility, e.mixture_id, m.name as mixture_name, e.sample_type_id, s.name as sample_name, s.kind as sample_kind,
         s.species as sample_species, e.title, e.protocol, to_char(e.performed_on, 'YYYY-MM-DD') as performed_on, e.operator,
         e.equipment, e.notes, e.state, e.revision, e.previous_revision_id, e.created_by, e.version, e.created_at, e.updated_at
  from experiments e join mixtures m on m.id = e.mixture_id join sample_types s on s.id = e.sample_type_id`;

async function results(tx: Queryable, experimentId: string): Promise<Experiment['results']> {
  const r = await tx.query<{ measurement: string; unit: string; replicates: number[]; mean: number; sd: number | null; n: number; method: string | null; dsc_convention: string | null; heating_rate_k_per_min: number | null }>(
    `select measurement, unit, replicates, mean, sd, n, method, dsc_convention, heating_rate_k_per_min
     from experiment_results where experiment_id = $1 order by position`,
    [experimentId],
  );
  return r.rows.map((x) => ({
    measurement: x.measurement, unit: x.unit, replicates: x.replicates, mean: x.mean, sd: x.sd, n: x.n, method: x.method,
    dscConvention: x.dsc_convention, heatingRateKPerMin: x.heating_rate_k_per_min,
  }));
}

function toExperiment(e: ExperimentRow, res: Experiment['results']): Experiment {
  return {
    id: e.id, projectId: e.project_id, visibility: e.visibility, mixtureId: e.mixture_id, mixtureName: e.mixture_name,
    sampleType: { id: e.sample_type_id, name: e.sample_name, kind: e.sample_kind, species: e.sample_species },
    title: e.title, protocol: e.protocol, performedOn: e.performed_on, operator: e.operator, equipment: e.equipment, notes: e.notes,
    state: e.state, revision: e.revision, previousRevisionId: e.previous_revision_id, createdBy: e.created_by, version: e.version,
    createdAt: new Date(e.created_at).toISOString(), updatedAt: new Date(e.updated_at).toISOString(), results: res,
  };
}

export async function find(tx: Queryable, id: string): Promise<Experiment | null> {
  const r = await tx.query<ExperimentRow>(`${SELECT} where e.id = $1`, [id]);
  return r.rows[0] ? toExperiment(r.rows[0], await results(tx, id)) : null;
}

export async function list(tx: Queryable, filter: { projectId?: string; state?: string; createdBy?: string; reviewQueueFor?: string; limit: number }): Promise<Experiment[]> {
  const r = await tx.query<ExperimentRow>(
    `${SELECT}
     where ($1::uuid is null or e.project_id = $1) and ($2::text is null or e.state = $2) and ($3::uuid is null or e.created_by = $3)
       and ($4::uuid is null or (e.state in ('submitted', 'in_review') and app.project_role(e.project_id) = 'reviewer' and e.created_by is distinct from $4))
     order by e.updated_at desc, e.id limit $5`,
    [filter.projectId ?? null, filter.state ?? null, filter.createdBy ?? null, filter.reviewQueueFor ?? null, filter.limit],
  );
  return Promise.all(r.rows.map(async (row) => toExperiment(row, await results(tx, row.id))));
}

export async function mixtureScope(tx: Queryable, mixtureId: string): Promise<{ projectId: string | null } | null> {
  const r = await tx.query<{ project_id: string | null }>('select project_id from mixtures where id = $1', [mixtureId]);
  return r.rows[0] ? { projectId: r.rows[0].project_id } : null;
}

export async function sampleTypeScope(tx: Queryable, id: string): Promise<{ projectId: string | null } | null> {
  const r = await tx.query<{ project_id: string | null }>('select project_id from sample_types where id = $1', [id]);
  return r.rows[0] ? { projectId: r.rows[0].project_id } : null;
}

/** Finds a sample type by name among the project's and the public ones, creating it in the project if new. */
export async function ensureSampleType(tx: Queryable, projectId: string, s: { name: string; kind: string; species?: string }): Promise<string> {
  const found = await tx.query<{ id: string }>(
    'select id from sample_types where lower(name) = lower($1) and (project_id = $2 or project_id is null) order by project_id nulls last limit 1',
    [s.name.trim(), projectId],
  );
  if (found.rows[0]) return found.rows[0].id;
  const r = await tx.query<{ id: string }>(
    'insert into sample_types (project_id, name, kind, species) values ($1, $2, $3, $4) returning id',
    [projectId, s.name.trim(), s.kind, s.species ?? null],
  );
  return r.rows[0]!.id;
}

export interface ExperimentContent {
  mixtureId: string; sampleTypeId: string; title: string; protocol: unknown; performedOn: string | null;
  operator: string | null; equipment: string | null; notes: string | null;
}

export async function insert(tx: Queryable, e: ExperimentContent & { projectId: string; createdBy: string; revision: number; previousRevisionId: string | null; visibility?: Visibility }): Promise<string> {
  const r = await tx.query<{ id: string }>(
    `insert into experiments (project_id, mixture_id, sample_type_id, title, protocol, performed_on, operator, equipment, notes,
                              created_by, revision, previous_revision_id, visibility)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id`,
    [e.projectId, e.mixtureId, e.sampleTypeId, e.title, JSON.stringify(e.protocol), e.performedOn, e.operator, e.equipment, e.notes,
      e.createdBy, e.revision, e.previousRevisionId, e.visibility ?? 'project'],
  );
  return r.rows[0]!.id;
}

export async function updateContent(tx: Queryable, id: string, e: ExperimentContent): Promise<void> {
  await tx.query(
    `update experiments set mixture_id = $2, sample_type_id = $3, title = $4, protocol = $5, performed_on = $6, operator = $7,
       equipment = $8, notes = $9, version = version + 1, updated_at = now() where id = $1`,
    [id, e.mixtureId, e.sampleTypeId, e.title, JSON.stringify(e.protocol), e.performedOn, e.operator, e.equipment, e.notes],
  );
}

export async function replaceResults(tx: Queryable, experimentId: string, rows: ValidatedResult[]): Promise<void> {
  await tx.query('delete from experiment_results where experiment_id = $1', [experimentId]);
  for (const [position, r] of rows.entries()) {
    await tx.query(
      `insert into experiment_results (experiment_id, position, measurement, unit, replicates, mean, sd, n, method, dsc_convention, heating_rate_k_per_min)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [experimentId, position, r.measurement, r.unit, r.replicates, r.mean, r.sd, r.n, r.method, r.dscConvention, r.heatingRateKPerMin],
    );
  }
}

/** Locks the row for a transition; null when it cannot be locked (not visible, or the role may not update). */
export async function lockForTransition(tx: Queryable, id: string): Promise<{ state: VerificationState; version: number } | null> {
  const r = await tx.query<{ state: VerificationState; version: number }>('select state, version from experiments where id = $1 for update', [id]);
  return r.rows[0] ?? null;
}

export async function setState(tx: Queryable, id: string, to: VerificationState, expectedVersion: number): Promise<number | null> {
  const r = await tx.query<{ version: number }>(
    'update experiments set state = $2, version = version + 1, updated_at = now() where id = $1 and version = $3 returning version',
    [id, to, expectedVersion],
  );
  return r.rows[0]?.version ?? null;
}

export async function addEvent(tx: Queryable, e: { experimentId: string; from: string; to: string; actorId: string; comment: string | null; snapshot: unknown }): Promise<void> {
  await tx.query(
    'insert into verification_events (experiment_id, from_state, to_state, actor_id, comment, snapshot) values ($1, $2, $3, $4, $5, $6)',
    [e.experimentId, e.from, e.to, e.actorId, e.comment, JSON.stringify(e.snapshot)],
  );
}

export async function events(tx: Queryable, experimentId: string) {
  const r = await tx.query<{ id: string; from_state: string; to_state: string; actor_id: string | null; email: string | null; at: Date; comment: string | null; snapshot: unknown }>(
    `select v.id::text, v.from_state, v.to_state, v.actor_id, u.email, v.at, v.comment, v.snapshot
     from verification_events v left join users u on u.id = v.actor_id where v.experiment_id = $1 order by v.id`,
    [experimentId],
  );
  return r.rows.map((v) => ({ id: v.id, from: v.from_state, to: v.to_state, actorId: v.actor_id, actorEmail: v.email, at: new Date(v.at).toISOString(), comment: v.comment, snapshot: v.snapshot }));
}

export async function projectRole(tx: Queryable, projectId: string): Promise<string | null> {
  return (await tx.query<{ r: string | null }>('select app.project_role($1) as r', [projectId])).rows[0]?.r ?? null;
}
