import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { openRuntime, type Runtime } from '../../src/app/runtime.ts';

export type BackendName = 'pglite' | 'postgres';

export interface TestDatabase {
  backend: BackendName;
  config: Config;
  runtime: Runtime;
  /** Connection string of the server database (postgres backend only). */
  databaseUrl: string | null;
  close(): Promise<void>;
}

export const BACKENDS: { name: BackendName; skipReason: string | null }[] = [
  { name: 'pglite', skipReason: null },
  { name: 'postgres', skipReason: process.env.TEST_DATABASE_URL ? null : 'skipped: TEST_DATABASE_URL is not set' },
];

let counter = 0;

async function createFromTemplate(serverUrl: string, template: string): Promise<string> {
  const name = `cryoprotect_t_${inject('testRunId')}_${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // Two files cloning the same template at once can collide ("being accessed by other users"): retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`);
        break;
      } catch (error) {
        if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(serverUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/** A fresh, migrated and seeded database of the given backend, private to the caller. */
export async function openTestDatabase(backend: BackendName, options: { chem?: boolean; env?: Record<string, string> } = {}): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'cryoprotect-test-'));
    cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true });
    const config = loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'local', DATA_DIR: dataDir, CHEM_WORKERS: '1', ...options.env });
    const runtime = await openRuntime(config, { chem: options.chem ?? false });
    return {
      backend, config, runtime, databaseUrl: null,
      async close() {
        await runtime.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  const template = inject('postgresTemplateDb');
  if (!serverUrl || !template) throw new Error('postgres backend requested without TEST_DATABASE_URL');
  const databaseUrl = await createFromTemplate(serverUrl, template);
  const config = loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'local', DATABASE_URL: databaseUrl, CHEM_WORKERS: '1', ...options.env });
  const runtime = await openRuntime(config, { chem: options.chem ?? false });
  return {
    backend, config, runtime, databaseUrl,
    async close() {
      await runtime.close();
      await dropDatabase(serverUrl, databaseUrl);
    },
  };
}

/**
 * Declares the same suite once per backend. A backend that cannot run here is reported as skipped with the
 * reason in its name, so a green run never hides that the server variant did not execute.
 */
export function describeEachBackend(title: string, suite: (backend: BackendName) => void): void {
  for (const backend of BACKENDS) {
    const name = backend.skipReason ? `${title} [${backend.name}: ${backend.skipReason}]` : `${title} [${backend.name}]`;
    describe.skipIf(backend.skipReason !== null)(name, () => suite(backend.name));
  }
}
