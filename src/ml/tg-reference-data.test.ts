// Integrity of the curated Tg reference set (data/reference/tg, written by scripts/curate-tg.ts). Reads files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../lib/csv.ts';

const dir = new URL('../../data/reference/tg/', import.meta.url);
const read = (name: string): ReturnType<typeof parseCsv> => parseCsv(readFileSync(new URL(name, dir), 'utf8'));
const pure = read('koop2011-pure-tg.csv');
const excluded = read('koop2011-excluded.csv');
const sources = parseCsv(readFileSync(new URL('../../data/reference/sources.csv', import.meta.url), 'utf8'));
const KOOP_DOI = '10.1039/C1CP22617G';
const num = (v: string | undefined): number => (v === undefined || v.trim() === '' ? NaN : Number(v));

describe('data/reference/tg/koop2011-pure-tg.csv', () => {
  const rows = pure.records.map((r) => r.values);

  it('has the documented columns and one row per InChIKey and per canonical SMILES', () => {
    expect(pure.columns).toEqual(['name', 'compiled_names', 'canonical_smiles', 'inchikey', 'tg_k', 'tg_min_k', 'tg_max_k', 'n_entries', 'tm_k', 'n_tm_entries', 'source_lines', 'source_doi']);
    expect(rows.length).toBe(295);
    for (const r of rows) expect(r.inchikey).toMatch(/^[A-Z]{14}-[A-Z]{10}-[A-Z]$/);
    expect(new Set(rows.map((r) => r.inchikey)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.canonical_smiles)).size).toBe(rows.length);
  });

  it('keeps every value in a physical range, with the median inside the compiled spread', () => {
    for (const r of rows) {
      const [tg, lo, hi, n] = [num(r.tg_k), num(r.tg_min_k), num(r.tg_max_k), num(r.n_entries)];
      expect(tg, r.name).toBeGreaterThanOrEqual(20);
      expect(tg, r.name).toBeLessThanOrEqual(700);
      expect(lo <= tg && tg <= hi, `${r.name}: ${lo} ≤ ${tg} ≤ ${hi}`).toBe(true);
      expect(Number.isInteger(n) && n >= 1).toBe(true);
      expect(r.source_lines!.split(' ')).toHaveLength(n);
      if (r.tm_k === '') expect(r.n_tm_entries).toBe('0');
      else {
        expect(num(r.tm_k)).toBeGreaterThanOrEqual(20);
        expect(num(r.tm_k)).toBeLessThanOrEqual(700);
        expect(num(r.n_tm_entries)).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('cites Koop et al. 2011 on every row, a source listed in sources.csv', () => {
    for (const r of rows) expect(r.source_doi).toBe(KOOP_DOI);
    expect(sources.records.some((s) => s.values.doi === KOOP_DOI)).toBe(true);
    expect(sources.records.some((s) => s.values.doi === '10.1039/D1EA00090J')).toBe(true);
  });

  it('accounts for every compiled line exactly once, kept or excluded with a reason', () => {
    const kept = rows.flatMap((r) => r.source_lines!.split(' ').map(Number));
    const dropped = excluded.records.map((r) => Number(r.values.source_line));
    for (const r of excluded.records) expect(r.values.reason).not.toBe('');
    const all = [...kept, ...dropped].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 415 }, (_, i) => i + 2));
  });

  it('matches the values science.md §1.2 quotes from the same compilation', () => {
    const byKey = new Map(rows.map((r) => [r.inchikey, r]));
    const glycerol = byKey.get('PEDCQBHIVMGVHV-UHFFFAOYSA-N')!;
    expect([num(glycerol.tg_min_k), num(glycerol.tg_max_k)]).toEqual([185, 194]);
    expect(num(byKey.get('LYCAIKOWRPUZTN-UHFFFAOYSA-N')!.tg_k)).toBeCloseTo(152, 0); // ethylene glycol 151–152.8
    const trehalose = byKey.get('HDTRYLNUVZCQOY-UHFFFAOYSA-N')!;
    expect([num(trehalose.tg_min_k), num(trehalose.tg_max_k)]).toEqual([350, 383]);
  });
});
