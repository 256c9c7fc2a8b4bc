import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/lib/csv.ts';
import { runCli } from '../helpers/cli.ts';

const TG_FILE = new URL('../../data/reference/tg/koop2011-pure-tg.csv', import.meta.url);
const lastLine = (text: string) => text.trim().split('\n').at(-1)!;

describe('cryoprotect model train | predict | evaluate (fresh, empty data directory)', () => {
  let dir: string;
  let env: Record<string, string>;
  let trainFile: string;
  let testFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-model-'));
    env = { DATA_DIR: join(dir, 'data'), CHEM_WORKERS: '2' };
    const { records } = parseCsv(readFileSync(TG_FILE, 'utf8'));
    const line = (r: { values: Record<string, string> }) => `"${r.values.name!.replace(/"/g, '""')}",${r.values.canonical_smiles},${r.values.tg_k}`;
    // Every 4th compound is held out for evaluate; a sixth of the rest trains (fast, still a real model).
    const held = records.filter((_, i) => i % 4 === 0).slice(0, 40);
    const trainRows = records.filter((_, i) => i % 4 !== 0).filter((_, i) => i % 2 === 0);
    trainFile = join(dir, 'train.csv');
    testFile = join(dir, 'test.csv');
    writeFileSync(trainFile, ['compound,SMILES,Tg_K', ...trainRows.map(line)].join('\n'));
    writeFileSync(testFile, ['compound,SMILES,Tg_K', ...held.map(line), 'garbage,C1CC,100'].join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let version: string;

  it('trains with a fixed seed, printing the new version id on the last line; the same seed reproduces the same numbers', async () => {
    const first = await runCli(['model', 'train', '--data', trainFile, '--smiles-column', 'SMILES', '--target', 'Tg_K', '--algorithm', 'rf', '--seed', '11'], env);
    expect(first.code, first.stderr).toBe(0);
    version = lastLine(first.stdout);
    expect(version).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.stdout).toMatch(/baseline mean/);
    expect(first.stderr).toMatch(/progress:/);
    const again = await runCli(['model', 'train', '--data', trainFile, '--smiles-column', 'SMILES', '--target', 'Tg_K', '--algorithm', 'rf', '--seed', '11'], env);
    expect(again.code, again.stderr).toBe(0);
    const second = lastLine(again.stdout);
    expect(second).not.toBe(version);
    // One process at a time: the embedded database is locked by whoever opens it.
    const show = async (id: string) => JSON.parse((await runCli(['model', 'show', id, '--json'], env)).stdout);
    const a = await show(version);
    const b = await show(second);
    expect(b.versionNumber).toBe(a.versionNumber + 1);
    expect(b.trainingDataHash).toBe(a.trainingDataHash);
    expect(b.evaluation.metrics).toEqual(a.evaluation.metrics);
    expect(b.evaluation.outOfFold).toEqual(a.evaluation.outOfFold);
  });

  it('predicts a CSV: input columns plus prediction, lower, upper and in_domain; a bad row is reported, not dropped', async () => {
    const out = join(dir, 'out.csv');
    const res = await runCli(['model', 'predict', '--version', version, '--data', testFile, '--smiles-column', 'SMILES', '--out', out, '--level', '0.8'], env);
    expect(res.code, res.stderr).toBe(0);
    const { columns, records } = parseCsv(readFileSync(out, 'utf8'));
    expect(columns.slice(0, 7)).toEqual(['compound', 'SMILES', 'Tg_K', 'prediction', 'lower', 'upper', 'in_domain']);
    expect(records).toHaveLength(41);
    const good = records.slice(0, 40);
    for (const r of good) {
      const [p, lo, hi] = [Number(r.values.prediction), Number(r.values.lower), Number(r.values.upper)];
      expect(lo).toBeLessThanOrEqual(p);
      expect(hi).toBeGreaterThanOrEqual(p);
      expect(['true', 'false']).toContain(r.values.in_domain);
    }
    expect(records[40]!.values.prediction).toBe('');
    expect(records[40]!.values.error).toMatch(/invalid structure/);
    // Default level is 90 %: wider than the 80 % intervals above.
    const out90 = join(dir, 'out90.csv');
    expect((await runCli(['model', 'predict', '--version', version, '--data', testFile, '--smiles-column', 'SMILES', '--out', out90], env)).code).toBe(0);
    const r90 = parseCsv(readFileSync(out90, 'utf8')).records[0]!.values;
    expect(Number(r90.upper) - Number(r90.lower)).toBeGreaterThan(Number(good[0]!.values.upper) - Number(good[0]!.values.lower));
  });

  it('evaluates a version on held-out data as JSON metrics', async () => {
    const res = await runCli(['model', 'evaluate', '--version', version, '--data', testFile, '--smiles-column', 'SMILES', '--target', 'Tg_K'], env);
    expect(res.code, res.stderr).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(json.used).toBe(40);
    expect(json.skipped).toBe(1);
    expect(json.metrics.mae).toBeGreaterThan(0);
    expect(json.metrics.mae).toBeLessThan(80);
  });

  it('refuses bad calls with a clear message', async () => {
    const noColumn = await runCli(['model', 'train', '--data', trainFile, '--smiles-column', 'smiles', '--target', 'Tg_K'], env);
    expect(noColumn.code).toBe(1);
    expect(noColumn.stderr).toMatch(/no column "smiles"/);
    const noFile = await runCli(['model', 'train', '--data', join(dir, 'missing.csv'), '--smiles-column', 'SMILES', '--target', 'Tg_K'], env);
    expect(noFile.code).toBe(2);
    const unknown = await runCli(['model', 'show', '00000000-0000-4000-8000-00000000abcd'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/does not exist/);
  });
});
