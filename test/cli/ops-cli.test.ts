import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const cli = runCli;

describe('cryoprotect doctor and backup (embedded database)', () => {
  let root: string;
  let env: Record<string, string>;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ops-cli-'));
    cpSync(inject('pgliteTemplateDir'), join(root, 'data'), { recursive: true });
    env = { DATA_DIR: join(root, 'data'), BACKUP_DIR: join(root, 'backups') };
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('doctor --format json prints one JSON object with an overall status and named checks', async () => {
    const res = await cli(['doctor', '--format', 'json'], env);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as { status: string; checks: { name: string; status: string; detail: string }[] };
    expect(report.status).toBe('warning'); // no backup yet
    expect(report.checks.length).toBeGreaterThan(10);
    for (const c of report.checks) {
      expect(['ok', 'warning', 'failed']).toContain(c.status);
      expect(typeof c.name).toBe('string');
      expect(typeof c.detail).toBe('string');
    }
    // Refused before the database is opened, so this costs no embedded start.
    expect((await cli(['doctor', '--format', 'xml'], env)).code).toBe(2);
  });

  it('creates, lists, verifies and restores a backup; restore refuses a non-empty target without --force', async () => {
    const out = join(root, 'elsewhere');
    const created = await cli(['backup', 'create', '--out', out], env);
    expect(created.code).toBe(0);
    const archive = created.stdout.trim().split('\n').at(-1) as string;
    expect(archive).toMatch(new RegExp(`^${out}/cryoprotect-\\d{8}T\\d{9}Z-pglite\\.ndjson\\.gz$`));
    expect(existsSync(archive)).toBe(true);

    const verified = await cli(['backup', 'verify', archive], env);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^Verified: .* identical checksums/m);

    const refused = await cli(['backup', 'restore', archive], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: The target database is not empty .* --force/);

    const forced = await cli(['backup', 'restore', archive, '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/Safety backup of the replaced contents: .*pre-restore\.ndjson\.gz/);
    expect(forced.stdout).toMatch(/^Restored /m);

    const list = await cli(['backup', 'list', '--json'], env);
    expect((JSON.parse(list.stdout) as { label: string | null }[]).map((b) => b.label)).toEqual(['pre-restore']);
  });
});
