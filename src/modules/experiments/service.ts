import type { Actor, Db, Queryable } from '../../db/db.ts';
import { Problem, type FieldError } from '../../app/problems.ts';
import { createMixtureService } from '../mixtures/service.ts';
import * as repo from './repo.ts';
import { validateResult, type ValidatedResult } from './results.ts';
import type { CreateExperimentBody, Experiment, UpdateExperimentBody } from './schemas.ts';
import { decideTransition, editOpensRevision, isEditable, isVerificationState, type ProjectRole, type VerificationState } from './verification.ts';

const notFound = (id: string) => new Problem('not-found', `Experiment ${id} does not exist or is not visible to you`);

function validateResults(results: UpdateExperimentBody['results']): ValidatedResult[] {
  const errors: FieldError[] = [];
  const valid: ValidatedResult[] = [];
  results.forEach((r, i) => {
    const out = validateResult(r, `results[${i}]`);
    if ('errors' in out) errors.push(...out.errors.map((e) => ({ ...e, in: 'body' })));
    else valid.push(out.result);
  });
  if (errors.length > 0) throw new Problem('unprocessable', `${errors.length} result value(s) are not valid`, errors);
  return valid;
}

/** Resolves and checks what an experiment refers to; answers 422 naming the field. */
async function resolveContent(tx: Queryable, projectId: string, body: UpdateExperimentBody): Promise<repo.ExperimentContent> {
  const mixture = await repo.mixtureScope(tx, body.mixtureId);
  if (!mixture) throw new Problem('unprocessable', 'No such formulation', [{ field: 'mixtureId', in: 'body', message: 'no such mixture, or not visible to you' }]);
  if (mixture.projectId !== null && mixture.projectId !== projectId) {
    throw new Problem('unprocessable', 'The formulation belongs to another project', [{ field: 'mixtureId', in: 'body', message: 'use a reference formulation or one of this project' }]);
  }
  let sampleTypeId: string;
  if ('sampleTypeId' in body.sample) {
    const scope = await repo.sampleTypeScope(tx, body.sample.sampleTypeId);
    if (!scope || (scope.projectId !== null && scope.projectId !== projectId)) {
      throw new Problem('unprocessable', 'No such sample type in this project', [{ field: 'sample.sampleTypeId', in: 'body', message: 'no such sample type' }]);
    }
    sampleTypeId = body.sample.sampleTypeId;
  } else {
    sampleTypeId = await repo.ensureSampleType(tx, projectId, body.sample);
  }
  return {
    mixtureId: body.mixtureId, sampleTypeId, title: body.title.trim(), protocol: body.protocol, performedOn: body.performedOn ?? null,
    operator: body.operator ?? null, equipment: body.equipment ?? null, notes: body.notes ?? null,
  };
}

function writeRole(role: string | null, projectId: string): void {
  if (role === null) throw new Problem('not-found', `Project ${projectId} does not exist or you are not a member`, [{ field: 'projectId', in: 'body', message: 'no such project' }]);
  if (role !== 'owner' && role !== 'editor') throw new Problem('forbidden', `Your role (${role}) cannot record experiments; owners and editors can`);
}

export interface Comparison {
  measurement: string;
  measured: { mean: number; sd: number | null; n: number; unit: string };
  predicted: { value: number; unit: string; method: string; interval: null; source: string } | null;
  difference: number | null;
  /** (measured − predicted) / combined SD; null without an uncertainty on either side. */
  zScore: number | null;
  note: string;
}

export function createExperimentService(db: Db) {
  const mixtures = createMixtureService(db);

  return {
    async create(actor: Actor, body: CreateExperimentBody): Promise<Experiment> {
      const valid = validateResults(body.results);
      const id = await db.asUser(actor, async (tx) => {
        writeRole(await repo.projectRole(tx, body.projectId), body.projectId);
        const content = await resolveContent(tx, body.projectId, body);
        const created = await repo.insert(tx, { ...content, projectId: body.projectId, createdBy: actor.userId, revision: 1, previousRevisionId: null, visibility: body.visibility ?? 'project' });
        await repo.replaceResults(tx, created, valid);
        return created;
      });
      return this.get(actor, id);
    },

    async get(actor: Actor, id: string): Promise<Experiment> {
      const e = await db.asUser(actor, (tx) => repo.find(tx, id));
      if (!e) throw notFound(id);
      return e;
    },

    list(actor: Actor, filter: { projectId?: string; state?: string; mine?: boolean; limit: number }): Promise<Experiment[]> {
      return db.asUser(actor, (tx) => repo.list(tx, { projectId: filter.projectId, state: filter.state, createdBy: filter.mine ? actor.userId : undefined, limit: filter.limit }));
    },

    reviewQueue(actor: Actor, limit: number): Promise<Experiment[]> {
      return db.asUser(actor, (tx) => repo.list(tx, { reviewQueueFor: actor.userId, limit }));
    },

    /** Edits a draft or an experiment sent back for changes; editing a verified one opens a new revision. */
    async update(actor: Actor, id: string, body: UpdateExperimentBody): Promise<{ experiment: Experiment; revised: boolean }> {
      const valid = validateResults(body.results);
      const outcome = await db.asUser(actor, async (tx) => {
        const current = await repo.find(tx, id);
        if (!current) throw notFound(id);
        if (body.projectId !== undefined && body.projectId !== current.projectId) {
          throw new Problem('unprocessable', 'An experiment cannot move to another project', [{ field: 'projectId', in: 'body', message: 'must be the experiment\'s project' }]);
        }
        writeRole(await repo.projectRole(tx, current.projectId), current.projectId);
        const state = current.state as VerificationState;
        const content = await resolveContent(tx, current.projectId, body);
        if (isEditable(state)) {
          await repo.updateContent(tx, id, content);
          await repo.replaceResults(tx, id, valid);
          return { id, revised: false };
        }
        if (!editOpensRevision(state)) {
          throw new Problem('conflict', `A ${state} experiment cannot be edited${state === 'rejected' ? '' : ' until its review ends'}`);
        }
        const next = await repo.insert(tx, { ...content, projectId: current.projectId, createdBy: actor.userId, revision: current.revision + 1, previousRevisionId: id });
        await repo.replaceResults(tx, next, valid);
        return { id: next, revised: true };
      });
      return { experiment: await this.get(actor, outcome.id), revised: outcome.revised };
    },

    async transition(actor: Actor, id: string, to: string, comment: string | undefined): Promise<Experiment> {
      if (!isVerificationState(to)) throw new Problem('invalid-request', `Unknown state "${to}"`, [{ field: 'to', in: 'body', message: 'not a workflow state' }]);
      await db.asUser(actor, async (tx) => {
        const seen = await repo.find(tx, id);
        if (!seen) throw notFound(id);
        const role = (await repo.projectRole(tx, seen.projectId)) as ProjectRole | null;
        const decision = decideTransition(seen.state as VerificationState, to, { isAuthor: seen.createdBy === actor.userId, role });
        if (!decision.ok) throw new Problem(decision.kind === 'illegal' ? 'conflict' : 'forbidden', decision.reason);
        // Two reviewers acting at once: the row lock serializes them and the loser finds the state moved on.
        const locked = await repo.lockForTransition(tx, id);
        if (!locked || locked.state !== seen.state || locked.version !== seen.version) {
          throw new Problem('conflict', `The experiment changed while you acted on it (it is now ${locked?.state ?? 'gone'}); reload and try again`);
        }
        const version = await repo.setState(tx, id, to, locked.version);
        if (version === null) throw new Problem('conflict', 'The experiment changed while you acted on it; reload and try again');
        await repo.addEvent(tx, { experimentId: id, from: seen.state, to, actorId: actor.userId, comment: comment?.trim() || null, snapshot: seen });
      });
      return this.get(actor, id);
    },

    async events(actor: Actor, id: string) {
      return db.asUser(actor, async (tx) => {
        if (!(await repo.find(tx, id))) throw notFound(id);
        return repo.events(tx, id);
      });
    },

    /**
     * Measured against predicted. Until the prediction ledger exists (modelling issue), the prediction is the
     * formulation's physics: the Gordon–Taylor Tg of its composition. Other measurements have no model yet.
     */
    async comparison(actor: Actor, id: string): Promise<Comparison[]> {
      const experiment = await this.get(actor, id);
      const mixture = await mixtures.get(actor, experiment.mixtureId);
      const tg = mixture.derived?.glassTransition;
      return experiment.results.map((r) => {
        const measured = { mean: r.mean, sd: r.sd, n: r.n, unit: r.unit };
        if (r.measurement === 'glass_transition' && tg && typeof tg.kelvin === 'number') {
          const difference = r.mean - tg.kelvin;
          return {
            measurement: r.measurement, measured,
            predicted: { value: tg.kelvin, unit: 'K', method: 'gordon-taylor', interval: null, source: 'formulation physics (no model version yet)' },
            difference,
            zScore: null,
            note: 'The Gordon–Taylor estimate has no stated uncertainty, so no z-score; the DSC convention of the measurement matters at the level of a few kelvin.',
          };
        }
        const reason = r.measurement === 'glass_transition'
          ? `no Tg prediction for this formulation: ${mixture.derived ? 'parameters missing for some components' : 'its composition could not be evaluated'}`
          : 'no model predicts this measurement yet';
        return { measurement: r.measurement, measured, predicted: null, difference: null, zScore: null, note: reason };
      });
    },
  };
}

export type ExperimentService = ReturnType<typeof createExperimentService>;
