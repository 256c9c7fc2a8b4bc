import { Type } from 'typebox';

const Status = Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('failed')]);

export const HealthReportSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('failed')], { description: 'The worst status of any check' }),
    generatedAt: Type.String({ format: 'date-time' }),
    version: Type.String(),
    database: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]),
    checks: Type.Array(
      Type.Object({
        name: Type.String({ description: 'e.g. database, migrations, schema, row-level-security, integrity.duplicate-inchikeys, backup, disk' }),
        status: Status,
        detail: Type.String(),
        skipped: Type.Optional(Type.Boolean({ description: 'The check does not apply here; detail says why' })),
        data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Machine-readable facts behind the detail' })),
        durationMs: Type.Number(),
      }),
    ),
  },
  { $id: 'HealthReport' },
);

export const BackupSchema = Type.Object(
  {
    fileName: Type.String(),
    path: Type.String({ description: 'Absolute path on the server' }),
    createdAt: Type.String({ format: 'date-time' }),
    backend: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
    label: Type.Union([Type.String(), Type.Null()]),
    sizeBytes: Type.Integer(),
  },
  { $id: 'Backup' },
);

export const BackupListSchema = Type.Object({ items: Type.Array(Type.Ref('Backup')) });

export const CreatedBackupSchema = Type.Object({
  backup: Type.Ref('Backup'),
  tables: Type.Array(Type.Object({ name: Type.String(), rows: Type.Integer(), sha256: Type.String() })),
  seconds: Type.Number(),
});
