import { Type, type Static } from 'typebox';
import { VisibilityInputSchema, VisibilitySchema } from '../sharing/visibility-schema.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

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
    clogp: Nullable(Type.Number({ description: 'Crippen cLogP (RDKit)' })),
    tpsa: Nullable(Type.Number({ description: 'Topological polar surface area, Å² (RDKit)' })),
    hbd: Nullable(Type.Integer({ description: 'H-bond donors (RDKit NumHBD)' })),
    hba: Nullable(Type.Integer({ description: 'H-bond acceptors (RDKit NumHBA)' })),
    rotatableBonds: Nullable(Type.Integer()),
    heavyAtoms: Nullable(Type.Integer()),
    polarGroupTotal: Nullable(Type.Integer({ description: 'hydroxyl + amide + sulfoxide groups (qv* polar groups)' })),
    identifiers: Type.Object({
      pubchemCid: Nullable(Type.Integer()),
      chemblId: Nullable(Type.String()),
      cas: Nullable(Type.String({ description: 'CAS Registry Number, check digit validated' })),
    }),
    links: Type.Array(Type.Object({ label: Type.String(), url: Type.String() }), { description: 'Links out to PubChem, ChEMBL and CAS Common Chemistry' }),
    projectId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'null = public reference data' }),
    visibility: VisibilitySchema,
    source: Type.Union([
      Type.Object({ key: Type.String(), title: Type.String(), doi: Type.Union([Type.String(), Type.Null()]), year: Type.Union([Type.Integer(), Type.Null()]) }),
      Type.Null(),
    ]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Molecule' },
);
export type Molecule = Static<typeof MoleculeSchema>;

export const StandardizationSchema = Type.Object({
  input: Type.String(),
  changed: Type.Boolean(),
  steps: Type.Array(Type.String()),
  strippedFragments: Type.Array(Type.String()),
});

export const MoleculeDetailSchema = Type.Object(
  {
    ...MoleculeSchema.properties,
    descriptors: Type.Record(Type.String(), Type.Number()),
    standardization: StandardizationSchema,
  },
  { $id: 'MoleculeDetail' },
);
export type MoleculeDetail = Static<typeof MoleculeDetailSchema>;

export const MoleculeListSchema = Type.Object({
  items: Type.Array(Type.Ref('Molecule')),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= to get the next page; null on the last page' }),
});

export const SORT_FIELDS = ['name', 'molecularWeight', 'clogp', 'tpsa'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** Descriptor range filters shared by the list, export and similarity search. */
export const DescriptorFilterProperties = {
  minMw: Type.Optional(Type.Number({ description: 'Minimum molecular weight, g/mol' })),
  maxMw: Type.Optional(Type.Number()),
  minClogp: Type.Optional(Type.Number()),
  maxClogp: Type.Optional(Type.Number()),
  minTpsa: Type.Optional(Type.Number()),
  maxTpsa: Type.Optional(Type.Number()),
  minHbd: Type.Optional(Type.Integer()),
  maxHbd: Type.Optional(Type.Integer()),
  minHba: Type.Optional(Type.Integer()),
  maxHba: Type.Optional(Type.Integer()),
  minPolarGroups: Type.Optional(Type.Integer()),
  maxPolarGroups: Type.Optional(Type.Integer()),
  projectId: Type.Optional(Type.String({ format: 'uuid', description: 'Only this project\'s molecules' })),
  public: Type.Optional(Type.Boolean({ description: 'true: only public reference data' })),
};
export const DescriptorFilters = Type.Object(DescriptorFilterProperties, { additionalProperties: false });
export type DescriptorFilters = Static<typeof DescriptorFilters>;

const ListFilterProperties = {
  ...DescriptorFilterProperties,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Name or synonym (contains), InChIKey, exact canonical SMILES, CAS number, PubChem CID or ChEMBL id' })),
  sort: Type.Union([Type.Literal('name'), Type.Literal('molecularWeight'), Type.Literal('clogp'), Type.Literal('tpsa')], { default: 'name' }),
  order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
};

export const MoleculeListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
  ...ListFilterProperties,
});
export type MoleculeListQuery = Static<typeof MoleculeListQuery>;
/** What selects and orders molecules, without paging. */
export type MoleculeSelection = Omit<MoleculeListQuery, 'limit' | 'cursor'>;

export const ExportQuery = Type.Object({
  format: Type.Union([Type.Literal('csv'), Type.Literal('sdf'), Type.Literal('json')]),
  ...ListFilterProperties,
});
export type ExportQuery = Static<typeof ExportQuery>;

const IdentifierProperties = {
  pubchemCid: Type.Optional(Nullable(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ maxLength: 30 })], { description: 'PubChem CID (702 or "CID 702")' }))),
  chemblId: Type.Optional(Nullable(Type.String({ maxLength: 30, description: 'e.g. CHEMBL545' }))),
  cas: Type.Optional(Nullable(Type.String({ maxLength: 30, description: 'CAS RN, e.g. 56-81-5; the check digit is verified' }))),
};

const StructureProperties = {
  smiles: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000, description: 'SMILES of the structure' })),
  molblock: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000, description: 'MDL molblock (V2000 or V3000) or one SD-file record' })),
};

export const CreateMoleculeBody = Type.Object(
  {
    ...StructureProperties,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    synonyms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 200 })),
    ...IdentifierProperties,
    projectId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'Omit or null for public reference data (admins only)' })),
    visibility: Type.Optional(VisibilityInputSchema),
  },
  { additionalProperties: false, description: 'Give exactly one of smiles or molblock' },
);
export type CreateMoleculeBody = Static<typeof CreateMoleculeBody>;

export const UpdateMoleculeBody = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
    synonyms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 200 })),
    ...IdentifierProperties,
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMoleculeBody = Static<typeof UpdateMoleculeBody>;

export const MAX_BATCH = 10_000;
export const BatchRow = Type.Object(
  {
    ...StructureProperties,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    synonyms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 200 })),
    ...IdentifierProperties,
  },
  { additionalProperties: false },
);
export type BatchRow = Static<typeof BatchRow>;

export const BatchBody = Type.Object(
  {
    molecules: Type.Array(BatchRow, { minItems: 1, maxItems: MAX_BATCH }),
    projectId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type BatchBody = Static<typeof BatchBody>;

export const RowResultSchema = Type.Object({
  index: Type.Integer({ description: '0-based position of the row in the request or file' }),
  status: Type.Union([Type.Literal('registered'), Type.Literal('duplicate'), Type.Literal('invalid')]),
  id: Type.Optional(Type.String({ format: 'uuid' })),
  inchikey: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer({ description: 'Line in the imported file where the row starts' })),
});
export type RowResult = Static<typeof RowResultSchema>;

export const BatchResponse = Type.Object({ results: Type.Array(RowResultSchema) });

export const SimilarityBody = Type.Object(
  {
    smiles: Type.String({ minLength: 1, maxLength: 100_000 }),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Top-k mode (default 10 when no threshold)' })),
    threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Threshold mode: every molecule with Tanimoto ≥ threshold' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Threshold mode: items returned (total counts all)' })),
    filters: Type.Optional(DescriptorFilters),
  },
  { additionalProperties: false },
);
export type SimilarityBody = Static<typeof SimilarityBody>;

export const SubstructureBody = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 100_000, description: 'SMARTS, or SMILES when not valid SMARTS' }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

export const SearchHitSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  inchikey: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  canonicalSmiles: Type.String(),
  molecularWeight: Type.Number(),
  projectId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  similarity: Type.Optional(Type.Number({ description: 'Tanimoto on Morgan r=2, 2048-bit fingerprints' })),
});
export type SearchHit = Static<typeof SearchHitSchema>;
export const SearchResponse = Type.Object({
  items: Type.Array(SearchHitSchema),
  total: Type.Integer({ description: 'Exact number of matches visible to you (items may be fewer)' }),
});
export type SearchResponse = Static<typeof SearchResponse>;

export const ImportBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('sdf')]),
    content: Type.String({ minLength: 0, maxLength: 11_000_000, description: 'The file text' }),
    smilesColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'CSV: column holding SMILES (default "smiles")' })),
    nameColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'CSV: name column; SDF: data field for the name (default: the molblock title)' })),
    projectId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;

export const MoleculeIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const DepictionQuery = Type.Object({
  width: Type.Integer({ minimum: 50, maximum: 2000, default: 300 }),
  height: Type.Integer({ minimum: 50, maximum: 2000, default: 200 }),
  highlight: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'SMARTS/SMILES whose matches are highlighted' })),
});

/** Depicting a structure that need not be registered (live preview while typing a query). */
export const DepictSmilesQuery = Type.Object({
  // A query string, not a body: 2,000 characters keeps the URL within what proxies and browsers pass.
  smiles: Type.String({ minLength: 1, maxLength: 2000, description: 'SMILES to draw as typed (not standardized)' }),
  ...DepictionQuery.properties,
}, { additionalProperties: false });
export type DepictSmilesQuery = Static<typeof DepictSmilesQuery>;

export const MeasuredPropertySchema = Type.Object({
  property: Type.String({ description: 'density (g/mL), molar_mass (g/mol), tg (K), gt_tg (K) and gt_k (1): Gordon–Taylor pair with water' }),
  value: Type.Number(),
  unit: Type.String(),
  conditions: Type.String(),
  evidence: Type.Union([Type.Literal('V'), Type.Literal('L'), Type.Literal('C')], {
    description: 'V: seen in the retrieved source; L: cited, source text not retrieved; C: computed (docs/science.md)',
  }),
  usedInCalculations: Type.Boolean({ description: 'The first row of a property is the value formulation calculations use' }),
  source: Type.Object({
    id: Type.String(),
    title: Type.String(),
    authors: Type.String(),
    year: Nullable(Type.Integer()),
    journal: Type.String(),
    doi: Nullable(Type.String()),
    url: Nullable(Type.String()),
  }),
});
export type MeasuredProperty = Static<typeof MeasuredPropertySchema>;
export const MeasuredPropertyList = Type.Object({ items: Type.Array(MeasuredPropertySchema) });
