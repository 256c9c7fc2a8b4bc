import { Type } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Relative URI of the problem type; GET it for a description' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'Stable machine-readable code from the error catalogue' }),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String(), in: Type.Optional(Type.String()) })),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const problemRef = Type.Ref('Problem');
/** The problem responses every route may give; spread into a route's `response` map. */
export const ProblemResponses = {
  400: problemRef,
  '4xx': problemRef,
  '5xx': problemRef,
} as const;
