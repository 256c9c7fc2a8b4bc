import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const cli = runCli;

describe('cryoprotect CLI (embedded database)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-'));
    cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints help for the tool and each command, and exits 2 on misuse', async () => {
    const help = await cli(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve[\s\S]*migrate[\s\S]*seed[\s\S]*molecules/);
    expect((await cli(['molecules', '--help'], {})).stdout).toMatch(/Usage: cryoprotect molecules add SMILES/);
    const unknown = await cli(['frobnicate'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
    const badFlag = await cli(['migrate', 'status', '--bogus'], { DATA_DIR: dataDir });
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/bogus/);
  });

  it('reports migration status, adds and lists molecules, and refuses bad SMILES on stderr', async () => {
    const status = await cli(['migrate', 'status'], { DATA_DIR: dataDir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/0001\s+tenancy\s+applied/);
    const add = await cli(['molecules', 'add', 'OCC(O)CO'], { DATA_DIR: dataDir });
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/Already registered: .* PEDCQBHIVMGVHV-UHFFFAOYSA-N/);
    const added = await cli(['molecules', 'add', 'CCCCO', '--name', '1-Butanol'], { DATA_DIR: dataDir });
    expect(added.stdout).toMatch(/^Registered: .* LRHPLDYGYMQRHN-UHFFFAOYSA-N/);
    const list = await cli(['molecules', 'list', '--query', 'butanol', '--json'], { DATA_DIR: dataDir });
    expect(JSON.parse(list.stdout).map((m: { name: string }) => m.name)).toContain('1-Butanol');
    const bad = await cli(['molecules', 'add', 'C1CC'], { DATA_DIR: dataDir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: SMILES/);
    expect(bad.stdout).toBe('');
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    const { openDb } = await import('../../src/db/db.ts');
    const holder = await openDb({ databaseUrl: null, dataDir });
    try {
      const second = await cli(['migrate', 'status'], { DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/in use by process \d+/);
    } finally {
      await holder.close();
    }
  });

  it('stops on invalid configuration listing every problem', async () => {
    const res = await cli(['migrate', 'status'], { PORT: 'x', DATABASE_URL: 'nope' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^Invalid configuration:/);
    expect(res.stderr).toMatch(/PORT must be an integer/);
    expect(res.stderr).toMatch(/DATABASE_URL is not a valid URL/);
  });
});
