import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/db/lock.ts';
import { openDb } from '../../src/db/db.ts';

describe('embedded data directory lock', () => {
  it('refuses a second opener while the first holds the directory, and frees it on close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lock-'));
    const first = await openDb({ databaseUrl: null, dataDir });
    try {
      await expect(openDb({ databaseUrl: null, dataDir })).rejects.toThrow(DataDirLockedError);
      await expect(openDb({ databaseUrl: null, dataDir })).rejects.toThrow(/in use by process \d+/);
      expect(await first.ping()).toBeGreaterThan(0);
    } finally {
      await first.close();
    }
    const second = await openDb({ databaseUrl: null, dataDir });
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes over a stale lock left by a dead process', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dataDir, 'cryoprotect.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, command: 'crashed' }));
    const lock = lockDataDir(dataDir);
    lock.release();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
