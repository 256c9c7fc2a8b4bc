import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { pgliteDirectory, startEmbedded } from '../../src/db/embedded.ts';
import { DataDirLockedError, lockDataDir } from '../../src/db/lock.ts';

// The supervisor of the embedded database's child process: what happens when the child is slow, fails to start or
// dies, and whether the data directory is always left unlocked for the next start.
describe('embedded database supervisor', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** The lock is free when another opener gets it; released again at once. */
  const lockIsFree = (dataDir: string) => {
    lockDataDir(dataDir).release();
    return true;
  };

  it('gives up on a child that does not report ready in time, and frees the directory and the socket folder', async () => {
    const dataDir = scratch();
    await expect(startEmbedded(dataDir, { startTimeoutMs: 1 })).rejects.toThrow(/did not start within 1 ms/);
    expect(lockIsFree(dataDir)).toBe(true);
  });

  it('reports a child that exits during start (unusable data directory) and frees the directory', async () => {
    const dataDir = scratch();
    mkdirSync(dataDir, { recursive: true });
    // PGDATA must be a directory; a file in its place makes PGlite fail to open it.
    writeFileSync(pgliteDirectory(dataDir), 'not a database');
    await expect(startEmbedded(dataDir)).rejects.toThrow(/exited during start \(code \d+/);
    expect(lockIsFree(dataDir)).toBe(true);
  });

  it('serves SQL on its socket, stops once however often asked, and frees the directory after a crash', async () => {
    const dataDir = scratch();
    const server = await startEmbedded(dataDir);
    expect(existsSync(server.socketDir)).toBe(true);
    // While it runs, nobody else may open the directory.
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    const client = new pg.Client({ host: server.socketDir, port: server.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    expect((await client.query<{ answer: number }>('select 6 * 7 as answer')).rows[0]?.answer).toBe(42);
    await client.end();

    // kill -9: the child never gets to clean up; stop() must notice it is gone and release what it held.
    const exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        try {
          process.kill(server.pid, 0);
        } catch {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    process.kill(server.pid, 'SIGKILL');
    await exited;
    const first = server.stop();
    expect(server.stop()).toBe(first);
    await first;
    expect(existsSync(server.socketDir)).toBe(false);
    expect(lockIsFree(dataDir)).toBe(true);

    // The directory opens again after the crash.
    const again = await startEmbedded(dataDir);
    await again.stop();
    expect(lockIsFree(dataDir)).toBe(true);
  });

  it('refuses a directory whose lock a live process holds, naming that process', () => {
    const dataDir = scratch();
    // The parent of this test process is alive for as long as the test runs.
    writeFileSync(join(dataDir, 'cryoprotect.lock'), JSON.stringify({ pid: process.ppid, command: 'cryoprotect serve' }));
    expect(() => lockDataDir(dataDir)).toThrow(new RegExp(`in use by process ${process.ppid} \\(cryoprotect serve\\)`));
  });
});
