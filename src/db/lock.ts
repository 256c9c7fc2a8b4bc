import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite has no lock of its own: two processes on one data directory silently lose writes. We take an
 * exclusive lock file (O_EXCL create) holding our pid, and refuse a second opener with a message that
 * names the holder. A lock whose pid is no longer alive is stale (crash, kill -9) and is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly holderPid: number, readonly holderCommand: string) {
    super(
      `The data directory ${dataDir} is in use by process ${holderPid} (${holderCommand}). ` +
        'Only one process may open the embedded database at a time: stop that process, or talk to the running ' +
        'server through its API, or use a PostgreSQL server (DATABASE_URL) for concurrent access.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks held by this process: a second open from the same process is refused as well. */
const heldHere = new Set<string>();

export function lockDataDir(dataDir: string, command = process.argv.slice(1).join(' ')): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'cryoprotect.lock');
  if (heldHere.has(path)) throw new DataDirLockedError(dataDir, process.pid, 'this process');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() }));
      closeSync(fd);
      heldHere.add(path);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        heldHere.delete(path);
        try {
          const holder = JSON.parse(readFileSync(path, 'utf8')) as { pid: number };
          if (holder.pid === process.pid) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.once('exit', release);
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; command?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
      } catch {
        // A half-written or corrupt lock file counts as stale.
      }
      if (holder.pid && holder.pid !== process.pid && processAlive(holder.pid)) {
        throw new DataDirLockedError(dataDir, holder.pid, holder.command ?? 'unknown command');
      }
      try {
        unlinkSync(path);
      } catch {
        // Another process may have removed it first; the next attempt decides.
      }
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}`);
}
