import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/csv.ts';
import { citationsOf, exportCsv, exportFilename } from './export.ts';
import type { MixtureDetail } from './schemas.ts';

const detail = (over: Partial<MixtureDetail> = {}): MixtureDetail => ({
  id: '2010cc5b-28ee-4752-b864-e9884e8e31c2', name: 'VS55 "test", v2', description: '=HYPERLINK("x")\nsecond line', projectId: null, visibility: 'public',
  verified: false, carrier: null, carrierName: null, solutionDensity: null, source: { key: 'mehl1993', title: 'Nucleation, growth', doi: null, year: 1993 },
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  components: [{ position: 0, moleculeId: null, componentId: 'pvp-k12', name: 'PVP K12', inchikey: null, amount: 2.8, unit: '%w/v', role: null }],
  derived: null,
  derivedError: { detail: 'The recipe cannot be evaluated.', errors: [{ field: 'components[0].amount', message: 'density of PVP K12 is unknown' }] },
  ...over,
});

describe('exportCsv', () => {
  it('quotes commas, quotes and newlines, defuses formulas, and parses back to the same text', () => {
    const { columns, records } = parseCsv(exportCsv(detail()));
    expect(columns[0]).toBe('section');
    const value = (key: string) => records.find((r) => r.values.section === 'mixture' && r.values.key === key)!.values.value;
    expect(value('name')).toBe('VS55 "test", v2');
    expect(value('description')).toBe('\'=HYPERLINK("x")\nsecond line');
    const component = records.find((r) => r.values.section === 'component')!.values;
    expect(component).toMatchObject({ key: '0', component_id: 'pvp-k12', amount: '2.8', unit: '%w/v', role: '', mass_fraction: '' });
    expect(records.filter((r) => r.values.section === 'derived_error').map((r) => r.values.key)).toEqual(['detail', 'components[0].amount']);
    expect(records.filter((r) => r.values.section === 'source').map((r) => r.values)).toEqual([
      expect.objectContaining({ key: 'mehl1993', name: 'Nucleation, growth', value: '', detail: '1993' }),
    ]);
  });
});

describe('exportFilename and citationsOf', () => {
  it('makes a safe ASCII file name, falling back to the id', () => {
    expect(exportFilename(detail(), 'csv')).toBe('vs55-test-v2.csv');
    expect(exportFilename(detail({ name: '«»' }), 'json')).toBe('mixture-2010cc5b.json');
  });

  it('lists the mixture source first and each source once', () => {
    expect(citationsOf(detail()).map((s) => s.key)).toEqual(['mehl1993']);
    expect(citationsOf(detail({ source: null })).map((s) => s.key)).toEqual([]);
  });
});
