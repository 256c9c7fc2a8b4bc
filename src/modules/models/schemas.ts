import { Type, type Static } from 'typebox';
import { OneOf } from '../../lib/schema.ts';
import { ALGORITHMS, MAX_PREDICT_ROWS, TASKS } from './service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Level = Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Nominal coverage of the prediction interval (default 0.9)' });

export const ModelStatusSchema = OneOf(['candidate', 'active', 'retired'] as const);
export const VisibilitySchema = OneOf(['project', 'public'] as const);

const summaryProperties = {
  id: Type.String(),
  projectId: Nullable(Type.String()),
  target: Type.String(),
  versionNumber: Type.Integer(),
  task: OneOf(TASKS),
  algorithm: Type.String(),
  status: ModelStatusSchema,
  visibility: VisibilitySchema,
  trainingRows: Type.Integer(),
  trainingDataHash: Type.String(),
  codeVersion: Type.String(),
  seed: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  activatedAt: Nullable(Type.String()),
  metrics: Type.Record(Type.String(), Type.Unknown(), { description: 'Out-of-fold metrics of the model' }),
  baselines: Type.Record(Type.String(), Type.Unknown(), { description: 'The same metrics for naive baselines on the same folds' }),
};

export const ModelVersionSummarySchema = Type.Object(summaryProperties, { $id: 'ModelVersionSummary' });
export const ModelVersionSchema = Type.Object({
  ...summaryProperties,
  hyperparameters: Type.Record(Type.String(), Type.Unknown()),
  featureNames: Type.Array(Type.String()),
  trainingSource: Type.Record(Type.String(), Type.Unknown()),
  notes: Nullable(Type.String()),
  evaluation: Type.Record(Type.String(), Type.Unknown(), {
    description: 'Everything the model card shows: split, metrics, baselines, conformal coverage, calibration, learning curve, feature importance, out-of-fold predictions',
  }),
}, { $id: 'ModelVersion' });

export const TrainBody = Type.Object({
  projectId: Type.Optional(Nullable(Uuid)),
  target: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Model target name, e.g. "pure-tg"; defaults to the target column' })),
  content: Type.String({ minLength: 1, maxLength: 10 * 1024 * 1024, description: 'CSV (or TSV) text with a header row' }),
  fileName: Type.Optional(Type.String({ maxLength: 300 })),
  smilesColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Structure column (structure models; not for kinetic)' })),
  targetColumn: Type.String({ minLength: 1, maxLength: 200 }),
  featureColumns: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 })),
  cpaColumns: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 30, description: 'Kinetic toxicity model: molality columns (mol/kg water), one per CPA' })),
  timeColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Kinetic toxicity model: exposure time column (minutes)' })),
  survivalUnit: Type.Optional(OneOf(['fraction', 'percent', 'auto'] as const)),
  task: Type.Optional(OneOf(TASKS)),
  algorithm: Type.Optional(OneOf(ALGORITHMS)),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  level: Type.Optional(Level),
  hyperparameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  activeBelow: Type.Optional(Type.Number({ description: 'Classification from a continuous target: rows below this value are active (IRI: 50 % MGS)' })),
  scaledBaselineFeature: Type.Optional(Type.String({ maxLength: 200, description: 'A column x for the g·x baseline (e.g. Tm for Tg ≈ 0.70·Tm)' })),
  notes: Type.Optional(Type.String({ maxLength: 10000 })),
  activate: Type.Optional(Type.Boolean({ description: 'Activate the new version when training succeeds' })),
}, { additionalProperties: false });
export type TrainBody = Static<typeof TrainBody>;

export const VersionListQuery = Type.Object({
  target: Type.Optional(Type.String({ maxLength: 64 })),
  projectId: Type.Optional(Uuid),
  status: Type.Optional(ModelStatusSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
});

export const PredictBody = Type.Object({
  smiles: Type.Optional(Type.Array(Type.String({ maxLength: 100_000 }), { maxItems: MAX_PREDICT_ROWS })),
  exposures: Type.Optional(Type.Array(Type.Object({
    composition: Type.Record(Type.String({ maxLength: 200 }), Type.Number({ minimum: 0 }), { description: 'Molality (mol/kg water) per CPA key of the model' }),
    minutes: Type.Number({ exclusiveMinimum: 0 }),
  }, { additionalProperties: false }), { maxItems: MAX_PREDICT_ROWS, description: 'For kinetic toxicity models' })),
  moleculeIds: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: MAX_PREDICT_ROWS })),
  level: Type.Optional(Level),
  record: Type.Optional(Type.Boolean({ description: 'Store each prediction in the ledger (default true)' })),
}, { additionalProperties: false });

export const PredictTargetBody = Type.Object({
  ...PredictBody.properties,
  projectId: Type.Optional(Nullable(Uuid)),
}, { additionalProperties: false });

const PredictedItem = Type.Object({
  index: Type.Integer(),
  input: Type.String(),
  canonicalSmiles: Nullable(Type.String()),
  inchikey: Nullable(Type.String()),
  moleculeId: Nullable(Type.String()),
  value: Nullable(Type.Number()),
  lower: Nullable(Type.Number()),
  upper: Nullable(Type.Number()),
  probability: Nullable(Type.Number()),
  inDomain: Nullable(Type.Boolean()),
  domainScore: Nullable(Type.Number()),
  predictionId: Nullable(Type.String()),
  error: Nullable(Type.String()),
});

const VersionRef = Type.Object({ id: Type.String(), target: Type.String(), versionNumber: Type.Integer(), algorithm: Type.String(), task: Type.String() });

export const PredictResponse = Type.Object({ version: VersionRef, level: Type.Number(), items: Type.Array(PredictedItem) });

export const EvaluateBody = Type.Object({
  content: Type.String({ minLength: 1, maxLength: 10 * 1024 * 1024 }),
  smilesColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  targetColumn: Type.String({ minLength: 1, maxLength: 200 }),
  level: Type.Optional(Level),
}, { additionalProperties: false });

const RowIssue = Type.Object({ index: Type.Integer(), line: Type.Integer(), error: Type.String() });
export const EvaluateResponse = Type.Object({ version: VersionRef, used: Type.Integer(), skipped: Type.Array(RowIssue), evaluation: Type.Unknown() });

export const CompareQuery = Type.Object({ a: Uuid, b: Uuid });
export const CompareResponse = Type.Object({
  a: Type.Ref('ModelVersionSummary'),
  b: Type.Ref('ModelVersionSummary'),
  basis: OneOf(['stored', 'retrained'] as const),
  trainingDataHash: Type.String(),
  evaluationA: Type.Record(Type.String(), Type.Unknown()),
  evaluationB: Type.Record(Type.String(), Type.Unknown()),
});

export const LedgerQuery = Type.Object({
  versionId: Type.Optional(Uuid),
  moleculeId: Type.Optional(Uuid),
  mixtureId: Type.Optional(Uuid),
  target: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const LedgerItemSchema = Type.Object({
  id: Type.String(), modelVersionId: Nullable(Type.String()), method: Type.String(), versionNumber: Nullable(Type.Integer()), target: Type.String(),
  subjectKind: OneOf(['structure', 'molecule', 'mixture'] as const), moleculeId: Nullable(Type.String()), mixtureId: Nullable(Type.String()),
  inputs: Type.Record(Type.String(), Type.Unknown()), value: Type.Number(), lower: Nullable(Type.Number()), upper: Nullable(Type.Number()),
  level: Nullable(Type.Number()), inDomain: Type.Boolean(), domainScore: Nullable(Type.Number()), createdBy: Type.String(), createdAt: Type.String(),
});

export const MixturePredictionsResponse = Type.Object({
  mixtureId: Type.String(),
  predictions: Type.Array(Type.Object({
    target: Type.String(),
    unit: Type.String(),
    available: Type.Boolean(),
    value: Nullable(Type.Number()),
    lower: Nullable(Type.Number()),
    upper: Nullable(Type.Number()),
    level: Type.Number(),
    method: Nullable(Type.String({ description: 'e.g. gordon-taylor+model-tg+residual' })),
    physics: Nullable(Type.Number({ description: 'The Gordon–Taylor value before the learned residual' })),
    residual: Nullable(Type.Object({ applied: Type.Boolean(), offset: Type.Number(), n: Type.Integer(), halfWidth: Nullable(Type.Number()) })),
    components: Type.Array(Type.Unknown()),
    modelVersions: Type.Array(Type.Object({ id: Type.String(), target: Type.String(), versionNumber: Type.Integer() })),
    notes: Type.Array(Type.String()),
    reason: Nullable(Type.String({ description: 'Why no value could be given' })),
    predictionId: Nullable(Type.String({ description: 'Ledger entry of this prediction' })),
  })),
});
