import { Type, type Static } from 'typebox';
import { OneOf } from '../../lib/schema.ts';
import { VisibilityInputSchema, VisibilitySchema } from '../sharing/visibility-schema.ts';
import { VERIFICATION_STATES } from './verification.ts';

const Step = Type.Object({
  amount: Type.Optional(Type.Number({ minimum: 0, description: 'Concentration of this step, in `unit`' })),
  unit: Type.Optional(Type.String({ maxLength: 20 })),
  fractionOfFinal: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Alternatively: fraction of the final formulation' })),
  durationMin: Type.Number({ exclusiveMinimum: 0, maximum: 100000 }),
  temperatureC: Type.Number({ minimum: -273.15, maximum: 100 }),
}, { additionalProperties: false });

export const ProtocolSchema = Type.Object({
  loading: Type.Array(Step, { maxItems: 30, default: [] }),
  removal: Type.Array(Step, { maxItems: 30, default: [] }),
  coolingRateKPerMin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e9 })),
  warmingRateKPerMin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e9 })),
  storageTemperatureC: Type.Optional(Type.Number({ minimum: -273.15, maximum: 100 })),
  storageDurationDays: Type.Optional(Type.Number({ minimum: 0, maximum: 365000 })),
}, { additionalProperties: false });

export const ResultInputSchema = Type.Object({
  measurement: Type.String({ minLength: 1, maxLength: 50 }),
  unit: Type.String({ minLength: 1, maxLength: 20 }),
  replicates: Type.Optional(Type.Array(Type.Number(), { maxItems: 1000 })),
  mean: Type.Optional(Type.Number()),
  sd: Type.Optional(Type.Number()),
  n: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000000 })),
  method: Type.Optional(Type.String({ maxLength: 500 })),
  dscConvention: Type.Optional(Type.String({ maxLength: 20 })),
  heatingRateKPerMin: Type.Optional(Type.Number()),
}, { additionalProperties: false });

const Sample = Type.Union([
  Type.Object({ sampleTypeId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
  Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: OneOf(['cell', 'tissue', 'organ', 'organism', 'solution', 'other'] as const),
    species: Type.Optional(Type.String({ maxLength: 200 })),
  }, { additionalProperties: false }),
]);

const Content = {
  mixtureId: Type.String({ format: 'uuid' }),
  title: Type.String({ minLength: 1, maxLength: 300 }),
  sample: Sample,
  protocol: ProtocolSchema,
  performedOn: Type.Optional(Type.String({ format: 'date' })),
  operator: Type.Optional(Type.String({ maxLength: 200 })),
  equipment: Type.Optional(Type.String({ maxLength: 500 })),
  notes: Type.Optional(Type.String({ maxLength: 20000 })),
  results: Type.Array(ResultInputSchema, { maxItems: 200 }),
};

export const CreateExperimentBody = Type.Object({ projectId: Type.String({ format: 'uuid' }), ...Content, visibility: Type.Optional(VisibilityInputSchema) }, { additionalProperties: false });
export type CreateExperimentBody = Static<typeof CreateExperimentBody>;
export const UpdateExperimentBody = Type.Object({
  projectId: Type.Optional(Type.String({ format: 'uuid', description: 'If sent, must be the stored project: experiments never move' })),
  ...Content,
}, { additionalProperties: false });
export type UpdateExperimentBody = Static<typeof UpdateExperimentBody>;

export const StateSchema = OneOf(VERIFICATION_STATES);
export const TransitionBody = Type.Object({ to: StateSchema, comment: Type.Optional(Type.String({ maxLength: 10000 })) }, { additionalProperties: false });

export const ResultSchema = Type.Object({
  measurement: Type.String(), unit: Type.String(), replicates: Type.Array(Type.Number()), mean: Type.Number(),
  sd: Type.Union([Type.Number(), Type.Null()]), n: Type.Integer(), method: Type.Union([Type.String(), Type.Null()]),
  dscConvention: Type.Union([Type.String(), Type.Null()]), heatingRateKPerMin: Type.Union([Type.Number(), Type.Null()]),
});

export const EventSchema = Type.Object({
  id: Type.String(), from: Type.String(), to: Type.String(), actorId: Type.Union([Type.String(), Type.Null()]),
  actorEmail: Type.Union([Type.String(), Type.Null()]), at: Type.String(), comment: Type.Union([Type.String(), Type.Null()]),
  snapshot: Type.Unknown(),
});

export const ExperimentSchema = Type.Object({
  id: Type.String(), projectId: Type.String(), visibility: VisibilitySchema, mixtureId: Type.String(), mixtureName: Type.String(),
  sampleType: Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), species: Type.Union([Type.String(), Type.Null()]) }),
  title: Type.String(), protocol: Type.Unknown(), performedOn: Type.Union([Type.String(), Type.Null()]),
  operator: Type.Union([Type.String(), Type.Null()]), equipment: Type.Union([Type.String(), Type.Null()]), notes: Type.Union([Type.String(), Type.Null()]),
  state: Type.String(), revision: Type.Integer(), previousRevisionId: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
  results: Type.Array(ResultSchema),
}, { $id: 'Experiment' });
export type Experiment = Static<typeof ExperimentSchema>;
