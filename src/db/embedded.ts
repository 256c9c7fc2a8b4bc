import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir, type DataDirLock } from './lock.ts';

/** A running embedded database: a supervised child process serving PGlite on a private unix socket. */
export interface EmbeddedServer {
  /** Directory holding the socket; `pg` takes it as `host` with port 5432. */
  readonly socketDir: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

const HOST_ENTRY = new URL('./pglite-host.ts', import.meta.url);
const PORT = 5432;

/**
 * The database files live in `DATA_DIR/pglite`, never in DATA_DIR itself: the default DATA_DIR (`./data`) also
 * holds the shipped reference data (`data/reference`), and PGDATA must not share a folder with anything else.
 */
export function pgliteDirectory(dataDir: string): string {
  return join(dataDir, 'pglite');
}

export async function startEmbedded(dataDir: string, options: { startTimeoutMs?: number } = {}): Promise<EmbeddedServer> {
  const lock: DataDirLock = lockDataDir(dataDir);
  // A private 0700 directory: only this user can reach the socket, and the PGlite session is a superuser.
  const socketDir = mkdtempSync(join(tmpdir(), 'cryoprotect-db-'));
  const socketPath = join(socketDir, `.s.PGSQL.${PORT}`);
  let child: ChildProcess;
  try {
    child = fork(HOST_ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, CRYOPROTECT_PGLITE_DIR: pgliteDirectory(dataDir), CRYOPROTECT_PGLITE_SOCKET: socketPath },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  } catch (error) {
    lock.release();
    rmSync(socketDir, { recursive: true, force: true });
    throw error;
  }
  const cleanup = () => {
    lock.release();
    rmSync(socketDir, { recursive: true, force: true });
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The embedded database did not start within ${options.startTimeoutMs ?? 120_000} ms`));
    }, options.startTimeoutMs ?? 120_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The embedded database process exited during start (code ${code}, signal ${signal})`));
    });
  }).catch((error: unknown) => {
    cleanup();
    throw error;
  });

  let stopped: Promise<void> | null = null;
  return {
    socketDir,
    port: PORT,
    pid: child.pid ?? -1,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          resolve();
          return;
        }
        // The host checkpoints and closes PGlite on 'stop'; SIGKILL only if it hangs.
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(killTimer);
          cleanup();
          resolve();
        });
        child.send('stop');
      });
      return stopped;
    },
  };
}
