import { buildServer } from '../../src/app/server.ts';
import { APP_VERSION } from '../../src/app/runtime.ts';
import { openTestDatabase, type BackendName } from './databases.ts';

/** The full app (API + built web UI) on a free port over a fresh seeded database. */
export async function startAppServer(options: { backend?: BackendName; env?: Record<string, string> } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const database = await openTestDatabase(options.backend ?? 'pglite', { chem: true, env: { CHEM_WORKERS: '2', ...options.env } });
  const app = await buildServer({ ...database.runtime, version: APP_VERSION });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
