import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.ts';
import { openRuntime, prepareDatabase } from '../src/app/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
    postgresTemplateDb: string | null;
    /** Prefix of every database this run creates, so teardown never touches another run's databases. */
    testRunId: string;
  }
}

/**
 * Migrating and seeding a database takes seconds (PGlite initdb alone is ~3 s), so it happens once per run:
 * a PGlite data directory and a PostgreSQL template database that each test file copies.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (project.name === 'e2e') {
    execFileSync(process.execPath, ['scripts/ensure-web-build.mjs'], { stdio: 'inherit' });
  }
  const pgliteTemplateDir = mkdtempSync(join(tmpdir(), 'cryoprotect-template-'));
  const runtime = await openRuntime(loadConfig({ NODE_ENV: 'test', DATA_DIR: pgliteTemplateDir, CHEM_WORKERS: '2' }));
  try {
    await prepareDatabase(runtime);
  } finally {
    await runtime.close();
  }
  project.provide('pgliteTemplateDir', pgliteTemplateDir);

  const testRunId = `${process.pid}_${Date.now()}`;
  project.provide('testRunId', testRunId);
  let postgresTemplateDb: string | null = null;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    postgresTemplateDb = `cryoprotect_tpl_${testRunId}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${postgresTemplateDb}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${postgresTemplateDb}`;
    const server = await openRuntime(loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'local', DATABASE_URL: url.toString(), CHEM_WORKERS: '2' }));
    try {
      await prepareDatabase(server);
    } finally {
      await server.close();
    }
  }
  project.provide('postgresTemplateDb', postgresTemplateDb);

  return async () => {
    rmSync(pgliteTemplateDir, { recursive: true, force: true });
    if (serverUrl && postgresTemplateDb) {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      const leftovers = await admin.query<{ datname: string }>(
        'select datname from pg_database where datname = $1 or datname like $2',
        [postgresTemplateDb, `cryoprotect_t_${testRunId}_%`],
      );
      for (const { datname } of leftovers.rows) await admin.query(`drop database if exists ${datname} with (force)`);
      await admin.end();
    }
  };
}
