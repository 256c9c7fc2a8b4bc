import { createHash } from 'node:crypto';
import type { Actor, Db } from '../../db/db.ts';
import { Problem } from '../../app/problems.ts';
import { createMixtureService } from '../mixtures/service.ts';
import { parseResultsCsv, type ImportRow } from './results-import.ts';
import { isEditable, type VerificationState } from './verification.ts';

export const ATTACHMENT_TYPES = ['text/csv', 'text/plain', 'application/json', 'application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'application/octet-stream'] as const;
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

const notFound = (id: string) => new Problem('not-found', `Experiment ${id} does not exist or is not visible to you`);

/** Attachments, results import, sample types and project statistics around the experiment record. */
export function createExperimentExtras(db: Db) {
  const mixtures = createMixtureService(db);

  async function editableExperiment(actor: Actor, id: string, tx: Parameters<Parameters<Db['asUser']>[1]>[0]): Promise<void> {
    const r = await tx.query<{ state: VerificationState; role: string | null }>('select state, app.project_role(project_id) as role from experiments where id = $1', [id]);
    const row = r.rows[0];
    if (!row) throw notFound(id);
    if (row.role !== 'owner' && row.role !== 'editor') throw new Problem('forbidden', `Your role (${row.role ?? 'none'}) cannot change experiments`);
    if (!isEditable(row.state)) throw new Problem('conflict', `A ${row.state} experiment is locked; results and files can change only in draft or after changes were requested`);
  }

  return {
    async importResults(actor: Actor, id: string, csv: string): Promise<{ rows: ImportRow[]; added: number; invalid: number }> {
      const parsed = parseResultsCsv(csv);
      if (!parsed.ok) throw new Problem('unprocessable', parsed.problem, [{ field: parsed.field, in: 'body', message: parsed.problem }]);
      await db.asUser(actor, async (tx) => {
        await editableExperiment(actor, id, tx);
        const next = (await tx.query<{ n: number }>('select coalesce(max(position) + 1, 0)::int as n from experiment_results where experiment_id = $1', [id])).rows[0]?.n ?? 0;
        for (const [i, r] of parsed.results.entries()) {
          await tx.query(
            `insert into experiment_results (experiment_id, position, measurement, unit, replicates, mean, sd, n, method, dsc_convention, heating_rate_k_per_min)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [id, next + i, r.measurement, r.unit, r.replicates, r.mean, r.sd, r.n, r.method, r.dscConvention, r.heatingRateKPerMin],
          );
        }
      });
      const invalid = parsed.rows.filter((r) => r.status === 'invalid').length;
      return { rows: parsed.rows, added: parsed.results.length, invalid };
    },

    async addAttachment(actor: Actor, id: string, file: { filename: string; contentType: string; data: Buffer }) {
      const filename = file.filename.trim();
      if (!filename || filename.length > 255 || /[/\\]/.test(filename)) {
        throw new Problem('unprocessable', 'A file name of 1–255 characters without slashes is needed', [{ field: 'filename', in: 'querystring', message: 'invalid file name' }]);
      }
      if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.contentType)) {
        throw new Problem('unprocessable', `Files of type ${file.contentType} are not accepted`, [{ field: 'contentType', in: 'querystring', message: `one of ${ATTACHMENT_TYPES.join(', ')}` }]);
      }
      if (file.data.length === 0) throw new Problem('unprocessable', 'The file is empty', [{ field: 'body', in: 'body', message: 'empty file' }]);
      if (file.data.length > ATTACHMENT_MAX_BYTES) throw new Problem('payload-too-large', `Attachments are limited to ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MiB`);
      const sha256 = createHash('sha256').update(file.data).digest('hex');
      return db.asUser(actor, async (tx) => {
        await editableExperiment(actor, id, tx);
        const r = await tx.query<{ id: string; created_at: Date }>(
          `insert into experiment_attachments (experiment_id, filename, content_type, size_bytes, sha256, data, uploaded_by)
           values ($1, $2, $3, $4, $5, $6, $7) returning id, created_at`,
          [id, filename, file.contentType, file.data.length, sha256, file.data, actor.userId],
        );
        return { id: r.rows[0]!.id, filename, contentType: file.contentType, sizeBytes: file.data.length, sha256, createdAt: new Date(r.rows[0]!.created_at).toISOString() };
      });
    },

    async listAttachments(actor: Actor, id: string) {
      return db.asUser(actor, async (tx) => {
        if ((await tx.query('select 1 from experiments where id = $1', [id])).rowCount === 0) throw notFound(id);
        const r = await tx.query<{ id: string; filename: string; content_type: string; size_bytes: number; sha256: string; created_at: Date }>(
          'select id, filename, content_type, size_bytes, sha256, created_at from experiment_attachments where experiment_id = $1 order by created_at, id',
          [id],
        );
        return r.rows.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, sizeBytes: a.size_bytes, sha256: a.sha256, createdAt: new Date(a.created_at).toISOString() }));
      });
    },

    async getAttachment(actor: Actor, id: string, attachmentId: string) {
      const file = await db.asUser(actor, async (tx) => (await tx.query<{ filename: string; content_type: string; data: Buffer }>(
        'select filename, content_type, data from experiment_attachments where id = $1 and experiment_id = $2', [attachmentId, id])).rows[0]);
      if (!file) throw new Problem('not-found', 'No such attachment');
      return { filename: file.filename, contentType: file.content_type, data: file.data };
    },

    async removeAttachment(actor: Actor, id: string, attachmentId: string): Promise<void> {
      await db.asUser(actor, async (tx) => {
        await editableExperiment(actor, id, tx);
        if ((await tx.query('delete from experiment_attachments where id = $1 and experiment_id = $2', [attachmentId, id])).rowCount === 0) {
          throw new Problem('not-found', 'No such attachment');
        }
      });
    },

    async sampleTypes(actor: Actor, q: string | undefined) {
      return db.asUser(actor, async (tx) => (await tx.query<{ id: string; project_id: string | null; name: string; kind: string; species: string | null }>(
        `select id, project_id, name, kind, species from sample_types where ($1::text is null or name ilike '%' || $1 || '%')
         order by lower(name), id limit 200`, [q ?? null])).rows.map((s) => ({ id: s.id, projectId: s.project_id, name: s.name, kind: s.kind, species: s.species })));
    },

    /** Verification rate, breakdowns by equipment and reviewer, and Tg prediction error over time. */
    async stats(actor: Actor, projectId: string) {
      const data = await db.asUser(actor, async (tx) => {
        const role = (await tx.query<{ r: string | null }>('select app.project_role($1) as r', [projectId])).rows[0]?.r;
        if (!role) throw new Problem('not-found', `Project ${projectId} does not exist or you are not a member`);
        const byState = (await tx.query<{ state: string; n: number }>('select state, count(*)::int as n from experiments where project_id = $1 group by state', [projectId])).rows;
        const byEquipment = (await tx.query<{ equipment: string; total: number; verified: number }>(
          `select coalesce(equipment, '(not recorded)') as equipment, count(*)::int as total, count(*) filter (where state = 'verified')::int as verified
           from experiments where project_id = $1 group by 1 order by 2 desc, 1`, [projectId])).rows;
        const byReviewer = (await tx.query<{ reviewer: string | null; verified: number; rejected: number; changes_requested: number }>(
          `select u.email as reviewer, count(*) filter (where v.to_state = 'verified')::int as verified,
                  count(*) filter (where v.to_state = 'rejected')::int as rejected,
                  count(*) filter (where v.to_state = 'changes_requested')::int as changes_requested
           from verification_events v join experiments e on e.id = v.experiment_id left join users u on u.id = v.actor_id
           where e.project_id = $1 and v.from_state = 'in_review' group by u.email order by 2 desc`, [projectId])).rows;
        const tgResults = (await tx.query<{ experiment_id: string; mixture_id: string; mean: number; verified_at: Date }>(
          `select e.id as experiment_id, e.mixture_id, r.mean, max(v.at) as verified_at
           from experiments e join experiment_results r on r.experiment_id = e.id
           join verification_events v on v.experiment_id = e.id and v.to_state = 'verified'
           where e.project_id = $1 and e.state = 'verified' and r.measurement = 'glass_transition'
           group by e.id, e.mixture_id, r.id, r.mean order by verified_at`, [projectId])).rows;
        return { byState, byEquipment, byReviewer, tgResults };
      });
      const predicted = new Map<string, number | null>();
      for (const id of new Set(data.tgResults.map((r) => r.mixture_id))) {
        const m = await mixtures.get(actor, id);
        predicted.set(id, typeof m.derived?.glassTransition.kelvin === 'number' ? m.derived.glassTransition.kelvin : null);
      }
      const counts = Object.fromEntries(data.byState.map((s) => [s.state, s.n]));
      const submittedEver = data.byState.filter((s) => s.state !== 'draft').reduce((a, s) => a + s.n, 0);
      const points = data.tgResults.flatMap((r) => {
        const p = predicted.get(r.mixture_id);
        return p === null || p === undefined ? [] : [{ experimentId: r.experiment_id, verifiedAt: new Date(r.verified_at).toISOString(), measured: r.mean, predicted: p, error: r.mean - p }];
      });
      return {
        projectId,
        counts,
        verificationRate: submittedEver === 0 ? null : (counts.verified ?? 0) / submittedEver,
        byEquipment: data.byEquipment,
        byReviewer: data.byReviewer.map((r) => ({ reviewer: r.reviewer ?? '(deleted user)', verified: r.verified, rejected: r.rejected, changesRequested: r.changes_requested })),
        tgPredictionError: {
          method: 'gordon-taylor (formulation physics)',
          points,
          meanAbsoluteError: points.length === 0 ? null : points.reduce((a, p) => a + Math.abs(p.error), 0) / points.length,
        },
      };
    },
  };
}

export type ExperimentExtras = ReturnType<typeof createExperimentExtras>;
