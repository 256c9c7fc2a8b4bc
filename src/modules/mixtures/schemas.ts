import { Type, type Static } from 'typebox';
import { COMPONENT_ROLES, CONCENTRATION_UNITS } from '../../science/index.ts';
import { OneOf } from '../../lib/schema.ts';
import { VisibilityInputSchema, VisibilitySchema } from '../sharing/visibility-schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);


export const MixtureComponentInput = Type.Object(
  {
    inchikey: Type.Optional(Type.String({ pattern: '^[A-Za-z]{14}-[A-Za-z]{10}-[A-Za-z]$', description: 'Standard InChIKey of a molecule visible to you' })),
    moleculeId: Type.Optional(Type.String({ format: 'uuid', description: 'Id of a molecule visible to you' })),
    componentId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Key of a non-structural component (polymer, ice blocker, carrier) from the reference data' })),
    amount: Type.Number({ minimum: 0, description: 'Amount in `unit`' }),
    unit: OneOf(CONCENTRATION_UNITS, { description: 'Concentration unit; molalities are per kg of water' }),
    role: Type.Optional(OneOf(COMPONENT_ROLES, {
      description: 'Role in the formulation; decides which components count as penetrating for q_v*',
    })),
  },
  { additionalProperties: false, description: 'Give exactly one of inchikey, moleculeId and componentId' },
);
export type MixtureComponentInput = Static<typeof MixtureComponentInput>;

const CarrierInput = Type.String({
  minLength: 1, maxLength: 200,
  description: 'The carrier (base solution): the key of a non-structural component (e.g. euro-collins) or free text (e.g. "PBS"). '
    + 'It is treated as water by the composition solver; an assumption says so.',
});

export const EvaluateMixtureBody = Type.Object(
  {
    components: Type.Array(MixtureComponentInput, { minItems: 1, maxItems: 50 }),
    balance: Type.Optional(Type.Literal('water', { default: 'water', description: 'The balance component; only water is supported' })),
    solutionDensity: Type.Optional(Type.Number({
      exclusiveMinimum: 0, maximum: 5, description: 'Measured density of the final solution, g/mL; replaces ideal volume additivity',
    })),
    carrier: Type.Optional(CarrierInput),
  },
  { additionalProperties: false },
);
export type EvaluateMixtureBody = Static<typeof EvaluateMixtureBody>;

const SourceRef = Type.Object({
  key: Type.String(),
  title: Type.String(),
  doi: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
});

export const MixtureEvaluationSchema = Type.Object({
  components: Type.Array(Type.Object({
    key: Type.String({ description: 'InChIKey of a molecule, or the non-structural component key' }),
    name: Type.String(),
    inchikey: Nullable(Type.String()),
    moleculeId: Nullable(Type.String({ format: 'uuid' })),
    role: Nullable(Type.String()),
    amount: Type.Number({ description: 'As given' }),
    unit: Type.String({ description: 'As given' }),
    massFraction: Type.Number(),
    moleFraction: Nullable(Type.Number()),
    molarity: Nullable(Type.Number({ description: 'mol per L of solution' })),
    molality: Nullable(Type.Number({ description: 'mol per kg of water' })),
  })),
  water: Type.Object({ massFraction: Type.Number(), moleFraction: Nullable(Type.Number()) }),
  volumeModel: Type.Union([Type.Literal('measured-density'), Type.Literal('ideal-volume-additivity'), Type.Literal('unavailable')]),
  solutionDensity: Nullable(Type.Number({ description: 'g/mL, measured or implied by ideal volume additivity' })),
  glassTransition: Type.Object({
    kelvin: Nullable(Type.Number()),
    celsius: Nullable(Type.Number()),
    method: Type.Literal('gordon-taylor'),
    missing: Type.Array(Type.Object({ component: Type.String(), name: Type.String(), missing: Type.Array(Type.String()) })),
    alternatives: Type.Array(Type.Object({
      method: Type.Union([Type.Literal('fox'), Type.Literal('couchman-karasz')]),
      kelvin: Nullable(Type.Number()),
      missing: Type.Array(Type.Object({ component: Type.String(), name: Type.String(), missing: Type.Array(Type.String()) })),
      note: Type.String(),
    }), { description: 'Other mixing rules over the same cited data; null where a parameter has no cited value' }),
    parameters: Type.Array(Type.Object({
      component: Type.String(),
      name: Type.String(),
      tg: Nullable(Type.Number({ description: 'K' })),
      k: Nullable(Type.Number({ description: 'Gordon–Taylor k of the binary with water (multiplies the water term); null for water itself' })),
      sourceKey: Nullable(Type.String({ description: 'Source of k (the Gordon–Taylor pair), or of Tg for water' })),
      tgSourceKey: Nullable(Type.String()),
    })),
  }),
  qvStar: Nullable(Type.Number({ description: 'Water molecules per polar group of the penetrating CPAs (Fahy 2004)' })),
  qvStarDetail: Type.Object({
    convention: Type.String(),
    conventionVerified: Type.Boolean(),
    description: Type.String(),
    penetrating: Type.Array(Type.Object({ component: Type.String(), molality: Nullable(Type.Number()), polarGroups: Nullable(Type.Number()) })),
    notes: Type.Array(Type.String()),
  }),
  osmolality: Nullable(Type.Number({ description: 'Ideal osmolality, osmol per kg of water' })),
  osmolalityKnownContribution: Type.Number({ description: 'Sum over solutes with known molality (a lower bound when osmolality is null)' }),
  totalMolarity: Nullable(Type.Number()),
  totalMolality: Nullable(Type.Number()),
  assumptions: Type.Array(Type.String()),
  notes: Type.Array(Type.String({ description: 'Why an output is null' })),
  sources: Type.Array(SourceRef),
});
export type MixtureEvaluation = Static<typeof MixtureEvaluationSchema>;

// ---- Stored mixtures ------------------------------------------------------------------------------------------

const Uuid = Type.String({ format: 'uuid' });
const SourceOrNull = Nullable(SourceRef);

export const MixtureSummarySchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  projectId: Nullable(Uuid),
  visibility: VisibilitySchema,
  verified: Type.Boolean({ description: 'Seeded reference recipe whose composition was checked against the cited source' }),
  carrier: Nullable(Type.String({ description: 'Non-structural component key, or free text' })),
  carrierName: Nullable(Type.String({ description: 'Display name of the carrier' })),
  componentCount: Type.Integer(),
  source: SourceOrNull,
});
export type MixtureSummary = Static<typeof MixtureSummarySchema>;

export const MixtureListSchema = Type.Object({
  items: Type.Array(MixtureSummarySchema),
  nextCursor: Nullable(Type.String({ description: 'Pass as ?cursor= to get the next page; null on the last page' })),
});

export const MIXTURE_SCOPES = ['all', 'reference', 'mine'] as const;
export type MixtureScope = (typeof MIXTURE_SCOPES)[number];

export const MixtureListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the name; empty means no filter' })),
  scope: OneOf(MIXTURE_SCOPES, {
    default: 'all',
    description: 'all: everything visible to you; reference: public reference recipes; mine: recipes in your projects',
  }),
});
export type MixtureListQuery = Static<typeof MixtureListQuery>;

export const StoredComponentSchema = Type.Object({
  position: Type.Integer({ description: '0-based index in the recipe (components[i])' }),
  moleculeId: Nullable(Uuid),
  componentId: Nullable(Type.String({ description: 'Key of the non-structural component' })),
  name: Type.String(),
  inchikey: Nullable(Type.String()),
  amount: Type.Number(),
  unit: Type.String(),
  role: Nullable(Type.String()),
});
export type StoredComponent = Static<typeof StoredComponentSchema>;

export const DerivedErrorSchema = Type.Object({
  detail: Type.String(),
  errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String(), in: Type.Optional(Type.String()) })),
}, { description: 'Why the stored recipe cannot be evaluated (the 422 problem :evaluate would give); derived is then null' });

export const MixtureDetailSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Nullable(Type.String()),
    projectId: Nullable(Uuid),
    visibility: VisibilitySchema,
    verified: Type.Boolean(),
    carrier: Nullable(Type.String({ description: 'Non-structural component key, or free text' })),
    carrierName: Nullable(Type.String()),
    solutionDensity: Nullable(Type.Number({ description: 'Measured solution density, g/mL; null = ideal volume additivity' })),
    source: SourceOrNull,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    components: Type.Array(StoredComponentSchema),
    derived: Nullable(MixtureEvaluationSchema),
    derivedError: Type.Optional(DerivedErrorSchema),
  },
  { $id: 'MixtureDetail' },
);
export type MixtureDetail = Static<typeof MixtureDetailSchema>;

const NameField = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Unique within its scope (a project, or the public reference set)' });
const DescriptionField = Type.String({ maxLength: 10000 });

export const CreateMixtureBody = Type.Object(
  {
    name: NameField,
    description: Type.Optional(Nullable(DescriptionField)),
    projectId: Type.Optional(Nullable(Type.String({ format: 'uuid', description: 'Omit or null for public reference data (admins only)' }))),
    carrier: Type.Optional(Nullable(CarrierInput)),
    // One schema with a type list, not anyOf: with the server's type coercion, anyOf [number, null] would turn 0 into null.
    solutionDensity: Type.Optional(Type.Unsafe<number | null>({
      type: ['number', 'null'], exclusiveMinimum: 0, maximum: 5, description: 'Measured density of the final solution, g/mL; null = ideal volume additivity',
    })),
    balance: Type.Optional(Type.Literal('water', { default: 'water' })),
    components: Type.Array(MixtureComponentInput, { minItems: 1, maxItems: 50 }),
    visibility: Type.Optional(VisibilityInputSchema),
  },
  { additionalProperties: false },
);
export type CreateMixtureBody = Static<typeof CreateMixtureBody>;

const { visibility: _createOnly, ...mixtureFields } = CreateMixtureBody.properties;
/** Visibility changes through PUT /mixtures/{id}/visibility (it publishes the recipe's molecules too). */
export const UpdateMixtureBody = Type.Object(
  {
    ...mixtureFields,
    projectId: Type.Optional(Nullable(Type.String({ format: 'uuid', description: 'Accepted for convenience; must equal the stored project (a mixture cannot move)' }))),
  },
  { additionalProperties: false },
);
export type UpdateMixtureBody = Static<typeof UpdateMixtureBody>;

export const MixtureIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ExportQuery = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
});

export const CompareBody = Type.Object(
  { ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 2, maxItems: 4, uniqueItems: true }) },
  { additionalProperties: false },
);
export type CompareBody = Static<typeof CompareBody>;

export const CompareResponse = Type.Object({ items: Type.Array(Type.Ref('MixtureDetail')) });

export const TgCurveQuery = Type.Object({
  component: Type.String({ pattern: '^[A-Za-z]{14}-[A-Za-z]{10}-[A-Za-z]$', description: 'InChIKey of a molecule in the mixture' }),
  points: Type.Integer({ minimum: 2, maximum: 1001, default: 101 }),
});

export const TgCurveSchema = Type.Object({
  component: Type.String({ description: 'InChIKey of the solute' }),
  name: Type.String(),
  method: Type.Literal('gordon-taylor'),
  parameters: Type.Object({
    tg: Type.Number({ description: 'Solute Tg, K (fitted together with k)' }),
    k: Type.Number({ description: 'Gordon–Taylor k of the binary with water' }),
    water: Type.Object({ tg: Type.Number({ description: 'K' }) }),
  }),
  points: Type.Array(Type.Object({ massFraction: Type.Number({ description: 'Solute mass fraction' }), kelvin: Type.Number() })),
  sources: Type.Array(SourceRef),
});
export type TgCurve = Static<typeof TgCurveSchema>;

export const ComponentListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the key or name; empty means no filter' })),
});

export const NonstructuralComponentSchema = Type.Object({
  key: Type.String({ description: 'Pass as componentId in a recipe' }),
  name: Type.String(),
  kind: Type.String({ description: 'polymer, carrier, ice_blocker or other' }),
  averageMolarMass: Nullable(Type.Number({ description: 'g/mol; null when no cited value exists' })),
  density: Nullable(Type.Number({ description: 'g/mL of the pure component' })),
  grade: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  projectId: Nullable(Uuid),
  source: SourceOrNull,
});
export type NonstructuralComponent = Static<typeof NonstructuralComponentSchema>;

export const ComponentListSchema = Type.Object({ items: Type.Array(NonstructuralComponentSchema) });
