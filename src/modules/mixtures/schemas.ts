import { Type, type Static } from 'typebox';
import { COMPONENT_ROLES, CONCENTRATION_UNITS } from '../../science/index.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const MixtureComponentInput = Type.Object(
  {
    inchikey: Type.Optional(Type.String({ pattern: '^[A-Za-z]{14}-[A-Za-z]{10}-[A-Za-z]$', description: 'Standard InChIKey of a molecule visible to you' })),
    moleculeId: Type.Optional(Type.String({ format: 'uuid', description: 'Id of a molecule visible to you' })),
    componentId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Key of a non-structural component (polymer, ice blocker, carrier) from the reference data' })),
    amount: Type.Number({ minimum: 0, description: 'Amount in `unit`' }),
    unit: Type.Union(CONCENTRATION_UNITS.map((u) => Type.Literal(u)), { description: 'Concentration unit; molalities are per kg of water' }),
    role: Type.Optional(Type.Union(COMPONENT_ROLES.map((r) => Type.Literal(r)), {
      description: 'Role in the formulation; decides which components count as penetrating for q_v*',
    })),
  },
  { additionalProperties: false, description: 'Give exactly one of inchikey, moleculeId and componentId' },
);
export type MixtureComponentInput = Static<typeof MixtureComponentInput>;

export const EvaluateMixtureBody = Type.Object(
  {
    components: Type.Array(MixtureComponentInput, { minItems: 1, maxItems: 50 }),
    balance: Type.Optional(Type.Literal('water', { default: 'water', description: 'The balance component; only water is supported' })),
    solutionDensity: Type.Optional(Type.Number({
      exclusiveMinimum: 0, maximum: 5, description: 'Measured density of the final solution, g/mL; replaces ideal volume additivity',
    })),
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
