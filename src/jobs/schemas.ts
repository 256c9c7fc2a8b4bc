import { Type } from 'typebox';

export const JobSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.String({ description: 'e.g. molecules.import' }),
    status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
    progress: Type.Object({ done: Type.Integer(), total: Type.Union([Type.Integer(), Type.Null()]) }),
    result: Type.Union([Type.Unknown(), Type.Null()], { description: 'Kind-specific; imports give counts and a per-row report' }),
    error: Type.Union([Type.String(), Type.Null()]),
    projectId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    createdBy: Type.String({ format: 'uuid' }),
    createdAt: Type.String({ format: 'date-time' }),
    startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Job' },
);

export const JobIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
