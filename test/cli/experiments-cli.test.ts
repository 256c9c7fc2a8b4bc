import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb } from '../../src/db/db.ts';
import { createExperimentService } from '../../src/modules/experiments/service.ts';
import { runCli } from '../helpers/cli.ts';

describe('cryoprotect experiments (CLI)', () => {
  let dataDir: string;
  let experimentId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-exp-'));
    cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true });
    const db = await openDb({ databaseUrl: null, dataDir });
    try {
      const userId = await db.asMaintenance(async (tx) => (await tx.query<{ id: string }>(
        "insert into users (email, display_name) values ('lab@cli.test', 'Lab') returning id")).rows[0]!.id);
      const actor = { userId };
      const projectId = await db.asUser(actor, async (tx) => (await tx.query<{ id: string }>("insert into projects (name, created_by) values ('CLI lab', $1) returning id", [userId])).rows[0]!.id);
      const mixtureId = await db.asMaintenance(async (tx) => (await tx.query<{ id: string }>("select id from mixtures where name = 'VS55'")).rows[0]!.id);
      const e = await createExperimentService(db).create(actor, {
        projectId, mixtureId, title: 'Cartilage plugs in VS55', sample: { name: 'Porcine cartilage', kind: 'tissue' },
        protocol: { loading: [], removal: [] }, results: [{ measurement: 'post_thaw_viability', unit: '%', replicates: [20, 25, 30] }],
      });
      experimentId = e.id;
    } finally {
      await db.close();
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const cli = (args: string[]) => runCli(args, { DATA_DIR: dataDir });

  it('shows a project experiment only to an account that may see it, and exports it as CSV', async () => {
    expect((await cli(['experiments', 'list'])).stdout).not.toContain(experimentId);
    const list = await cli(['experiments', 'list', '--as', 'lab@cli.test']);
    expect(list.stdout).toMatch(new RegExp(`${experimentId}\\s+r1\\s+draft`));
    const file = join(dataDir, 'export.csv');
    const exported = await cli(['experiments', 'export', '--format', 'csv', '--out', file, '--as', 'lab@cli.test']);
    expect(exported.stdout).toMatch(/Wrote 1 experiment/);
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain('Cartilage plugs in VS55');
    expect(csv).toContain('20;25;30');
    const bad = await cli(['experiments', 'list', '--state', 'approved']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--state must be one of/);
  });
});
