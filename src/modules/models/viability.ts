/**
 * The learned viability model over mixtures: rows are a project's verified viability measurements, features are
 * the mixture's composition (mixtureFeatures with the registered molecules' descriptors) plus the protocol's
 * numbers. Training stores an immutable version; the mixture Predictions panel asks it for one mixture.
 */
import type { Actor, Db } from '../../db/db.ts';
import { Problem } from '../../app/problems.ts';
import { mixtureFeatures, type MixtureComponent } from '../../ml/features.ts';
import {
  isMixtureViabilityArtifact, predictMixtureViability, summarizeMixtureViability, trainMixtureViability,
  type MixtureAlgorithm, type MixtureViabilityArtifact, type MixtureViabilityRow,
} from '../../ml/mixture-model.ts';
import type { MixtureDetail } from '../mixtures/schemas.ts';
import type { MixtureService } from '../mixtures/service.ts';
import { rowsHash } from './dataset.ts';
import * as repo from './repo.ts';

export const VIABILITY_TARGET = 'viability';
export const VIABILITY_MEASUREMENTS = ['post_thaw_viability', 'exposure_viability'] as const;
export type ViabilityMeasurement = (typeof VIABILITY_MEASUREMENTS)[number];
/** Registry descriptors averaged over components (names as RDKit writes them into molecules.descriptors). */
const DESCRIPTORS = ['CrippenClogP', 'tpsa', 'NumHBD', 'NumHBA', 'polarGroupTotal'] as const;
/** g/mol, IUPAC 2013 standard atomic weights (2 × 1.008 + 15.999). */
const WATER_MOLAR_MASS = 18.015;

export interface ViabilityTrainInput {
  projectId: string;
  measurement?: ViabilityMeasurement;
  algorithm?: MixtureAlgorithm;
  target?: string;
  seed: number;
  level?: number;
  notes?: string;
  activate?: boolean;
}

/** The protocol numbers the model reads; any may be absent (the training median stands in). */
export interface ViabilityProtocol {
  coolingRateKPerMin?: number;
  warmingRateKPerMin?: number;
  loading?: readonly { durationMin: number; temperatureC: number }[];
}

interface MoleculeInfo {
  molarMass: number;
  descriptors: Record<string, number | null>;
}

export interface ViabilityDeps {
  db: Db;
  mixtures: MixtureService;
  codeVersion: string;
  assertCanTrain: (actor: Actor, projectId: string) => Promise<void>;
}

async function moleculesOf(db: Db, actor: Actor, ids: readonly string[]): Promise<Map<string, MoleculeInfo>> {
  if (ids.length === 0) return new Map();
  const rows = await db.asUser(actor, async (tx) => (await tx.query<{ id: string; molecular_weight: number; descriptors: Record<string, unknown> }>(
    'select id, molecular_weight, descriptors from molecules where id = any($1::uuid[])', [ids])).rows);
  return new Map(rows.map((r) => [r.id, {
    molarMass: Number(r.molecular_weight),
    descriptors: Object.fromEntries(DESCRIPTORS.map((d) => [d, typeof r.descriptors[d] === 'number' ? r.descriptors[d] : null])),
  }]));
}

/** Composition + protocol features of one mixture, or the reason it cannot be featurized. */
export function viabilityFeatures(
  detail: MixtureDetail, molecules: ReadonlyMap<string, MoleculeInfo>, protocol: ViabilityProtocol, fractionIds: readonly string[],
): { features: Record<string, number> } | { error: string } {
  const derived = detail.derived;
  if (!derived) return { error: `the mixture "${detail.name}" cannot be evaluated` };
  const components: MixtureComponent[] = [];
  for (const c of derived.components) {
    if (c.massFraction === 0) continue;
    const known = c.moleculeId ? molecules.get(c.moleculeId) : undefined;
    // Without a registered molecule, the molar mass follows from the mixture's own numbers:
    // M = w / (b · w_water) g/mol per kg → × 1000 g/kg.
    const implied = c.molality && derived.water.massFraction > 0 ? (c.massFraction / (c.molality * derived.water.massFraction)) * 1000 : null;
    const molarMass = known?.molarMass ?? implied;
    if (!molarMass) return { error: `the molar mass of ${c.name} is unknown` };
    components.push({
      id: c.key, amount: c.massFraction, molarMass, descriptors: known?.descriptors ?? {},
      ...(typeof known?.descriptors.polarGroupTotal === 'number' ? { polarGroups: known.descriptors.polarGroupTotal } : {}),
    });
  }
  if (derived.water.massFraction > 0) components.push({ id: 'water', amount: derived.water.massFraction, molarMass: WATER_MOLAR_MASS, descriptors: {}, isWater: true });
  if (components.length === 0) return { error: `the mixture "${detail.name}" has no components` };
  const features = mixtureFeatures(components, { basis: 'mass', descriptorNames: DESCRIPTORS, fractionIds });
  const put = (name: string, v: number | null | undefined) => {
    if (typeof v === 'number' && Number.isFinite(v)) features[name] = v;
    else delete features[name];
  };
  put('coolingRateKPerMin', protocol.coolingRateKPerMin);
  put('warmingRateKPerMin', protocol.warmingRateKPerMin);
  const loading = protocol.loading ?? [];
  const minutes = loading.reduce((s, step) => s + step.durationMin, 0);
  put('loadingMinutes', loading.length ? minutes : undefined);
  put('loadingTemperatureC', minutes > 0 ? loading.reduce((s, step) => s + step.durationMin * step.temperatureC, 0) / minutes : undefined);
  put('qvStar', derived.qvStar);
  // NaN features (a descriptor some component lacks) are left out so the pipeline imputes them.
  for (const [k, v] of Object.entries(features)) if (!Number.isFinite(v)) delete features[k];
  return { features };
}

export async function trainViabilityFromExperiments(
  deps: ViabilityDeps, actor: Actor, input: ViabilityTrainInput, onProgress?: (fraction: number, message: string) => void,
): Promise<repo.ModelVersionRow & { used: number; skipped: { index: number; line: number; error: string }[] }> {
  const measurement = input.measurement ?? 'post_thaw_viability';
  if (!(VIABILITY_MEASUREMENTS as readonly string[]).includes(measurement)) {
    throw new Problem('unprocessable', `measurement must be one of ${VIABILITY_MEASUREMENTS.join(', ')}`, [{ field: 'measurement', message: 'unknown measurement' }]);
  }
  const level = input.level ?? 0.9;
  const algorithm = input.algorithm ?? 'rf';
  await deps.assertCanTrain(actor, input.projectId);
  const found = await deps.db.asUser(actor, async (tx) => (await tx.query<{ id: string; title: string; protocol: ViabilityProtocol; mixture_id: string; mean: number }>(
    `select e.id, e.title, e.protocol, e.mixture_id, r.mean from experiments e join experiment_results r on r.experiment_id = e.id
     where e.project_id = $1 and e.state = 'verified' and r.measurement = $2
     order by e.performed_on nulls last, e.created_at, r.position`, [input.projectId, measurement])).rows);
  if (found.length === 0) {
    throw new Problem('unprocessable', `no verified experiment of this project records ${measurement}`, [{ field: 'projectId', message: 'no usable experiments' }]);
  }
  onProgress?.(0.1, 'reading mixtures');
  const details = new Map<string, MixtureDetail>();
  for (const f of found) if (!details.has(f.mixture_id)) details.set(f.mixture_id, await deps.mixtures.get(actor, f.mixture_id));
  const moleculeIds = [...new Set([...details.values()].flatMap((d) => (d.derived?.components ?? []).map((c) => c.moleculeId).filter((id): id is string => id !== null)))];
  const molecules = await moleculesOf(deps.db, actor, moleculeIds);
  const fractionIds = [...new Set([...details.values()].flatMap((d) => (d.derived?.components ?? []).filter((c) => c.massFraction > 0).map((c) => c.key)))].sort();
  const rows: MixtureViabilityRow[] = [];
  const used: string[] = [];
  const skipped: { index: number; line: number; error: string }[] = [];
  for (const [i, f] of found.entries()) {
    const r = viabilityFeatures(details.get(f.mixture_id)!, molecules, f.protocol ?? {}, fractionIds);
    if ('error' in r) skipped.push({ index: i, line: 0, error: `${f.title} (${f.id}): ${r.error}` });
    else {
      rows.push({ features: r.features, group: f.mixture_id, y: Number(f.mean) });
      used.push(f.id);
    }
  }
  onProgress?.(0.3, `cross-validating on ${rows.length} measurements`);
  let fit;
  try {
    fit = trainMixtureViability(rows, { seed: input.seed, level, algorithm });
  } catch (error) {
    if (error instanceof Error) throw new Problem('unprocessable', `training refused: ${error.message}`, [{ field: 'projectId', message: error.message }]);
    throw error;
  }
  const evaluation = summarizeMixtureViability(fit, rows);
  const target = input.target ?? VIABILITY_TARGET;
  const row = await deps.db.asUser(actor, async (tx) => {
    const inserted = await repo.insertVersion(tx, {
      projectId: input.projectId, target, task: 'regression', algorithm,
      hyperparameters: fit.artifact.model.hyperparameters, featureNames: fit.artifact.featureNames, seed: input.seed,
      trainingDataHash: rowsHash(rows), trainingRows: rows.length,
      trainingSource: {
        kind: 'experiments', projectId: input.projectId, measurement, experimentIds: used, mixtureIds: [...new Set(rows.map((r) => r.group))],
        rowsInFile: found.length, rowsSkipped: skipped.length,
      },
      trainingData: rows, codeVersion: deps.codeVersion, evaluation, artifact: fit.artifact, notes: input.notes ?? null, createdBy: actor.userId,
    });
    if (input.activate) await repo.activate(tx, inserted, actor.userId);
    return (await repo.getVersion(tx, inserted.id))!;
  });
  onProgress?.(1, 'done');
  return { ...row, used: rows.length, skipped };
}

export interface ViabilityEntry {
  value: number;
  lower: number;
  upper: number;
  notes: string[];
  predictionId: string | null;
}

/**
 * Viability of one mixture from a learned version. Protocol numbers come from `protocol` where given, otherwise
 * from the training medians (the notes say which).
 */
export async function predictViabilityForMixture(
  db: Db, actor: Actor, versionId: string, detail: MixtureDetail, options: { level: number; protocol?: ViabilityProtocol; record: boolean; requestId: string | null },
): Promise<ViabilityEntry | { error: string }> {
  const json = await db.asUser(actor, (tx) => repo.getArtifact(tx, versionId));
  if (!isMixtureViabilityArtifact(json)) return { error: 'the active viability version is not a learned mixture model' };
  const artifact: MixtureViabilityArtifact = json;
  const fractionIds = artifact.featureNames.filter((n) => n.startsWith('massfrac_')).map((n) => n.slice('massfrac_'.length));
  const ids = (detail.derived?.components ?? []).map((c) => c.moleculeId).filter((id): id is string => id !== null);
  const protocol = options.protocol ?? {};
  const r = viabilityFeatures(detail, await moleculesOf(db, actor, ids), protocol, fractionIds);
  if ('error' in r) return r;
  const protocolNames = ['coolingRateKPerMin', 'warmingRateKPerMin', 'loadingMinutes', 'loadingTemperatureC'];
  const fromMedian = protocolNames.filter((n) => artifact.featureNames.includes(n) && !(n in r.features));
  const given = protocolNames.filter((n) => n in r.features);
  const unknownComponents = (detail.derived?.components ?? []).filter((c) => c.massFraction > 0 && !fractionIds.includes(c.key)).map((c) => c.name);
  const [p] = predictMixtureViability(artifact, [r.features], options.level);
  const notes = [
    ...(given.length ? [`Protocol numbers from the request: ${given.join(', ')}.`] : []),
    ...(fromMedian.length ? [`Protocol numbers not given, training medians used: ${fromMedian.map((n) => `${n} = ${artifact.featureMedians[n]}`).join(', ')}.`] : []),
    ...(unknownComponents.length ? [`No training mixture contained ${unknownComponents.join(', ')}: this is an extrapolation.`] : []),
  ];
  let predictionId: string | null = null;
  if (options.record) {
    const [id] = await db.asUser(actor, (tx) => repo.insertPredictions(tx, [{
      modelVersionId: versionId, method: 'learned-viability', target: VIABILITY_TARGET, projectId: detail.projectId, subjectKind: 'mixture',
      moleculeId: null, mixtureId: detail.id, inputs: { name: detail.name, features: r.features, protocol, mediansUsed: fromMedian },
      value: p!.value, lower: p!.lower, upper: p!.upper, level: options.level, inDomain: unknownComponents.length === 0, domainScore: null,
      requestId: options.requestId, createdBy: actor.userId,
    }]));
    predictionId = id ?? null;
  }
  return { value: p!.value, lower: p!.lower, upper: p!.upper, notes, predictionId };
}
