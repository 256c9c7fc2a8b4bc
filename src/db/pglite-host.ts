/**
 * Child process that owns the embedded database. PGlite blocks the event loop while a query runs and ignores
 * statement_timeout, so it lives here, out of the server's process, and speaks the PostgreSQL wire protocol on
 * a private unix socket. The parent talks to it with `pg` exactly as it talks to a PostgreSQL server.
 * It exits when the parent goes away (IPC disconnect) so a killed server never leaves an orphan holding the data.
 */
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const dataDir = process.env.CRYOPROTECT_PGLITE_DIR;
const socketPath = process.env.CRYOPROTECT_PGLITE_SOCKET;
if (!dataDir || !socketPath || !process.send) {
  console.error('pglite-host must be started by the app with CRYOPROTECT_PGLITE_DIR and CRYOPROTECT_PGLITE_SOCKET');
  process.exit(2);
}

// pgcrypto is deliberately absent: loaded together with pg_trgm it can hang PGlite (tech-stack.md §1.4).
const db = await PGlite.create(dataDir, { extensions: { citext, pg_trgm } });
const server = new PGLiteSocketServer({ db, path: socketPath });
await server.start();

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    // close() checkpoints; skipping it risks a corrupt data directory (pglite#327).
    await db.close();
    process.exit(code);
  }
}
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
process.on('message', (message) => {
  if (message === 'stop') void stop(0);
});
process.send({ ready: true });
