import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { MIXTURE_SCHEMAS, mixtureRoutes } from '../modules/mixtures/routes.ts';
import { moleculeRoutes } from '../modules/molecules/routes.ts';
import { MoleculeDetailSchema, MoleculeSchema } from '../modules/molecules/schemas.ts';
import { createMoleculeRegistry } from '../modules/molecules/registry.ts';
import { jobRoutes } from '../jobs/routes.ts';
import { jobReader } from '../jobs/runner.ts';
import { JobSchema } from '../jobs/schemas.ts';
import { opsRoutes } from '../modules/ops/routes.ts';
import { BackupSchema, HealthReportSchema } from '../modules/ops/schemas.ts';
import { projectRoutes } from '../modules/projects/routes.ts';
import { ProjectSchema } from '../modules/projects/schemas.ts';
import { createProjectService } from '../modules/projects/service.ts';
import { outboxMailer } from '../modules/accounts/mailer.ts';
import { auditRoutes } from '../modules/accounts/audit.ts';
import { experimentRoutes } from '../modules/experiments/routes.ts';
import { ExperimentSchema } from '../modules/experiments/schemas.ts';
import { createExperimentService } from '../modules/experiments/service.ts';
import { createExperimentExtras } from '../modules/experiments/extras.ts';
import { shareRoutes } from '../modules/sharing/routes.ts';
import { createShareService } from '../modules/sharing/service.ts';
import { modelRoutes } from '../modules/models/routes.ts';
import { createModelsModule } from '../modules/models/module.ts';
import { ModelVersionSchema, ModelVersionSummarySchema } from '../modules/models/schemas.ts';
import type { AppDeps } from './server.ts';

/**
 * The domain modules mounted under /api/v1. Adding a module is one entry here: its routes, the shared schemas
 * other routes $ref (registered once at the root so OpenAPI names them), and its OpenAPI tag.
 */
export interface ApiModule {
  name: string;
  description: string;
  schemas?: TSchema[];
  routes(deps: AppDeps): FastifyPluginAsyncTypebox;
}

export const API_MODULES: ApiModule[] = [
  { name: 'audit', description: 'The append-only audit log (data changes and security events)', routes: (deps) => auditRoutes(deps.db) },
  {
    name: 'projects',
    description: 'Projects, members and roles (owner, editor, reviewer, viewer)',
    schemas: [ProjectSchema],
    routes: (deps) => projectRoutes(createProjectService(deps.db, deps.mailer ?? outboxMailer(deps.config.mailOutboxDir), deps.config.publicUrl)),
  },
  {
    name: 'molecules',
    description: 'Molecule registry',
    schemas: [MoleculeSchema, MoleculeDetailSchema, JobSchema],
    routes: (deps) => moleculeRoutes(createMoleculeRegistry(deps)),
  },
  { name: 'jobs', description: 'Long-running work (imports): status, progress, result', routes: (deps) => jobRoutes(jobReader(deps.db)) },
  {
    name: 'mixtures',
    description: 'Formulations: unit-safe composition, glass transition, qv*, osmolality; stored mixtures, comparison, export',
    schemas: MIXTURE_SCHEMAS,
    routes: (deps) => mixtureRoutes(deps.db),
  },
  { name: 'ops', description: 'Operations: health report and backups (administrators)', schemas: [HealthReportSchema, BackupSchema], routes: opsRoutes },
  {
    name: 'experiments',
    description: 'Experiments, results and the lab verification workflow',
    schemas: [ExperimentSchema],
    routes: (deps) => experimentRoutes(createExperimentService(deps.db), createExperimentExtras(deps.db)),
  },
  {
    name: 'models',
    description: 'Predictive models: training jobs, immutable versions with evaluations, activation, predictions with intervals, the prediction ledger',
    schemas: [ModelVersionSummarySchema, ModelVersionSchema],
    routes: (deps) => modelRoutes(createModelsModule(deps)),
  },
  { name: 'sharing', description: 'Read-only share links with expiry and optional password', routes: (deps) => shareRoutes(createShareService(deps.db, deps.config.publicUrl)) },
];
