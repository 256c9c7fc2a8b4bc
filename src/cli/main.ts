import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { MigrationError, migrateUp, migrationStatus } from '../db/migrate.ts';
import { buildServer } from '../app/server.ts';
import { APP_VERSION, openRuntime, prepareDatabase } from '../app/runtime.ts';
import { ensureLocalAdmin, LOCAL_ADMIN } from '../modules/accounts/local-admin.ts';
import { seedReferenceData, ReferenceDataError } from '../modules/reference/seed.ts';
import { MODULE_SEEDERS } from '../modules/reference/seeders.ts';
import { createMoleculeService } from '../modules/molecules/service.ts';
import { Problem } from '../app/problems.ts';
import { err, out, UsageError, type Command } from './command.ts';
import { MODULE_COMMANDS } from './commands/index.ts';

const commands: Record<string, Command> = {
  ...MODULE_COMMANDS,
  serve: {
    summary: 'Start the web UI and API (migrates and seeds on start)',
    usage: 'cryoprotect serve [--port N] [--host H]',
    options: { port: { type: 'string' }, host: { type: 'string' } },
    async run({ values }) {
      const env = { ...process.env };
      if (typeof values.port === 'string') env.PORT = values.port;
      if (typeof values.host === 'string') env.HOST = values.host;
      const config = loadConfig(env);
      const runtime = await openRuntime(config);
      try {
        const { migrated, seed } = await prepareDatabase(runtime);
        const app = await buildServer({ ...runtime, version: APP_VERSION });
        const address = await app.listen({ port: config.port, host: config.host });
        app.log.info({ migrated, seed, database: runtime.db.backend }, 'ready');
        out(`CryoProtect ${APP_VERSION} listening on ${address} (database: ${runtime.db.backend === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL server'})`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        out('Shutting down…');
        await app.close();
      } finally {
        await runtime.close();
      }
      return 0;
    },
  },
  migrate: {
    summary: 'Show or apply database migrations',
    usage: 'cryoprotect migrate status|up',
    async run({ positionals }) {
      const action = positionals[0];
      if (action !== 'status' && action !== 'up') throw new UsageError('migrate needs an action: status or up');
      const runtime = await openRuntime(loadConfig(), { chem: false });
      try {
        if (action === 'up') {
          const applied = await migrateUp(runtime.db);
          out(applied.length === 0 ? 'Database is up to date.' : `Applied migrations: ${applied.join(', ')}`);
          return 0;
        }
        const states = await migrationStatus(runtime.db);
        for (const s of states) out(`${String(s.version).padStart(4, '0')}  ${s.name.padEnd(32)} ${s.status.padEnd(8)} ${s.appliedAt ?? ''}`);
        return states.every((s) => s.status === 'applied') ? 0 : 1;
      } finally {
        await runtime.close();
      }
    },
  },
  seed: {
    summary: 'Load the shipped reference data (idempotent)',
    usage: 'cryoprotect seed [--force]',
    options: { force: { type: 'boolean' } },
    async run({ values }) {
      const runtime = await openRuntime(loadConfig());
      try {
        await migrateUp(runtime.db);
        await ensureLocalAdmin(runtime.db);
        const report = await seedReferenceData(runtime.db, runtime.chem, { force: values.force === true });
        for (const seeder of MODULE_SEEDERS) await seeder.seed(runtime, { force: values.force === true });
        out(report.skipped
          ? 'Reference data is already loaded and unchanged (use --force to reload).'
          : `Loaded ${report.sources} sources; molecules: ${report.molecules.created} new, ${report.molecules.existing} updated.`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },
  molecules: {
    summary: 'Add or list molecules',
    usage: 'cryoprotect molecules add SMILES [--name NAME] [--project ID] | molecules list [--query TEXT] [--limit N] [--json]',
    options: { name: { type: 'string' }, project: { type: 'string' }, query: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    async run({ values, positionals }) {
      const [action, smiles] = positionals;
      if (action !== 'add' && action !== 'list') throw new UsageError('molecules needs an action: add or list');
      if (action === 'add' && !smiles) throw new UsageError('molecules add needs a SMILES argument');
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be an integer from 1 to 500');
      const runtime = await openRuntime(loadConfig(), { chem: action === 'add' });
      try {
        await migrateUp(runtime.db);
        await ensureLocalAdmin(runtime.db);
        const service = createMoleculeService(runtime.db, runtime.chem);
        const actor = { userId: LOCAL_ADMIN.id };
        if (action === 'add') {
          const { molecule, created } = await service.register(actor, {
            smiles: smiles as string,
            ...(typeof values.name === 'string' ? { name: values.name } : {}),
            ...(typeof values.project === 'string' ? { projectId: values.project } : {}),
          });
          if (values.json) out(JSON.stringify(molecule, null, 2));
          else out(`${created ? 'Registered' : 'Already registered'}: ${molecule.id}  ${molecule.inchikey}  ${molecule.canonicalSmiles}  ${molecule.formula}  ${molecule.molecularWeight.toFixed(2)} g/mol`);
          return 0;
        }
        const page = await service.list(actor, { limit, ...(typeof values.query === 'string' ? { q: values.query } : {}) });
        if (values.json) out(JSON.stringify(page.items, null, 2));
        else for (const m of page.items) out(`${m.id}  ${m.inchikey}  ${(m.name ?? '').padEnd(28)} ${m.canonicalSmiles}`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    `cryoprotect ${APP_VERSION} — cryoprotectant formulation platform`,
    '',
    'Usage: cryoprotect <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `cryoprotect <command> --help` for a command\'s options.',
    'Configuration comes from the environment and .env (see docs/configuration.md):',
    'DATA_DIR selects the embedded database directory, DATABASE_URL a PostgreSQL server.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    out(APP_VERSION);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    err(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    const parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
    return await command.run(parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`${(error as Error).message}\n\nUsage: ${command.usage}`);
      return 2;
    }
    if (error instanceof Problem) {
      err(`Error: ${error.detail ?? error.message}`);
      return 1;
    }
    if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof MigrationError || error instanceof ReferenceDataError) {
      err(error.message);
      return 1;
    }
    err(`Unexpected error: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
