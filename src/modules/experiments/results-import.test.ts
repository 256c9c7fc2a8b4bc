import { describe, expect, it } from 'vitest';
import { parseResultsCsv } from './results-import.ts';

describe('results CSV import', () => {
  it('keeps good rows and reports bad ones by line and field', () => {
    const csv = [
      'measurement,unit,replicates,mean,sd,n,method,dsc_convention,heating_rate_k_per_min',
      'post_thaw_viability,%,80;84;88,,,,trypan blue,,',
      'post_thaw_viability,%,80;140,,,,,,',
      'glass_transition,°C,,-123,1.5,3,DSC,midpoint,10',
      'recovery,%,,abc,,,,,',
    ].join('\n');
    const out = parseResultsCsv(csv);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.rows).toEqual([
      { line: 2, status: 'added' },
      { line: 3, status: 'invalid', errors: [{ field: 'replicates[1]', message: expect.stringMatching(/between 0 and 100/) }] },
      { line: 4, status: 'added' },
      { line: 5, status: 'invalid', errors: [{ field: 'mean', message: '"abc" is not a number' }] },
    ]);
    expect(out.results.map((r) => [r.measurement, r.n])).toEqual([['post_thaw_viability', 3], ['glass_transition', 3]]);
    expect(out.results[1]!.mean).toBeCloseTo(150.15, 9);
  });

  it('refuses files it cannot read, naming what is wrong', () => {
    expect(parseResultsCsv('')).toEqual({ ok: false, problem: 'The file has no data rows', field: 'body' });
    expect(parseResultsCsv('measurement,unit,colour\nx,y,z\n')).toMatchObject({ ok: false, field: 'columns', problem: expect.stringMatching(/Unknown column\(s\) colour/) });
    expect(parseResultsCsv('mean\n5\n')).toMatchObject({ ok: false, field: 'columns', problem: expect.stringMatching(/needs a "measurement" column/) });
    expect(parseResultsCsv('measurement,unit\n"x,y\n')).toMatchObject({ ok: false, field: 'body', problem: expect.stringMatching(/unterminated/) });
  });
});
