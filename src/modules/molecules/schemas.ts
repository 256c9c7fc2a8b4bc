import { Type, type Static } from 'typebox';

export const MoleculeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.Union([Type.String(), Type.Null()]),
    synonyms: Type.Array(Type.String()),
    canonicalSmiles: Type.String(),
    inchi: Type.String(),
    inchikey: Type.String({ description: 'Standard InChIKey; identity within a scope (public reference data or one project)' }),
    formula: Type.String(),
    molecularWeight: Type.Number({ description: 'Average molecular weight, g/mol (RDKit amw)' }),
    exactMass: Type.Number({ description: 'Monoisotopic mass, Da' }),
    projectId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null = public reference data' }),
    source: Type.Union([
      Type.Object({ key: Type.String(), title: Type.String(), doi: Type.Union([Type.String(), Type.Null()]), year: Type.Union([Type.Integer(), Type.Null()]) }),
      Type.Null(),
    ]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Molecule' },
);
export type Molecule = Static<typeof MoleculeSchema>;

export const MoleculeDetailSchema = Type.Object(
  {
    ...MoleculeSchema.properties,
    descriptors: Type.Record(Type.String(), Type.Number()),
    standardization: Type.Object({
      input: Type.String(),
      changed: Type.Boolean(),
      steps: Type.Array(Type.String()),
      strippedFragments: Type.Array(Type.String()),
    }),
  },
  { $id: 'MoleculeDetail' },
);
export type MoleculeDetail = Static<typeof MoleculeDetailSchema>;

export const MoleculeListSchema = Type.Object({
  items: Type.Array(Type.Ref('Molecule')),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= to get the next page; null on the last page' }),
});

export const MoleculeListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Name, synonym, InChIKey or exact canonical SMILES' })),
});
export type MoleculeListQuery = Static<typeof MoleculeListQuery>;

export const CreateMoleculeBody = Type.Object(
  {
    smiles: Type.String({ minLength: 1, maxLength: 100_000, description: 'SMILES of the structure' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    synonyms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 200 })),
    projectId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'Omit or null for public reference data (admins only)' })),
  },
  { additionalProperties: false },
);
export type CreateMoleculeBody = Static<typeof CreateMoleculeBody>;

export const MoleculeIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const DepictionQuery = Type.Object({
  width: Type.Integer({ minimum: 50, maximum: 2000, default: 300 }),
  height: Type.Integer({ minimum: 50, maximum: 2000, default: 200 }),
});
