import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { importCommand } from '../../src/cli/commands/import.ts';
import { runCli } from '../helpers/cli.ts';

const cli = (args: string[], env: Record<string, string>) => runCli(args, { CHEM_WORKERS: '2', ...env });

const reportRows = (stdout: string) => stdout.trim().split('\n').slice(1).map((l) => l.split('\t'));

describe('cryoprotect import / export (embedded database)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-import-'));
    cpSync(inject('pgliteTemplateDir'), join(dir, 'data'), { recursive: true });
    env = { DATA_DIR: join(dir, 'data') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a CSV with a per-row report, and a re-run (as after a kill) creates no duplicates', async () => {
    const rows = ['compound,smi', '"Pentane-1,5-diol",OCCCCCO', 'junk,C1CC', '"Glycerol, again",OCC(O)CO', '"Nonane-1,9-diol",OCCCCCCCCCO', 'repeat,OCCCCCO'];
    // First only half the file, as if the import had been killed after the first chunk.
    writeFileSync(join(dir, 'half.csv'), `${rows.slice(0, 3).join('\n')}\n`);
    writeFileSync(join(dir, 'all.csv'), `${rows.join('\n')}\n`);
    const half = await cli(['import', join(dir, 'half.csv'), '--format', 'csv', '--smiles-column', 'smi', '--name-column', 'compound'], env);
    expect(half.code).toBe(0);
    expect(reportRows(half.stdout).map((r) => r[2])).toEqual(['registered', 'invalid']);
    const full = await cli(['import', join(dir, 'all.csv'), '--format', 'csv', '--smiles-column', 'smi', '--name-column', 'compound'], env);
    expect(full.code).toBe(0);
    const report = reportRows(full.stdout);
    expect(report.map((r) => r[2])).toEqual(['duplicate', 'invalid', 'duplicate', 'registered', 'duplicate']);
    expect(report[0]![3]).toBe(reportRows(half.stdout)[0]![3]);
    expect(report[4]![3]).toBe(report[0]![3]);
    expect(report[1]![5]).toMatch(/ring|parse/i);
    expect(full.stderr).toMatch(/1 registered, 3 duplicate, 1 invalid/);
    expect(full.stderr).toMatch(/progress: 5 rows/); // not a TTY: progress lines, not a bar
    const list = await cli(['molecules', 'list', '--query', 'Pentane-1,5-diol', '--json'], env);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it('imports an SD file with names from a data field and writes the report to a file', async () => {
    const mol = (title: string, element: string) => `${title}\n  test\n\n  2  1  0  0  0  0  0  0  0  0999 V2000\n    0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0\n    1.5000    0.0000    0.0000 ${element}   0  0  0  0  0  0  0  0  0  0  0  0\n  1  2  1  0\nM  END`;
    const sdf = `${mol('methylamine', 'N')}\n>  <NAME>\nMethylamine\n\n$$$$\nbroken record\n$$$$\n${mol('', 'S')}\n>  <NAME>\nMethanethiol\n\n$$$$\n`;
    writeFileSync(join(dir, 'in.sdf'), sdf);
    const res = await cli(['import', join(dir, 'in.sdf'), '--format', 'sdf', '--name-column', 'NAME', '--report', join(dir, 'report.tsv')], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    const report = reportRows(readFileSync(join(dir, 'report.tsv'), 'utf8'));
    expect(report.map((r) => r[2])).toEqual(['registered', 'invalid', 'registered']);
    const list = await cli(['molecules', 'list', '--query', 'Methanethiol', '--json'], env);
    expect(JSON.parse(list.stdout)[0].canonicalSmiles).toBe('CS');
  });

  it('exits non-zero with a clear message for a missing file, a wrong column, an empty file and a broken SD file', async () => {
    // These checks run before the database opens, so the command is called in-process (spawning costs seconds each).
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    const run = async (args: string[], values: Record<string, string>) => {
      stderr.length = 0;
      const code = await importCommand.run({ positionals: args, values });
      return { code, stderr: stderr.join('') };
    };
    try {
      const missing = await run([join(dir, 'nope.csv')], { format: 'csv' });
      expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/file not found/) });
      writeFileSync(join(dir, 'cols.csv'), 'name,structure_text\nx,CCO\n');
      const wrong = await run([join(dir, 'cols.csv')], { format: 'csv', 'smiles-column': 'SMILES' });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/SMILES column "SMILES" not found; columns found: "name", "structure_text"/);
      const wrongName = await run([join(dir, 'cols.csv')], { format: 'csv', 'smiles-column': 'structure_text', 'name-column': 'title' });
      expect(wrongName.stderr).toMatch(/name column "title" not found/);
      expect((await run([join(dir, 'cols.csv')], { format: 'csv' })).stderr).toMatch(/no SMILES column/);
      writeFileSync(join(dir, 'empty.csv'), '');
      expect(await run([join(dir, 'empty.csv')], { format: 'csv' })).toMatchObject({ code: 1, stderr: expect.stringMatching(/empty/) });
      writeFileSync(join(dir, 'broken.sdf'), 'this is not\nan SD file\n');
      expect(await run([join(dir, 'broken.sdf')], { format: 'sdf' })).toMatchObject({ code: 1, stderr: expect.stringMatching(/not a readable SD file/) });
      await expect(run([join(dir, 'cols.csv')], {})).rejects.toThrow(/--format must be csv or sdf/);
      await expect(run([], { format: 'csv' })).rejects.toThrow(/needs a FILE/);
    } finally {
      spy.mockRestore();
    }
    const usage = await cli(['import', join(dir, 'cols.csv')], env);
    expect(usage.code).toBe(2);
  });

  it('exports CSV, JSON and SDF', async () => {
    const csv = await cli(['export', '--format', 'csv', '--query', 'Glycerol'], env);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toMatch(/^id,name,synonyms,canonical_smiles/);
    expect(csv.stdout).toMatch(/PEDCQBHIVMGVHV-UHFFFAOYSA-N/);
    const out = join(dir, 'out.sdf');
    const sdf = await cli(['export', '--format', 'sdf', '--query', 'PEDCQBHIVMGVHV-UHFFFAOYSA-N', '--out', out], env);
    expect(sdf.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^Glycerol\n[\s\S]*M {2}END[\s\S]*\$\$\$\$\n$/);
  });
});
