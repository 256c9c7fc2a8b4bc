import { Type, type Static } from 'typebox';

export const ROLES = ['owner', 'editor', 'reviewer', 'viewer'] as const;
export const Role = Type.Union([Type.Literal('owner'), Type.Literal('editor'), Type.Literal('reviewer'), Type.Literal('viewer')]);
export type Role = (typeof ROLES)[number];

export const MemberSchema = Type.Object({
  userId: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: Role,
  addedAt: Type.String({ format: 'date-time' }),
});

export const ProjectSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    myRole: Role,
    createdAt: Type.String({ format: 'date-time' }),
    members: Type.Optional(Type.Array(MemberSchema)),
    invitations: Type.Optional(Type.Array(Type.Object({ email: Type.String(), role: Role, createdAt: Type.String() }), { description: 'Pending invitations (owners only)' })),
  },
  { $id: 'Project' },
);
export type Project = Static<typeof ProjectSchema>;

export const CreateProjectBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), description: Type.Optional(Type.String({ maxLength: 10000 })) },
  { additionalProperties: false },
);
export const UpdateProjectBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), description: Type.Optional(Type.Union([Type.String({ maxLength: 10000 }), Type.Null()])) },
  { additionalProperties: false, minProperties: 1 },
);
export const AddMemberBody = Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }), role: Role }, { additionalProperties: false });
export const ProjectParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }), userId: Type.String({ format: 'uuid' }) });
