/**
 * Predictions for a stored mixture: the solution glass transition as Gordon–Taylor physics plus a residual
 * learned from verified measurements, with component Tg values the reference data lacks taken from the active
 * pure-compound Tg model (with its interval). Every prediction made is frozen in the ledger.
 */
import type { Actor, Db } from '../../db/db.ts';
import { Problem } from '../../app/problems.ts';
import { predictSolutionTg, type SolutionTgComponent, type SolutionTgResult } from '../../science/solution-tg.ts';
import type { MixtureDetail } from '../mixtures/schemas.ts';
import type { MixtureService } from '../mixtures/service.ts';
import { scienceReference } from '../mixtures/reference.ts';
import * as repo from './repo.ts';
import type { ModelService } from './service.ts';
import { predictViabilityForMixture, VIABILITY_TARGET, type ViabilityProtocol } from './viability.ts';

export const PURE_TG_TARGET = 'pure-tg';
export const TOXICITY_TARGET = 'toxicity';
export const SOLUTION_TG_TARGET = 'solution-tg';
/** How many verified Tg measurements the residual is learned from at most (newest first). */
const MAX_RESIDUAL_ROWS = 2000;

export interface MixturePrediction {
  target: string;
  unit: string;
  available: boolean;
  value: number | null;
  lower: number | null;
  upper: number | null;
  level: number;
  method: string | null;
  physics: number | null;
  residual: { applied: boolean; offset: number; n: number; halfWidth: number | null } | null;
  components: unknown[];
  modelVersions: { id: string; target: string; versionNumber: number }[];
  notes: string[];
  reason: string | null;
  predictionId: string | null;
}

export interface MixturePredictionsOutcome {
  mixtureId: string;
  predictions: MixturePrediction[];
}

export interface MixturePredictor {
  predict(actor: Actor, mixtureId: string, options: { level?: number; record?: boolean; requestId?: string; exposureMinutes?: number; protocol?: ViabilityProtocol }): Promise<MixturePredictionsOutcome>;
}

interface MeasuredTg {
  mixture_id: string;
  mean: number;
}

/** Cited-parameter Gordon–Taylor of a mixture, or null: residuals are learned against the physics alone. */
function citedPhysics(detail: MixtureDetail): number | null {
  return detail.derived?.glassTransition.kelvin ?? null;
}

export function createMixturePredictor(db: Db, models: ModelService, mixtures: MixtureService): MixturePredictor {
  const reference = scienceReference();

  async function residuals(actor: Actor): Promise<number[]> {
    const measured = await db.asUser(actor, async (tx) => (await tx.query<MeasuredTg>(
      `select e.mixture_id, r.mean from experiment_results r join experiments e on e.id = r.experiment_id
       where e.state = 'verified' and r.measurement = 'glass_transition'
       order by e.updated_at desc limit $1`, [MAX_RESIDUAL_ROWS])).rows);
    const physicsOf = new Map<string, number | null>();
    const out: number[] = [];
    for (const m of measured) {
      if (!physicsOf.has(m.mixture_id)) {
        const detail = await mixtures.get(actor, m.mixture_id).catch((error: unknown) => {
          if (error instanceof Problem && error.status === 404) return null;
          throw error;
        });
        physicsOf.set(m.mixture_id, detail ? citedPhysics(detail) : null);
      }
      const physics = physicsOf.get(m.mixture_id);
      if (physics !== null && physics !== undefined) out.push(m.mean - physics);
    }
    return out;
  }

  /** Survival after exposure to the mixture, from the active kinetic toxicity model (CPA keys match component names or InChIKeys). */
  async function viability(actor: Actor, detail: MixtureDetail, level: number, minutes: number | undefined, record: boolean): Promise<MixturePrediction> {
    const base: MixturePrediction = {
      target: TOXICITY_TARGET, unit: '% viability', available: false, value: null, lower: null, upper: null, level, method: null,
      physics: null, residual: null, components: [], modelVersions: [], notes: [], reason: null, predictionId: null,
    };
    const version = await models.resolveVersion(actor, { target: TOXICITY_TARGET, projectId: detail.projectId }).catch((error: unknown) => {
      if (error instanceof Problem && error.status === 404) return null;
      throw error;
    });
    if (!version) return { ...base, reason: `no active "${TOXICITY_TARGET}" model: fit one to exposure data (cryoprotect model train --algorithm kinetic …)` };
    const ref = { id: version.id, target: version.target, versionNumber: version.versionNumber };
    if (minutes === undefined) return { ...base, modelVersions: [ref], reason: 'give exposureMinutes to predict viability after exposure' };
    const derived = detail.derived;
    if (!derived) return { ...base, modelVersions: [ref], reason: 'the recipe cannot be evaluated' };
    const cpas = version.featureNames.slice(0, -1);
    const keyOf = (c: { name: string; inchikey: string | null }) => cpas.find((k) => k.toLowerCase() === c.name.toLowerCase() || (c.inchikey !== null && k === c.inchikey));
    const composition: Record<string, number> = {};
    const unmatched: string[] = [];
    for (const c of derived.components) {
      if (c.massFraction === 0) continue;
      const key = keyOf(c);
      if (!key || c.molality === null) unmatched.push(c.name);
      else composition[key] = (composition[key] ?? 0) + c.molality;
    }
    if (unmatched.length) {
      return { ...base, modelVersions: [ref], reason: `the toxicity model was fitted on ${cpas.join(', ')}; it knows nothing of ${unmatched.join(', ')}` };
    }
    const predicted = await models.predict(actor, version.id, { exposures: [{ composition, minutes }], level, record, mixture: { id: detail.id, projectId: detail.projectId } });
    const item = predicted.items[0]!;
    if (item.value === null) return { ...base, modelVersions: [ref], reason: item.error ?? 'no prediction' };
    return {
      ...base, available: true, value: item.value, lower: item.lower, upper: item.upper, method: 'kinetic-toxicity',
      components: Object.entries(composition).map(([cpa, molality]) => ({ cpa, molality })), modelVersions: [ref],
      notes: [`Exposure of ${minutes} min at the full concentration.`, ...(item.inDomain === false ? ['Outside the conditions the toxicity model was fitted on.'] : [])],
      predictionId: item.predictionId,
    };
  }

  return {
    async predict(actor, mixtureId, options) {
      const level = options.level ?? 0.9;
      if (!(level > 0 && level < 1)) throw new Problem('unprocessable', 'level must be between 0 and 1 (exclusive)', [{ field: 'level', message: 'out of range' }]);
      const detail = await mixtures.get(actor, mixtureId);
      const toxicity = await viability(actor, detail, level, options.exposureMinutes, options.record ?? true);
      const outcome = await solutionTg(actor, detail, level, options);
      const learned = await learnedViability(actor, detail, level, options);
      return { mixtureId, predictions: [...outcome, toxicity, ...learned] };
    },
  };

  /** The learned viability model's entry, only when an active version exists for the mixture's scope. */
  async function learnedViability(actor: Actor, detail: MixtureDetail, level: number, options: { record?: boolean; requestId?: string; protocol?: ViabilityProtocol }): Promise<MixturePrediction[]> {
    const version = await models.resolveVersion(actor, { target: VIABILITY_TARGET, projectId: detail.projectId }).catch((error: unknown) => {
      if (error instanceof Problem && error.status === 404) return null;
      throw error;
    });
    if (!version) return [];
    const base: MixturePrediction = {
      target: VIABILITY_TARGET, unit: '% viability', available: false, value: null, lower: null, upper: null, level, method: 'learned-viability',
      physics: null, residual: null, components: [], modelVersions: [{ id: version.id, target: version.target, versionNumber: version.versionNumber }],
      notes: [], reason: null, predictionId: null,
    };
    const r = await predictViabilityForMixture(db, actor, version.id, detail, {
      level, record: options.record ?? true, requestId: options.requestId ?? actor.requestId ?? null,
      ...(options.protocol ? { protocol: options.protocol } : {}),
    });
    if ('error' in r) return [{ ...base, reason: r.error }];
    return [{ ...base, available: true, value: r.value, lower: r.lower, upper: r.upper, notes: r.notes, predictionId: r.predictionId }];
  }

  async function solutionTg(actor: Actor, detail: MixtureDetail, level: number, options: { record?: boolean; requestId?: string }): Promise<MixturePrediction[]> {
      const mixtureId = detail.id;
      const base: Omit<MixturePrediction, 'available' | 'reason'> = {
        target: SOLUTION_TG_TARGET, unit: 'K', value: null, lower: null, upper: null, level, method: null, physics: null,
        residual: null, components: [], modelVersions: [], notes: [], predictionId: null,
      };
      const derived = detail.derived;
      if (!derived) {
        return [{ ...base, available: false, reason: `the recipe cannot be evaluated: ${detail.derivedError?.detail ?? 'unknown reason'}` }];
      }
      const parameters = new Map(derived.glassTransition.parameters.map((p) => [p.component, p]));
      const water = parameters.get('water');
      const needModel = derived.components.filter((c) => c.massFraction > 0 && c.inchikey !== null && parameters.get(c.key)?.tg === null);
      const modelTg = new Map<string, { value: number; lower: number | null; upper: number | null; ref: string }>();
      const usedVersions: MixturePrediction['modelVersions'] = [];
      const notes: string[] = [];
      if (needModel.length > 0) {
        const version = await models.resolveVersion(actor, { target: PURE_TG_TARGET, projectId: detail.projectId }).catch((error: unknown) => {
          if (error instanceof Problem && error.status === 404) return null;
          throw error;
        });
        if (!version) {
          notes.push(`No active "${PURE_TG_TARGET}" model to estimate the Tg of ${needModel.map((c) => c.name).join(', ')}; train one (cryoprotect model train … --name ${PURE_TG_TARGET} --activate).`);
        } else {
          const molecules = needModel.filter((c) => c.moleculeId !== null);
          const predicted = await models.predict(actor, version.id, { moleculeIds: molecules.map((c) => c.moleculeId!), level, record: options.record ?? true });
          // Interval ends beyond the Tg values the model was trained on (e.g. a lower bound of a few kelvin) are
          // not physics: limit them to the measured training range and say so.
          const measured = ((version.evaluation as { outOfFold?: { measured: number }[] }).outOfFold ?? []).map((p) => p.measured);
          const range = measured.length ? { lo: Math.min(...measured), hi: Math.max(...measured) } : null;
          let limited = false;
          const within = (v: number | null) => {
            if (v === null || !range) return v;
            const c = Math.min(range.hi, Math.max(range.lo, v));
            if (c !== v) limited = true;
            return c;
          };
          predicted.items.forEach((item, i) => {
            const c = molecules[i]!;
            if (item.value === null) return;
            modelTg.set(c.key, { value: item.value, lower: within(item.lower), upper: within(item.upper), ref: version.id });
            if (item.inDomain === false) notes.push(`${c.name} is outside the pure-Tg model's applicability domain (nearest training similarity ${item.domainScore?.toFixed(2)}).`);
          });
          if (limited && range) notes.push(`Component Tg intervals were limited to the pure-Tg model's training range (${range.lo.toFixed(0)}–${range.hi.toFixed(0)} K).`);
          usedVersions.push({ id: version.id, target: version.target, versionNumber: version.versionNumber });
        }
      }
      const components: SolutionTgComponent[] = derived.components.map((c) => {
        const p = parameters.get(c.key);
        const m = modelTg.get(c.key);
        const density = c.inchikey ? reference.property(c.inchikey, 'density')?.value ?? null : null;
        return {
          key: c.key, name: c.name, massFraction: c.massFraction,
          tg: p?.tg != null ? { value: p.tg, source: 'cited', ref: p.tgSourceKey } : m ? { value: m.value, source: 'model', lower: m.lower, upper: m.upper, ref: m.ref } : null,
          k: p?.k ?? null,
          density,
        };
      });
      const result: SolutionTgResult = predictSolutionTg({
        waterMassFraction: derived.water.massFraction,
        ...(water?.tg != null ? { waterTg: water.tg } : {}),
        components,
        residuals: await residuals(actor),
        level,
      });
      if (result.kelvin === null) {
        return [{ ...base, modelVersions: usedVersions, notes, available: false, reason: result.reason }];
      }
      const prediction: MixturePrediction = {
        ...base, available: true, reason: null, value: result.kelvin, lower: result.lower, upper: result.upper, method: result.method,
        physics: result.physics, residual: result.residual, components: result.components, modelVersions: usedVersions,
        notes: [...notes, ...result.notes],
      };
      if (options.record ?? true) {
        const [id] = await db.asUser(actor, (tx) => repo.insertPredictions(tx, [{
          modelVersionId: usedVersions[0]?.id ?? null,
          method: result.method,
          target: SOLUTION_TG_TARGET,
          projectId: detail.projectId,
          subjectKind: 'mixture',
          moleculeId: null,
          mixtureId,
          inputs: {
            name: detail.name,
            components: derived.components.map((c) => ({ key: c.key, name: c.name, massFraction: c.massFraction })),
            waterMassFraction: derived.water.massFraction,
            waterTg: water?.tg ?? null,
            parameters: result.components,
            residual: result.residual,
          },
          value: result.kelvin,
          lower: result.lower,
          upper: result.upper,
          level,
          inDomain: !notes.some((n) => n.includes('outside')),
          domainScore: null,
          requestId: options.requestId ?? actor.requestId ?? null,
          createdBy: actor.userId,
        }]));
        prediction.predictionId = id ?? null;
      }
      return [prediction];
  }
}
